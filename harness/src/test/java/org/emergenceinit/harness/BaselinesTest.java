package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.baselines.Lsuv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up and LSUV baselines: names, the learning-rate ramp, unit output variance per layer. */
class BaselinesTest {

    @TempDir
    Path dir;

    @Test
    void baselineNamesParse() {
        assertEquals(new InitSpec(BaseScheme.XAVIER, false, false, true), InitSpec.parse("xavier+warmup"));
        assertEquals(new InitSpec(BaseScheme.KAIMING, false, true, false), InitSpec.parse("LSUV-Kaiming"));
        assertEquals("lsuv-xavier", InitSpec.parse("lsuv-xavier").name());
        assertEquals("kaiming+warmup", InitSpec.parse("kaiming+warmup").name());
        assertEquals(InitSpec.parse("kaiming"), InitSpec.parse("lsuv-kaiming+warmup").stock());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InitSpec.parse("warmup-xavier"));
        assertTrue(e.getMessage().startsWith("Unknown init 'warmup-xavier'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InitSpec(BaseScheme.XAVIER, true, true, false));
    }

    @Test
    void warmupRampsTheLearningRateLinearlyOverTheFirstEpoch() {
        RunSpec.Optimizer o = new RunSpec.Optimizer("sgd", 0.1, 0.9);
        int epochIterations = 10;
        IUpdater u = o.updater(epochIterations);
        assertEquals(0.01, u.getLearningRate(0, 0), 1e-12, "iteration 0: lr / n");
        assertEquals(0.05, u.getLearningRate(4, 0), 1e-12, "mid-epoch: lr * 5 / 10");
        assertEquals(0.1, u.getLearningRate(9, 0), 1e-12, "last iteration of epoch 1: lr");
        assertEquals(0.1, u.getLearningRate(10, 1), 1e-12, "after epoch 1: lr");
        assertEquals(0.1, u.getLearningRate(1000, 50), 1e-12);
        assertEquals(0.1, o.updater().getLearningRate(0, 0), 1e-12, "no warm-up: constant");
    }

    @Test
    void warmupScheduleIsStoredInTheConfigurationAndDrivesTraining() throws IOException {
        DatasetSource data = Datasets.load("mnist-embedded", null);
        RunSpec o = RunSpec.builder().arch("mlp:784-32-10").init("kaiming+warmup").batch(32).maxBatches(4).epochs(2)
                .probeSamples(50).out(dir.resolve("warmup")).build();
        TrainingRun run = TrainingRun.start(o, data, null);
        MultiLayerNetwork net = run.network();
        assertEquals(0.01 / 4, net.getLearningRate(0), 1e-12, "before the first step");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        IUpdater restored = ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer())
                .getIUpdater();
        assertEquals(0.01 / 4 * 2, restored.getLearningRate(1, 0), 1e-12, "survives JSON");
        EpochStats first = run.epoch();
        assertEquals(0.01, net.getLearningRate(0), 1e-12, "after epoch 1");
        assertEquals(0.01 * (1 + 2 + 3 + 4) / 4 / 4, first.lr(), 1e-12, "epoch 1 records the mean of its ramp");
        assertEquals(0.01, run.epoch().lr(), 1e-12, "epoch 2 runs at the full rate");
        RunResult r = run.finish();
        assertFalse(r.diverged());
        assertEquals(0.01 / 4, r.epochs().get(0).lr(), 1e-12, "epoch 0: the first step's rate");
        List<String> csv = java.nio.file.Files.readAllLines(r.csv());
        assertEquals(String.valueOf(0.01 * 10 / 16), csv.get(2).split(",")[1], "epochs.csv's lr column, epoch 1");
    }

    @Test
    void lsuvGivesUnitOutputVariancePerLayerAndKeepsBiases() throws IOException {
        DatasetSource data = Datasets.load("mnist-embedded", null);
        for (boolean bn : new boolean[] {false, true}) {
            MultiLayerConfiguration conf = ArchSpec.parse("mlp:784-64-64-64-10").build(3,
                    BaseScheme.XAVIER.dl4jName(), bn, InputType.feedForward(784), RunSpec.builder().build().optimizer().updater());
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            List<INDArray> biases = new ArrayList<>();
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayer(i).paramTable().containsKey("b")) {
                    net.getLayer(i).getParam("b").addi(0.01 * (i + 1));
                    biases.add(net.getLayer(i).getParam("b").dup());
                }
            }
            INDArray x = data.trainIterator(128, 1, Layout.FLAT, 1).next().getFeatures();
            List<Lsuv.LayerResult> results = Lsuv.apply(net, x);
            assertEquals(4, results.size(), "four weight layers (BatchNorm skipped)");
            for (Lsuv.LayerResult r : results) {
                double v = Lsuv.preActivationVariance(net, r.index(), x);
                assertEquals(1.0, v, Lsuv.DEFAULT_TOLERANCE, "layer " + r.index() + (bn ? " with BN" : "") + ": " + r);
                assertEquals(r.after(), v, 1e-4);
            }
            assertTrue(results.get(0).rescalings() > 0, "Xavier does not already give unit variance");
            int k = 0;
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayer(i).paramTable().containsKey("b")) {
                    assertEquals(biases.get(k++), net.getLayer(i).getParam("b"), "biases untouched");
                }
            }
        }
    }

    @Test
    void lsuvInitTrains() throws IOException {
        RunSpec o = RunSpec.builder().arch("mlp:784-32-32-10").init("lsuv-kaiming").maxBatches(2).probeSamples(50)
                .out(dir.resolve("lsuv")).build();
        RunResult r = TrainingRun.run(o, null);
        assertFalse(r.diverged());
        assertTrue(r.name().contains("lsuv-kaiming"), r.name());
    }
}
