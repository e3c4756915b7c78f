package org.emergenceinit.prune;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.measure.ActivityProbe;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagnitudePrunerTest {

    private static final List<String> WEIGHTS = List.of("0_W", "2_W", "3_W");

    /** 6 -> 20 -> BN -> 10 -> 3: weight keys 0_W (120), 2_W (200), 3_W (30). */
    private static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static long zeros(INDArray a) {
        return a.eq(0.0).castTo(DataType.INT).sumNumber().longValue();
    }

    private static double[] abs(INDArray a) {
        double[] v = a.dup('c').reshape('c', new long[]{a.length()}).toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return v;
    }

    @Test
    void globalPruningZeroesExactlyTheSmallestWeights() {
        MultiLayerNetwork net = net();
        Map<String, INDArray> before = net.paramTable(true);
        before.replaceAll((k, v) -> v.dup());
        long nonZeroBefore = ActivityProbe.nonZeroParameters(net);

        MagnitudePruner.Report report = MagnitudePruner.builder().fraction(0.3).build().prune(net);

        assertEquals(350, report.totalWeights());
        assertEquals(105, report.totalPruned());
        long zeroWeights = WEIGHTS.stream().mapToLong(k -> zeros(net.getParam(k))).sum();
        assertEquals(105, zeroWeights);
        double maxPruned = 0;
        double minKept = Double.POSITIVE_INFINITY;
        for (String key : WEIGHTS) {
            double[] original = abs(before.get(key));
            double[] now = abs(net.getParam(key));
            for (int i = 0; i < original.length; i++) {
                if (now[i] == 0) {
                    maxPruned = Math.max(maxPruned, original[i]);
                } else {
                    assertEquals(original[i], now[i], 0.0);
                    minKept = Math.min(minKept, original[i]);
                }
            }
        }
        assertTrue(maxPruned <= minKept, maxPruned + " > " + minKept);
        for (String key : List.of("0_b", "1_gamma", "1_beta", "1_mean", "1_var", "2_b", "3_b")) {
            assertEquals(before.get(key), net.getParam(key), key + " is not a weight and stays untouched");
        }
        assertEquals(nonZeroBefore - 105, ActivityProbe.nonZeroParameters(net));
        assertEquals(List.of("0_W", "2_W", "3_W"), report.mask().keys());
        assertTrue(report.toString().contains("total"), report.toString());
    }

    @Test
    void tiesArePrunedToTheExactCount() {
        MultiLayerNetwork net = net();
        net.getParam("0_W").assign(0.25);
        MagnitudePruner.Report report = MagnitudePruner.builder().fraction(0.5).scope(MagnitudePruner.Scope.PER_LAYER)
                .layers("layer0").build().prune(net);
        assertEquals(60, zeros(net.getParam("0_W")));
        assertEquals(1, report.layers().size());
        assertEquals(0.5, report.layers().get(0).remainingFraction());
        assertEquals(0, zeros(net.getParam("2_W")), "layers not selected are untouched");
    }

    @Test
    void perLayerPrunesTheFractionInEachLayerWhileGlobalDoesNot() {
        MultiLayerNetwork perLayerNet = net();
        perLayerNet.getParam("0_W").muli(100);
        MultiLayerNetwork globalNet = perLayerNet.clone();

        MagnitudePruner.Report perLayer = MagnitudePruner.builder().fraction(0.5)
                .scope(MagnitudePruner.Scope.PER_LAYER).build().prune(perLayerNet);
        MagnitudePruner.Report global = MagnitudePruner.builder().fraction(0.5).build().prune(globalNet);

        assertEquals(List.of(60L, 100L, 15L), perLayer.layers().stream().map(MagnitudePruner.LayerReport::pruned).toList());
        assertEquals(60, zeros(perLayerNet.getParam("0_W")));
        assertEquals(15, zeros(perLayerNet.getParam("3_W")));
        assertEquals(0, global.layers().get(0).pruned(), "layer 0's weights are 100x larger");
        assertEquals(175, global.totalPruned());
    }

    @Test
    void maskKeepsPrunedWeightsZeroDuringTraining() {
        MultiLayerNetwork net = net();
        MagnitudePruner.Report report = MagnitudePruner.builder().fraction(0.7).build().prune(net);
        Map<String, INDArray> pruned = net.paramTable(true);
        pruned.replaceAll((k, v) -> v.dup());
        net.addListeners(report.mask());

        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(24, 6);
        INDArray y = Nd4j.zeros(24, 3);
        for (int i = 0; i < 24; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        net.fit(new ListDataSetIterator<>(new DataSet(x, y).asList(), 8), 1);

        long changedKept = 0;
        for (String key : WEIGHTS) {
            double[] was = abs(pruned.get(key));
            double[] now = abs(net.getParam(key));
            for (int i = 0; i < was.length; i++) {
                if (was[i] == 0) {
                    assertEquals(0.0, now[i], key + "[" + i + "] was pruned and must stay zero");
                } else if (was[i] != now[i]) {
                    changedKept++;
                }
            }
        }
        assertTrue(changedKept > 50, "kept weights train: " + changedKept + " changed");
        assertEquals(245, WEIGHTS.stream().mapToLong(k -> zeros(net.getParam(k))).sum());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> MagnitudePruner.builder().fraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> MagnitudePruner.builder().fraction(-0.1));
        assertThrows(IllegalArgumentException.class, () -> MagnitudePruner.builder().fraction(Double.NaN));
        assertThrows(IllegalStateException.class, () -> MagnitudePruner.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MagnitudePruner.builder().fraction(0.5).layers("layer1").build().prune(net()));
        assertTrue(e.getMessage().contains("[layer0, layer2, layer3]"), e.getMessage());
        MultiLayerNetwork net = net();
        INDArray before = net.params().dup();
        assertEquals(0, MagnitudePruner.builder().fraction(0).build().prune(net).totalPruned());
        assertEquals(before, net.params());
    }
}
