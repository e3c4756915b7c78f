package org.emergenceinit.nmt;

import org.emergenceinit.harness.RunManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The translation manifests committed before the one schema (examples/results) still read. */
class OldManifestTest {

    private static final Path COMMITTED = Path.of("..", "examples", "results", "multi30k-transformer-3seeds",
            "xavier-s1.manifest.json");

    @Test
    void aCommittedTranslationManifestIsReadWithItsKindSeedAndResult() throws Exception {
        RunManifest.Recorded m = RunManifest.Recorded.read(COMMITTED);
        assertEquals(RunManifest.TRANSLATE, m.kind());
        assertEquals(1, m.seed());
        assertEquals(8.477018823072992, m.result().path("testBleu").asDouble());
        assertEquals(6.105033126696616, m.result().path("lossPerEpoch").get(0).asDouble());
    }

    @Test
    void aSweepRefusesToReuseItWithoutRecordedOptions(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("xavier-s1");
        Files.createDirectories(run);
        Files.copy(COMMITTED, run.resolve(RunManifest.FILE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TranslationSweep.recorded(
                TranslationSpec.builder().seed(1).out(run).build()));
        assertTrue(e.getMessage().contains("holds a finished run without recorded options (an older version)"),
                e.getMessage());
    }
}
