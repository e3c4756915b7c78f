package org.emergenceinit.measure;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.emergenceinit.weights.LayerSupport;

import java.util.List;

/** How the measure and the pruner classify DL4J layer configurations. */
final class NetworkLayers {

    private NetworkLayers() {
    }

    /** The configuration inside {@code FrozenLayer} and wrapper layers. */
    static Layer unwrap(Layer conf) {
        Layer current = conf;
        while (true) {
            if (current instanceof FrozenLayer frozen) {
                current = frozen.getLayer();
            } else if (current instanceof BaseWrapperLayer wrapper) {
                current = wrapper.getUnderlying();
            } else {
                return current;
            }
        }
    }

    /**
     * A weight layer: its parameter initializer declares weight keys. BatchNormalization (no
     * weight keys) and PReLU (its "weights" are activation slopes) are not weight layers.
     */
    static boolean isWeightLayer(Layer conf) {
        Layer layer = unwrap(conf);
        if (layer instanceof BatchNormalization || layer instanceof PReLULayer) {
            return false;
        }
        return !layer.initializer().weightKeys(layer).isEmpty();
    }

    /**
     * A layer that belongs to the weight layer before it: it keeps the node (unit or channel)
     * count and identity. BatchNorm, activation, PReLU, dropout, local response normalisation,
     * and pooling (including global pooling, which only removes the spatial axes).
     */
    static boolean isFoldLayer(Layer conf) {
        Layer layer = unwrap(conf);
        return layer instanceof BatchNormalization || layer instanceof ActivationLayer || layer instanceof PReLULayer
                || layer instanceof DropoutLayer || layer instanceof LocalResponseNormalization
                || layer instanceof SubsamplingLayer || layer instanceof Subsampling3DLayer
                || layer instanceof GlobalPoolingLayer;
    }

    /** The weight keys to prune: the weight matrices of {@link LayerSupport#weightKeys}, for weight layers only. */
    static List<String> prunableWeightKeys(Layer conf) {
        return isWeightLayer(conf) ? LayerSupport.weightKeys(conf) : List.of();
    }

    /**
     * The axis of the nodes in an activation of the given rank produced by (or after) the weight
     * layer {@code conf}: axis 1 unless the layer declares a channels-last format.
     */
    static int nodeAxis(Layer conf, int rank) {
        Layer layer = unwrap(conf);
        if (rank == 4 && layer instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        if (rank == 5 && layer instanceof Convolution3D conv && conv.getDataFormat() == Convolution3D.DataFormat.NDHWC) {
            return 4;
        }
        if (rank == 3) {
            if (layer instanceof Convolution1DLayer conv && conv.getRnnDataFormat() == RNNFormat.NWC) {
                return 2;
            }
            if (layer instanceof BaseRecurrentLayer rnn && rnn.getRnnDataFormat() == RNNFormat.NWC) {
                return 2;
            }
        }
        return 1;
    }

    /** Simple class name of the unwrapped configuration. */
    static String typeName(Layer conf) {
        return unwrap(conf).getClass().getSimpleName();
    }
}
