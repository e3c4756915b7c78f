package org.emergenceinit.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One manifest schema for both kinds, and the manifests written before it still read. */
class ManifestSchemaTest {

    @TempDir
    Path dir;

    /** A training run's manifest as TrainingRun wrote it before kind and spec (a tiny run, committed as is). */
    private Path before() throws IOException {
        Path file = dir.resolve("before").resolve(RunManifest.FILE);
        Files.createDirectories(file.getParent());
        try (InputStream in = getClass().getResourceAsStream("train-manifest-before-kind.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    private static RunSpec.Builder thatRun() {
        return RunSpec.builder().arch("mlp:784-16-10").epochs(1).maxBatches(2).probeSamples(20);
    }

    @Test
    void aTrainingManifestWrittenBeforeTheKindIsReadAndMatchesItsRun() throws IOException {
        Path file = before();
        RunManifest.Recorded m = RunManifest.Recorded.read(file);
        assertEquals(RunManifest.TRAIN, m.kind());
        assertEquals(thatRun().build().runName(), m.name());
        assertEquals(1, m.seed());
        assertEquals(1, m.result().path("epochsRun").asInt());
        assertEquals(null, m.spec(RunSpec.class), "no spec recorded then");
        assertTrue(RunManifest.sameOptions(file, thatRun().build()), "a resume identifies it as the same run");
        assertFalse(RunManifest.sameOptions(file, thatRun().maxBatches(3).build()));
        assertFalse(RunManifest.sameOptions(file, thatRun().seed(2).build()));
        assertFalse(RunManifest.sameOptions(file, thatRun().trainAccuracy(true).build()),
                "made before --train-accuracy existed: a run without it");
    }

    @Test
    void aTrainingRunWritesTheEnvelopeAndItsSpecReadsBack() throws IOException {
        RunSpec spec = thatRun().maxBatches(1).dataDir(dir.resolve("data folder")).out(dir.resolve("run")).build();
        RunResult r = TrainingRun.run(spec.toBuilder().dataDir(null).build(), null);
        RunManifest.Recorded m = RunManifest.Recorded.read(r.manifest());
        assertEquals(RunManifest.TRAIN, m.kind());
        assertEquals(r.name(), m.name());
        for (String field : new String[] {"name", "kind", "project", "dl4jVersion", "java", "os", "backend",
                "threads", "seeds", "spec", "options", "dataset", "start", "end", "result"}) {
            assertTrue(m.json().has(field), field);
        }
        assertEquals(r.spec(), m.spec(RunSpec.class), "the spec, serialised from the records, reads back");
        // paths are written as plain strings and read back as paths
        String json = RunManifest.JSON.writeValueAsString(spec);
        assertTrue(json.contains("\"dataDir\" : \"" + spec.data().dataDir() + "\""), json);
        assertEquals(spec, RunManifest.JSON.readValue(json, RunSpec.class));
    }
}
