package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * Which configured layers the ramp can take, and how. The policy, documented in the README:
 * <ul>
 *   <li>{@link Role#RAMP}: layers whose weights DL4J draws through {@code IWeightInit} (dense, output,
 *       convolution of every kind, LSTM, SimpleRnn, element-wise, ...), also inside the wrappers
 *       {@code Bidirectional}, {@code FrozenLayer}, {@code LastTimeStep}, {@code TimeDistributed}
 *       and {@code FrozenLayerWithBackprop}. All the weight matrices of one layer share its exponent.</li>
 *   <li>{@link Role#PARAMS_ONLY}: SameDiff-backed layers (self-attention, locally connected, capsules) ignore
 *       {@code IWeightInit}; the ramp reaches them only by rescaling an initialised network.</li>
 *   <li>{@link Role#EXCLUDED}: embeddings (docs/METHOD.md: not scaled) and PReLU (its weights are activation slopes,
 *       not a linear map). They take no ramp position.</li>
 *   <li>{@link Role#NO_WEIGHTS}: BatchNorm, pooling, activation, dropout, loss layers: no ramp position.</li>
 *   <li>{@link Role#UNSUPPORTED}: any other layer with weights (a custom layer): an error names it unless a
 *       {@link LayerFilter} leaves it out.</li>
 * </ul>
 */
public final class LayerSupport {

    enum Role { RAMP, PARAMS_ONLY, EXCLUDED, NO_WEIGHTS, UNSUPPORTED }

    private LayerSupport() {
    }

    /** The layers inside wrappers; the layer itself when it wraps nothing. */
    public static List<Layer> unwrap(Layer layer) {
        List<Layer> out = new ArrayList<>();
        if (layer instanceof Bidirectional) {
            out.addAll(unwrap(((Bidirectional) layer).getFwd()));
            out.addAll(unwrap(((Bidirectional) layer).getBwd()));
        } else if (layer instanceof BaseWrapperLayer) {
            out.addAll(unwrap(((BaseWrapperLayer) layer).getUnderlying()));
        } else if (layer instanceof FrozenLayer) {
            out.addAll(unwrap(((FrozenLayer) layer).getLayer()));
        } else {
            out.add(layer);
        }
        return out;
    }

    static Role role(Layer layer) {
        List<Layer> inner = unwrap(layer);
        boolean weights = false;
        boolean allBase = true;
        boolean sameDiff = false;
        for (Layer x : inner) {
            if (x instanceof EmbeddingLayer || x instanceof EmbeddingSequenceLayer || x instanceof PReLULayer) {
                return Role.EXCLUDED;
            }
            weights |= !x.initializer().weightKeys(x).isEmpty();
            allBase &= x instanceof BaseLayer;
            sameDiff |= x instanceof AbstractSameDiffLayer;
        }
        if (!weights) {
            return Role.NO_WEIGHTS;
        }
        if (allBase) {
            return Role.RAMP;
        }
        return sameDiff ? Role.PARAMS_ONLY : Role.UNSUPPORTED;
    }

    static String exclusionReason(Layer layer) {
        return unwrap(layer).stream().anyMatch(x -> x instanceof PReLULayer)
                ? "PReLU slopes are activation parameters, not a weight matrix: not scaled"
                : "embedding: embeddings are not scaled (docs/METHOD.md section 1)";
    }

    /**
     * The keys of a configured layer's weight matrices, as the runtime layer names them: DL4J's weight keys,
     * looking inside {@code FrozenLayer}, without a dense layer's layer-norm gain (a normalisation parameter).
     */
    public static List<String> weightKeys(Layer layer) {
        if (layer instanceof FrozenLayer) {
            return weightKeys(((FrozenLayer) layer).getLayer());
        }
        List<String> keys = new ArrayList<>(layer.initializer().weightKeys(layer));
        if (unwrap(layer).get(0) instanceof DenseLayer) {
            keys.remove(DefaultParamInitializer.GAIN_KEY);
        }
        return keys;
    }

    /** A readable type: {@code DenseLayer}, {@code Bidirectional(LSTM)}. */
    public static String typeName(Layer layer) {
        String name = layer.getClass().getSimpleName();
        if (layer instanceof Bidirectional) {
            return name + "(" + typeName(((Bidirectional) layer).getFwd()) + ")";
        }
        if (layer instanceof BaseWrapperLayer) {
            return name + "(" + typeName(((BaseWrapperLayer) layer).getUnderlying()) + ")";
        }
        if (layer instanceof FrozenLayer) {
            return name + "(" + typeName(((FrozenLayer) layer).getLayer()) + ")";
        }
        return name;
    }

    /**
     * The fan-in and fan-out that DL4J passes to {@code IWeightInit} for the layer's first weight matrix,
     * or NaN where the layer type is not known here.
     */
    static double[] fans(Layer layer) {
        Layer x = unwrap(layer).get(0);
        if (x instanceof ConvolutionLayer) {
            ConvolutionLayer c = (ConvolutionLayer) x;
            double kernel = 1;
            for (int k : c.getKernelSize()) {
                kernel *= k;
            }
            double stride = 1;
            for (int s : c.getStride()) {
                stride *= s;
            }
            double outChannels = c.getNOut();
            if (x instanceof DepthwiseConvolution2D) {
                outChannels = ((DepthwiseConvolution2D) x).getDepthMultiplier();
            } else if (x instanceof SeparableConvolution2D) {
                outChannels = ((SeparableConvolution2D) x).getDepthMultiplier();
            }
            return new double[] {c.getNIn() * kernel, outChannels * kernel / stride};
        }
        if (x instanceof AbstractLSTM || x instanceof GravesBidirectionalLSTM) {
            FeedForwardLayer f = (FeedForwardLayer) x;
            return new double[] {f.getNOut(), f.getNIn() + f.getNOut()};
        }
        if (x instanceof FeedForwardLayer) {
            FeedForwardLayer f = (FeedForwardLayer) x;
            return new double[] {f.getNIn(), f.getNOut()};
        }
        return new double[] {Double.NaN, Double.NaN};
    }
}
