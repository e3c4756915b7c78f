package org.emergenceinit.onednn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.List;

/**
 * Dense layers that train with two matrix products fewer per step: replaces, in an initialised
 * {@link MultiLayerNetwork}, each of DL4J's own {@code DenseLayer} implementations by a {@link LeanDenseLayer} on the
 * same configuration, parameters and gradient arrays, and adds the listener that tells those layers when a
 * {@code fit} step is under way.
 *
 * <pre>{@code
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);
 * net.init();
 * LeanDense.install(net);      // after init (or restore), before fit; add listeners with addListeners
 * net.fit(trainIterator);
 * }</pre>
 *
 * <p>Why: DL4J 1.0.0-M2.1 computes a dense layer's forward product {@code x W} twice per training step (once in the
 * forward pass and again in {@code backpropGradient}, since its activation functions overwrite the pre-activation in
 * place), and the first layer's gradient with respect to the input, which {@code fit} discards. For an MLP whose
 * first layer dominates (784-256-128-10 on MNIST) that is 4 products of the first layer's size where 2 are needed.
 * Results are bit-identical to DL4J's: the same operations in the same order on the same arrays, minus the
 * repeated and unused ones.
 *
 * <p>What is left alone: layers that are not exactly DL4J's {@code DenseLayer} (output layers, subclasses, other
 * types), dense layers with layer normalisation or weight noise (their pre-activation depends on more than a copy
 * can keep), masked inputs, and every call outside a {@code fit} step ({@code net.backpropGradient(...)},
 * {@code output}, {@code feedForward}): those run DL4J's own code. The configuration and saved models are unchanged
 * (a saved model names DL4J's {@code DenseLayer}; restore it and call {@code install} again). Calling
 * {@code net.setListeners(...)} afterwards removes the listener and with it the shortcuts (results stay the same);
 * use {@code addListeners}. A network cloned with {@code net.clone()} gets DL4J's layers: install on the clone too.
 */
public final class LeanDense {

    private LeanDense() {
    }

    /**
     * Replaces DL4J's dense layer implementations of an initialised network with {@link LeanDenseLayer}s.
     *
     * @param net an initialised network ({@code init()} called, or restored)
     * @return the number of layers replaced (0 when the network has none that can be; calling twice replaces none
     *     the second time)
     * @throws IllegalStateException if the network has not been initialised
     */
    public static int install(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        if (layers == null || net.params() == null) {
            throw new IllegalStateException("LeanDense.install needs an initialised network: call net.init() first.");
        }
        int replaced = 0;
        Layer[] next = layers.clone();
        for (int i = 0; i < layers.length; i++) {
            if (!LeanDenseLayer.replaceable(layers[i])) {
                continue;
            }
            Layer old = layers[i];
            LeanDenseLayer lean = new LeanDenseLayer(old.conf(), old.params().dataType());
            lean.setListeners(old.getListeners());
            lean.setIndex(old.getIndex());
            lean.setParamsViewArray(old.params());
            lean.setParamTable(old.paramTable());
            if (old.getGradientsViewArray() != null) { // else MultiLayerNetwork sets it at the first fit
                lean.setBackpropGradientsViewArray(old.getGradientsViewArray());
            }
            lean.setCacheMode(net.getLayerWiseConfigurations().getCacheMode());
            lean.setEpochCount(old.getEpochCount());
            lean.setIterationCount(old.getIterationCount());
            next[i] = lean;
            replaced++;
        }
        if (replaced == 0) {
            return 0;
        }
        net.setLayers(next);
        replaceInLayerMap(net, layers, next);
        if (net.getListeners() == null || net.getListeners().stream().noneMatch(l -> l instanceof FitStepListener)) {
            net.addListeners(new FitStepListener());
        }
        return replaced;
    }

    /** {@code MultiLayerNetwork.getLayer(String)} reads a map that {@code setLayers} does not update. */
    @SuppressWarnings("unchecked")
    private static void replaceInLayerMap(MultiLayerNetwork net, Layer[] before, Layer[] after) {
        try {
            Field f = MultiLayerNetwork.class.getDeclaredField("layerMap");
            f.setAccessible(true);
            Map<String, Layer> map = (Map<String, Layer>) f.get(net);
            if (map == null) {
                return;
            }
            for (Map.Entry<String, Layer> e : map.entrySet()) {
                for (int i = 0; i < before.length; i++) {
                    if (e.getValue() == before[i]) {
                        e.setValue(after[i]);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("LeanDense.install could not update the network's layer map ("
                    + e + "): this DL4J version differs from 1.0.0-M2.1; do not use LeanDense with it.", e);
        }
    }

    /**
     * Marks the backward pass of a {@code fit} step: {@code MultiLayerNetwork.computeGradientAndScore} calls
     * {@code onForwardPass} right after its training forward pass and {@code onBackwardPass} after the gradients;
     * nothing else calls them in between.
     */
    static final class FitStepListener extends BaseTrainingListener implements java.io.Serializable {

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            mark(model, true);
        }

        @Override
        public void onBackwardPass(Model model) {
            mark(model, false);
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            mark(model, false);
        }

        private static void mark(Model model, boolean inStep) {
            if (!(model instanceof MultiLayerNetwork net)) {
                return;
            }
            Layer[] layers = net.getLayers();
            boolean noPreprocessor = net.getLayerWiseConfigurations().getInputPreProcess(0) == null;
            for (int i = 0; i < layers.length; i++) {
                if (layers[i] instanceof LeanDenseLayer lean) {
                    lean.fitStep(inStep, i == 0 && noPreprocessor);
                }
            }
        }
    }

    /** Whether {@code listener} is the one {@link #install} adds (for code that rebuilds listener lists). */
    public static boolean isInstalledListener(TrainingListener listener) {
        return listener instanceof FitStepListener;
    }
}
