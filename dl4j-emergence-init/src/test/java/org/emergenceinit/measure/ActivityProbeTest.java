package org.emergenceinit.measure;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivityProbeTest {

    private static MultiLayerNetwork network(InputType inputType, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).list();
        for (Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerConfiguration conf = list.setInputType(inputType).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static OutputLayer output(int nOut) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut).activation(Activation.SOFTMAX).build();
    }

    private static DenseLayer relu(int nOut) {
        return new DenseLayer.Builder().nOut(nOut).activation(Activation.RELU).build();
    }

    private static void set(MultiLayerNetwork net, String key, double[][] values) {
        net.getParam(key).assign(Nd4j.create(values));
    }

    private static void set(MultiLayerNetwork net, String key, double... values) {
        net.getParam(key).assign(Nd4j.create(values, net.getParam(key).shape()));
    }

    /** 3 -> 4 (ReLU) -> 3 (ReLU) -> 2: weights chosen so that a = (1, 2), E = (4 - 1) * 2 = 6. */
    private static MultiLayerNetwork handBuiltDense() {
        MultiLayerNetwork net = network(InputType.feedForward(3), relu(4), relu(3), output(2));
        set(net, "0_W", new double[][]{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}});
        set(net, "0_b", 0, 0, -10, 0.01);
        set(net, "1_W", new double[4 * 3]);
        set(net, "1_b", 1, 1, -1);
        set(net, "2_W", 1e-7, 1e-7, 1e-7, 1e-7, 1e-7, 1e-7);
        set(net, "2_b", 0, 0);
        return net;
    }

    private static INDArray rows(int n, double... row) {
        return Nd4j.create(row, 1, row.length).repeat(0, n);
    }

    @Test
    void handBuiltDenseNetworkHasKnownActiveCounts() {
        MultiLayerNetwork net = handBuiltDense();
        EmergenceProfile profile = ActivityProbe.defaults().measure(net, rows(5, 1, 0.02, 0.5));

        assertArrayEquals(new long[]{4, 3}, profile.widths());
        assertArrayEquals(new long[]{1, 2}, profile.activeCounts());
        assertEquals(BigInteger.valueOf(6), profile.emergence());
        assertArrayEquals(new double[]{1, 0.02, 0, 0.01}, profile.layers().get(0).meanActivation(), 1e-6);
        assertArrayEquals(new double[]{1, 1, 0}, profile.layers().get(1).meanActivation(), 1e-6);
        assertEquals(5, profile.samples());
        // non-zero: 3 + 2 (layer 0), 0 + 3 (layer 1), 6 tiny weights + 0 (output): exact, no tolerance
        assertEquals(14, profile.parameters());
        assertEquals(Math.log10(6.0 / 14), profile.log10RelativeEmergence(), 1e-12);
        assertEquals(List.of("layer0", "layer1"), profile.layers().stream().map(LayerActivity::name).toList());
        assertTrue(profile.toString().contains("layer0"), profile.toString());
        assertTrue(profile.toString().contains("E = 6"), profile.toString());
    }

    @Test
    void meanAndMajorityRulesDiffer() {
        MultiLayerNetwork net = network(InputType.feedForward(2), relu(3), relu(2), output(2));
        set(net, "0_W", new double[][]{{1, 0, 0}, {0, 1, 0}});
        set(net, "0_b", 0, 0, 0.06);
        INDArray x = Nd4j.create(new double[][]{{1, 1}, {0, 1}, {0, 0}, {0, 0}});

        LayerActivity mean = ActivityProbe.builder().rule(ActivityRule.MEAN).build().measure(net, x).layers().get(0);
        LayerActivity majority = ActivityProbe.builder().rule(ActivityRule.MAJORITY).build().measure(net, x).layers().get(0);

        assertArrayEquals(new double[]{0.25, 0.5, 1.0}, mean.fractionAboveThreshold(), 1e-12);
        assertEquals(3, mean.active());
        assertEquals(2, majority.active(), "node 0 is above the threshold on 1 of 4 samples only");
    }

    @Test
    void convolutionNodesAreChannelsAveragedOverPositions() {
        MultiLayerNetwork net = network(InputType.convolutional(2, 2, 1),
                new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.RELU).build(), relu(2), output(2));
        set(net, "0_W", 1, -1, 0.5);
        set(net, "0_b", 0, 0, 0);
        set(net, "1_W", new double[12 * 2]);
        set(net, "1_b", 1, 0);
        INDArray x = Nd4j.create(new double[]{0.02, 0.02, 0.02, 0.3}, 1, 1, 2, 2).repeat(0, 3);

        EmergenceProfile profile = ActivityProbe.defaults().measure(net, x);

        assertArrayEquals(new long[]{3, 2}, profile.widths());
        assertArrayEquals(new double[]{0.09, 0, 0.045}, profile.layers().get(0).meanActivation(), 1e-6);
        assertArrayEquals(new long[]{1, 1}, profile.activeCounts());
        assertEquals(BigInteger.valueOf(2), profile.emergence());
        assertEquals("ConvolutionLayer", profile.layers().get(0).type());
    }

    /** Dense (identity) -> BatchNorm -> ReLU -> Dense -> Output; BN beta moves the sign. */
    private static Layer[] foldedArchitecture() {
        return new Layer[]{
                new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().build(),
                new ActivationLayer.Builder().activation(Activation.RELU).build(),
                relu(2),
                output(2)};
    }

    private static MultiLayerNetwork foldedNetwork() {
        MultiLayerNetwork net = network(InputType.feedForward(2), foldedArchitecture());
        set(net, "0_W", new double[][]{{1, 0}, {0, 1}});
        set(net, "0_b", 0, 0);
        set(net, "1_beta", -1, 0.5);
        return net;
    }

    @Test
    void batchNormAndActivationFoldIntoTheWeightLayer() {
        MultiLayerNetwork net = foldedNetwork();
        EmergenceProfile profile = ActivityProbe.defaults().measure(net, rows(4, 0.1, -0.1));

        LayerActivity first = profile.layers().get(0);
        assertEquals("layer0", first.name());
        assertEquals("layer2", first.measuredAt());
        assertArrayEquals(new double[]{0, 0.4}, first.meanActivation(), 1e-4);
        assertEquals(1, first.active());
        assertEquals(List.of("layer0", "layer3"), ActivityProbe.defaults().measuredLayers(net));
    }

    @Test
    void outputLayerIsExcluded() {
        MultiLayerNetwork net = handBuiltDense();
        assertEquals(List.of("layer0", "layer1"), ActivityProbe.defaults().measuredLayers(net));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivityProbe.builder().layers("layer2").build().measure(net, rows(2, 1, 1, 1)));
        assertTrue(e.getMessage().contains("layer2") && e.getMessage().contains("layer0 (index 0)"), e.getMessage());

        MultiLayerNetwork lossHead = network(InputType.feedForward(3), relu(4),
                new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(),
                new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build());
        assertEquals(List.of("layer0"), ActivityProbe.defaults().measuredLayers(lossHead));
    }

    @Test
    void computationGraphGivesTheSameProfileAsMultiLayerNetwork() {
        MultiLayerNetwork net = foldedNetwork();
        Layer[] layers = foldedArchitecture();
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(2));
        String previous = "in";
        for (int i = 0; i < layers.length; i++) {
            builder.addLayer("layer" + i, layers[i], previous);
            previous = "layer" + i;
        }
        ComputationGraph graph = new ComputationGraph(builder.setOutputs(previous).build());
        graph.init();
        graph.setParams(net.params());
        INDArray x = Nd4j.create(new double[][]{{0.1, -0.1}, {2, 0.3}, {-1, 1}});

        EmergenceProfile fromNet = ActivityProbe.defaults().measure(net, x);
        EmergenceProfile fromGraph = ActivityProbe.defaults().measure(graph, x);

        assertEquals(List.of("layer0", "layer3"), ActivityProbe.defaults().measuredLayers(graph));
        assertEquals("layer2", fromGraph.layers().get(0).measuredAt());
        assertArrayEquals(fromNet.widths(), fromGraph.widths());
        assertArrayEquals(fromNet.activeCounts(), fromGraph.activeCounts());
        for (int i = 0; i < fromNet.layers().size(); i++) {
            assertArrayEquals(fromNet.layers().get(i).meanActivation(), fromGraph.layers().get(i).meanActivation(), 1e-12);
        }
        assertEquals(fromNet.emergence(), fromGraph.emergence());
        assertEquals(fromNet.parameters(), fromGraph.parameters());
    }

    @Test
    void layerSubsetByNameAndIndex() {
        MultiLayerNetwork net = network(InputType.feedForward(3), relu(4), relu(3), relu(5), output(2));
        assertEquals(List.of("layer1"), ActivityProbe.builder().layers("layer1").build().measuredLayers(net));
        EmergenceProfile profile = ActivityProbe.builder().layerIndices(2, 0).build().measure(net, rows(3, 1, 2, 3));
        assertArrayEquals(new long[]{4, 5}, profile.widths());
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.builder().layers("nope").build().measuredLayers(net));
    }

    @Test
    void iteratorIsCappedAtMaxSamples() {
        MultiLayerNetwork net = network(InputType.feedForward(3), relu(6), relu(5), output(2));
        INDArray features = Nd4j.rand(new long[]{10, 3}).subi(0.5);
        DataSet all = new DataSet(features, Nd4j.zeros(10, 2));
        ListDataSetIterator<DataSet> iterator = new ListDataSetIterator<>(all.asList(), 4);

        EmergenceProfile capped = ActivityProbe.builder().maxSamples(7).build().measure(net, iterator);
        EmergenceProfile direct = ActivityProbe.defaults().measure(net, features.get(NDArrayIndex.interval(0, 7), NDArrayIndex.all()));

        assertEquals(7, capped.samples());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(direct.layers().get(i).meanActivation(), capped.layers().get(i).meanActivation(), 1e-6);
        }
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.builder().threshold(-0.1));
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.builder().threshold(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.builder().maxSamples(0));
        assertEquals(0.0, ActivityProbe.builder().threshold(0).build().threshold());
        MultiLayerNetwork net = handBuiltDense();
        assertThrows(IllegalArgumentException.class, () -> ActivityProbe.defaults().measure(net, Nd4j.zeros(0, 3)));
    }
}
