package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep --spark local[2]}: the rows of {@code --jobs 1} (apart from the seconds), in the grid's order; a
 * resumed sweep reruns nothing; a malformed master is one line, exit 2, nothing written.
 */
class SparkSweepTest {

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = EmergenceCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    /** The table's rows without the wall-clock seconds (column {@code seconds}). */
    private static List<String> rows(Path out) throws Exception {
        int seconds = ResultsTable.COLUMNS.indexOf("seconds");
        return ResultsTable.read(out.resolve(ResultsTable.FILE)).stream().map(r -> {
            java.util.List<String> cells = new java.util.ArrayList<>(List.of(r.cells()));
            cells.remove(seconds);
            return String.join("|", cells);
        }).toList();
    }

    @Test
    void localTwoGivesTheRowsOfOneJobAndAResumeRerunsNothing() throws Exception {
        Path grid = dir.resolve("spark.json");
        Files.writeString(grid, """
                {"name": "spark", "seeds": 2, "epochs": 2, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"],
                             "inits": ["xavier", "emergence-kaiming"], "alphas": [1.2]},
                            {"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"], "momentum": 0,
                             "inits": ["kaiming"], "pruneAfter": 1, "pruneFractions": [0, 0.5]}]}
                """);
        Path one = dir.resolve("one");
        Path spark = dir.resolve("spark");
        Result a = run("sweep", "--grid", grid.toString(), "--out", one.toString(), "--max-batches", "2", "--jobs",
                "1");
        assertEquals(0, a.status(), a.err());
        Result b = run("sweep", "--grid", grid.toString(), "--out", spark.toString(), "--max-batches", "2",
                "--spark", "local[2]");
        assertEquals(0, b.status(), b.err());
        assertTrue(b.out().contains("0 already done, 8 to run (2 at once)"), b.out());
        List<String> rows = rows(one);
        assertEquals(2 * (2 + 2) * 3, rows.size(), "2 seeds x 4 runs x epochs 0..2");
        assertEquals(rows, rows(spark));

        Result again = run("sweep", "--grid", grid.toString(), "--out", spark.toString(), "--max-batches", "2",
                "--spark", "local[2]");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("8 already done, 0 to run"), again.out());
        assertFalse(again.out().contains("[1/8]"), again.out());
        assertEquals(rows, rows(spark));
    }

    @Test
    void aMalformedMasterIsOneLineExitTwoAndNothingWritten() {
        Path out = dir.resolve("bad");
        Result r = run("sweep", "--preset", "quick", "--out", out.toString(), "--spark", "lokal[2]");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--spark lokal[2]: Spark refused the master"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    /**
     * A run whose task fails on the executor (here: its data folder is missing there) is recorded as a failed local
     * run (its error in error.txt naming the host and the folder, no rows; the next sweep retries it), and, a usage
     * error, ends the sweep with one line naming them and exit 2.
     */
    @Test
    void aRunFailingOnTheExecutorIsRecordedAsFailedAndRetried() throws Exception {
        Path grid = dir.resolve("fail.json");
        Files.writeString(grid, """
                {"name": "fail", "seeds": 1, "epochs": 1, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist"], "archs": ["mlp:784-16-10"], "inits": ["xavier"]}]}
                """);
        Path out = dir.resolve("fail");
        Path missing = dir.resolve("no-data");
        for (int attempt = 1; attempt <= 2; attempt++) {
            Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(), "--max-batches", "2",
                    "--data-dir", missing.toString(), "--spark", "local[2]");
            assertEquals(2, r.status(), r.out() + r.err());
            assertEquals("emergence: The data folder " + missing + " is missing on host", r.err().strip()
                    .replaceAll(" is missing on host .*", " is missing on host"), r.err());
            assertTrue(r.out().contains("0 already done, 1 to run"), r.out());
            assertTrue(r.out().contains("1 of 1 runs FAILED"), r.out());
            try (var runs = Files.list(out.resolve("runs"))) {
                Path error = runs.findFirst().orElseThrow().resolve(SweepCommand.ERROR_FILE);
                String trace = Files.readString(error);
                assertTrue(trace.contains("The data folder " + missing + " is missing on host "), trace);
            }
            assertFalse(Files.exists(out.resolve(ResultsTable.FILE)) && !rows(out).isEmpty(), "no rows");
        }
    }
}
