package org.emergenceinit.nmt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TranslationSweepTest {

    /** A model and data small enough for a test: {@code batches} batches of 16 of the first 100 pairs. */
    private static TranslationSpec tiny(Path data, int batches) {
        return TranslationSpec.builder().dataDir(data).maxBatches(batches).trainSize(100).valSize(4).testSize(4)
                .batchSize(16).dModel(16).heads(2).ff(16).layers(1).build();
    }

    @Test
    @Timeout(120)
    void presetRunsEachInitForEachSeedAndWritesTheSummary(@TempDir Path out) throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found (set EMERGENCE_DATA)");
        TranslationSpec base = tiny(data, 1);
        List<TranslationSweep.Run> runs = TranslationSweep.run(TranslationSweep.DEFAULT_INITS, List.of(1L, 2L), out,
                base, System.out).rows();
        assertEquals(4, runs.size());
        // seeds outermost: the inits of a seed one after the other
        assertEquals(List.of("xavier", "emergence-xavier", "xavier", "emergence-xavier"),
                runs.stream().map(TranslationSweep.Run::init).toList());
        assertEquals(List.of(1L, 1L, 2L, 2L), runs.stream().map(TranslationSweep.Run::seed).toList());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(1).startsWith("xavier,1.0,1,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("emergence-xavier,1.2,1,"), csv.get(2));
        assertTrue(Files.isRegularFile(out.resolve("emergence-xavier-s2").resolve("manifest.json")));

        // resuming: every run is read back from its manifest, with the same numbers
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        List<TranslationSweep.Run> again = TranslationSweep.run(TranslationSweep.DEFAULT_INITS, List.of(1L, 2L), out,
                base, new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8)).rows();
        assertTrue(again.stream().allMatch(TranslationSweep.Run::resumed));
        assertEquals(runs.stream().map(TranslationSweep.Run::testBleu).toList(),
                again.stream().map(TranslationSweep.Run::testBleu).toList());
        assertEquals(csv, Files.readAllLines(out.resolve("summary.csv")));
        String summary = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(summary.contains("[1/4]: xavier, seed 1: finished before"), summary);
        double[] x = runs.stream().filter(r -> r.init().equals("xavier")).mapToDouble(TranslationSweep.Run::testBleu)
                .toArray();
        double[] em = runs.stream().filter(r -> r.init().equals("emergence-xavier"))
                .mapToDouble(TranslationSweep.Run::testBleu).toArray();
        double diff = (em[0] + em[1]) / 2 - (x[0] + x[1]) / 2;
        assertTrue(summary.contains(String.format(java.util.Locale.ROOT, "vs xavier: %+.2f (Welch t", diff)), summary);
        // other settings in the same folder: refused, nothing overwritten
        String before = Files.readString(out.resolve("xavier-s1").resolve("manifest.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TranslationSweep.run(
                List.of("xavier"), List.of(1L), out, base.toBuilder().dModel(32).build(), System.out));
        assertTrue(e.getMessage().contains("holds a finished run with other settings (--d-model 16, not 32)"),
                e.getMessage());
        assertEquals(before, Files.readString(out.resolve("xavier-s1").resolve("manifest.json")));
    }

    @Test
    @Timeout(180)
    void twoJobsGiveTheNumbersOfOneAndPrefixEachRunsLines(@TempDir Path dir) throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found (set EMERGENCE_DATA)");
        TranslationSpec base = tiny(data, 2);
        List<TranslationSweep.Run> one = TranslationSweep.run(TranslationSweep.DEFAULT_INITS, List.of(1L, 2L),
                dir.resolve("one"), base, 1, System.out).rows();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        List<TranslationSweep.Run> two = TranslationSweep.run(TranslationSweep.DEFAULT_INITS, List.of(1L, 2L),
                dir.resolve("two"), base, 2,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8)).rows();
        assertEquals(4, two.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(one.get(i).init(), two.get(i).init());
            assertEquals(one.get(i).seed(), two.get(i).seed());
            assertEquals(one.get(i).finalLoss(), two.get(i).finalLoss(), 0.0, "run " + i);
            assertEquals(one.get(i).finalValBleu(), two.get(i).finalValBleu(), 0.0, "run " + i);
            assertEquals(one.get(i).testBleu(), two.get(i).testBleu(), 0.0, "run " + i);
        }
        for (String run : List.of("xavier-s1", "xavier-s2", "emergence-xavier-s1", "emergence-xavier-s2")) {
            assertEquals(Files.readAllLines(dir.resolve("one").resolve(run).resolve("test.hyp.txt")),
                    Files.readAllLines(dir.resolve("two").resolve(run).resolve("test.hyp.txt")), run);
        }
        String log = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("[emergence-xavier-s2] epoch 1: loss ")), log);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("epoch 1: loss ")), log);
    }
}
