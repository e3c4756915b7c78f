package org.emergenceinit.measure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The emergence measure of a layered network, computed exactly.
 *
 * <p>Li, Prado Guerra, Basu and Silva define the emergence of a network {@code G} with respect to
 * a sub-network {@code H} of active nodes as the number of paths in {@code H} that start at the
 * downstream neighbours of nodes outside {@code H} (<i>A Categorical Framework for Quantifying
 * Emergent Effects in Network Topology</i>, arXiv 2311.17403). For a network of {@code N} fully
 * connected hidden layers, AlShinaifi et al. (<i>Quantifying Emergence in Neural Networks:
 * Insights from Pruning and Training Dynamics</i>, arXiv 2409.01568, section 3.1.1) use the
 * closed form
 *
 * <pre>
 *   E = sum_{i=1}^{N-1} sum_{j=i+1}^{N} (n_i - a_i) * a_j * prod_{k=i+1}^{j-1} n_k
 * </pre>
 *
 * where {@code n_i} is the number of nodes of hidden layer {@code i} and {@code a_i} the number of
 * its active nodes. The empty product is 1 and intermediate layers count <b>all</b> their nodes:
 * every inactive node of layer {@code i} contributes, for every active node of a later layer
 * {@code j}, the number of paths that lead to it through layers {@code i+1 .. j-1}.
 *
 * <p>{@code E} is a product of widths and overflows {@code double} quickly, so it is computed as a
 * {@link BigInteger} with the suffix recurrence
 *
 * <pre>
 *   S_N = 0,   S_i = a_{i+1} + n_{i+1} * S_{i+1},   E = sum_{i=1}^{N-1} (n_i - a_i) * S_i
 * </pre>
 *
 * which takes {@code O(N)} big-integer operations (1,000 layers of width 4,096 take milliseconds).
 *
 * <p>Known property: {@code dE/da_m} = (upstream inactive mass) - (downstream active mass), so
 * fewer active units early and more active units late raise {@code E}.
 *
 * <p>Example:
 * <pre>{@code
 * BigInteger e = EmergenceMeasure.emergence(new long[]{4, 3, 2}, new long[]{1, 2, 2}); // 26
 * double log10 = EmergenceMeasure.log10(e);                                        // 1.41...
 * }</pre>
 */
public final class EmergenceMeasure {

    private static final double LOG10_2 = Math.log10(2.0);

    /** Precision of {@link #relative(BigInteger, long)}: 16 significant decimal digits. */
    public static final MathContext RELATIVE_PRECISION = MathContext.DECIMAL64;

    private EmergenceMeasure() {
    }

    /**
     * Computes the emergence {@code E} exactly.
     *
     * @param widths number of nodes {@code n_i} of each measured hidden layer, input side first;
     *               each at least 1
     * @param active number of active nodes {@code a_i} of each layer, {@code 0 <= a_i <= n_i}
     * @return {@code E >= 0}; 0 for fewer than two layers
     * @throws IllegalArgumentException if the arrays are null, differ in length or hold values
     *                                  out of range
     */
    public static BigInteger emergence(long[] widths, long[] active) {
        validate(widths, active);
        int n = widths.length;
        BigInteger suffix = BigInteger.ZERO;
        BigInteger e = BigInteger.ZERO;
        for (int i = n - 2; i >= 0; i--) {
            suffix = BigInteger.valueOf(widths[i + 1]).multiply(suffix).add(BigInteger.valueOf(active[i + 1]));
            long inactive = widths[i] - active[i];
            if (inactive != 0) {
                e = e.add(suffix.multiply(BigInteger.valueOf(inactive)));
            }
        }
        return e;
    }

    /**
     * Computes the emergence {@code E} exactly; {@code int} variant of
     * {@link #emergence(long[], long[])}.
     *
     * @param widths number of nodes of each layer
     * @param active number of active nodes of each layer
     * @return {@code E >= 0}
     */
    public static BigInteger emergence(int[] widths, int[] active) {
        if (widths == null || active == null) {
            throw new IllegalArgumentException("widths and active must not be null");
        }
        return emergence(toLong(widths), toLong(active));
    }

