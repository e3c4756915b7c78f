package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code translate} and {@code sweep --preset multi30k-transformer}: the transformer from the command line. */
class TranslateCommandTest {

    @TempDir
    Path dir;

    private static Path sharedData() {
        String env = System.getenv("EMERGENCE_DATA");
        Path d = env != null && !env.isEmpty() ? Path.of(env)
                : Path.of("..", "..", "shared", "datasets").toAbsolutePath().normalize();
        return Files.isDirectory(d.resolve("multi30k")) ? d : null;
    }

    @Test
    @Timeout(120)
    void translateTrainsATinyTransformerAndRecordsItsOptions() throws Exception {
        Path data = sharedData();
        assumeTrue(data != null, "no multi30k/ here (set EMERGENCE_DATA)");
        Path out = dir.resolve("nmt");
        PlanCommandTest.Result r = run("translate", "--data-dir", data.toString(), "--init", "emergence-xavier",
                "--alpha", "1.5", "--max-batches", "2", "--train-size", "100", "--val-size", "4", "--test-size", "4",
                "--batch-size", "16", "--d-model", "16", "--heads", "2", "--ff", "16", "--layers", "1", "--seed", "7",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(1.5, m.get("alpha").asDouble());
        assertEquals(7, m.at("/seeds/configuration").asLong());
        assertEquals(16, m.get("options").get("--d-model").asInt());
        assertTrue(m.at("/result/testBleu").isNumber());
        assertTrue(Files.isRegularFile(out.resolve("test.hyp.txt")));
        // the sweep's chart reads the manifest translate writes (without the checkpoint, as a finished sweep run)
        try (java.util.stream.Stream<Path> files = Files.walk(out.resolve("checkpoint"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        assertTrue(SweepCommand.translationCurves(dir, dir.resolve("curves.png")), "the finished run is drawn");
    }

    @Test
    void badOptionsAreOneLineWithStatusTwo() {
        String[][] cases = {
                {"translate", "--init", "kaiming"},
                {"translate", "--ff-only"},
                {"translate", "--alpha", "0"},
                {"translate", "--epochs", "0"},
                {"sweep", "--preset", "multi30k-transformer", "--seeds", "0"},
        };
        for (String[] c : cases) {
            PlanCommandTest.Result r = run(c);
            assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("emergence: "), r.err());
        }
        // missing data: the loader's message lists every path tried, one a line
        for (String command : new String[]{"translate", "sweep"}) {
            PlanCommandTest.Result r = command.equals("translate")
                    ? run("translate", "--data-dir", dir.resolve("none").toString())
                    : run("sweep", "--preset", "multi30k-transformer", "--data-dir", dir.resolve("none").toString(),
                    "--out", dir.resolve("sweep").toString());
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().startsWith("emergence: Dataset 'multi30k' was not found."), r.err());
        }
        assertTrue(run("translate", "--help").out().contains("--ff-only"));
    }
}
