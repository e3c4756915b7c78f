package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks and statistics shared by the tests. */
final class Nets {
    private Nets() {
    }

    /**
     * A ReLU MLP {@code nIn -> hidden x depth -> nOut}, identity output (logits), zero biases; with
     * {@code batchNorm}, BatchNorm then ReLU after each hidden dense layer.
     */
    static MultiLayerConfiguration mlp(long seed, WeightInit init, int nIn, int hidden, int depth, int nOut,
                                       boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).weightInit(init)
                .activation(Activation.RELU).list();
        for (int i = 0; i < depth; i++) {
            b.layer(new DenseLayer.Builder().nOut(hidden)
                    .activation(batchNorm ? Activation.IDENTITY : Activation.RELU).build());
            if (batchNorm) { // DL4J's BatchNormalization ignores an activation: the ReLU is its own layer
                b.layer(new BatchNormalization.Builder().build());
                b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            }
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(nOut).activation(Activation.IDENTITY)
                .build());
        return b.setInputType(InputType.feedForward(nIn)).build();
    }

    /** A VGG-style ReLU CNN on 1x12x12 input: conv(stride 1) - conv(stride 2) - pool - conv - dense - output. */
    static MultiLayerConfiguration cnn(long seed, WeightInit init) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(init).activation(Activation.RELU)
                .convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(24).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(32).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(48).build())
                .layer(new DenseLayer.Builder().nOut(64).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(5)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(12, 12, 1)).build();
    }

    static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The MultiLayerNetwork index of the layer with this name. */
    static int indexOf(MultiLayerConfiguration conf, String name) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (name.equals(conf.getConf(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new AssertionError("no layer " + name);
    }

    static float[] floats(INDArray a) {
        return a.dup().data().asFloat();
    }

    /** Population std of all entries, in double precision. */
    static double std(INDArray a) {
        double[] v = a.dup().data().asDouble();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    /**
     * Five standard errors of a sample std estimated from {@code n} draws, relative to the std:
     * {@code sqrt((kurtosis - 1) / (4n))}, kurtosis 3 for normal and 1.8 for uniform draws.
     */
    static double stdTolerance(long n, boolean uniform) {
        double kurtosis = uniform ? 1.8 : 3.0;
        return 5 * Math.sqrt((kurtosis - 1) / (4.0 * n));
    }
}
