package org.emergenceinit.onednn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link DenseLayer} with the same arithmetic and two products fewer per training step, installed by
 * {@link LeanDense#install}. DL4J 1.0.0-M2.1's {@code BaseLayer.backpropGradient} recomputes the layer's
 * pre-activation {@code z = x W + b} (the forward product, again) because its activation functions overwrite
 * {@code z} in place, and the first layer also computes the gradient with respect to the network's input, which
 * {@code MultiLayerNetwork.fit} then throws away. This layer keeps a copy of {@code z} from the training forward
 * pass (one element-wise copy instead of one matrix product) and, inside {@code fit} only, skips the first layer's
 * input gradient. Every other operation is DL4J's, in DL4J's order, so parameters, gradients and losses are the
 * same bit for bit ({@code LeanDenseTest}).
 *
 * <p>The shortcuts are taken only inside a {@code fit} step (between {@code onForwardPass} and
 * {@code onBackwardPass} of {@link LeanDense}'s listener) and only for the input the copy was made from; any other
 * call ({@code net.backpropGradient}, a layer without the listener, a mask) takes DL4J's own path.
 */
public class LeanDenseLayer extends DenseLayer {

    private transient INDArray keptZ;
    private transient INDArray keptFor;
    private transient boolean inFitStep;
    private transient boolean skipInputGradient;
    /** Backward passes that used the kept pre-activation, and those that also skipped the input gradient. */
    transient long leanBackward;
    transient long skippedInputGradients;

    /**
     * @param conf     the layer's configuration (the one DL4J's {@code DenseLayer} was built from)
     * @param dataType the network's data type
     */
    public LeanDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Set by {@link LeanDense}'s listener around the backward pass of a {@code fit} step. */
    void fitStep(boolean inStep, boolean skipInput) {
        inFitStep = inStep;
        skipInputGradient = inStep && skipInput;
        if (!inStep) {
            keptZ = null;
            keptFor = null;
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || maskArray != null) {
            keptZ = null;
            keptFor = null;
            return super.activate(training, workspaceMgr);
        }
        // BaseLayer.activate, with a copy of z before the activation function overwrites it
        INDArray z = preOutput(true, workspaceMgr);
        keptZ = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
        keptFor = input;
        return layerConf().getActivationFn().getActivation(z, true);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = keptZ;
        // z must be this step's copy, still in its workspace (after a fit step that threw, the fit-step mark may be
        // stale: the identity of the input and wasClosed() then send the call to DL4J's own path)
        boolean lean = inFitStep && z != null && !z.wasClosed() && keptFor == input && input != null
                && maskArray == null && !hasLayerNorm() && layerConf().getWeightNoise() == null;
        keptZ = null;
        keptFor = null;
        if (!lean) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        // BaseLayer.backpropGradient without the recomputed forward product (and, for the first layer of a fit
        // step, without the input gradient nobody reads)
        assertInputSet(true);
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        Gradient ret = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            delta.sum(biasGrad, 0);
            ret.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray epsilonNext = null;
        leanBackward++;
        if (skipInputGradient) {
            skippedInputGradients++;
        } else {
            epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[]{w.size(0), delta.size(0)}, 'f');
            epsilonNext = w.mmuli(delta.transpose(), epsilonNext).transpose();
        }
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(input.castTo(weightGrad.dataType()), delta, weightGrad, true, false, 1.0, 0.0);
        ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        weightNoiseParams.clear();
        if (epsilonNext != null) {
            epsilonNext = backpropDropOutIfPresent(epsilonNext);
        }
        return new Pair<>(ret, epsilonNext);
    }

    @Override
    public void clear() {
        super.clear();
        keptZ = null;
        keptFor = null;
    }

    /** Whether {@code layer} is DL4J's own dense layer implementation (not a subclass) that this layer can replace. */
    static boolean replaceable(Layer layer) {
        if (layer == null || layer.getClass() != DenseLayer.class) {
            return false;
        }
        org.deeplearning4j.nn.conf.layers.DenseLayer c =
                (org.deeplearning4j.nn.conf.layers.DenseLayer) layer.conf().getLayer();
        return !c.hasLayerNorm() && c.getWeightNoise() == null;
    }
}
