package org.emergenceinit.measure;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale-robust activity rule (ActivityRule.RELATIVE): exact values, and invariance to per-layer weight scale. */
class InitReportRelativeRuleTest {

    private static MultiLayerNetwork network(long seed, InputType input, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.RELU).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerConfiguration conf = list.setInputType(input).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DenseLayer relu(int nOut) {
        return new DenseLayer.Builder().nOut(nOut).activation(Activation.RELU).build();
    }

    private static OutputLayer output(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut).activation(Activation.SOFTMAX)
                .build();
    }

    private static ActivityProbe relative() {
        return ActivityProbe.builder().rule(ActivityRule.RELATIVE).build();
    }

    /** Per measured layer, which nodes the relative rule calls active. */
    private static List<boolean[]> pattern(EmergenceProfile p) {
        List<boolean[]> out = new ArrayList<>();
        for (LayerActivity a : p.layers()) {
            out.add(EmergenceMeasure.relativeActive(a.meanActivation(), p.threshold()));
        }
        return out;
    }

    private static void assertSamePattern(EmergenceProfile expected, EmergenceProfile actual) {
        List<boolean[]> e = pattern(expected);
        List<boolean[]> a = pattern(actual);
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), "layer " + i + ": the active nodes moved");
        }
        assertArrayEquals(expected.activeCounts(), actual.activeCounts());
        assertEquals(expected.emergence(), actual.emergence());
    }

    @Test
    void handBuiltNetworkGivesTheExactCountsAndEmergence() {
        // 2 inputs -> 4 ReLU -> 3 ReLU -> 2 ReLU -> 1 output, zero biases, weights by hand; two samples (1,0), (0,1).
        MultiLayerNetwork net = network(1, InputType.feedForward(2), relu(4), relu(3), relu(2),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build());
        // layer 0: units (4 x0, 0.2 x1, 0.5 x0 + 0.5 x1, -x0): per sample (4, 0, .5, 0) and (0, .2, .5, 0)
        net.getLayer(0).setParam("W", Nd4j.create(new double[][] {{4, 0, 0.5, -1}, {0, 0.2, 0.5, 0}}).castTo(DataType.FLOAT));
        // layer 1: (h0, 0.3 h1, h2): per sample (4, 0, .5) and (0, .06, .5)
        net.getLayer(1).setParam("W", Nd4j.create(new double[][] {{1, 0, 0}, {0, 0.3, 0}, {0, 0, 1}, {0, 0, 0}})
                .castTo(DataType.FLOAT));
        // layer 2: (A + C, 0.01 B): per sample (4.5, 0) and (0.5, 0.0006)
        net.getLayer(2).setParam("W", Nd4j.create(new double[][] {{1, 0}, {0, 0.01}, {1, 0}}).castTo(DataType.FLOAT));
        INDArray x = Nd4j.create(new double[][] {{1, 0}, {0, 1}}).castTo(DataType.FLOAT);

        EmergenceProfile rel = relative().measure(net, x);
        // means: (2, .1, .5, 0), layer mean .65, level .325 -> units 0 and 2
        //        (2, .03, .5), layer mean .8433, level .4217 -> A and C
        //        (2.5, .0003), layer mean 1.25015, level .6251 -> D
        assertArrayEquals(new long[] {4, 3, 2}, rel.widths());
        assertArrayEquals(new long[] {2, 2, 1}, rel.activeCounts());
        // E = (4-2)*2 + (4-2)*1*3 + (3-2)*1 = 11
        assertEquals(BigInteger.valueOf(11), rel.emergence());
        assertEquals(ActivityRule.RELATIVE, rel.rule());
        assertEquals(0.5, rel.threshold(), "the profile records the fraction as the rule's parameter");
        assertArrayEquals(new boolean[] {true, false, true, false},
                EmergenceMeasure.relativeActive(rel.layers().get(0).meanActivation(), 0.5));
        // per sample: (4, 0, .5, 0) mean 1.125, level .5625 -> unit 0; (0, .2, .5, 0) mean .175, level .0875 -> 1, 2
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.0}, rel.layers().get(0).fractionAboveThreshold(), 1e-12);
        assertTrue(rel.toString().contains("active above 0.5 x the layer's mean activation"), rel.toString());

        // the papers' rule on the same network: (3, 2, 1) active, E = 1*2 + 1*1*3 + 1*1 = 6
        EmergenceProfile abs = ActivityProbe.defaults().measure(net, x);
        assertArrayEquals(new long[] {3, 2, 1}, abs.activeCounts());
        assertEquals(BigInteger.valueOf(6), abs.emergence());

        // another fraction: 0.1 of the layer mean -> (3, 2, 1): E = 6 as well; 1.0 -> (1, 1, 1): E = 3*1 + 3*1*3 + 2*1
        assertArrayEquals(new long[] {3, 2, 1},
                ActivityProbe.builder().rule(ActivityRule.RELATIVE).relativeFraction(0.1).build().measure(net, x)
                        .activeCounts());
        EmergenceProfile strict = ActivityProbe.builder().rule(ActivityRule.RELATIVE).relativeFraction(1.0).build()
                .measure(net, x);
        assertArrayEquals(new long[] {1, 1, 1}, strict.activeCounts());
        assertEquals(BigInteger.valueOf(14), strict.emergence());
    }

    @Test
    void relativeActiveHandlesEdgeCases() {
        assertArrayEquals(new boolean[] {false, false}, EmergenceMeasure.relativeActive(new double[] {0, 0}, 0.5),
                "a silent layer has no active node");
        assertArrayEquals(new boolean[] {false, false},
                EmergenceMeasure.relativeActive(new double[] {Double.NaN, 1}, 0.5), "a NaN layer has none");
        assertArrayEquals(new boolean[] {true}, EmergenceMeasure.relativeActive(new double[] {3}, 0.5));
        assertEquals(2, EmergenceMeasure.relativeActiveCount(new double[] {1, 1, 0.1}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.relativeActive(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.relativeActive(new double[] {1}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> EmergenceMeasure.relativeActive(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.builder().relativeFraction(-1));
    }

    @Test
    void scalingEachLayersWeightsLeavesTheRelativePatternOfAReluMlpUnchanged() {
        MultiLayerNetwork net = network(3, InputType.feedForward(30), relu(64), relu(48), relu(48), relu(32),
                output(5));
        INDArray x = Nd4j.rand(DataType.FLOAT, 300, 30);
        EmergenceProfile relBefore = relative().measure(net, x);
        EmergenceProfile absBefore = ActivityProbe.defaults().measure(net, x);
        assertTrue(relBefore.activeCounts()[0] > 0 && relBefore.activeCounts()[0] < 64, "a non-trivial pattern");

        double[] scales = {0.05, 7.3, 0.31, 12.0, 0.9};
        for (int i = 0; i < scales.length; i++) {
            net.getLayer(i).getParam("W").muli(scales[i]);
        }
        EmergenceProfile relAfter = relative().measure(net, x);
        assertSamePattern(relBefore, relAfter);
        // inference and batch-statistics passes agree without BatchNorm or dropout
        assertSamePattern(relBefore, ActivityProbe.builder().rule(ActivityRule.RELATIVE).batchStatistics(true).build()
                .measure(net, x));
        // the papers' absolute rule is not invariant: the same scaling moves its counts
        assertNotEquals(java.util.Arrays.toString(absBefore.activeCounts()),
                java.util.Arrays.toString(ActivityProbe.defaults().measure(net, x).activeCounts()));
    }

    @Test
    void scalingEachLayersWeightsLeavesTheRelativePatternOfAReluCnnUnchanged() {
        MultiLayerNetwork net = network(5, InputType.convolutional(12, 12, 2),
                new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build(),
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                new ConvolutionLayer.Builder(3, 3).nOut(12).activation(Activation.RELU).build(),
                relu(24), output(3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 2, 12, 12).subi(0.3);
        EmergenceProfile before = relative().measure(net, x);
        assertEquals(16, before.widths()[0], "channels are the nodes");
        double[] scales = {9.0, 0.02, 3.3, 0.7};
        int[] weightLayers = {0, 2, 3, 4};
        for (int i = 0; i < scales.length; i++) {
            net.getLayer(weightLayers[i]).getParam("W").muli(scales[i]);
        }
        assertSamePattern(before, relative().measure(net, x));
    }
}
