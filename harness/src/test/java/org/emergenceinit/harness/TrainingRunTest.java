package org.emergenceinit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRunTest {

    @TempDir
    Path dir;

    private RunSpec.Builder small(String name) {
        RunSpec.Builder o = RunSpec.builder();
        o.arch("mlp:784-64-32-10");
        o.init("emergence-kaiming");
        o.alpha(1.1);
        o.epochs(2);
        o.batch(64);
        o.maxBatches(3);
        o.probeSamples(100);
        o.out(dir.resolve(name));
        return o;
    }

    @Test
    void manifestAndCsvAreWrittenAndParseBack() throws IOException {
        RunResult r = TrainingRun.run(small("run").build(), null);
        List<String> lines = Files.readAllLines(r.csv());
        assertEquals(String.join(",", EpochStats.CSV_COLUMNS), lines.get(0));
        assertEquals(List.of("epoch", "lr", "trainLoss", "testLoss", "testAccuracy", "E", "log10E", "relativeE",
                "trainAccuracy", "seconds"), EpochStats.CSV_COLUMNS);
        assertEquals(4, lines.size(), "header, epochs 0, 1, 2");
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            assertEquals(EpochStats.CSV_COLUMNS.size(), cells.length);
            assertEquals(i - 1, Integer.parseInt(cells[0]));
            assertEquals(0.01, Double.parseDouble(cells[1]));
            double accuracy = Double.parseDouble(cells[4]);
            assertTrue(accuracy >= 0 && accuracy <= 1);
            assertEquals(r.epochs().get(i - 1).emergence().toString(), cells[5]);
        }
        assertEquals("", lines.get(1).split(",", -1)[2], "no train loss at init: an empty cell");
        assertTrue(lines.stream().skip(1).allMatch(l -> l.split(",", -1)[8].isEmpty()),
                "no training accuracy asked: empty cells");
        assertTrue(Double.isNaN(EpochStats.parseCsvRow(lines.get(1)).trainLoss()), "read back as NaN");

        JsonNode m = new ObjectMapper().readTree(r.manifest().toFile());
        assertEquals(RunManifest.projectVersion(), m.at("/project/version").asText());
        assertEquals("1.0.0-M2.1", m.get("dl4jVersion").asText());
        assertEquals(System.getProperty("java.version"), m.at("/java/version").asText());
        assertEquals("CpuBackend", m.at("/backend/name").asText());
        assertTrue(m.at("/threads").has("OMP_NUM_THREADS"));
        assertEquals(1, m.at("/seeds/configuration").asLong());
        assertEquals("mnist-embedded (6,000 train / 1,000 test)", m.at("/dataset/label").asText());
        assertEquals(64, m.at("/dataset/sha256").asText().length());
        assertEquals(4, m.at("/dataset/files").size());
        assertFalse(m.get("start").isNull());
        assertFalse(m.get("end").isNull());
        assertEquals(2, m.at("/result/epochsRun").asInt());
        assertEquals(3, m.get("rampPlan").size());
        String conf = m.get("configuration").toString();
        assertTrue(conf.contains("org.emergenceinit.weights.EmergenceWeightInit"), "bound init objects");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf);
        assertEquals(3, back.getConfs().size());
        assertFalse(Files.list(r.csv().getParent()).anyMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void sameSeedGivesTheSameRun() throws IOException {
        RunResult a = TrainingRun.run(small("a").build(), null);
        RunResult b = TrainingRun.run(small("b").build(), null);
        for (int i = 0; i < a.epochs().size(); i++) {
            EpochStats x = a.epochs().get(i);
            EpochStats y = b.epochs().get(i);
            assertEquals(x.trainLoss(), y.trainLoss());
            assertEquals(x.testLoss(), y.testLoss());
            assertEquals(x.testAccuracy(), y.testAccuracy());
            assertEquals(x.emergence(), y.emergence());
        }
        RunSpec.Builder other = small("c");
        other.seed(2);
        assertFalse(a.last().testLoss() == TrainingRun.run(other.build(), null).last().testLoss());
    }

    @Test
    void divergenceIsRecordedNotThrown() throws IOException {
        RunSpec.Builder o = small("diverge");
        o.lr(1e6);
        o.init("kaiming");
        RunResult r = TrainingRun.run(o.build(), null);
        assertTrue(r.diverged());
        assertTrue(Double.isNaN(r.last().trainLoss()) || Double.isInfinite(r.last().trainLoss()));
        assertTrue(r.epochs().size() <= 3);
        JsonNode m = new ObjectMapper().readTree(r.manifest().toFile());
        assertTrue(m.at("/result/diverged").asBoolean());
        assertTrue(m.at("/result/final/trainLoss").isNull());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        for (String[] bad : List.of(new String[] {"optimizer", "rmsprop"}, new String[] {"epochs", "0"},
                new String[] {"batch", "0"}, new String[] {"lr", "0"}, new String[] {"lr", "-1"})) {
            RunSpec.Builder o = small("bad");
            switch (bad[0]) {
                case "optimizer" -> o.optimizer(bad[1]);
                case "epochs" -> o.epochs(Integer.parseInt(bad[1]));
                case "batch" -> o.batch(Integer.parseInt(bad[1]));
                default -> o.lr(Double.parseDouble(bad[1]));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(o.build(), null));
            assertTrue(e.getMessage().contains("--" + bad[0]) && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written for bad options");
    }

    @Test
    void runNameEncodesTheHyperparameters() {
        RunSpec.Builder o = RunSpec.builder();
        // At the defaults: the names of the committed sweeps' runs (nothing appended).
        assertEquals("mnist-embedded_mlp-784-256-128-10_emergence-xavier-a1.2_sgd+nesterov0.9-lr0.01_b128_s1",
                o.build().runName());
        o = small("x");
        o.batchNorm(true);
        o.momentum(0.0);
        assertEquals("mnist-embedded_mlp-784-64-32-10_emergence-kaiming-a1.1_bn_sgd-lr0.01_b64_mb3_p100_s1",
                o.build().runName(), "--max-batches and --probe-samples off their defaults are in the name");
        o.maxBatches(0);
        o.probeSamples(RunSpec.DEFAULT_PROBE_SAMPLES);
        o.mode("integer");
        assertEquals("mnist-embedded_mlp-784-64-32-10_emergence-kaiming-a1.1-integer_bn_sgd-lr0.01_b64_s1",
                o.build().runName());
        o.init("kaiming");
        assertEquals("mnist-embedded_mlp-784-64-32-10_kaiming_bn_sgd-lr0.01_b64_s1", o.build().runName(),
                "a stock init has no ramp: neither alpha nor mode");
        assertNotNull(o.build().outDir());
    }

    @Test
    void ownDataOptionsAreInTheNameAndTheManifest() {
        RunSpec.Builder o = RunSpec.builder();
        o.dataset("csv:table.csv");
        String plain = o.build().runName();
        o.own(org.emergenceinit.data.OwnDataSpec.DEFAULTS.withTestFraction(0.3).withLabelColumn(2));
        assertEquals(plain.replace("_s1", "_tf0.3_label2_s1"), o.build().runName());
        assertEquals(0.3, ((Map<?, ?>) RunManifest.options(o.build()).get("data")).get("testFraction"));
        o.dataset("mnist");
        assertFalse(RunManifest.options(o.build()).containsKey("data"), "built-in data: not read, not recorded");
        assertFalse(o.build().runName().contains("_tf"));
    }

    @Test
    void oneSetOfDefaults() {
        RunSpec o = RunSpec.builder().build();
        assertEquals(2, o.epochs());
        assertEquals(0.9, o.optimizer().momentumValue());
        assertEquals(new org.nd4j.linalg.learning.config.Nesterovs(0.01, 0.9), o.optimizer().updater());
        RunSpec.Optimizer adam = new RunSpec.Optimizer("adam", 0.01, null);
        assertEquals(0.0, adam.momentumValue(), "adam takes no momentum");
        assertEquals(new org.nd4j.linalg.learning.config.Adam(0.01), adam.updater());
        assertEquals("adam", adam.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RunSpec.Optimizer("adam", 0.01, 0.5));
        assertTrue(e.getMessage().contains("--momentum applies to --optimizer sgd only"), e.getMessage());
        assertEquals(new org.nd4j.linalg.learning.config.Sgd(0.01), new RunSpec.Optimizer("sgd", 0.01, 0.0).updater(),
                "--momentum 0: plain SGD");
        assertThrows(IllegalArgumentException.class, () -> RunSpec.builder().momentum(1.0).build());
    }

    @Test
    void raisingOnlyTheEpochsContinuesTheRunWithTheNumbersOfALongerOne() throws IOException {
        RunSpec.Builder whole = small("whole");
        whole.epochs(3);
        whole.init("kaiming+warmup");
        RunResult uninterrupted = TrainingRun.run(whole.build(), null);

        RunSpec.Builder shorter = small("extended");
        shorter.epochs(1);
        shorter.init("kaiming+warmup");
        TrainingRun.run(shorter.build(), null);
        RunSpec.Builder longer = small("extended");
        longer.epochs(3);
        longer.init("kaiming+warmup");
        assertFalse(TrainingRun.holdsOtherRun(longer.build()), "the same run with fewer epochs is not another run");
        java.io.StringWriter log = new java.io.StringWriter();
        RunResult extended = TrainingRun.run(longer.build(), new java.io.PrintWriter(log));
        assertTrue(log.toString().contains("resuming after epoch 1 of 3"), log.toString());
        assertEquals(numbers(uninterrupted.epochs()), numbers(extended.epochs()));
        assertEquals(3, new ObjectMapper().readTree(extended.manifest().toFile()).at("/options/epochs").asInt());

        // Fewer epochs than the folder holds: refused, saying how to see it.
        RunSpec.Builder fewer = small("extended");
        fewer.epochs(2);
        fewer.init("kaiming+warmup");
        assertTrue(TrainingRun.holdsOtherRun(fewer.build()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingRun.run(fewer.build(), null));
        assertTrue(e.getMessage().contains("holds a run of 3 epochs, more than the 2 asked for")
                && e.getMessage().contains("--epochs 3"), e.getMessage());
    }

    /** Numbers of a run without the wall-clock seconds (column {@code seconds}). */
    private static List<String> numbers(List<EpochStats> epochs) {
        int seconds = EpochStats.CSV_COLUMNS.indexOf("seconds");
        return epochs.stream().map(e -> {
            List<String> cells = new java.util.ArrayList<>(List.of(e.csvRow().split(",", -1)));
            cells.remove(seconds);
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void aKilledRunResumesAfterItsLastEpochAndEndsWithTheSameNumbers() throws IOException {
        RunSpec.Builder whole = small("whole");
        whole.epochs(3);
        whole.init("kaiming+warmup"); // the warm-up schedule depends on the iteration count, restored too
        RunResult uninterrupted = TrainingRun.run(whole.build(), null);
        INDArray expected = ModelSerializer.restoreMultiLayerNetwork(
                whole.build().outDir().resolve(TrainingRun.MODEL_FILE).toFile(), true).params();

        RunSpec.Builder killed = small("killed");
        killed.epochs(3);
        killed.init("kaiming+warmup");
        org.emergenceinit.data.DatasetSource data = org.emergenceinit.data.Datasets.load(killed.build().data().dataset(), null);
        TrainingRun first = TrainingRun.start(killed.build(), data, null);
        first.epoch(); // epoch 1 done and checkpointed; then the process "dies" (the object is dropped)
        assertTrue(Files.isRegularFile(killed.build().outDir().resolve(TrainingRun.MODEL_FILE)));

        java.io.StringWriter log = new java.io.StringWriter();
        TrainingRun again = TrainingRun.start(killed.build(), data, new java.io.PrintWriter(log));
        assertTrue(log.toString().contains("resuming after epoch 1 of 3"), log.toString());
        while (again.hasNextEpoch()) {
            again.epoch();
        }
        RunResult resumed = again.finish();
        assertEquals(numbers(uninterrupted.epochs()), numbers(resumed.epochs()));
        assertEquals(expected, again.network().params(), "same parameters as the uninterrupted run");
        assertEquals(Files.readAllLines(uninterrupted.csv()).size(), Files.readAllLines(resumed.csv()).size());

        // Started once more: already finished, nothing trained.
        TrainingRun done = TrainingRun.start(killed.build(), data, null);
        assertFalse(done.hasNextEpoch());
        assertEquals(numbers(resumed.epochs()), numbers(done.finish().epochs()));
    }

    @Test
    void aFolderHoldingAnotherRunIsRefusedWithWhatDiffers() throws IOException {
        RunSpec.Builder o = small("taken");
        o.epochs(1);
        TrainingRun.run(o.build(), null);
        RunSpec.Builder other = small("taken");
        other.epochs(1);
        other.maxBatches(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingRun.run(other.build(), null));
        assertTrue(e.getMessage().contains("holds a run with other options (maxBatches 3 there, 2 now)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("use another --out"), e.getMessage());
    }

    @Test
    void sweepRunsDeleteTheirModelWhenFinished() throws IOException {
        RunSpec.Builder o = small("sweep-run");
        o.epochs(1);
        o.keepModel(false);
        TrainingRun.run(o.build(), null);
        assertFalse(Files.exists(o.build().outDir().resolve(TrainingRun.MODEL_FILE)));
        assertTrue(Files.isRegularFile(o.build().outDir().resolve(RunManifest.FILE)));
    }

    @Test
    void progressIsPrintedWhileAnEpochTrainsAndCanBeTurnedOff() throws IOException {
        RunSpec.Builder o = small("progress");
        o.epochs(1);
        o.progressSeconds(1e-9); // every batch
        java.io.StringWriter log = new java.io.StringWriter();
        TrainingRun.run(o.build(), new java.io.PrintWriter(log));
        long lines = log.toString().lines().filter(l -> l.startsWith("epoch 1 batch ")).count();
        assertEquals(3, lines, log.toString());
        assertTrue(log.toString().contains("examples/s") && log.toString().contains("left)"), log.toString());

        RunSpec.Builder off = small("progress-off");
        off.epochs(1);
        off.progressSeconds(0);
        java.io.StringWriter quiet = new java.io.StringWriter();
        TrainingRun.run(off.build(), new java.io.PrintWriter(quiet));
        assertEquals(0, quiet.toString().lines().filter(l -> l.startsWith("epoch 1 batch ")).count(),
                quiet.toString());
        off.progressSeconds(-1);
        assertThrows(IllegalArgumentException.class, off::build);
    }
}
