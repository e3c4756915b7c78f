package org.emergenceinit.report;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InitReport from Java: the numbers, on an MLP, a CNN with BatchNorm, a branching graph and an LSTM. */
class InitReportApiTest {

    private static INDArray labels(int n, int classes, long seed) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(classes), 1.0);
        }
        return y;
    }

    private static List<DataSet> batches(long[] featureShape, int classes, int count) {
        Nd4j.getRandom().setSeed(17);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            out.add(new DataSet(Nd4j.rand(DataType.FLOAT, featureShape), labels((int) featureShape[0], classes, b)));
        }
        return out;
    }

    private static OutputLayer output(int n) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(n).activation(Activation.SOFTMAX)
                .build();
    }

    private static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.05)).activation(Activation.RELU).list()
                .layer(new DenseLayer.Builder().nOut(32).build())
                .layer(new DenseLayer.Builder().nOut(32).build())
                .layer(new DenseLayer.Builder().nOut(32).build())
                .layer(output(4))
                .setInputType(InputType.feedForward(20)).build();
    }

    private static void close(double expected, double actual, double relTol, String what) {
        assertEquals(expected, actual, relTol * Math.abs(expected), what);
    }

    @Test
    void mlpReportShowsWhatTheRampDoesLayerByLayer() {
        int steps = 3;
        InitReportResult r = InitReport.builder().network(mlp())
                .inits("kaiming", "emergence-kaiming@1.5", "lsuv-kaiming")
                .probe(Nd4j.rand(DataType.FLOAT, 200, 20)).training(batches(new long[] {32, 20}, 4, 2)).steps(steps)
                .labels("mlp 20-3x32-4", "random").run();
        assertEquals(List.of("kaiming", "emergence-kaiming@1.5", "lsuv-kaiming"),
                r.inits().stream().map(InitResult::init).toList());
        assertEquals(3, r.seed());
        assertEquals(200, r.probeSamples());
        assertEquals(32, r.batchSize());
        InitResult stock = r.init("kaiming");
        InitResult ramp = r.init("emergence-kaiming@1.5");
        assertEquals(List.of("layer0", "layer1", "layer2"), stock.layers().stream().map(LayerSignal::name).toList(),
                "hidden layers only");
        assertEquals(1.5, ramp.alpha());
        assertEquals(null, stock.alpha());
        // same draws, scaled: L = 4 weight layers, exponents -1.5, -0.5, 0.5
        double[] exponents = {-1.5, -0.5, 0.5};
        double cumulative = 1;
        for (int i = 0; i < 3; i++) {
            LayerSignal s = stock.layers().get(i);
            LayerSignal e = ramp.layers().get(i);
            double scale = Math.pow(1.5, exponents[i]);
            cumulative *= scale;
            assertEquals(1.0, s.rampScale());
            close(scale, e.rampScale(), 1e-12, "ramp scale");
            close(scale * s.weightStd(), e.weightStd(), 1e-5, "weight std");
            // ReLU, zero biases: activations scale with the product of the scales so far
            close(cumulative * s.activationStd(), e.activationStd(), 1e-4, "activation std " + i);
            close(cumulative * s.activationMean(), e.activationMean(), 1e-4, "activation mean " + i);
            assertEquals(s.deadFraction(), e.deadFraction(), "dead units do not depend on scale");
            // the relative rule does not see the ramp
            assertEquals(s.activeRelative(), e.activeRelative(), "relative count, layer " + i);
            // the output is unchanged, so dLoss/dW_k scales with 1/scale_k; one SGD step with lr * grad: 1/scale_k^2
            close(s.gradientNorm() / scale, e.gradientNorm(), 1e-3, "gradient norm " + i);
            close(s.updateRatios().get(0) / (scale * scale), e.updateRatios().get(0), 1e-3, "update ratio " + i);
            for (LayerSignal l : List.of(s, e)) {
                assertTrue(l.deadFraction() >= 0 && l.deadFraction() <= 1);
                assertTrue(l.gradientNorm() > 0 && Double.isFinite(l.gradientNorm()));
                assertTrue(l.updateRatio() > 0 && Double.isFinite(l.updateRatio()));
                assertEquals(steps, l.updateRatios().size());
                assertEquals(l.updateRatios().stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                        l.updateRatio(), 1e-15);
            }
        }
        assertEquals(stock.emergenceRelative(), ramp.emergenceRelative());
        close(stock.lossAtInit(), ramp.lossAtInit(), 1e-5, "the ramp leaves the output of a ReLU net unchanged");
        assertEquals(steps, stock.losses().size());
        close(stock.lossAtInit(), stock.losses().get(0), 1e-5, "step 1's loss is the loss at init");
        assertTrue(stock.parameters() > 0);
        // LSUV rescales the weights
        assertTrue(Math.abs(r.init("lsuv-kaiming").layers().get(0).weightStd() - stock.layers().get(0).weightStd())
                > 1e-4);
        String table = r.toString();
        assertTrue(table.contains("emergence-kaiming@1.5") && table.contains("layer2"), table);
    }

    @Test
    void gradientNormIsTheGradientTheUpdaterApplies() {
        // plain SGD: the first update of a layer is lr * gradient, so its L2 norm is lr * gradientNorm
        MultiLayerConfiguration conf = mlp();
        List<DataSet> train = batches(new long[] {32, 20}, 4, 1);
        InitReportResult r = InitReport.builder().network(conf).inits("xavier").probe(Nd4j.rand(DataType.FLOAT, 20, 20))
                .training(train).steps(1).run();
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf.clone());
        net.init();
        INDArray before = net.getLayer(1).getParam("W").dup();
        net.fit(train.get(0));
        double step = net.getLayer(1).getParam("W").sub(before).norm2Number().doubleValue();
        close(step, 0.05 * r.init("xavier").layers().get(1).gradientNorm(), 1e-4, "lr * gradient norm");
    }

    @Test
    void withBatchNormTheBatchStatisticsPassIgnoresTheRampAndTheInferencePassDoesNot() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.05)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(output(3))
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 100, 2, 8, 8);
        List<DataSet> train = batches(new long[] {16, 2, 8, 8}, 3, 1);
        InitReportResult batchStats = InitReport.builder().network(conf).inits("xavier", "emergence-xavier@2")
                .probe(probe).training(train).steps(2).run();
        InitReportResult inference = InitReport.builder().network(conf).inits("xavier", "emergence-xavier@2")
                .probe(probe).training(train).steps(2).batchStatistics(false).run();
        assertTrue(batchStats.batchStatistics());
        assertEquals(List.of("layer0", "layer4"),
                batchStats.init("xavier").layers().stream().map(LayerSignal::name).toList());
        assertEquals("layer3", batchStats.init("xavier").layers().get(0).measuredAt(), "read after BN, ReLU, pooling");
        assertEquals(8, batchStats.init("xavier").layers().get(0).width());
        for (int i = 0; i < 2; i++) {
            LayerSignal s = batchStats.init("xavier").layers().get(i);
            LayerSignal e = batchStats.init("emergence-xavier@2").layers().get(i);
            close(s.activationStd(), e.activationStd(), 1e-2, "BatchNorm normalises the scale away, layer " + i);
            assertEquals(s.activeAbsolute(), e.activeAbsolute());
            LayerSignal si = inference.init("xavier").layers().get(i);
            LayerSignal ei = inference.init("emergence-xavier@2").layers().get(i);
            assertTrue(Math.abs(ei.activationStd() / si.activationStd() - 1) > 0.3,
                    "at init BatchNorm's running statistics are 0 and 1: inference mode passes the scale through");
        }
    }

    @Test
    void branchingGraphAndLstmAreReported() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().seed(11).updater(new Sgd(0.05))
                .activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(24).build(), "in")
                .addLayer("b1", new DenseLayer.Builder().nOut(16).build(), "a")
                .addLayer("b2", new DenseLayer.Builder().nOut(16).build(), "a")
                .addVertex("m", new MergeVertex(), "b1", "b2")
                .addLayer("out", output(4), "m")
                .setOutputs("out").setInputTypes(InputType.feedForward(20)).build();
        InitReportResult g = InitReport.builder().network(graph).inits("kaiming", "emergence-kaiming@1.2")
                .probe(Nd4j.rand(DataType.FLOAT, 50, 20)).training(batches(new long[] {16, 20}, 4, 1)).steps(2).run();
        assertEquals(List.of("a", "b1", "b2"), g.init("kaiming").layers().stream().map(LayerSignal::name).toList());
        assertEquals(g.init("kaiming").emergenceRelative(), g.init("emergence-kaiming@1.2").emergenceRelative());
        g.inits().forEach(i -> i.layers().forEach(l -> assertTrue(l.gradientNorm() > 0 && l.updateRatio() > 0,
                i.init() + " " + l)));

        MultiLayerConfiguration lstm = new NeuralNetConfiguration.Builder().seed(2).updater(new Sgd(0.05)).list()
                .layer(new LSTM.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new LastTimeStep(new LSTM.Builder().nOut(6).activation(Activation.TANH).build()))
                .layer(output(3))
                .setInputType(InputType.recurrent(5, 7)).build();
        InitReportResult l = InitReport.builder().network(lstm).inits("xavier", "emergence-xavier@1.2")
                .probe(Nd4j.rand(DataType.FLOAT, 40, 5, 7)).training(batches(new long[] {10, 5, 7}, 3, 1)).steps(2)
                .run();
        List<LayerSignal> layers = l.init("xavier").layers();
        assertEquals(2, layers.size());
        assertEquals(8, layers.get(0).width());
        assertEquals("LastTimeStep(LSTM)", layers.get(1).type());
        layers.forEach(s -> assertTrue(Double.isFinite(s.activationStd()) && s.weightStd() > 0 && s.gradientNorm() > 0
                && s.updateRatio() > 0, s.toString()));
    }

    @Test
    void badInputIsOneClearError() {
        InitReport.Builder ok = InitReport.builder().network(mlp()).probe(Nd4j.rand(DataType.FLOAT, 10, 20))
                .training(batches(new long[] {8, 20}, 4, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.steps(0)).getMessage().contains("at least 1"));
        assertThrows(IllegalArgumentException.class, () -> ok.steps(-3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.inits(List.of())).getMessage()
                .contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> ok.inits("kaiming", "kaiming"));
        assertThrows(IllegalArgumentException.class, () -> ok.inits("glorious"));
        assertThrows(IllegalArgumentException.class, () -> ok.inits("kaiming@1.2"));
        assertThrows(IllegalArgumentException.class, () -> ok.inits("emergence-kaiming@-1"));
        assertThrows(IllegalArgumentException.class, () -> ok.inits("xavier+warmup"));
        assertThrows(IllegalArgumentException.class, () -> InitReport.builder().network(mlp()).build());

        String wrongShape = assertThrows(IllegalArgumentException.class, () -> InitReport.builder().network(mlp())
                .inits("kaiming").probe(Nd4j.rand(DataType.FLOAT, 10, 21)).training(batches(new long[] {8, 21}, 4, 1))
                .steps(1).run()).getMessage();
        assertTrue(wrongShape.contains("cannot run on the data") && !wrongShape.contains("\n"), wrongShape);

        MultiLayerConfiguration noHidden = new NeuralNetConfiguration.Builder().list().layer(output(4))
                .setInputType(InputType.feedForward(20)).build();
        String none = assertThrows(IllegalArgumentException.class, () -> InitReport.builder().network(noHidden)
                .inits("kaiming").probe(Nd4j.rand(DataType.FLOAT, 10, 20)).training(batches(new long[] {8, 20}, 4, 1))
                .steps(1).run()).getMessage();
        assertTrue(none.contains("no hidden weight layer"), none);

        assertEquals("emergence-xavier-uniform@2", ReportInit.parse(" Emergence-Xavier-Uniform@2.0 ").name());
        assertEquals("emergence-kaiming@1.2", ReportInit.parse("emergence-kaiming").name());
        assertEquals("lsuv-kaiming", ReportInit.parse("lsuv-kaiming").name());
    }
}
