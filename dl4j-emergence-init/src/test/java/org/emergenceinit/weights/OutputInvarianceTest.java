package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReLU is positively homogeneous and the ramp's scales multiply to 1: with zero biases and no BatchNorm the output at
 * initialization is the stock network's output.
 */
class OutputInvarianceTest {

    private static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
    }

    @Test
    void reluMlpOutputUnchangedByTheRamp() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 50);
        for (double alpha : new double[] {1.1, 1.5}) {
            MultiLayerConfiguration stock = Nets.mlp(3, WeightInit.RELU, 50, 64, 6, 7, false);
            MultiLayerConfiguration ramp = Nets.mlp(3, WeightInit.RELU, 50, 64, 6, 7, false);
            EmergenceRamp.kaiming(alpha).apply(ramp);
            INDArray a = Nets.init(stock).output(x);
            INDArray b = Nets.init(ramp).output(x);
            double d = relativeDifference(a, b);
            assertTrue(d < 1e-4, "relative difference " + d + " at alpha " + alpha);
            assertTrue(a.norm2Number().doubleValue() > 0);
        }
    }

    @Test
    void reluCnnOutputUnchangedByTheRamp() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 12, 12);
        MultiLayerConfiguration stock = Nets.cnn(9, WeightInit.XAVIER);
        MultiLayerConfiguration ramp = Nets.cnn(9, WeightInit.XAVIER);
        EmergenceRamp.xavier(1.4).apply(ramp);
        double d = relativeDifference(Nets.init(stock).output(x), Nets.init(ramp).output(x));
        assertTrue(d < 1e-4, "relative difference " + d);
    }

    @Test
    void hiddenActivationsDoChange() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 50);
        MultiLayerConfiguration stock = Nets.mlp(3, WeightInit.RELU, 50, 64, 4, 7, false);
        MultiLayerConfiguration ramp = Nets.mlp(3, WeightInit.RELU, 50, 64, 4, 7, false);
        EmergenceRamp.kaiming(1.5).apply(ramp);
        INDArray first = Nets.init(stock).feedForward(x, false).get(1);
        INDArray firstRamped = Nets.init(ramp).feedForward(x, false).get(1);
        // 5 weight layers: the first is scaled by 1.5^-2
        double ratio = firstRamped.norm2Number().doubleValue() / first.norm2Number().doubleValue();
        assertTrue(Math.abs(ratio - Math.pow(1.5, -2)) < 1e-4, "ratio " + ratio);
    }
}
