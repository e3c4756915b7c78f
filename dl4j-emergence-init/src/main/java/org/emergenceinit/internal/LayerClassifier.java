package org.emergenceinit.internal;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * The library's one classifier of DL4J layer configurations, used by the ramp ({@code EmergenceRamp}), the
 * measure ({@code ActivityProbe}), the pruner ({@code MagnitudePruner}) and LSUV ({@code Lsuv}). The policy is the
 * README's table "What is ramped, and what is not" and docs/METHOD.md sections 1 and 3:
 *
 * <table>
 *   <caption>kinds</caption>
 *   <tr><th>kind</th><th>layers</th><th>ramp</th><th>measure and pruning</th></tr>
 *   <tr><td>{@link Kind#RAMP}</td><td>weights drawn through {@code IWeightInit}: dense, output, convolution of
 *       every kind, LSTM, SimpleRnn, element-wise, ..., also inside Bidirectional, LastTimeStep, TimeDistributed,
 *       FrozenLayer, FrozenLayerWithBackprop</td><td>one position</td><td>node layer; weights pruned</td></tr>
 *   <tr><td>{@link Kind#SAMEDIFF}</td><td>SameDiff-backed layers (attention, locally connected, capsules)</td>
 *       <td>one position, only by rescaling an initialised network</td><td>node layer; weights pruned</td></tr>
 *   <tr><td>{@link Kind#EMBEDDING}</td><td>Embedding, EmbeddingSequence</td><td>not scaled, listed as skipped</td>
 *       <td>node layer; weights pruned</td></tr>
 *   <tr><td>{@link Kind#PRELU}</td><td>PReLU (its weights are activation slopes)</td><td>not scaled, listed as
 *       skipped</td><td>belongs to the weight layer before it; not pruned</td></tr>
 *   <tr><td>{@link Kind#FOLD}</td><td>BatchNorm, activation, dropout, local response normalisation, pooling
 *       (global pooling included)</td><td>no position</td><td>belongs to the weight layer before it</td></tr>
 *   <tr><td>{@link Kind#NO_WEIGHTS}</td><td>any other layer without weights (loss layers, padding, ...)</td>
 *       <td>no position</td><td>not a node layer</td></tr>
 *   <tr><td>{@link Kind#UNSUPPORTED}</td><td>any other layer with weights (a custom layer)</td><td>an error
 *       unless a LayerFilter leaves it out</td><td>node layer; weights pruned</td></tr>
 * </table>
 *
 * Wrappers are looked through everywhere, Bidirectional included: a wrapper has the kind of what it wraps.
 *
 * <p>Not API.
 */
public final class LayerClassifier {

    /** What a layer is to the library. */
    public enum Kind {
        /** Weights drawn through {@code IWeightInit}: a ramp position, a node layer. */
        RAMP,
        /** SameDiff-backed weights that ignore {@code IWeightInit}: a ramp position by rescaling, a node layer. */
        SAMEDIFF,
        /** Embeddings: not scaled (METHOD.md section 1), a node layer. */
        EMBEDDING,
        /** PReLU: slopes, not scaled, folded into the weight layer before it. */
        PRELU,
        /** No weights, keeps the nodes of the weight layer before it. */
        FOLD,
        /** No weights. */
        NO_WEIGHTS,
        /** Weights the ramp cannot reach. */
        UNSUPPORTED;

        /** Whether the ramp lists a layer of this kind as a candidate or a skipped layer (it has weights). */
        public boolean hasWeights() {
            return this != FOLD && this != NO_WEIGHTS;
        }

        /** Whether the ramp leaves the layer out with a reason (listed as skipped). */
        public boolean excludedFromRamp() {
            return this == EMBEDDING || this == PRELU;
        }

        /** Whether the measure counts its outputs as nodes and the pruner ranks its weights. */
        public boolean isNodeLayer() {
            return this == RAMP || this == SAMEDIFF || this == EMBEDDING || this == UNSUPPORTED;
        }
    }

    private LayerClassifier() {
    }

    /** The kind of a configured layer, wrappers looked through. */
    public static Kind kind(Layer layer) {
        List<Layer> inner = unwrap(layer);
        boolean weights = false;
        boolean allBase = true;
        boolean sameDiff = false;
        for (Layer x : inner) {
            if (x instanceof EmbeddingLayer || x instanceof EmbeddingSequenceLayer) {
                return Kind.EMBEDDING;
            }
            if (x instanceof PReLULayer) {
                return Kind.PRELU;
            }
            weights |= !x.initializer().weightKeys(x).isEmpty();
            allBase &= x instanceof BaseLayer;
            sameDiff |= x instanceof AbstractSameDiffLayer;
        }
        if (!weights) {
            return isFold(inner.get(0)) ? Kind.FOLD : Kind.NO_WEIGHTS;
        }
        if (allBase) {
            return Kind.RAMP;
        }
        return sameDiff ? Kind.SAMEDIFF : Kind.UNSUPPORTED;
    }

    private static boolean isFold(Layer x) {
        return x instanceof BatchNormalization || x instanceof ActivationLayer || x instanceof DropoutLayer
                || x instanceof LocalResponseNormalization || x instanceof SubsamplingLayer
                || x instanceof Subsampling3DLayer || x instanceof GlobalPoolingLayer;
    }

    /** A node layer of the measure, whose weights the pruner ranks. */
    public static boolean isNodeLayer(Layer layer) {
        return kind(layer).isNodeLayer();
    }

    /** A layer that belongs to the weight layer before it: {@link Kind#FOLD} and {@link Kind#PRELU}. */
    public static boolean isFoldLayer(Layer layer) {
        Kind k = kind(layer);
        return k == Kind.FOLD || k == Kind.PRELU;
    }

    /** Why the ramp leaves a layer of an excluded kind out. */
    public static String exclusionReason(Layer layer) {
        return kind(layer) == Kind.PRELU
                ? "PReLU slopes are activation parameters, not a weight matrix: not scaled"
                : "embedding: embeddings are not scaled (docs/METHOD.md section 1)";
    }

    /** The layers inside wrappers (both directions of a Bidirectional); the layer itself when it wraps nothing. */
    public static List<Layer> unwrap(Layer layer) {
        List<Layer> out = new ArrayList<>();
        if (layer instanceof Bidirectional bi) {
            out.addAll(unwrap(bi.getFwd()));
            out.addAll(unwrap(bi.getBwd()));
        } else if (layer instanceof BaseWrapperLayer wrapper) {
            out.addAll(unwrap(wrapper.getUnderlying()));
        } else if (layer instanceof FrozenLayer frozen) {
            out.addAll(unwrap(frozen.getLayer()));
        } else {
            out.add(layer);
        }
        return out;
    }

    /**
     * The keys of a configured layer's weight matrices, as the runtime layer names them: DL4J's weight keys,
     * looking inside {@code FrozenLayer}, without a dense layer's layer-norm gain (a normalisation parameter);
     * none for layers that are not node layers (BatchNorm, PReLU).
     */
    public static List<String> weightKeys(Layer layer) {
        if (!isNodeLayer(layer)) {
            return List.of();
        }
        if (layer instanceof FrozenLayer frozen) {
            return weightKeys(frozen.getLayer());
        }
        List<String> keys = new ArrayList<>(layer.initializer().weightKeys(layer));
        if (unwrap(layer).get(0) instanceof DenseLayer) {
            keys.remove(DefaultParamInitializer.GAIN_KEY);
        }
        return keys;
    }

    /** A readable type, wrappers included: {@code DenseLayer}, {@code Bidirectional(LSTM)}. */
    public static String typeName(Layer layer) {
        String name = layer.getClass().getSimpleName();
        if (layer instanceof Bidirectional bi) {
            return name + "(" + typeName(bi.getFwd()) + ")";
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return name + "(" + typeName(wrapper.getUnderlying()) + ")";
        }
        if (layer instanceof FrozenLayer frozen) {
            return name + "(" + typeName(frozen.getLayer()) + ")";
        }
        return name;
    }

    /**
     * The fan-in and fan-out that DL4J passes to {@code IWeightInit} for the layer's first weight matrix,
     * or NaN where the layer type is not known here.
     */
    public static double[] fans(Layer layer) {
        Layer x = unwrap(layer).get(0);
        if (x instanceof ConvolutionLayer c) {
            double kernel = 1;
            for (int k : c.getKernelSize()) {
                kernel *= k;
            }
            double stride = 1;
            for (int s : c.getStride()) {
                stride *= s;
            }
            double outChannels = c.getNOut();
            if (x instanceof DepthwiseConvolution2D d) {
                outChannels = d.getDepthMultiplier();
            } else if (x instanceof SeparableConvolution2D s) {
                outChannels = s.getDepthMultiplier();
            }
            return new double[] {c.getNIn() * kernel, outChannels * kernel / stride};
        }
        if (x instanceof AbstractLSTM || x instanceof GravesBidirectionalLSTM) {
            FeedForwardLayer f = (FeedForwardLayer) x;
            return new double[] {f.getNOut(), f.getNIn() + f.getNOut()};
        }
        if (x instanceof FeedForwardLayer f) {
            return new double[] {f.getNIn(), f.getNOut()};
        }
        return new double[] {Double.NaN, Double.NaN};
    }

    /**
     * The axis of the nodes in an activation of the given rank produced by (or after) the weight layer
     * {@code layer}: axis 1 unless the layer, or a wrapper around it (Bidirectional, TimeDistributed), declares a
     * channels-last format.
     */
    public static int nodeAxis(Layer layer, int rank) {
        if (rank == 3) {
            if (layer instanceof Bidirectional bi) {
                return bi.getRNNDataFormat() == RNNFormat.NWC ? 2 : 1;
            }
            if (layer instanceof TimeDistributed td) {
                return td.getRnnDataFormat() == RNNFormat.NWC ? 2 : 1;
            }
            if (layer instanceof FrozenLayer frozen) {
                return nodeAxis(frozen.getLayer(), rank);
            }
            if (layer instanceof BaseWrapperLayer wrapper) {
                return nodeAxis(wrapper.getUnderlying(), rank);
            }
        }
        Layer x = unwrap(layer).get(0);
        if (rank == 4 && x instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        if (rank == 5 && x instanceof Convolution3D conv && conv.getDataFormat() == Convolution3D.DataFormat.NDHWC) {
            return 4;
        }
        if (rank == 3) {
            if (x instanceof Convolution1DLayer conv && conv.getRnnDataFormat() == RNNFormat.NWC) {
                return 2;
            }
            if (x instanceof BaseRecurrentLayer rnn && rnn.getRnnDataFormat() == RNNFormat.NWC) {
                return 2;
            }
        }
        return 1;
    }
}
