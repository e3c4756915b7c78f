package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --train-accuracy} end to end: train and sweep measure it (both parts of a pruning block), results.csv gets
 * the column while the committed 19-column tables still read, report and resume, report shows it, and a finished run
 * without it is never taken for one with it.
 */
class TrainAccuracyCommandsTest {

    @TempDir
    Path dir;

    private static final String TINY = """
            {"name": "tiny", "seeds": 2, "epochs": 1, "probeSamples": 50,
             "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"], "lr": 0.05,
                         "inits": ["xavier", "emergence-xavier"], "alphas": [1.2]}]}
            """;

    private static final String PRUNE = """
            {"name": "prune", "seeds": 1, "epochs": 2, "probeSamples": 50, "trainAccuracy": true,
             "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-32-32-10"], "lr": 0.005,
                         "momentum": 0, "inits": ["kaiming"], "pruneAfter": 1, "pruneFractions": [0, 0.5]}]}
            """;

    /** The committed sweeps' results folders (whose results.csv files had the 19 columns before trainAccuracy). */
    private static final List<String> COMMITTED = List.of("mlp-deep", "quick", "paper2-pruning",
            "cnn-vgg-cifar10-subset");

    /** The frozen copy of the paper2-pruning results folder of 19 columns (test resources, see its README.md). */
    private static final String OLD = "paper2-pruning-19-columns/";

