package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.weights.ExponentMode;
import org.emergenceinit.weights.RampPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchAndInitSpecTest {

    @Test
    void mlpSpecBuildsDenseReluLayersAndSoftmaxOutput() {
        MultiLayerConfiguration conf = ArchSpec.parse("mlp:784-256-128-10")
                .build(1, WeightInit.XAVIER, false, InputType.feedForward(784), new Sgd(0.1));
        assertEquals(3, conf.getConfs().size());
        DenseLayer first = (DenseLayer) conf.getConf(0).getLayer();
        assertEquals(784, first.getNIn());
        assertEquals(256, first.getNOut());
        assertEquals("relu", first.getActivationFn().toString());
        OutputLayer out = (OutputLayer) conf.getConf(2).getLayer();
        assertEquals(10, out.getNOut());
        assertEquals("softmax", out.getActivationFn().toString());
    }

    @Test
    void cnnSpecWithBatchNormPutsBatchNormBeforeEachRelu() {
        MultiLayerConfiguration conf = ArchSpec.parse("cnn:c32-c32-p-c64-f256-10")
                .build(1, WeightInit.RELU, true, InputType.convolutional(28, 28, 1), new Sgd(0.1));
        List<Class<?>> types = conf.getConfs().stream().<Class<?>>map(c -> c.getLayer().getClass()).toList();
        assertEquals(List.of(ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class, SubsamplingLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class, DenseLayer.class,
                BatchNormalization.class, ActivationLayer.class, OutputLayer.class), types);
        assertEquals("identity", ((ConvolutionLayer) conf.getConf(0).getLayer()).getActivationFn().toString());
        assertEquals("relu", ((ActivationLayer) conf.getConf(2).getLayer()).getActivationFn().toString());
        assertEquals(64L * 14 * 14, ((DenseLayer) conf.getConf(10).getLayer()).getNIn());
    }

    @Test
    void batchNormNetworkIsNonLinear() {
        // DL4J's BatchNormalization ignores an activation set on it; the ReLU must act in its own layer
        MultiLayerNetwork net = new MultiLayerNetwork(ArchSpec.parse("mlp:20-16-16-3")
                .build(1, WeightInit.RELU, true, InputType.feedForward(20), new Sgd(0.1)));
        net.init();
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 20).subi(0.5);
        List<INDArray> acts = net.feedForward(x, true); // [input, dense, bn, relu, dense, bn, relu, output]
        assertEquals(8, acts.size());
        assertTrue(acts.get(2).minNumber().doubleValue() < 0, "BatchNorm output has negative values");
        assertEquals(0.0, acts.get(3).minNumber().doubleValue(), "ReLU output is >= 0 and has zeros");
        assertEquals(0.0, acts.get(6).minNumber().doubleValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mlp", "rnn:4-5", "mlp:784", "mlp:784-0-10", "mlp:784--10", "cnn:p-10", "cnn:c32-q-10",
            "cnn:c32-64-10", "cnn:c32-p-f", "mlp:784-256-10x"})
    void malformedSpecsAreRejected(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchSpec.parse(spec));
        assertTrue(e.getMessage().startsWith("Malformed --arch '" + spec + "'"), e.getMessage());
    }

    @Test
    void inputMismatchIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchSpec.parse("mlp:100-10")
                .build(1, WeightInit.XAVIER, false, InputType.convolutional(28, 28, 1), new Sgd(0.1)));
        assertTrue(e.getMessage().contains("takes 100 inputs but the data has 784"), e.getMessage());
        MultiLayerConfiguration flattened = ArchSpec.parse("mlp:784-10")
                .build(1, WeightInit.XAVIER, false, InputType.convolutional(28, 28, 1), new Sgd(0.1));
        assertEquals(784, ((OutputLayer) flattened.getConf(0).getLayer()).getNIn());
    }

    @Test
    void initNames() {
        assertEquals(new InitSpec(BaseScheme.KAIMING_UNIFORM, true), InitSpec.parse("emergence-kaiming-uniform"));
        assertEquals(new InitSpec(BaseScheme.XAVIER, false), InitSpec.parse("XAVIER"));
        assertEquals("emergence-xavier-uniform", InitSpec.parse("emergence-xavier-uniform").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitSpec.parse("emergence-he"));
        assertTrue(e.getMessage().contains("Unknown init 'emergence-he'"), e.getMessage());
    }

    @Test
    void stockInitKeepsScaleOneAndEmergenceRamps() {
        ArchSpec arch = ArchSpec.parse("mlp:20-16-16-4");
        MultiLayerConfiguration stock = arch.build(3, WeightInit.RELU, false, InputType.feedForward(20), new Sgd(0.1));
        RampPlan stockPlan = InitSpec.parse("kaiming").apply(stock, 1.5, ExponentMode.CENTRED);
        assertTrue(stockPlan.entries().stream().allMatch(e -> e.scale() == 1.0));
        MultiLayerConfiguration ramp = arch.build(3, WeightInit.RELU, false, InputType.feedForward(20), new Sgd(0.1));
        RampPlan rampPlan = InitSpec.parse("emergence-kaiming").apply(ramp, 1.5, ExponentMode.CENTRED);
        assertEquals(1 / 1.5, rampPlan.entries().get(0).scale(), 1e-12);
        assertFalse(stock.equals(ramp));
    }
}
