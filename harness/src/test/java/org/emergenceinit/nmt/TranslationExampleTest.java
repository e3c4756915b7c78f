package org.emergenceinit.nmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