    /**
     * Base-10 logarithm of a non-negative big integer, accurate to about 15 digits for any size
     * (the value is scaled by a power of two before conversion to {@code double}).
     *
     * @param e a value {@code >= 0}, typically an emergence
     * @return {@code log10(e)}; {@link Double#NEGATIVE_INFINITY} when {@code e = 0}
     * @throws IllegalArgumentException if {@code e} is null or negative
     */
    public static double log10(BigInteger e) {
        if (e == null || e.signum() < 0) {
            throw new IllegalArgumentException("log10 needs a non-negative value, got " + e);
        }
        if (e.signum() == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        int shift = Math.max(0, e.bitLength() - 62);
        return Math.log10(e.shiftRight(shift).doubleValue()) + shift * LOG10_2;
    }

    /**
     * Relative emergence {@code E~ = E / P}, where {@code P} is the number of non-zero parameters
     * (weights and biases) of the network, so that pruning raises {@code E~} as reported by
     * AlShinaifi et al. 2024.
     *
     * @param e          the emergence, {@code >= 0}
     * @param parameters the number of non-zero parameters {@code P >= 1}
     * @return {@code E / P} rounded to {@link #RELATIVE_PRECISION} (never overflows)
     * @throws IllegalArgumentException if {@code e < 0} or {@code parameters < 1}
     */
    public static BigDecimal relative(BigInteger e, long parameters) {
        if (e == null || e.signum() < 0) {
            throw new IllegalArgumentException("relative emergence needs E >= 0, got " + e);
        }
        checkParameters(parameters);
        return new BigDecimal(e).divide(BigDecimal.valueOf(parameters), RELATIVE_PRECISION);
    }

    /**
     * {@code log10(E / P)}, computed as {@code log10(E) - log10(P)}.
     *
     * @param e          the emergence, {@code >= 0}
     * @param parameters the number of non-zero parameters {@code P >= 1}
     * @return {@code log10(E / P)}; {@link Double#NEGATIVE_INFINITY} when {@code E = 0}
     */
    public static double log10Relative(BigInteger e, long parameters) {
        checkParameters(parameters);
        return log10(e) - Math.log10(parameters);
    }

    /**
     * The scale-robust activity rule ({@link ActivityRule#RELATIVE}): node {@code k} is active when
     * {@code meanActivation[k] > fraction * m}, where {@code m} is the layer's mean activation, the
     * average of {@code meanActivation} over the layer's nodes. Multiplying every entry by a positive
     * constant leaves the result unchanged. A layer whose nodes are all 0 has no active node, nor has
     * a layer with a NaN mean (a diverged network).
     *
     * @param meanActivation per node, its activation averaged over the evaluation batch (and positions);
     *                       at least one node
     * @param fraction       the fraction of the layer mean a node must exceed, finite and {@code > 0}
     *                       (default {@value ActivityProbe#DEFAULT_RELATIVE_FRACTION})
     * @return per node, whether it is active
     * @throws IllegalArgumentException for an empty array or a bad fraction
     */
    public static boolean[] relativeActive(double[] meanActivation, double fraction) {
        checkFraction(fraction);
        if (meanActivation == null || meanActivation.length == 0) {
            throw new IllegalArgumentException("the relative rule needs the mean activation of at least one node");
        }
        double sum = 0;
        for (double m : meanActivation) {
            sum += m;
        }
        double level = fraction * (sum / meanActivation.length);
        boolean[] active = new boolean[meanActivation.length];
        for (int k = 0; k < active.length; k++) {
            active[k] = meanActivation[k] > level;
        }
        return active;
    }

    /**
     * The number of nodes active under {@link #relativeActive(double[], double)}.
     *
     * @param meanActivation per node, its mean activation
     * @param fraction       the fraction of the layer mean
     * @return the active count {@code a_i}
     */
    public static int relativeActiveCount(double[] meanActivation, double fraction) {
        int count = 0;
        for (boolean a : relativeActive(meanActivation, fraction)) {
            if (a) {
                count++;
            }
        }
        return count;
    }

    static void checkFraction(double fraction) {
        if (!Double.isFinite(fraction) || fraction <= 0) {
            throw new IllegalArgumentException("the relative rule's fraction of the layer mean must be finite and > 0,"
                    + " got " + fraction + "; the default is " + ActivityProbe.DEFAULT_RELATIVE_FRACTION);
        }
    }

    private static void checkParameters(long parameters) {
        if (parameters < 1) {
            throw new IllegalArgumentException("relative emergence needs at least one non-zero parameter, got "
                    + parameters + "; a network whose parameters are all zero has no defined E / P");
        }
    }

    private static void validate(long[] widths, long[] active) {
        if (widths == null || active == null) {
            throw new IllegalArgumentException("widths and active must not be null");
        }
        if (widths.length != active.length) {
            throw new IllegalArgumentException("widths and active must have one entry per layer, got "
                    + widths.length + " widths and " + active.length + " active counts");
        }
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] < 1) {
                throw new IllegalArgumentException("layer " + i + " has width " + widths[i]
                        + "; every measured layer needs at least one node");
            }
            if (active[i] < 0 || active[i] > widths[i]) {
                throw new IllegalArgumentException("layer " + i + " has " + active[i] + " active nodes out of "
                        + widths[i] + "; the active count must lie in [0, width]");
            }
        }
    }

    private static long[] toLong(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
