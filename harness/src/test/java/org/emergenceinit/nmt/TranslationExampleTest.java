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
        TranslationExample.Result r = TranslationExample.run(TranslationSpec.builder().dataDir(data).epochs(2)
                .maxBatches(3).trainSize(300).valSize(16).testSize(16).batchSize(32).dModel(32).heads(4).ff(64)
                .warmup(2).lr(1e-3).init("emergence-xavier").alpha(1.2).out(out).build());
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
        assertEquals(64, manifest.get("dataset").get("sha256").asText().length());
        assertEquals("translate", manifest.get("kind").asText());
        assertEquals(42, manifest.at("/seeds/configuration").asLong());
        assertEquals(16, manifest.at("/spec/testSize").asInt(), "the spec, serialised from its record");
        assertEquals(16, Files.readAllLines(out.resolve("test.hyp.txt")).size());
        assertTrue(Files.isRegularFile(out.resolve("vocab.en.txt")));
        assertTrue(Files.isRegularFile(out.resolve("model.sd")));
    }

    @Test
    void badOptionsAreRejected() {
        IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
                () -> TranslationSpec.builder().init("he").build());
        assertEquals("--init must be xavier or emergence-xavier, got 'he'.", init.getMessage());
        IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class,
                () -> TranslationSpec.builder().epochs(0).build());
        assertEquals("Option --epochs must be >= 1, got 0.", epochs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TranslationSpec.builder().ffOnly(true).build());
    }

    private static TranslationSpec tiny(Path data, Path out, int epochs) {
        return tinyBuilder(data, out, epochs).build();
    }

    private static TranslationSpec.Builder tinyBuilder(Path data, Path out, int epochs) {
        return TranslationSpec.builder().dataDir(data).epochs(epochs).maxBatches(3).trainSize(200).valSize(8)
                .testSize(8).batchSize(32).dModel(16).heads(2).ff(32).layers(1).warmup(4).lr(1e-3)
                .init("emergence-xavier").out(out);
    }

    @Test
    @Timeout(240)
    void aRunContinuedFromItsCheckpointEndsWithTheNumbersOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found (set EMERGENCE_DATA)");
        TranslationExample.Result whole = TranslationExample.run(tiny(data, dir.resolve("whole"), 3));
        Path parts = dir.resolve("parts");
        TranslationExample.run(tiny(data, parts, 1));
        assertTrue(Files.isRegularFile(parts.resolve(Checkpoint.DIR).resolve(Checkpoint.MODEL)));
        TranslationExample.Result continued = TranslationExample.run(tiny(data, parts, 3));
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
                .at("/result/testWeightsFromEpoch").asInt());

        IllegalStateException fewer = assertThrows(IllegalStateException.class,
                () -> TranslationExample.run(tiny(data, parts, 2)));
        assertTrue(fewer.getMessage().contains("holds a translation run of 3 epochs, more than the 2 asked for"),
                fewer.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> TranslationExample.run(tinyBuilder(data, parts, 3).minFreq(1).build()));
        assertTrue(other.getMessage().contains("with other options (--min-freq 2 there, 1 now)"), other.getMessage());
    }

    @Test
    void patienceStopsWhenValidationBleuHasNotImprovedForThatManyEpochs() {
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5), 2));
        assertTrue(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5, 2.0), 2), "a tie is no improvement");
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(1.0, 2.0, 1.5, 2.1), 2));
        assertFalse(Checkpoint.patienceRunOut(java.util.List.of(3.0, 2.0, 1.0), 0), "0: off");
        assertThrows(IllegalArgumentException.class, () -> TranslationSpec.builder().patience(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TranslationSpec.builder().warmup(-1).build());
        assertEquals(new org.nd4j.linalg.schedule.FixedSchedule(5e-4), ((org.nd4j.linalg.learning.config.Adam)
                TransformerTraining.trainingConfig(5e-4, 0).getUpdater()).getLearningRateSchedule(),
                "--warmup 0: the rate from the first step");
    }
}
