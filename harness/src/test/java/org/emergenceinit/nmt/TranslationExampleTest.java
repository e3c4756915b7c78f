package org.emergenceinit.nmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TranslationExampleTest {

    @Test
    @Timeout(120)
    void smokeRunOnAFewHundredPairs(@TempDir Path out) throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found (set EMERGENCE_DATA)");
        TranslationExample.Result r = TranslationExample.runExample("--data-dir", data.toString(), "--epochs", "2",
                "--max-batches", "3", "--train-size", "300", "--val-size", "16", "--test-size", "16",
                "--batch-size", "32", "--d-model", "32", "--heads", "4", "--ff", "64", "--warmup", "2",
                "--lr", "1e-3", "--init", "emergence-xavier", "--alpha", "1.2", "--out", out.toString());
        assertEquals(2, r.lossPerEpoch().size());
        assertEquals(2, r.valBleuPerEpoch().size());
        assertTrue(Double.isFinite(r.lossPerEpoch().get(0)) && r.lossPerEpoch().get(0) > 0, r.lossPerEpoch().toString());
        assertTrue(r.lossPerEpoch().get(1) < r.lossPerEpoch().get(0), r.lossPerEpoch().toString());
        // 2 encoder blocks x 6 matrices + 2 decoder blocks x 10 + the output projection.
        assertEquals(33, r.plan().entries().size());
        assertEquals(-2.0, r.plan().entries().get(0).exponent(), 1e-12);
        assertEquals(2.0, r.plan().entries().get(32).exponent(), 1e-12);
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("emergence-xavier", manifest.get("init").asText());
        assertEquals(33, manifest.get("plan").size());
        assertEquals(64, manifest.get("data").get("sha256").asText().length());
        assertEquals(16, Files.readAllLines(out.resolve("test.hyp.txt")).size());
        assertTrue(Files.isRegularFile(out.resolve("vocab.en.txt")));
        assertTrue(Files.isRegularFile(out.resolve("model.sd")));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TranslationExample.runExample("--init", "he"));
        assertThrows(IllegalArgumentException.class, () -> TranslationExample.runExample("--epochs", "x"));
        assertThrows(IllegalArgumentException.class, () -> TranslationExample.runExample("--ff-only"));
    }

    private static String[] tiny(Path data, Path out, int epochs, String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("--data-dir", data.toString(),
                "--epochs", Integer.toString(epochs), "--max-batches", "3", "--train-size", "200", "--val-size", "8",
                "--test-size", "8", "--batch-size", "32", "--d-model", "16", "--heads", "2", "--ff", "32",
                "--layers", "1", "--warmup", "4", "--lr", "1e-3", "--init", "emergence-xavier", "--out",
                out.toString()));
        a.addAll(java.util.List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    @Timeout(240)
    void aRunContinuedFromItsCheckpointEndsWithTheNumbersOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found (set EMERGENCE_DATA)");
        TranslationExample.Result whole = TranslationExample.runExample(tiny(data, dir.resolve("whole"), 3));
        Path parts = dir.resolve("parts");
        TranslationExample.runExample(tiny(data, parts, 1));
        assertTrue(Files.isRegularFile(parts.resolve(Checkpoint.DIR).resolve(Checkpoint.MODEL)));
        TranslationExample.Result continued = TranslationExample.runExample(tiny(data, parts, 3));
        assertEquals(whole.lossPerEpoch(), continued.lossPerEpoch(), "same losses: weights, Adam state, warm-up"
                + " position and shuffles restored");
        assertEquals(whole.valBleuPerEpoch(), continued.valBleuPerEpoch());
        assertEquals(whole.testBleu().score(), continued.testBleu().score());
        assertEquals(Files.readAllLines(dir.resolve("whole").resolve("test.hyp.txt")),
                Files.readAllLines(parts.resolve("test.hyp.txt")));
        // the test set is scored with the weights of the best validation epoch (the first of equal ones)
        int best = 0;
        for (int i = 1; i < whole.valBleuPerEpoch().size(); i++) {
            if (whole.valBleuPerEpoch().get(i) > whole.valBleuPerEpoch().get(best)) {
                best = i;
            }
        }
        assertEquals(best + 1, new ObjectMapper().readTree(parts.resolve("manifest.json").toFile())
                .get("testWeightsFromEpoch").asInt());

        IllegalStateException fewer = assertThrows(IllegalStateException.class,
                () -> TranslationExample.runExample(tiny(data, parts, 2)));
        assertTrue(fewer.getMessage().contains("holds a translation run of 3 epochs, more than the 2 asked for"),
                fewer.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> TranslationExample.runExample(tiny(data, parts, 3, "--min-freq", "1")));
        assertTrue(other.getMessage().contains("with other options (--min-freq 2 there, 1 now)"), other.getMessage());
    }

    @Test
    void patienceStopsWhenValidationBleuHasNotImprovedForThatManyEpochs() {
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5), 2));
        assertTrue(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5, 2.0), 2), "a tie is no improvement");
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5, 2.1), 2));
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(3.0, 2.0, 1.0), 0), "0: off");
        assertThrows(IllegalArgumentException.class, () -> TranslationExample.runExample("--patience", "-1"));
        assertThrows(IllegalArgumentException.class, () -> TranslationExample.runExample("--warmup", "-1"));
        assertEquals(new org.nd4j.linalg.schedule.FixedSchedule(5e-4), ((org.nd4j.linalg.learning.config.Adam)
                TransformerTraining.trainingConfig(5e-4, 0).getUpdater()).getLearningRateSchedule(),
                "--warmup 0: the rate from the first step");
    }
}
