package org.emergenceinit.baselines;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Layer-sequential unit-variance initialization (LSUV; Mishkin and Matas, <i>All you need is a good init</i>, ICLR
 * 2016, Algorithm 1), without the optional orthonormal pre-initialization: a data-dependent pass run after
 * {@code init()} on the weights the network already has (e.g. stock Xavier or Kaiming).
 *
 * <p>For each weight layer in order, from the input: compute its output before the nonlinearity on a data batch
 * and, while its variance {@code v} (over all elements) differs from 1 by {@code tolerance} or more and fewer than
 * {@code maxIterations} rescalings were made, divide the layer's weights {@code W} by {@code sqrt(v)}. Biases are
 * not touched; layers without a {@code W} parameter (BatchNorm, pooling) are skipped. The network runs in inference
 * mode, so BatchNorm uses its running statistics (identity at initialization).
 *
 * <pre>{@code
 * net.init();
 * List<Lsuv.LayerResult> r = Lsuv.apply(net, firstBatch.getFeatures());   // tolerance 0.1, at most 10 rescalings
 * }</pre>
 */
public final class Lsuv {

    /** The paper's {@code Tol_var}: 0.1. */
    public static final double DEFAULT_TOLERANCE = 0.1;

    /** The paper's {@code T_max}: 10 rescalings per layer. */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    /**
     * What LSUV did to one layer.
     *
     * @param index          the layer's index in the network
     * @param before         the output variance before rescaling
     * @param after          the output variance after the last rescaling
     * @param rescalings     how many times {@code W} was divided
     * @param totalScale     the product of the factors applied to {@code W}
     */
    public record LayerResult(int index, double before, double after, int rescalings, double totalScale) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "layer %d: output variance %.4g -> %.4g, %d rescaling(s), W x %.4g",
                    index, before, after, rescalings, totalScale);
        }
    }

    private Lsuv() {
    }

    /** LSUV with the paper's tolerance 0.1 and at most 10 rescalings per layer. */
    public static List<LayerResult> apply(MultiLayerNetwork net, INDArray features) {
        return apply(net, features, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Rescales the weights of an initialised network in place.
     *
     * @param net           an initialised network
     * @param features      a data batch (as the network takes it), e.g. the first training minibatch
     * @param tolerance     stop when {@code |v - 1| < tolerance}; above 0
     * @param maxIterations at most this many rescalings per layer; at least 1
     * @return one entry per rescaled layer
     * @throws IllegalArgumentException for a bad tolerance or iteration count
     * @throws IllegalStateException    if a layer's output has zero or non-finite variance on the batch
     */
    public static List<LayerResult> apply(MultiLayerNetwork net, INDArray features, double tolerance,
                                          int maxIterations) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("LSUV tolerance must be > 0, got " + tolerance + ".");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("LSUV max iterations must be at least 1, got " + maxIterations + ".");
        }
        List<LayerResult> results = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            if (!layer.paramTable().containsKey(DefaultParamInitializer.WEIGHT_KEY)
                    || !(layer.conf().getLayer() instanceof BaseLayer)) {
                continue;
            }
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            double before = preActivationVariance(net, i, features);
            double v = before;
            double scale = 1;
            int n = 0;
            while (Math.abs(v - 1) >= tolerance && n < maxIterations) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new IllegalStateException("LSUV: layer " + i + "'s output has variance " + v
                            + " on the batch; it cannot be rescaled to 1.");
                }
                double f = 1 / Math.sqrt(v);
                w.muli(f);
                scale *= f;
                n++;
                v = preActivationVariance(net, i, features);
            }
            results.add(new LayerResult(i, before, v, n, scale));
        }
        return results;
    }

    /**
     * The variance, over all elements, of layer {@code i}'s output on {@code features} in inference mode with its
     * activation function replaced by the identity (restored afterwards): what LSUV drives to 1.
     */
    public static double preActivationVariance(MultiLayerNetwork net, int i, INDArray features) {
        BaseLayer conf = (BaseLayer) net.getLayer(i).conf().getLayer();
        IActivation activation = conf.getActivationFn();
        conf.setActivationFn(new ActivationIdentity());
        try {
            List<INDArray> outputs = net.feedForwardToLayer(i, features, false);
            return outputs.get(outputs.size() - 1).varNumber().doubleValue();
        } finally {
            conf.setActivationFn(activation);
        }
    }
}
