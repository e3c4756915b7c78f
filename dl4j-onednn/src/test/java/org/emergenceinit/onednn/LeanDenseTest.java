package org.emergenceinit.onednn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LeanDense}: the same training, bit for bit, as DL4J's own dense layers, with the shortcuts taken only where
 * they are safe.
 */
class LeanDenseTest {

    private static MultiLayerConfiguration mlp(boolean dropout, InputType input) {
        return mlp(dropout, input, true);
    }

    private static MultiLayerConfiguration mlp(boolean dropout, InputType input, boolean outputLayer) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Nesterovs(0.05, 0.9))
                .l2(1e-4)
                .list()
                .layer(new DenseLayer.Builder().nOut(24).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.TANH)
                        .dropOut(dropout ? 0.8 : 0.0).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build())
                .layer(outputLayer ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build()
                        : new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build());
        return b.setInputType(input).build();
    }

    private static List<DataSet> batches(int n, int features, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 32, features).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 3);
            for (int r = 0; r < 32; r++) {
                y.putScalar(r, (r * 7 + i) % 3, 1);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** Trains {@code steps} batches and returns the score after each step; the network's params are its state. */
    private static double[] train(MultiLayerNetwork net, List<DataSet> data) {
        double[] scores = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            Nd4j.getRandom().setSeed(100 + i); // dropout masks: the same draws on both paths
            net.fit(data.get(i));
            scores[i] = net.score();
        }
        return scores;
    }

    private static void assertBitEqual(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat(), 0.0f);
    }

    @Test
    void trainsBitForBitLikeDl4jsDenseLayers() {
        for (boolean dropout : new boolean[]{false, true}) {
            MultiLayerConfiguration conf = mlp(dropout, InputType.feedForward(20));
            List<DataSet> data = batches(12, 20, 3);
            MultiLayerNetwork stock = new MultiLayerNetwork(conf.clone());
            stock.init();
            MultiLayerNetwork lean = new MultiLayerNetwork(conf.clone());
            lean.init();
            assertEquals(3, LeanDense.install(lean));
            assertInstanceOf(LeanDenseLayer.class, lean.getLayer(0));
            assertInstanceOf(LeanDenseLayer.class, lean.getLayer("layer0") == null ? lean.getLayer(0)
                    : lean.getLayer(lean.getLayerNames().get(0)));
            assertBitEqual(stock.params(), lean.params());
            double[] s = train(stock, data);
            double[] l = train(lean, data);
            assertArrayEquals(s, l, 0.0, "losses, dropout " + dropout);
            assertBitEqual(stock.params(), lean.params());
            assertBitEqual(stock.getUpdater().getStateViewArray(), lean.getUpdater().getStateViewArray());
        }
    }

    @Test
    void theShortcutsAreTakenInFitOnlyAndBackpropGradientStillGivesTheInputGradient() {
        MultiLayerNetwork lean = new MultiLayerNetwork(mlp(false, InputType.feedForward(20)));
        lean.init();
        LeanDense.install(lean);
        lean.fit(batches(1, 20, 5).get(0));
        LeanDenseLayer[] layers = {(LeanDenseLayer) lean.getLayer(0), (LeanDenseLayer) lean.getLayer(1),
                (LeanDenseLayer) lean.getLayer(2)};
        for (LeanDenseLayer l : layers) {
            assertEquals(1, l.leanBackward, "the kept pre-activation was used in the fit step");
        }
        assertEquals(1, layers[0].skippedInputGradients);
        assertEquals(0, layers[1].skippedInputGradients);
        assertEquals(0, layers[2].skippedInputGradients);

        // outside fit: DL4J's own path, and the input gradient equal to the stock network's (a network ending in a
        // dense layer, since DL4J's backpropGradient(epsilon) refuses an OutputLayer)
        MultiLayerNetwork stock = new MultiLayerNetwork(mlp(false, InputType.feedForward(20), false));
        stock.init();
        MultiLayerNetwork open = new MultiLayerNetwork(mlp(false, InputType.feedForward(20), false));
        open.init();
        assertEquals(4, LeanDense.install(open));
        DataSet d = batches(1, 20, 6).get(0);
        INDArray epsLean = inputGradient(open, d);
        INDArray epsStock = inputGradient(stock, d);
        assertBitEqual(epsStock, epsLean);
        assertTrue(epsLean.norm2Number().doubleValue() > 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, ((LeanDenseLayer) open.getLayer(i)).leanBackward, "no shortcut outside fit");
        }
    }

    private static INDArray inputGradient(MultiLayerNetwork net, DataSet d) {
        net.setInput(d.getFeatures());
        net.feedForward(true, false); // a training forward pass that keeps the layers' inputs
        Pair<Gradient, INDArray> p = net.backpropGradient(Nd4j.ones(DataType.FLOAT, d.numExamples(), 3),
                LayerWorkspaceMgr.noWorkspaces());
        return p.getSecond();
    }

    @Test
    void aFirstLayerWithAPreprocessorStillTrainsTheSame() {
        MultiLayerConfiguration conf = mlp(false, InputType.convolutional(4, 5, 1));
        assertTrue(conf.getInputPreProcess(0) != null, "the test needs a preprocessor before layer 0");
        List<DataSet> data = batches(6, 20, 8);
        List<DataSet> images = new ArrayList<>();
        for (DataSet d : data) {
            images.add(new DataSet(d.getFeatures().reshape('c', 32, 1, 4, 5), d.getLabels()));
        }
        MultiLayerNetwork stock = new MultiLayerNetwork(conf.clone());
        stock.init();
        MultiLayerNetwork lean = new MultiLayerNetwork(conf.clone());
        lean.init();
        LeanDense.install(lean);
        assertArrayEquals(train(stock, images), train(lean, images), 0.0);
        assertBitEqual(stock.params(), lean.params());
    }

    @Test
    void leavesLayerNormWeightNoiseAndOtherLayersAlone() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).hasLayerNorm(true).build())
                .layer(new DenseLayer.Builder().nOut(4).weightNoise(new DropConnect(0.9)).build())
                .layer(new DenseLayer.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(1, LeanDense.install(net));
        Layer[] layers = net.getLayers();
        assertFalse(layers[0] instanceof LeanDenseLayer);
        assertFalse(layers[1] instanceof LeanDenseLayer);
        assertTrue(layers[2] instanceof LeanDenseLayer);
        assertFalse(layers[3] instanceof LeanDenseLayer);
        assertEquals(0, LeanDense.install(net), "installing twice replaces nothing");
        assertEquals(1, net.getListeners().stream().filter(LeanDense::isInstalledListener).count());
    }

    @Test
    void savedModelsAreStockAndOtherListenersStillRun(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = mlp(false, InputType.feedForward(20));
        MultiLayerNetwork lean = new MultiLayerNetwork(conf.clone());
        lean.init();
        LeanDense.install(lean);
        int[] calls = {0};
        lean.addListeners(new ScoreIterationListener(1) {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                calls[0]++;
            }
        });
        train(lean, batches(3, 20, 9));
        assertEquals(3, calls[0]);
        File f = dir.resolve("m.zip").toFile();
        ModelSerializer.writeModel(lean, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(lean.getLayerWiseConfigurations().toJson(), back.getLayerWiseConfigurations().toJson());
        assertFalse(back.getLayerWiseConfigurations().toJson().contains("Lean"));
        assertFalse(back.getLayer(0) instanceof LeanDenseLayer);
        assertBitEqual(lean.params(), back.params());
    }

    @Test
    void refusesAnUninitialisedNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(false, InputType.feedForward(20)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LeanDense.install(net));
        assertTrue(e.getMessage().contains("net.init()"), e.getMessage());
    }
}