    /** A folder holding the frozen old-format {@code files} (results.csv, grid.json...). */
    private Path old(String... files) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("old-" + System.nanoTime()));
        for (String f : files) {
            try (java.io.InputStream in = getClass().getResourceAsStream(OLD + f)) {
                Files.copy(in, copy.resolve(f));
            }
        }
        return copy;
    }

    @Test
    void resultsTablesOfNineteenColumnsStillRead() throws Exception {
        List<String> before = new ArrayList<>(ResultsTable.COLUMNS);
        before.remove("trainAccuracy");
        assertEquals(19, before.size());
        assertEquals("seconds", ResultsTable.COLUMNS.get(ResultsTable.COLUMNS.size() - 1), "seconds stays last");
        List<Path> tables = new ArrayList<>(COMMITTED.stream().map(n -> Path.of("results", n, ResultsTable.FILE))
                .toList());
        tables.add(old(ResultsTable.FILE).resolve(ResultsTable.FILE));
        for (Path file : tables) {
            List<String> lines = Files.readAllLines(file);
            List<String> header = List.of(lines.get(0).split(","));
            assertTrue(header.equals(before) || header.equals(ResultsTable.COLUMNS), file + ": " + header);
            List<ResultsTable.Row> rows = ResultsTable.read(file);
            assertEquals(lines.size() - 1, rows.size(), file + ": every row");
            if (header.equals(before)) {
                assertTrue(rows.stream().noneMatch(r -> r.stats().hasTrainAccuracy()), file + ": not measured");
            }
            ResultsTable.Row last = rows.get(rows.size() - 1);
            String[] cells = lines.get(lines.size() - 1).split(",", -1);
            assertEquals(Double.parseDouble(cells[header.indexOf("seconds")]), last.stats().seconds(),
                    file + ": seconds in its place");
            assertEquals(Double.parseDouble(cells[header.indexOf("relativeE")]), last.stats().relativeE(),
                    file.toString());
        }
    }

    @Test
    void reportOfAnOldPruningSweepGivesItsPerVariantTableWithoutTrainingColumns() throws Exception {
        Path copy = old(ResultsTable.FILE, "grid.json");
        PlanCommandTest.Result r = run("report", "--in", copy.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(ReportCommand.PER_VARIANT), r.out());
        String table = Files.readString(copy.resolve(ReportCommand.PER_VARIANT));
        // the rows of the per-variant.md computed by hand from the same results.csv
        List<String> handMade = Files.readAllLines(old(ReportCommand.PER_VARIANT).resolve(ReportCommand.PER_VARIANT))
                .stream().filter(l -> l.startsWith("| control") || l.contains("% pruned |")).toList();
        assertEquals(8, handMade.size());
        for (String row : handMade) {
            assertTrue(table.contains(row + "\n"), row + " in\n" + table);
        }
        assertTrue(table.contains("| mnist mlp:784-256-256-256-10 | n | acc. epoch 5 (after pruning) | E/P epoch 5 |"
                + " acc. epoch 10 | E/P epoch 10 |"), table);
        assertFalse(table.contains("train acc."), "no run measured it: no such column\n" + table);
        assertEquals(Files.readString(old("summary.md").resolve("summary.md")),
                Files.readString(copy.resolve("summary.md")), "summary.md as report wrote it before the column");
        List<String> summary = Files.readAllLines(copy.resolve("summary.csv"));
        assertTrue(summary.get(0).endsWith(",trainAcc1Mean,trainAcc1Sd,trainAccEndMean,trainAccEndSd"), summary.get(0));
        assertTrue(summary.stream().skip(1).allMatch(l -> l.endsWith(",,,,")), "empty where not measured");
    }

    @Test
    void resumingAnOldSweepReadsItsOldTableAndWithoutTrainingAccuracyRunsNothing() throws Exception {
        Path copy = old(ResultsTable.FILE, "grid.json");
        String before = Files.readString(copy.resolve(ResultsTable.FILE));
        PlanCommandTest.Result r = run("sweep", "--preset", "paper2-pruning", "--seeds", "3", "--no-train-accuracy",
                "--out", copy.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("24 already done, 0 to run"), r.out());
        assertEquals(before, Files.readString(copy.resolve(ResultsTable.FILE)), "nothing ran: the table untouched");
        assertFalse(RunManifest.JSON.readTree(copy.resolve("grid.json").toFile()).path("trainAccuracy").asBoolean(),
                "grid.json says what ran: --no-train-accuracy");
    }

    @Test
    void aSweepGoingOnWithAnOldFormatTableRewritesItWithEveryOldRow() throws Exception {
        Path out = old(ResultsTable.FILE);
        Path table = out.resolve(ResultsTable.FILE);
        List<String[]> old = cells(table);
        List<ResultsTable.Row> oldRows = ResultsTable.read(table);
        Path grid = Files.writeString(dir.resolve("tiny.json"), TINY);
        PlanCommandTest.Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "1", "--train-accuracy");
        assertEquals(0, r.status(), r.err());
        List<String[]> now = cells(table);
        assertEquals(ResultsTable.COLUMNS, List.of(now.get(0)), "the new header");
        assertEquals(old.size() + 8, now.size(), "every old row and the 4 new runs' 8 rows");
        // each old row's cells, an empty trainAccuracy cell before the last (seconds), in the old order after the
        // new runs
        int at = ResultsTable.COLUMNS.indexOf("trainAccuracy");
        List<List<String>> expected = old.stream().skip(1).map(c -> {
            List<String> withCell = new ArrayList<>(List.of(c));
            withCell.add(at, "");
            return withCell;
        }).toList();
        assertEquals(expected, now.subList(9, now.size()).stream().map(List::of).toList());
        List<ResultsTable.Row> rows = ResultsTable.read(table);
        assertEquals(oldRows, rows.subList(8, rows.size()), "the old rows read back as they were");
        assertTrue(rows.subList(0, 8).stream().allMatch(x -> x.stats().hasTrainAccuracy()), "the new ones measured");
        assertFalse(Files.list(out).anyMatch(p -> p.toString().endsWith(".tmp")));
        assertEquals(0, run("report", "--in", out.toString()).status(), "the mixed table reports");
    }

    @Test
    void bothPartsOfAPruningBlockMeasureItAndTheReportShowsItBesideTheTestAccuracy() throws Exception {
        Path grid = Files.writeString(dir.resolve("prune.json"), PRUNE);
        Path out = dir.resolve("prune");
        PlanCommandTest.Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("(training accuracy 0."), r.out());
        List<ResultsTable.Row> rows = ResultsTable.read(out.resolve(ResultsTable.FILE));
        assertEquals(6, rows.size(), "2 copies x epochs 0, 1 and 2");
        assertTrue(rows.stream().allMatch(x -> x.stats().hasTrainAccuracy()), "every row, both parts");
        Map<String, RunResult> runs = ResultsTable.runs(rows);
        RunResult control = runs.values().stream().filter(x -> x.name().contains("_control_")).findFirst()
                .orElseThrow();
        RunResult pruned = runs.values().stream().filter(x -> x.name().contains("_prune50_")).findFirst()
                .orElseThrow();
        assertEquals(control.epochs().get(0), pruned.epochs().get(0), "the shared first part");
        Path first = out.resolve("runs").resolve(pruned.name().replace("_prune50_s1", "_s1_first1"));
        List<String> firstCsv = Files.readAllLines(first.resolve("epochs.csv"));
        assertEquals(control.epochs().get(1).trainAccuracy(), EpochStats.parseCsvRow(firstCsv.get(2)).trainAccuracy(),
                "the control continues the first part unchanged");
        for (Path folder : List.of(first, out.resolve("runs").resolve(pruned.name()))) {
            JsonNode m = RunManifest.JSON.readTree(folder.resolve(RunManifest.FILE).toFile());
            assertTrue(m.at("/options/trainAccuracy").asBoolean(), folder.toString());
        }

        assertEquals(0, run("report", "--in", out.toString()).status());
        String table = Files.readString(out.resolve(ReportCommand.PER_VARIANT));
        assertTrue(table.contains("| n | acc. epoch 1 (after pruning) | train acc. epoch 1 | E/P epoch 1 |"
                + " acc. epoch 2 | train acc. epoch 2 | E/P epoch 2 |"), table);
        String controlRow = table.lines().filter(l -> l.startsWith("| control |")).findFirst().orElseThrow();
        assertTrue(controlRow.contains(String.format(java.util.Locale.ROOT, "| %.2f ± 0.00 |",
                control.epochs().get(2).trainAccuracy() * 100)), controlRow);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| 50 % pruned | 1 |")), table);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| train acc. epoch 1 | train acc. end |"));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        List<String> header = List.of(summary.get(0).split(","));
        String[] cells = summary.get(1).split(",", -1);
        assertEquals(control.epochs().get(2).trainAccuracy(),
                Double.parseDouble(cells[header.indexOf("trainAccEndMean")]), 1e-12);
    }

    @Test
    void aFinishedRunWithoutItIsTrainedAgainWhenItIsAskedForAndAMeasuredOneIsReused() throws Exception {
        Path grid = Files.writeString(dir.resolve("tiny.json"), TINY);
        Path out = dir.resolve("again");
        String[] sweep = {"sweep", "--grid", grid.toString(), "--out", out.toString(), "--max-batches", "1"};
        assertEquals(0, run(sweep).status());
        List<String> names = runNames(out);
        PlanCommandTest.Result asked = run(concat(sweep, "--train-accuracy"));
        assertEquals(0, asked.status(), asked.err());
        assertTrue(asked.out().contains("0 already done, 4 to run"), asked.out());
        assertTrue(asked.out().contains(names.get(0) + ": finished without the training accuracy asked for now"),
                asked.out());
        assertEquals(names, runNames(out), "the same run names");
        assertTrue(ResultsTable.read(out.resolve(ResultsTable.FILE)).stream()
                .allMatch(x -> x.stats().hasTrainAccuracy()));
        PlanCommandTest.Result off = run(concat(sweep, "--no-train-accuracy"));
        assertTrue(off.out().contains("4 already done, 0 to run"), "measured runs serve a sweep without it too: "
                + off.out());
        assertTrue(ResultsTable.read(out.resolve(ResultsTable.FILE)).stream()
                .allMatch(x -> x.stats().hasTrainAccuracy()), "and keep their training accuracies");

        // without the runs' manifests (a committed results folder) the rows themselves tell
        Path bare = dir.resolve("bare");
        String[] bareSweep = {"sweep", "--grid", grid.toString(), "--out", bare.toString(), "--max-batches", "1"};
        assertEquals(0, run(bareSweep).status());
        deleteTree(bare.resolve("runs"));
        assertTrue(run(bareSweep).out().contains("4 already done, 0 to run"));
        PlanCommandTest.Result bareAsked = run(concat(bareSweep, "--train-accuracy"));
        assertEquals(0, bareAsked.status(), bareAsked.err());
        assertTrue(bareAsked.out().contains("0 already done, 4 to run"), bareAsked.out());
        assertTrue(ResultsTable.read(bare.resolve(ResultsTable.FILE)).stream()
                .allMatch(x -> x.stats().hasTrainAccuracy()));
    }

    @Test
    void gridBlocksAndTheCommandLineSetItAndNoRunNameChanges() throws Exception {
        SweepGrid grid = SweepGrid.parse("""
                {"name": "g", "seeds": 1, "epochs": 1, "trainAccuracy": true,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-10"], "inits": ["xavier"]},
                            {"datasets": ["mnist-embedded"], "archs": ["mlp:784-32-10"], "inits": ["xavier"],
                             "trainAccuracy": false}]}
                """, "test grid");
        List<SweepGrid.Run> runs = grid.runs(0, null, dir);
        assertTrue(runs.get(0).spec().evaluation().trainAccuracy(), "the grid's");
        assertFalse(runs.get(1).spec().evaluation().trainAccuracy(), "the block's own");
        SweepGrid off = SweepGrid.parse(grid.toJson(), "again");
        off.trainAccuracy(false);
        List<SweepGrid.Run> none = off.runs(0, null, dir);
        assertTrue(none.stream().noneMatch(x -> x.spec().evaluation().trainAccuracy()));
        assertEquals(runs.stream().map(x -> x.spec().runName()).toList(),
                none.stream().map(x -> x.spec().runName()).toList(), "the run names do not depend on it");
        SweepGrid on = SweepGrid.parse(off.toJson(), "grid.json");
        on.trainAccuracy(true);
        assertTrue(on.runs(0, null, dir).stream().allMatch(x -> x.spec().evaluation().trainAccuracy()),
                "--train-accuracy overrides the blocks too");

        SweepGrid paper2 = SweepGrid.preset("paper2-pruning");
        assertTrue(paper2.trainAccuracy, "the paper2-pruning preset measures it");
        assertTrue(paper2.runs(0, null, dir).stream().allMatch(x -> x.spec().evaluation().trainAccuracy()
                && x.firstPart().evaluation().trainAccuracy()), "both parts");
        assertTrue(SweepGrid.read(Path.of("grids", "paper2-pruning-mnist.json")).trainAccuracy);
        assertFalse(SweepGrid.preset("quick").trainAccuracy, "off by default");
    }

    @Test
    void trainMeasuresItOnRequestAndRefusesToResumeARunMadeOtherwise() throws Exception {
        Path out = dir.resolve("train");
        PlanCommandTest.Result r = run(train(out, 1, "--train-accuracy"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("(training accuracy 0.") && r.out().contains("train accuracy 0."), r.out());
        List<String> csv = Files.readAllLines(out.resolve("epochs.csv"));
        assertEquals(String.join(",", EpochStats.CSV_COLUMNS), csv.get(0));
        assertTrue(csv.stream().skip(1).allMatch(l -> EpochStats.parseCsvRow(l).hasTrainAccuracy()), csv.toString());

        PlanCommandTest.Result refused = run(train(out, 2));
        assertEquals(2, refused.status(), refused.out());
        assertTrue(refused.err().contains("(trainAccuracy true there, false now)")
                && refused.err().contains("give --train-accuracy to resume it"), refused.err());
        PlanCommandTest.Result resumed = run(train(out, 2, "--train-accuracy"));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming after epoch 1 of 2"), resumed.out());

        PlanCommandTest.Result json = run(train(out, 2, "--train-accuracy", "--json"));
        assertEquals(0, json.status(), json.err());
        JsonNode epochs = RunManifest.JSON.readTree(json.out()).get("epochs");
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(2).get("trainAccuracy").isNumber(), json.out());

        Path plain = dir.resolve("plain");
        assertEquals(0, run(train(plain, 1)).status());
        PlanCommandTest.Result notMade = run(train(plain, 1, "--train-accuracy"));
        assertEquals(2, notMade.status(), "a finished run without it is not taken for one with it");
        assertTrue(notMade.err().contains("(trainAccuracy false there, true now)")
                && notMade.err().contains("trained without --train-accuracy"), notMade.err());
        PlanCommandTest.Result forced = run(train(plain, 1, "--train-accuracy", "--force"));
        assertEquals(0, forced.status(), forced.err());
        assertTrue(Files.readAllLines(plain.resolve("epochs.csv")).stream().skip(1)
                .allMatch(l -> EpochStats.parseCsvRow(l).hasTrainAccuracy()), "--force: trained anew with it");
    }

    /** {@code train} of a tiny network into {@code out} for {@code epochs} epochs, with {@code extra} options. */
    private static String[] train(Path out, int epochs, String... extra) {
        return concat(new String[] {"train", "--arch", "mlp:784-16-10", "--epochs", String.valueOf(epochs),
                "--max-batches", "2", "--probe-samples", "20", "--out", out.toString()}, extra);
    }

    @Test
    void theHelpSaysWhatItCosts() {
        for (String command : List.of("train", "sweep")) {
            PlanCommandTest.Result help = run(command, "--help");
            assertEquals(0, help.status(), help.err());
            String text = help.out().replaceAll("\\s+", " ");
            assertTrue(text.contains("--[no-]train-accuracy"), text);
            assertTrue(text.contains("one extra inference pass over the training set per epoch"), text);
        }
    }

    /** The file's lines as CSV cells (Jackson's CSV reader, as the table reads it). */
    private static List<String[]> cells(Path file) throws Exception {
        try (com.fasterxml.jackson.databind.MappingIterator<String[]> it = new com.fasterxml.jackson.dataformat.csv
                .CsvMapper().readerFor(String[].class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    private static List<String> runNames(Path out) throws Exception {
        return ResultsTable.read(out.resolve(ResultsTable.FILE)).stream().map(ResultsTable.Row::run).distinct()
                .sorted().collect(Collectors.toList());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
