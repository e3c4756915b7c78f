package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network shape written as one string, as on the command line.
 *
 * <ul>
 *   <li>{@code mlp:784-256-256-10}: the input size, dense ReLU layers, and the softmax output size.</li>
 *   <li>{@code cnn:c32-c32-p-c64-c64-p-f256-10}: {@code cN} a 3x3 convolution with N channels, same padding, ReLU;
 *       {@code p} 2x2 max pooling (stride 2); {@code fN} a dense ReLU layer; the last number the softmax output.
 *       The input shape comes from the data.</li>
 * </ul>
 * With BatchNorm, each ReLU layer becomes the weight layer with identity activation, then
 * {@code BatchNormalization}, then an {@code ActivationLayer} with ReLU (BatchNorm before each ReLU). The ReLU
 * needs its own layer: DL4J 1.0.0-M2.1's {@code BatchNormalization} ignores an activation set on it (its
 * {@code activate} returns the normalised values), so a ReLU given there would leave the network linear.
 *
 * @param text   the spec as given
 * @param cnn    whether it is a {@code cnn:} spec
 * @param tokens the layer tokens after the prefix; for {@code mlp:} the first is the input size
 */
public record ArchSpec(String text, boolean cnn, List<String> tokens) {

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException naming the bad token and the expected form
     */
    public static ArchSpec parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        boolean cnn = s.startsWith("cnn:");
        if (!cnn && !s.startsWith("mlp:")) {
            throw bad(spec, "it must start with 'mlp:' or 'cnn:'");
        }
        List<String> tokens = List.of(s.substring(4).split("-", -1));
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            boolean last = i == tokens.size() - 1;
            if (cnn && !last && (t.equals("p") || t.matches("[cf][1-9][0-9]*"))) {
                continue;
            }
            if (!t.matches("[1-9][0-9]*")) {
                throw bad(spec, "'" + t + "' is not " + (cnn && !last ? "cN, p, fN or " : "") + "a positive size");
            }
            if (cnn && !last) {
                throw bad(spec, "'" + t + "' is a bare number before the end: write cN, p or fN");
            }
        }
        if (cnn ? tokens.stream().noneMatch(t -> t.startsWith("c")) : tokens.size() < 2) {
            throw bad(spec, cnn ? "a cnn needs at least one convolution cN" : "an mlp needs an input and an output size");
        }
        return new ArchSpec(spec.trim(), cnn, tokens);
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("Malformed --arch '" + spec + "': " + why
                + ". Examples: mlp:784-256-256-10, cnn:c32-c32-p-c64-c64-p-f256-10.");
    }

    /** The number of classes (the last number). */
    public int outputs() {
        return Integer.parseInt(tokens.get(tokens.size() - 1));
    }

    /**
     * Builds the configuration.
     *
     * @param seed      the configuration seed
     * @param init      the stock weight init set globally (the emergence ramp is applied afterwards)
     * @param batchNorm BatchNorm before each ReLU
     * @param input     the input: {@code InputType.feedForward(n)} for an mlp (n must equal the spec's input size),
     *                  {@code InputType.convolutional(h, w, c)} or flat for a cnn
     * @param updater   the optimizer
     * @throws IllegalArgumentException when the input does not fit the spec
     */
    public MultiLayerConfiguration build(long seed, WeightInit init, boolean batchNorm, InputType input,
                                         IUpdater updater) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).weightInit(init)
                .updater(updater).convolutionMode(ConvolutionMode.Same).list();
        List<String> hidden = new ArrayList<>(tokens.subList(cnn ? 0 : 1, tokens.size() - 1));
        if (!cnn) {
            long nIn = Long.parseLong(tokens.get(0));
            long dataIn = input.arrayElementsPerExample();
            if (dataIn != nIn) {
                throw new IllegalArgumentException("--arch " + text + " takes " + nIn + " inputs but the data has "
                        + dataIn + " per example (" + input + "): start the mlp with " + dataIn + ".");
            }
            input = InputType.feedForward(nIn);
        } else if (input.getType() != InputType.Type.CNN) {
            throw new IllegalArgumentException("--arch " + text + " is a cnn and needs image input, got " + input + ".");
        }
        for (String t : hidden) {
            if (t.equals("p")) {
                b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build());
                continue;
            }
            int n = Integer.parseInt(cnn ? t.substring(1) : t);
            Activation act = batchNorm ? Activation.IDENTITY : Activation.RELU;
            if (t.startsWith("c")) {
                b.layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(n).activation(act).build());
            } else {
                b.layer(new DenseLayer.Builder().nOut(n).activation(act).build());
            }
            if (batchNorm) {
                b.layer(new BatchNormalization.Builder().build());
                b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            }
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(outputs())
                .activation(Activation.SOFTMAX).build());
        return b.setInputType(input).build();
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The network that follows the data, as {@code train} and {@code TrainOnYourData} choose it without
     * {@code --arch}: {@code cnn:c16-p-c32-p-f64-K} for images of at least 8x8, else {@code mlp:N-128-64-K}.
     */
    public static String forData(org.emergenceinit.data.DatasetSource data) {
        int[] shape = data.inputShape();
        if (data.train().hasPixels() && shape[1] >= 8 && shape[2] >= 8) {
            return "cnn:c16-p-c32-p-f64-" + data.numClasses();
        }
        return "mlp:" + shape[0] * shape[1] * shape[2] + "-128-64-" + data.numClasses();
    }
}
