package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sweep --jobs 2} gives the rows of {@code --jobs 1}, in the grid's order: the numbers do not depend on it. */
class SweepJobsTest {

    @TempDir
    Path dir;

    /** The table's rows without the wall-clock seconds (the last column). */
    private static List<String> rows(Path out) throws Exception {
        return ResultsTable.read(out.resolve(ResultsTable.FILE)).stream()
                .map(r -> String.join("|", r.cells()).replaceAll("\\|[^|]*$", "")).toList();
    }

    @Test
    void twoJobsGiveTheRowsOfOne() throws Exception {
        Path grid = dir.resolve("jobs.json");
        Files.writeString(grid, """
                {"name": "jobs", "seeds": 2, "epochs": 2, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"],
                             "inits": ["xavier", "emergence-kaiming", "xavier+warmup"], "alphas": [1.2]},
                            {"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"], "momentum": 0,
                             "inits": ["kaiming"], "pruneAfter": 1, "pruneFractions": [0, 0.5]}]}
                """);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        PlanCommandTest.Result a = run("sweep", "--grid", grid.toString(), "--out", one.toString(), "--max-batches",
                "2", "--jobs", "1");
        assertEquals(0, a.status(), a.err());
        PlanCommandTest.Result b = run("sweep", "--grid", grid.toString(), "--out", two.toString(), "--max-batches",
                "2", "--jobs", "2");
        assertEquals(0, b.status(), b.err());
        assertTrue(b.out().contains("(2 at once)"), b.out());
        List<String> rows = rows(one);
        assertEquals(2 * (3 + 2) * 3, rows.size(), "2 seeds x 5 runs x epochs 0..2");
        assertEquals(rows, rows(two));
    }

    /**
     * {@code --spark} without the sweep-spark module on the class path (as here: this module does not depend on
     * it), and {@code --spark} with {@code --jobs}: exit 2, one line, nothing written.
     */
    @Test
    void sparkWithoutItsModuleOrWithJobsIsOneLineAndNothingWritten() {
        Path out = dir.resolve("spark");
        PlanCommandTest.Result a = run("sweep", "--preset", "quick", "--out", out.toString(), "--spark", "local[2]");
        assertEquals(2, a.status(), a.err());
        assertTrue(a.err().contains("--spark needs the sweep-spark module"), a.err());
        assertEquals(1, a.err().strip().lines().count(), a.err());
        PlanCommandTest.Result b = run("sweep", "--preset", "quick", "--out", out.toString(), "--spark", "local[2]",
                "--jobs", "2");
        assertEquals(2, b.status(), b.err());
        assertTrue(b.err().contains("--spark and --jobs exclude each other"), b.err());
        assertEquals(1, b.err().strip().lines().count(), b.err());
        assertTrue(!Files.exists(out), "nothing written");
    }
}
