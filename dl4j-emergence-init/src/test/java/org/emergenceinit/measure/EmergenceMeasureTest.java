package org.emergenceinit.measure;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmergenceMeasureTest {

    @Test
    void paperTestVectors() {
        long[] n = {4, 3, 2};
        assertEquals(BigInteger.valueOf(26), EmergenceMeasure.emergence(n, new long[]{1, 2, 2}));
        assertEquals(BigInteger.valueOf(36), EmergenceMeasure.emergence(n, new long[]{0, 3, 2}));
        assertEquals(BigInteger.ZERO, EmergenceMeasure.emergence(n, n.clone()));
        assertEquals(BigInteger.ZERO, EmergenceMeasure.emergence(n, new long[]{4, 0, 0}));
        assertEquals(BigInteger.valueOf(26), EmergenceMeasure.emergence(new int[]{4, 3, 2}, new int[]{1, 2, 2}));
    }

    @Test
    void fewerThanTwoLayersGiveZero() {
        assertEquals(BigInteger.ZERO, EmergenceMeasure.emergence(new long[0], new long[0]));
        assertEquals(BigInteger.ZERO, EmergenceMeasure.emergence(new long[]{5}, new long[]{2}));
    }

    /**
     * The closed form equals an explicit enumeration of paths in a layered graph with fully
     * connected consecutive layers: for every inactive node x of layer i, every path
     * x -> v_{i+1} -> ... -> v_j that ends at an active node v_j (j > i) counts once, whatever
     * the intermediate nodes are. The general form of Li et al. restricts the intermediate nodes
     * to the active sub-network; the layered closed form of the papers counts all of them.
     */
    @Test
    void closedFormEqualsBruteForcePathEnumeration() {
        Random random = new Random(12345);
        for (int trial = 0; trial < 500; trial++) {
            int layers = 1 + random.nextInt(5);
            int[] widths = new int[layers];
            boolean[][] isActive = new boolean[layers][];
            long[] n = new long[layers];
            long[] a = new long[layers];
            for (int l = 0; l < layers; l++) {
                widths[l] = 1 + random.nextInt(4);
                isActive[l] = new boolean[widths[l]];
                for (int v = 0; v < widths[l]; v++) {
                    isActive[l][v] = random.nextDouble() < 0.5;
                    if (isActive[l][v]) {
                        a[l]++;
                    }
                }
                n[l] = widths[l];
            }
            LayeredGraph graph = new LayeredGraph(widths, isActive);
            assertEquals(BigInteger.valueOf(graph.countPathsFromInactiveNodes()), EmergenceMeasure.emergence(n, a),
                    "trial " + trial);
        }
    }

    /** 1,000 layers of width 4,096 (its speed is measured by the JMH benchmark EmergenceMeasureBenchmark). */
    @Test
    void largeNetworkIsExact() {
        int layers = 1000;
        long[] n = new long[layers];
        long[] a = new long[layers];
        for (int i = 0; i < layers; i++) {
            n[i] = 4096;
            a[i] = i < layers / 2 ? 100 : 4000;
        }
        BigInteger e = EmergenceMeasure.emergence(n, a);
        double log10 = EmergenceMeasure.log10(e);
        assertTrue(e.bitLength() > 11_000, "E has " + e.bitLength() + " bits");
        assertEquals(e.toString().length() - 1, (int) Math.floor(log10));
        assertTrue(Double.isFinite(log10));
    }

    /**
     * Against the definition summed directly over layer pairs, {@code E = sum_{i<j} (n_i - a_i) (prod_{i<k<j} n_k)
     * a_j}, for 120 layers of width 4,096 (E of about 1,400 bits).
     */
    @Test
    void deepWideNetworkEqualsThePairSum() {
        int layers = 120;
        long[] n = new long[layers];
        long[] a = new long[layers];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < layers; i++) {
            n[i] = 4096;
            a[i] = rnd.nextInt(4097);
        }
        BigInteger expected = BigInteger.ZERO;
        for (int i = 0; i < layers; i++) {
            BigInteger product = BigInteger.ONE;
            for (int j = i + 1; j < layers; j++) {
                expected = expected.add(BigInteger.valueOf(n[i] - a[i]).multiply(product)
                        .multiply(BigInteger.valueOf(a[j])));
                product = product.multiply(BigInteger.valueOf(n[j]));
            }
        }
        assertEquals(expected, EmergenceMeasure.emergence(n, a));
        assertTrue(expected.bitLength() > 1_300, "E has " + expected.bitLength() + " bits");
    }

    @Test
    void log10MatchesDoubleForSmallAndHugeValues() {
        assertEquals(Double.NEGATIVE_INFINITY, EmergenceMeasure.log10(BigInteger.ZERO));
        assertEquals(0.0, EmergenceMeasure.log10(BigInteger.ONE), 0.0);
        assertEquals(Math.log10(26), EmergenceMeasure.log10(BigInteger.valueOf(26)), 1e-15);
        assertEquals(Math.log10(Long.MAX_VALUE), EmergenceMeasure.log10(BigInteger.valueOf(Long.MAX_VALUE)), 1e-12);
        assertEquals(5000.0, EmergenceMeasure.log10(BigInteger.TEN.pow(5000)), 1e-9);
        assertEquals(5000.0 + Math.log10(3), EmergenceMeasure.log10(BigInteger.TEN.pow(5000).multiply(BigInteger.valueOf(3))), 1e-9);
    }

    @Test
    void relativeEmergenceDividesByParameters() {
        assertEquals(0, new BigDecimal("6.5").compareTo(EmergenceMeasure.relative(BigInteger.valueOf(26), 4)));
        assertEquals(0, BigDecimal.ZERO.compareTo(EmergenceMeasure.relative(BigInteger.ZERO, 10)));
        assertEquals(Math.log10(6.5), EmergenceMeasure.log10Relative(BigInteger.valueOf(26), 4), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, EmergenceMeasure.log10Relative(BigInteger.ZERO, 4));
        BigDecimal huge = EmergenceMeasure.relative(BigInteger.TEN.pow(400), 1000);
        assertEquals(0, new BigDecimal("1E397").compareTo(huge));
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class,
                () -> EmergenceMeasure.emergence(new long[]{4, 3}, new long[]{1}));
        assertTrue(e.getMessage().contains("2 widths and 1 active"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmergenceMeasure.emergence(new long[]{4, 3}, new long[]{1, 4}));
        assertTrue(e.getMessage().contains("layer 1 has 4 active nodes out of 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmergenceMeasure.emergence(new long[]{4, 3}, new long[]{-1, 2}));
        assertTrue(e.getMessage().contains("layer 0 has -1 active"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmergenceMeasure.emergence(new long[]{0, 3}, new long[]{0, 2}));
        assertTrue(e.getMessage().contains("layer 0 has width 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.emergence((long[]) null, new long[0]));
        assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.relative(BigInteger.ONE, 0));
        assertTrue(e.getMessage().contains("at least one non-zero parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.log10(BigInteger.valueOf(-3)));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
    }

    /** An explicit graph: nodes numbered layer by layer, adjacency lists between consecutive layers. */
    private static final class LayeredGraph {
        private final List<List<Integer>> downstream = new ArrayList<>();
        private final List<Boolean> active = new ArrayList<>();

        LayeredGraph(int[] widths, boolean[][] isActive) {
            int[] first = new int[widths.length];
            int count = 0;
            for (int l = 0; l < widths.length; l++) {
                first[l] = count;
                count += widths[l];
            }
            for (int l = 0; l < widths.length; l++) {
                for (int v = 0; v < widths[l]; v++) {
                    List<Integer> next = new ArrayList<>();
                    if (l + 1 < widths.length) {
                        for (int w = 0; w < widths[l + 1]; w++) {
                            next.add(first[l + 1] + w);
                        }
                    }
                    downstream.add(next);
                    active.add(isActive[l][v]);
                }
            }
        }

        long countPathsFromInactiveNodes() {
            long total = 0;
            for (int x = 0; x < active.size(); x++) {
                if (!active.get(x)) {
                    for (int neighbour : downstream.get(x)) {
                        total += pathsEndingActive(neighbour);
                    }
                }
            }
            return total;
        }

        /** Number of paths starting at {@code node} (the single-node path included) that end at an active node. */
        private long pathsEndingActive(int node) {
            long count = active.get(node) ? 1 : 0;
            for (int next : downstream.get(node)) {
                count += pathsEndingActive(next);
            }
            return count;
        }
    }
}
