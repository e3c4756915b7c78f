package org.emergenceinit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training-set accuracy ({@link RunSpec.Evaluation#trainAccuracy()}): the accuracy DL4J's own evaluation gives
 * over the training set, a measurement that changes nothing of the training, nor the run's name, and a run made
 * without it is not resumed as one with it.
 */
class TrainAccuracyTest {

    @TempDir
    Path dir;

    private static DatasetSource data;

    @BeforeAll
    static void load() throws IOException {
        data = Datasets.load("mnist-embedded", null);
    }

    private RunSpec.Builder small(String name) {
        return RunSpec.builder().arch("mlp:784-32-16-10").init("emergence-kaiming").alpha(1.1).epochs(2).batch(64)
                .maxBatches(3).probeSamples(100).out(dir.resolve(name));
    }

    /** DL4J's {@link Evaluation} of {@code net}, in inference mode, over the first {@code n} training examples. */
    private static double evaluated(MultiLayerNetwork net, int n) {
        DataSet head = data.train().head(n).toDataSet(Layout.FLAT);
        data.normalizer(Layout.FLAT).ifPresent(z -> z.transform(head));
        Evaluation e = new Evaluation(data.numClasses());
        e.eval(head.getLabels(), net.output(head.getFeatures(), false));
        assertEquals(n, e.getNumRowCounter());
        return e.accuracy();
    }

    @Test
    void theTrainingAccuracyIsDl4jsEvaluationOverTheWholeTrainingSet() throws IOException {
        // no batch cap: every one of the 6,000 training images, after each epoch and at initialization
        RunSpec spec = small("whole").maxBatches(0).batch(1000).epochs(2).trainAccuracy(true).build();
        TrainingRun run = TrainingRun.start(spec, data, null);
        double atInit = evaluated(run.network(), data.numTrain());
        EpochStats first = run.epoch();
        assertEquals(evaluated(run.network(), data.numTrain()), first.trainAccuracy());
        EpochStats second = run.epoch();
        assertEquals(evaluated(run.network(), data.numTrain()), second.trainAccuracy());
        RunResult r = run.finish();
        assertEquals(atInit, r.initial().trainAccuracy(), "epoch 0: the network at initialization");
        assertTrue(second.trainAccuracy() > atInit + 0.2, r.epochs().toString());

        // the column in epochs.csv and the manifest
        List<String> csv = Files.readAllLines(r.csv());
        assertEquals(String.join(",", EpochStats.CSV_COLUMNS), csv.get(0));
        assertTrue(csv.get(0).endsWith(",relativeE,trainAccuracy,seconds"), "seconds stays last: " + csv.get(0));
        for (int i = 1; i < csv.size(); i++) {
            assertEquals(r.epochs().get(i - 1).trainAccuracy(), EpochStats.parseCsvRow(csv.get(i)).trainAccuracy());
        }
        JsonNode m = RunManifest.JSON.readTree(r.manifest().toFile());
        assertTrue(m.at("/options/trainAccuracy").asBoolean(), "an option of the run");
        assertTrue(m.at("/spec/evaluation/trainAccuracy").asBoolean(), "in its spec");
        assertEquals(second.trainAccuracy(), m.at("/result/final/trainAccuracy").asDouble());
    }

    @Test
    void underABatchCapItIsTheFirstBatchesOfTheTrainingSetInFileOrderAsForTheTestSet() throws IOException {
        RunSpec spec = small("capped").epochs(1).trainAccuracy(true).build(); // 3 batches of 64
        TrainingRun run = TrainingRun.start(spec, data, null);
        double atInit = evaluated(run.network(), 3 * 64);
        EpochStats first = run.epoch();
        assertEquals(evaluated(run.network(), 3 * 64), first.trainAccuracy());
        assertEquals(atInit, run.finish().initial().trainAccuracy());
    }

    @Test
    void measuringItChangesNeitherTheTrainingNorTheRunName() throws IOException {
        // BatchNorm (whose running statistics an inference pass must not move) and Nesterov momentum (updater state)
        RunSpec off = small("off").batchNorm(true).epochs(3).build();
        RunSpec on = small("on").batchNorm(true).epochs(3).trainAccuracy(true).build();
        assertEquals(off.runName(), on.runName(), "the run name leaves the training accuracy out");
        assertEquals(off.settingName(), on.settingName());
        assertEquals(off.toBuilder().out(null).build().outDir(), on.toBuilder().out(null).build().outDir(),
                "so the same default folder");

        TrainingRun a = TrainingRun.start(off, data, null);
        TrainingRun b = TrainingRun.start(on, data, null);
        while (a.hasNextEpoch()) {
            a.epoch();
            b.epoch();
        }
        assertFalse(b.hasNextEpoch());
        RunResult x = a.finish();
        RunResult y = b.finish();
        assertEquals(x.epochs().size(), y.epochs().size());
        for (int i = 0; i < x.epochs().size(); i++) {
            EpochStats p = x.epochs().get(i);
            EpochStats q = y.epochs().get(i);
            assertEquals(p.lr(), q.lr());
            assertEquals(p.trainLoss(), q.trainLoss(), "epoch " + i);
            assertEquals(p.testLoss(), q.testLoss(), "epoch " + i);
            assertEquals(p.testAccuracy(), q.testAccuracy(), "epoch " + i);
            assertEquals(p.emergence(), q.emergence(), "epoch " + i);
            assertEquals(p.relativeE(), q.relativeE(), "epoch " + i);
            assertTrue(Double.isNaN(p.trainAccuracy()), "not measured: NaN");
            assertTrue(q.trainAccuracy() >= 0 && q.trainAccuracy() <= 1, "measured: " + q);
        }
        assertArrayEquals(a.network().params().data().asFloat(), b.network().params().data().asFloat(),
                "the same parameters, bit for bit");
        assertArrayEquals(a.network().getUpdater().getStateViewArray().data().asFloat(),
                b.network().getUpdater().getStateViewArray().data().asFloat(), "the same momentum");
        // and the saved checkpoints hold the same network
        MultiLayerNetwork savedA = ModelSerializer.restoreMultiLayerNetwork(
                off.outDir().resolve(TrainingRun.MODEL_FILE).toFile(), true);
        MultiLayerNetwork savedB = ModelSerializer.restoreMultiLayerNetwork(
                on.outDir().resolve(TrainingRun.MODEL_FILE).toFile(), true);
        assertArrayEquals(savedA.params().data().asFloat(), savedB.params().data().asFloat());
    }

    @Test
    void aRunMadeWithoutItIsNotResumedAsOneWithItNorTheReverse() throws IOException {
        TrainingRun.run(small("without").epochs(1).build(), null);
        RunSpec asked = small("without").epochs(2).trainAccuracy(true).build();
        assertTrue(TrainingRun.holdsOtherRun(asked), "raising the epochs does not make it the same run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingRun.run(asked, null));
        assertTrue(e.getMessage().contains("holds a run with other options (trainAccuracy false there, true now)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("trained without --train-accuracy") && e.getMessage().contains("--force"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(1, RunManifest.Recorded.read(dir.resolve("without").resolve(RunManifest.FILE)).result()
                .path("epochsRun").asInt(), "the run there is untouched");

        TrainingRun.run(small("with").epochs(1).trainAccuracy(true).build(), null);
        IllegalStateException reverse = assertThrows(IllegalStateException.class,
                () -> TrainingRun.run(small("with").epochs(2).build(), null));
        assertTrue(reverse.getMessage().contains("(trainAccuracy true there, false now)")
                && reverse.getMessage().contains("give --train-accuracy to resume it"), reverse.getMessage());
        // asked as it was made, it resumes
        RunResult resumed = TrainingRun.run(small("with").epochs(2).trainAccuracy(true).build(), null);
        assertTrue(resumed.epochs().stream().allMatch(EpochStats::hasTrainAccuracy), resumed.epochs().toString());

        // a sweep's folder (replace): the run without it is trained anew, every row with the training accuracy
        RunResult replaced = TrainingRun.run(asked.toBuilder().replace(true).build(), null);
        assertEquals(3, replaced.epochs().size());
        assertTrue(replaced.epochs().stream().allMatch(EpochStats::hasTrainAccuracy), replaced.epochs().toString());
    }

    @Test
    void aRecordWrittenBeforeTheOptionExistedIsARunWithoutIt() throws IOException {
        RunSpec spec = small("old").epochs(1).build();
        TrainingRun.run(spec, null);
        Path manifest = spec.outDir().resolve(RunManifest.FILE);
        ObjectNode json = (ObjectNode) RunManifest.JSON.readTree(manifest.toFile());
        ((ObjectNode) json.get("options")).remove("trainAccuracy");
        ((ObjectNode) json.get("spec")).remove("evaluation");
        Files.writeString(manifest, RunManifest.JSON.writeValueAsString(json));
        assertTrue(RunManifest.sameOptions(manifest, spec), "no trainAccuracy recorded: false");
        assertFalse(RunManifest.sameOptions(manifest, spec.toBuilder().trainAccuracy(true).build()));
        assertEquals(spec, RunManifest.Recorded.read(manifest).spec(RunSpec.class),
                "a spec without evaluation reads as the default");
        assertEquals(RunSpec.Evaluation.DEFAULT, RunManifest.Recorded.read(manifest).spec(RunSpec.class).evaluation());
    }

    /**
     * A checkpoint as the version before the training accuracy wrote it: no {@code trainAccuracy} in its identity,
     * epoch rows of nine cells. It resumes as the run without it, and ends with the numbers of an uninterrupted run.
     */
    @Test
    void aCheckpointWrittenBeforeTheOptionExistedResumes() throws IOException {
        RunResult whole = TrainingRun.run(small("whole").epochs(2).build(), null);
        RunSpec spec = small("old-checkpoint").epochs(1).build();
        RunResult before = TrainingRun.run(spec, null);
        Path model = spec.outDir().resolve(TrainingRun.MODEL_FILE);
        java.util.Map<String, Object> state = RunManifest.JSON.readValue(
                (String) ModelSerializer.getObjectFromFile(model.toFile(), TrainingRun.STATE_KEY),
                new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() { });
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> identity = (java.util.Map<String, Object>) state.get("identity");
        assertEquals(false, identity.remove("trainAccuracy"));
        List<String> oldRows = ((List<?>) state.get("epochs")).stream().map(row -> {
            List<String> cells = new java.util.ArrayList<>(List.of(((String) row).split(",", -1)));
            assertEquals("", cells.remove(EpochStats.CSV_COLUMNS.indexOf("trainAccuracy")));
            return String.join(",", cells);
        }).toList();
        assertEquals(EpochStats.CSV_COLUMNS_BEFORE_TRAIN_ACCURACY.size(), oldRows.get(0).split(",", -1).length);
        state.put("epochs", oldRows);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), true);
        Path old = dir.resolve("old-model.zip");
        ModelSerializer.writeModel(net, old.toFile(), true);
        ModelSerializer.addObjectToFile(old.toFile(), TrainingRun.STATE_KEY, RunManifest.JSON.writeValueAsString(state));
        Files.move(old, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertTrue(TrainingRun.holdsOtherRun(spec.toBuilder().epochs(2).trainAccuracy(true).build()));
        assertThrows(IllegalStateException.class, () -> TrainingRun.run(spec.toBuilder().epochs(2)
                .trainAccuracy(true).build(), null), "not resumed as a run measuring the training accuracy");
        java.io.StringWriter log = new java.io.StringWriter();
        RunResult resumed = TrainingRun.run(spec.toBuilder().epochs(2).build(), new java.io.PrintWriter(log));
        assertTrue(log.toString().contains("resuming after epoch 1 of 2"), log.toString());
        assertEquals(3, resumed.epochs().size());
        for (int i = 0; i < 3; i++) {
            EpochStats x = whole.epochs().get(i);
            EpochStats y = resumed.epochs().get(i);
            assertEquals(x.trainLoss(), y.trainLoss());
            assertEquals(x.testAccuracy(), y.testAccuracy());
            assertEquals(x.emergence(), y.emergence());
            assertFalse(y.hasTrainAccuracy());
        }
        assertEquals(before.epochs().get(1).seconds(), resumed.epochs().get(1).seconds(),
                "the old row's last cell read as the seconds");
    }

    @Test
    void aContinuedCopyMeasuresItRightAfterItsChangeAndOnlyWithItsFirstPart() throws IOException {
        RunSpec first = small("first").epochs(1).trainAccuracy(true).keepModel(false).build();
        TrainingRun part = TrainingRun.start(first, data, null);
        while (part.hasNextEpoch()) {
            part.epoch();
        }
        RunResult firstResult = part.finish();
        RunSpec copy = first.toBuilder().epochs(2).tag("halved").out(dir.resolve("copy")).build();
        TrainingRun fork = part.fork(copy, "weights halved", net -> net.params().muli(0.5));
        double afterChange = evaluated(fork.network(), 3 * 64);
        fork.epoch();
        RunResult r = fork.finish();
        assertEquals(firstResult.epochs().get(0), r.epochs().get(0), "the first part's epoch 0");
        assertEquals(afterChange, r.epochs().get(1).trainAccuracy(), "epoch 1 measured again after the change");
        assertEquals(evaluated(fork.network(), 3 * 64), r.epochs().get(2).trainAccuracy());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> part.fork(
                copy.toBuilder().trainAccuracy(false).build(), "x", net -> { }));
        assertTrue(e.getMessage().contains("trainAccuracy is true there, false here"), e.getMessage());
    }
}
