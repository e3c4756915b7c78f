package org.emergenceinit.baselines;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.emergenceinit.internal.GraphOrder;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

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
 * graph.init();
 * Lsuv.apply(graph, firstBatch.getFeatures());                             // one array per network input
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
     * @param index          the layer's index in the network (the vertex index in a ComputationGraph)
     * @param name           the layer index as a string in a MultiLayerNetwork, the vertex name in a graph
     * @param before         the output variance before rescaling
     * @param after          the output variance after the last rescaling
     * @param rescalings     how many times {@code W} was divided
     * @param totalScale     the product of the factors applied to {@code W}
     */
    public record LayerResult(int index, String name, double before, double after, int rescalings,
                              double totalScale) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "layer %s: output variance %.4g -> %.4g, %d rescaling(s), W x %.4g",
                    name, before, after, rescalings, totalScale);
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
        check(tolerance, maxIterations);
        List<LayerResult> results = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            int index = i;
            Layer layer = net.getLayer(i);
            if (eligible(layer)) {
                results.add(rescale(layer, index, String.valueOf(index), tolerance, maxIterations,
                        () -> preActivationVariance(net, index, features)));
            }
        }
        return results;
    }

    /** LSUV on a ComputationGraph with the paper's tolerance 0.1 and at most 10 rescalings per layer. */
    public static List<LayerResult> apply(ComputationGraph graph, INDArray... features) {
        return apply(graph, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, features);
    }

    /**
     * Rescales the weights of an initialised graph in place, layer vertex by layer vertex in DL4J's topological
     * order (so a layer is rescaled after every layer it depends on).
     *
     * @param graph         an initialised graph
     * @param tolerance     stop when {@code |v - 1| < tolerance}; above 0
     * @param maxIterations at most this many rescalings per layer; at least 1
     * @param features      one data batch per network input, e.g. the first training minibatch
     * @return one entry per rescaled layer vertex, in that order
     * @throws IllegalArgumentException for a bad tolerance or iteration count, or a wrong number of inputs
     * @throws IllegalStateException    if the graph is not initialised, or a layer's output has zero or non-finite
     *                                  variance on the batch
     */
    public static List<LayerResult> apply(ComputationGraph graph, double tolerance, int maxIterations,
                                          INDArray... features) {
        check(tolerance, maxIterations);
        if (graph.getVertices() == null) {
            throw new IllegalStateException("LSUV: the ComputationGraph is not initialised; call graph.init() first.");
        }
        if (features.length != graph.getNumInputArrays()) {
            throw new IllegalArgumentException("LSUV: the graph takes " + graph.getNumInputArrays()
                    + " input array(s), got " + features.length + ".");
        }
        List<LayerResult> results = new ArrayList<>();
        for (String name : GraphOrder.vertexNames(graph)) {
            GraphVertex vertex = graph.getVertex(name);
            if (vertex.hasLayer() && eligible(vertex.getLayer())) {
                results.add(rescale(vertex.getLayer(), vertex.getVertexIndex(), name, tolerance, maxIterations,
                        () -> preActivationVariance(graph, name, features)));
            }
        }
        return results;
    }

    private static void check(double tolerance, int maxIterations) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("LSUV tolerance must be > 0, got " + tolerance + ".");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("LSUV max iterations must be at least 1, got " + maxIterations + ".");
        }
    }

    /** A layer LSUV rescales: it has a {@code W} parameter and is a {@code BaseLayer} (with an activation). */
    private static boolean eligible(Layer layer) {
        return layer.paramTable().containsKey(DefaultParamInitializer.WEIGHT_KEY)
                && layer.conf().getLayer() instanceof BaseLayer;
    }

    private static LayerResult rescale(Layer layer, int index, String name, double tolerance, int maxIterations,
                                       DoubleSupplier variance) {
        INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        double before = variance.getAsDouble();
        double v = before;
        double scale = 1;
        int n = 0;
        while (Math.abs(v - 1) >= tolerance && n < maxIterations) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalStateException("LSUV: layer " + name + "'s output has variance " + v
                        + " on the batch; it cannot be rescaled to 1.");
            }
            double f = 1 / Math.sqrt(v);
            w.muli(f);
            scale *= f;
            n++;
            v = variance.getAsDouble();
        }
        return new LayerResult(index, name, before, v, n, scale);
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

    /**
     * The variance, over all elements, of layer vertex {@code name}'s output on {@code features} in inference mode
     * with its activation function replaced by the identity (restored afterwards).
     */
    public static double preActivationVariance(ComputationGraph graph, String name, INDArray... features) {
        BaseLayer conf = (BaseLayer) graph.getLayer(name).conf().getLayer();
        IActivation activation = conf.getActivationFn();
        conf.setActivationFn(new ActivationIdentity());
        try {
            return graph.feedForward(features, false).get(name).varNumber().doubleValue();
        } finally {
            conf.setActivationFn(activation);
        }
    }
}
