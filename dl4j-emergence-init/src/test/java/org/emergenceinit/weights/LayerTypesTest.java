package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerTypesTest {

    private static MultiLayerConfiguration lstmNet(long seed, boolean bidirectional) {
        LSTM lstm = new LSTM.Builder().nOut(200).activation(Activation.TANH).build();
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nOut(150).activation(Activation.RELU).build())
                .layer(bidirectional ? new Bidirectional(Bidirectional.Mode.ADD, lstm) : lstm)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(100, RNNFormat.NCW)).build();
    }

    @Test
    void lstmInputAndRecurrentWeightsShareOneExponent() {
        MultiLayerConfiguration stockConf = lstmNet(6, false);
        MultiLayerConfiguration conf = lstmNet(6, false);
        RampPlan plan = EmergenceRamp.xavier(1.5).apply(conf);
        assertEquals(3, plan.layerCount());
        assertEquals(200.0, plan.entries().get(1).fanIn());
        assertEquals(150.0 + 200.0, plan.entries().get(1).fanOut());
        MultiLayerNetwork stock = Nets.init(stockConf);
        MultiLayerNetwork net = Nets.init(conf);
        for (String key : List.of("W", "RW")) {
            INDArray w = net.getLayer(1).getParam(key);
            double ratio = Nets.std(w) / Nets.std(stock.getLayer(1).getParam(key));
            assertEquals(1.0, ratio, 1e-5, key + " of the middle layer (exponent 0)");
        }
        assertArrayEquals(Nets.floats(stock.getLayer(1).getParam("b")), Nets.floats(net.getLayer(1).getParam("b")),
                "LSTM biases (forget gate 1.0) untouched");
        double first = Nets.std(net.getLayer(0).getParam("W")) / Nets.std(stock.getLayer(0).getParam("W"));
        assertEquals(1 / 1.5, first, 1e-5);
    }

    @Test
    void lstmRecurrentWeightsScaledOffTheMiddle() {
        MultiLayerConfiguration stockConf = lstmNet(2, false);
        MultiLayerConfiguration conf = lstmNet(2, false);
        EmergenceRamp.xavier(1.5).withFilter(LayerFilter.lastN(2)).apply(conf);
        MultiLayerNetwork stock = Nets.init(stockConf);
        MultiLayerNetwork net = Nets.init(conf);
        for (String key : List.of("W", "RW")) {
            double ratio = Nets.std(net.getLayer(1).getParam(key)) / Nets.std(stock.getLayer(1).getParam(key));
            assertEquals(Math.pow(1.5, -0.5), ratio, 1e-5, key);
        }
        assertArrayEquals(Nets.floats(stock.getLayer(0).getParam("W")), Nets.floats(net.getLayer(0).getParam("W")),
                "layer left out by the filter keeps the stock draw");
    }

    @Test
    void lstmWithItsOwnRecurrentInitGetsBothBound() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nIn(5).nOut(6).weightInitRecurrent(WeightInit.RELU).build())
                .layer(new RnnOutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        EmergenceRamp.inheritBase(1.2).apply(conf);
        LSTM lstm = (LSTM) conf.getConf(0).getLayer();
        assertEquals(EmergenceWeightInit.xavier(1.2).bind(0, 2), lstm.getWeightInitFn());
        assertEquals(EmergenceWeightInit.kaiming(1.2).bind(0, 2), lstm.getWeightInitFnRecurrent());
    }

    @Test
    void bidirectionalWrapperBindsBothDirectionsToOnePosition() {
        MultiLayerConfiguration conf = lstmNet(1, true);
        RampPlan plan = EmergenceRamp.kaiming(1.1).apply(conf);
        assertEquals("Bidirectional(LSTM)", plan.entries().get(1).type());
        Bidirectional bi = (Bidirectional) conf.getConf(1).getLayer();
        assertEquals(EmergenceWeightInit.kaiming(1.1).bind(1, 3), ((BaseLayer) bi.getFwd()).getWeightInitFn());
        assertEquals(EmergenceWeightInit.kaiming(1.1).bind(1, 3), ((BaseLayer) bi.getBwd()).getWeightInitFn());
        Nets.init(conf);
    }

    @Test
    void lastTimeStepWrapperIsRamped() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new LSTM.Builder().nIn(5).nOut(6).build()))
                .layer(new OutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        RampPlan plan = EmergenceRamp.xavier(1.2).apply(conf);
        assertEquals("LastTimeStep(LSTM)", plan.entries().get(0).type());
        Nets.init(conf);
    }

    @Test
    void embeddingAndBatchNormAreUntouched() {
        MultiLayerConfiguration stockConf = embeddingNet(3);
        MultiLayerConfiguration conf = embeddingNet(3);
        RampPlan plan = EmergenceRamp.xavier(1.3).apply(conf);
        assertEquals(2, plan.layerCount());
        assertEquals("EmbeddingLayer", plan.skipped().get(0).type());
        assertTrue(plan.skipped().get(0).reason().contains("embeddings are not scaled"));
        MultiLayerNetwork stock = Nets.init(stockConf);
        MultiLayerNetwork net = Nets.init(conf);
        assertArrayEquals(Nets.floats(stock.getLayer(0).getParam("W")), Nets.floats(net.getLayer(0).getParam("W")));
        assertArrayEquals(Nets.floats(stock.getLayer(2).params()), Nets.floats(net.getLayer(2).params()),
                "BatchNorm gamma, beta, mean, var");
        double ratio = Nets.std(net.getLayer(1).getParam("W")) / Nets.std(stock.getLayer(1).getParam("W"));
        assertEquals(Math.pow(1.3, -0.5), ratio, 1e-5);
    }

    private static MultiLayerConfiguration embeddingNet(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER).list()
                .layer(new EmbeddingLayer.Builder().nIn(50).nOut(16).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(32).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(32).build())
                .layer(new OutputLayer.Builder().nIn(32).nOut(4).build())
                .build();
    }

    private static MultiLayerConfiguration attentionNet(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new SelfAttentionLayer.Builder().nOut(16).nHeads(2).projectInput(true).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(8, RNNFormat.NCW)).build();
    }

    @Test
    void sameDiffAttentionOnAConfigurationIsAClearError() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> EmergenceRamp.xavier(1.2).apply(attentionNet(1)));
        assertTrue(ex.getMessage().contains("SelfAttentionLayer"), ex.getMessage());
        assertTrue(ex.getMessage().contains("ignores IWeightInit"), ex.getMessage());
        assertTrue(ex.getMessage().contains(".apply(net)"), ex.getMessage());
        RampPlan withoutIt = EmergenceRamp.xavier(1.2)
                .withFilter(c -> !(c.layer() instanceof SelfAttentionLayer)).apply(attentionNet(1));
        assertEquals(3, withoutIt.layerCount());
        assertEquals("not selected by the layer filter", withoutIt.skipped().get(0).reason());
    }

    @Test
    void initialisedNetworkIsRescaledInPlaceIncludingAttention() {
        MultiLayerNetwork stock = Nets.init(attentionNet(4));
        MultiLayerNetwork net = Nets.init(attentionNet(4));
        RampPlan plan = EmergenceRamp.inheritBase(1.4).apply(net);
        assertEquals(RampPlan.Target.NETWORK, plan.target());
        assertEquals(4, plan.layerCount());
        assertNull(plan.entries().get(2).base());
        assertEquals("as initialised", plan.entries().get(2).baseLabel());
        assertEquals(BaseScheme.XAVIER, plan.entries().get(0).base());
        assertEquals(Math.pow(1.4, 0.5), plan.entries().get(2).scale(), 1e-12);
        for (int layer = 0; layer < 4; layer++) {
            double scale = plan.entries().get(layer).scale();
            for (String key : net.getLayer(layer).paramTable().keySet()) {
                INDArray expected = stock.getLayer(layer).getParam(key).dup();
                boolean weight = !key.startsWith("b");
                if (weight) {
                    expected.muli(scale);
                }
                assertArrayEquals(Nets.floats(expected), Nets.floats(net.getLayer(layer).getParam(key)),
                        "layer " + layer + " " + key);
            }
        }
        assertTrue(net.getLayer(2).paramTable().keySet().containsAll(List.of("Wq", "Wk", "Wv", "Wo")));
        // the flat parameter vector saw the change: the rescaled arrays are views of it ('f' order for dense W)
        INDArray w = net.getLayer(0).getParam("W");
        assertArrayEquals(w.dup('f').data().asFloat(),
                java.util.Arrays.copyOf(Nets.floats(net.params()), (int) w.length()));
    }

    @Test
    void layerNormGainIsNotRescaled() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).hasLayerNorm(true).build())
                .layer(new OutputLayer.Builder().nIn(5).nOut(2).build())
                .build();
        MultiLayerNetwork stock = Nets.init(conf.clone());
        MultiLayerNetwork net = Nets.init(conf);
        EmergenceRamp.inheritBase(2.0).apply(net);
        assertArrayEquals(Nets.floats(stock.getLayer(0).getParam("g")), Nets.floats(net.getLayer(0).getParam("g")));
        INDArray expected = stock.getLayer(0).getParam("W").mul(Math.pow(2.0, -0.5));
        assertArrayEquals(Nets.floats(expected), Nets.floats(net.getLayer(0).getParam("W")));
    }

    @Test
    void networkPathRefusesUninitialisedRampedOrMismatchedNetworks() {
        IllegalStateException notInit = assertThrows(IllegalStateException.class,
                () -> EmergenceRamp.xavier(1.2).apply(new MultiLayerNetwork(attentionNet(1))));
        assertTrue(notInit.getMessage().contains("call net.init()"), notInit.getMessage());

        MultiLayerConfiguration conf = Nets.mlp(1, WeightInit.XAVIER, 6, 5, 2, 2, false);
        EmergenceRamp.xavier(1.2).apply(conf);
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> EmergenceRamp.xavier(1.2).apply(Nets.init(conf)));
        assertTrue(twice.getMessage().contains("would scale twice"), twice.getMessage());

        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> EmergenceRamp.kaiming(1.2).apply(Nets.init(Nets.mlp(1, WeightInit.XAVIER, 6, 5, 2, 2, false))));
        assertTrue(mismatch.getMessage().contains("initialised with XAVIER but the ramp's base is KAIMING"),
                mismatch.getMessage());
    }

    @Test
    void planPrintsEveryColumn() {
        MultiLayerConfiguration conf = Nets.cnn(1, WeightInit.RELU);
        String table = EmergenceRamp.kaiming(1.2).plan(conf).toString();
        assertTrue(table.startsWith("Emergence ramp over 5 layers (configuration)"), table);
        assertTrue(table.contains("fanIn"), table);
        // second convolution: fanIn 24*9 = 216, fanOut 32*9/4 = 72
        assertTrue(table.matches("(?s).*\\n  1  layer1\\s+ConvolutionLayer\\s+216\\s+72\\s+KAIMING\\s+1.2\\s+-1\\s+0.833333.*"),
                table);
        assertEquals(WeightInit.RELU.getWeightInitFunction(),
                ((BaseLayer) conf.getConf(0).getLayer()).getWeightInitFn(), "plan() changes nothing");
    }
}
