package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sweep} on a tiny grid (resuming, damaged table) and {@code report} against hand-computed statistics. */
class SweepAndReportTest {

    @TempDir
    Path dir;

    private static final String TINY = """
            {"name": "tiny", "seeds": 2, "epochs": 1, "milestone": 0.2, "probeSamples": 50,
             "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"], "lr": 0.05,
                         "inits": ["xavier", "emergence-xavier"], "alphas": [1.2]}]}
            """;

    /** A run finished under other options (here another --max-batches) is not reused: it is trained again. */
    @Test
    void aRunFinishedWithOtherOptionsIsNotReused() throws Exception {
        Path grid = Files.writeString(dir.resolve("tiny.json"), TINY);
        Path out = dir.resolve("sweep-reuse");
        PlanCommandTest.Result capped = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "1");
        assertEquals(0, capped.status(), capped.err());
        PlanCommandTest.Result same = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "1");
        assertTrue(same.out().contains("4 already done, 0 to run"), same.out());
        PlanCommandTest.Result other = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(0, other.status(), other.err());
        assertTrue(other.out().contains("0 already done, 4 to run"), other.out());
        assertTrue(Files.readString(out.resolve("runs").resolve(ResultsTable.read(out.resolve(ResultsTable.FILE))
                .get(0).run()).resolve("manifest.json")).contains("\"maxBatches\" : 2"));
    }

    @Test
    void tinyGridRunsResumesAndNamesADamagedTable() throws Exception {
        Path grid = Files.writeString(dir.resolve("tiny.json"), TINY);
        Path out = dir.resolve("sweep");
        PlanCommandTest.Result first = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("4 runs (2 settings x 2 seeds, 1 epoch(s) of at most 2 batches), 0 already"
                + " done, 4 to run"), first.out());
        assertTrue(first.out().contains("[4/4]") && first.out().contains("0 left"), first.out());
        List<ResultsTable.Row> rows = ResultsTable.read(out.resolve(ResultsTable.FILE));
        assertEquals(8, rows.size(), "4 runs x epochs 0 and 1");
        assertEquals(4, rows.stream().map(ResultsTable.Row::run).distinct().count());
        for (ResultsTable.Row r : rows) {
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(r.run()).resolve("manifest.json")));
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(r.run()).resolve("epochs.csv")));
        }

        PlanCommandTest.Result second = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().contains("4 already done, 0 to run"), second.out());
        assertEquals(rows, ResultsTable.read(out.resolve(ResultsTable.FILE)));

        // a table cut in the middle of its last line, and a temporary file left by a killed write
        Path table = out.resolve(ResultsTable.FILE);
        String text = Files.readString(table);
        Files.writeString(table, text.substring(0, text.length() - 20));
        Files.writeString(out.resolve("results.csv12345.tmp"), "run,setting\nhalf a li");
        PlanCommandTest.Result refused = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(2, refused.status(), "a damaged table is an error, not a silent rerun");
        assertTrue(refused.err().contains(table + " line 9 cannot be read"), refused.err());
        // the user deletes the damaged line, as the message says: its run is trained again
        List<String> lines = Files.readAllLines(table);
        Files.write(table, lines.subList(0, lines.size() - 1));
        assertEquals(7, ResultsTable.read(table).size());
        PlanCommandTest.Result third = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(0, third.status(), third.err());
        assertTrue(third.out().contains("3 already done, 1 to run"), third.out());
        List<ResultsTable.Row> after = ResultsTable.read(table);
        assertEquals(8, after.size());
        assertEquals(4, after.stream().map(ResultsTable.Row::run).distinct().count());

        PlanCommandTest.Result report = run("report", "--in", out.toString());
        assertEquals(0, report.status(), report.err());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, summary.size(), "header and 2 settings");
        assertTrue(Files.readString(out.resolve("summary.md")).contains("emergence-xavier a1.2"));
        assertPng(out.resolve("accuracy-mnist-embedded-mlp-784-16-16-10.png"));
        assertPng(out.resolve("alpha-mnist-embedded-mlp-784-16-16-10.png"));
    }

    @Test
    void pruningBlockContinuesCopiesOfOneTrainedNetwork() throws Exception {
        Path grid = Files.writeString(dir.resolve("prune.json"), """
                {"name": "prune", "seeds": 1, "epochs": 2, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-32-32-10"], "lr": 0.005,
                             "momentum": 0, "inits": ["kaiming"], "pruneAfter": 1, "pruneFractions": [0, 0.5]}]}
                """);
        Path out = dir.resolve("sweep");
        PlanCommandTest.Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "3");
        assertEquals(0, r.status(), r.err());
        Map<String, org.emergenceinit.harness.RunResult> runs = ResultsTable.runs(
                ResultsTable.read(out.resolve(ResultsTable.FILE)));
        assertEquals(2, runs.size(), runs.keySet().toString());
        org.emergenceinit.harness.RunResult control = runs.values().stream()
                .filter(x -> x.name().contains("_control_")).findFirst().orElseThrow();
        org.emergenceinit.harness.RunResult pruned = runs.values().stream()
                .filter(x -> x.name().contains("_prune50_")).findFirst().orElseThrow();
        assertEquals(3, pruned.epochs().size(), "epochs 0 (shared), 1 (after pruning), 2");
        assertEquals(control.epochs().get(0), pruned.epochs().get(0), "shared first part");
        double pControl = control.epochs().get(1).emergence().doubleValue() / control.epochs().get(1).relativeE();
        double pPruned = pruned.epochs().get(1).emergence().doubleValue() / pruned.epochs().get(1).relativeE();
        assertEquals(0.5, (pControl - pPruned) / (784 * 32 + 32 * 32 + 32 * 10), 0.01,
                "half the weights are zero after pruning (P from E / (E/P))");
        assertTrue(Files.readString(out.resolve("runs").resolve(pruned.name()).resolve("manifest.json"))
                .contains("magnitude pruning of 50.0 %"));
        assertTrue(Files.isDirectory(out.resolve("runs").resolve(pruned.name().replace("_prune50_s1", "_s1_first1"))));
        assertEquals(0, run("report", "--in", out.toString()).status());
        assertTrue(Files.readString(out.resolve("summary.csv")).lines()
                .anyMatch(l -> l.contains("prune50") && l.contains(",mnist-embedded_mlp-784-32-32-10_kaiming_sgd-lr"
                        + "0.005_b128_mb3_p50_control,")), "the control is the pruned copy's baseline");
    }

    /** The CI smoke test of the quick preset, cut to one seed, one epoch and 2 batches. */
    @Test
    void quickPresetRunsAndReports() throws Exception {
        Path out = dir.resolve("quick");
        PlanCommandTest.Result r = run("sweep", "--preset", "quick", "--seeds", "1", "--epochs", "1", "--max-batches",
                "2", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("16 runs (16 settings x 1 seeds"), r.out());
        assertEquals(0, run("report", "--in", out.toString()).status());
        String md = Files.readString(out.resolve("summary.md"));
        for (String init : List.of("| xavier+warmup |", "| lsuv-kaiming |", "| emergence-kaiming a1.5 |")) {
            assertTrue(md.contains(init), init + " in\n" + md);
        }
    }

    @Test
    void divergedRunsAreRecordedAndTheSweepGoesOn() throws Exception {
        Path grid = Files.writeString(dir.resolve("nan.json"), """
                {"name": "nan", "seeds": 2, "epochs": 2, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-16-10"], "lr": 1e8,
                             "inits": ["xavier"]}]}
                """);
        Path out = dir.resolve("nan");
        PlanCommandTest.Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "5");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("[2/2]") && r.out().contains("(diverged)"), r.out());
        List<ResultsTable.Row> rows = ResultsTable.read(out.resolve(ResultsTable.FILE));
        assertEquals(2, rows.stream().map(ResultsTable.Row::run).distinct().count());
        assertTrue(rows.stream().allMatch(ResultsTable.Row::diverged));
        assertTrue(run("sweep", "--grid", grid.toString(), "--out", out.toString(), "--max-batches", "5").out()
                .contains("2 already done, 0 to run"), "a diverged run is finished");
        assertEquals(0, run("report", "--in", out.toString()).status());
        assertTrue(Files.readAllLines(out.resolve("summary.csv")).get(1).contains(",2,2,"), "n 2, diverged 2");
    }

    @Test
    void aRunThatThrowsIsReportedAndTheSweepGoesOn() throws Exception {
        // mlp:784-16-5 has 5 outputs for MNIST's 10 classes: that run throws when it starts
        Path grid = Files.writeString(dir.resolve("throws.json"), """
                {"name": "throws", "seeds": 1, "epochs": 1, "probeSamples": 50,
                 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-16-5", "mlp:784-16-10"],
                             "lr": 0.05, "inits": ["xavier"]}]}
                """);
        Path out = dir.resolve("throws");
        PlanCommandTest.Result r = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(1, r.status(), r.out() + r.err());
        String bad = "mnist-embedded_mlp-784-16-5_xavier_sgd+nesterov0.9-lr0.05_b128_mb2_p50_s1";
        assertTrue(r.out().contains("[1/2] " + bad + ": FAILED: java.lang.IllegalArgumentException: --arch"
                + " mlp:784-16-5 has 5 outputs"), r.out());
        assertTrue(r.out().contains("[2/2] mnist-embedded_mlp-784-16-10_"), "the next run ran: " + r.out());
        assertTrue(r.out().contains("1 of 2 runs FAILED") && r.out().contains(bad), r.out());
        assertTrue(Files.readString(out.resolve("runs").resolve(bad).resolve(SweepCommand.ERROR_FILE))
                .contains("at org.emergenceinit.harness.TrainingRun"), "the stack trace is kept");
        List<ResultsTable.Row> rows = ResultsTable.read(out.resolve(ResultsTable.FILE));
        assertEquals(List.of("mnist-embedded_mlp-784-16-10_xavier_sgd+nesterov0.9-lr0.05_b128_mb2_p50_s1"),
                rows.stream().map(ResultsTable.Row::run).distinct().toList(), "only the finished run is recorded");
        PlanCommandTest.Result again = run("sweep", "--grid", grid.toString(), "--out", out.toString(),
                "--max-batches", "2");
        assertEquals(1, again.status());
        assertTrue(again.out().contains("1 already done, 1 to run"), "the failed run is retried: " + again.out());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        PlanCommandTest.Result preset = run("sweep", "--preset", "nope", "--out", dir.toString());
        assertEquals(2, preset.status());
        assertTrue(preset.err().startsWith("emergence: Unknown preset 'nope': use one of quick, mlp-deep, cnn-vgg"),
                preset.err());
        Path grid = Files.writeString(dir.resolve("bad.json"), TINY.replace("\"lr\": 0.05", "\"lr\": \"fast\""));
        PlanCommandTest.Result bad = run("sweep", "--grid", grid.toString(), "--out", dir.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("field 'blocks[0].lr'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        Files.writeString(grid, TINY.replace("\"xavier\",", "\"glorot\","));
        PlanCommandTest.Result init = run("sweep", "--grid", grid.toString(), "--out", dir.toString());
        assertTrue(init.err().contains("field 'blocks[0].inits[0]' Unknown init 'glorot'"), init.err());
        Files.writeString(grid, TINY.replace("\"seeds\"", "\"seedz\""));
        PlanCommandTest.Result unknown = run("sweep", "--grid", grid.toString(), "--out", dir.toString());
        assertTrue(unknown.err().contains("field 'seedz'"), unknown.err());
        PlanCommandTest.Result missing = run("report", "--in", dir.resolve("none").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("has no results.csv"), missing.err());
    }

    @Test
    void yamlGridEqualsItsJsonTwinAndBadYamlIsOneLine() throws Exception {
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, """
                name: tiny
                seeds: 2
                epochs: 1
                milestone: 0.2
                probeSamples: 50
                blocks:
                  - datasets: [mnist-embedded]
                    archs: ["mlp:784-16-16-10"]
                    lr: 0.05
                    inits: [xavier, emergence-xavier]
                    alphas: [1.2]
                """);
        Path json = dir.resolve("tiny.json");
        Files.writeString(json, TINY);
        assertEquals(SweepGrid.read(json).toJson(), SweepGrid.read(yaml).toJson());
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "name: bad\nseeds: many\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepGrid.read(bad));
        assertTrue(e.getMessage().contains("field 'seeds'"), e.getMessage());
    }

    @Test
    void presetsParse() throws Exception {
        for (String name : SweepGrid.PRESETS) {
            SweepGrid g = SweepGrid.preset(name);
            assertTrue(g.runs(0, null, dir).size() >= g.seeds * 8, name);
        }
        SweepGrid deep = SweepGrid.preset("mlp-deep");
        assertEquals(5 * 2 * 2 * (6 + 2 * 3), deep.runs(0, null, dir).size(),
                "seeds x datasets x BN x (6 stock/warm-up/LSUV inits + 2 emergence inits x 3 alphas)");
    }

    /** Synthetic results: 3 seeds of a baseline and of an emergence init, numbers checked by hand. */
    @Test
    void reportNumbersMatchHandComputedStatistics() throws Exception {
        double[][] stock = {{0.50, 0.80}, {0.60, 0.82}, {0.70, 0.84}};
        double[][] ramp = {{0.65, 0.85}, {0.70, 0.86}, {0.75, 0.90}};
        List<ResultsTable.Row> rows = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            rows.addAll(synthetic("xavier", 1.0, seed, stock[seed - 1]));
            rows.addAll(synthetic("emergence-xavier", 1.2, seed, ramp[seed - 1]));
        }
        Path table = dir.resolve(ResultsTable.FILE);
        for (String run : rows.stream().map(ResultsTable.Row::run).distinct().toList()) {
            ResultsTable.put(table, rows.stream().filter(r -> r.run().equals(run)).toList());
        }
        PlanCommandTest.Result r = run("report", "--in", dir.toString(), "--milestone", "0.855");
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("summary.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, String> e = cells(header, lines.get(2));
        Map<String, String> b = cells(header, lines.get(1));
        assertEquals("xavier", b.get("init"));
        assertEquals("", b.get("baseline"));
        assertEquals(0.60, d(b, "acc1Mean"), 1e-12);
        assertEquals(0.10, d(b, "acc1Sd"), 1e-12);
        assertEquals(0.82, d(b, "accEndMean"), 1e-12);
        assertEquals(0.02, d(b, "accEndSd"), 1e-12);
        assertEquals(0, d(b, "milestoneReached"));
        assertEquals("emergence-xavier", e.get("init"));
        assertEquals(b.get("setting"), e.get("baseline"));
        assertEquals(0.87, d(e, "accEndMean"), 1e-12);
        assertEquals(Math.sqrt(0.0007), d(e, "accEndSd"), 1e-12);
        // end: diff 0.05, se^2 = 0.0004/3 + 0.0007/3, t = 0.05 / sqrt(0.0011/3) = 2.61116,
        // df = (0.0011/3)^2 / ((0.0004/3)^2/2 + (0.0007/3)^2/2) = 3.72308
        assertEquals(0.05, d(e, "diffEnd"), 1e-12);
        assertEquals(2.611165, d(e, "tEnd"), 1e-5);
        assertEquals(3.723077, d(e, "dfEnd"), 1e-5);
        // epoch 1: 0.70 ± 0.05 against 0.60 ± 0.10: t = 0.1 / sqrt(0.0025/3 + 0.01/3) = 1.549193, df = 2.941176
        assertEquals(0.10, d(e, "diff1"), 1e-12);
        assertEquals(1.549193, d(e, "t1"), 1e-5);
        assertEquals(2.941176, d(e, "df1"), 1e-5);
        assertEquals(2, d(e, "milestoneReached"), "seeds 2 and 3 reach 0.855, at epoch 2");
        assertEquals(2.0, d(e, "epochsToMilestoneMean"), 1e-12);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("| emergence-xavier a1.2 | 0.01 | 3 | 0 | 0.7000 ± 0.0500 | 0.8700 ± 0.0265 (epoch 2)"
                + " | 2.00 ± 0.00 (2/3) |"), md);
        assertTrue(md.contains("+0.0500 (t 2.61, df 3.7)"), md);
        assertPng(dir.resolve("accuracy-mnist-mlp-784-16-10.png"));
    }

    private static List<ResultsTable.Row> synthetic(String init, double alpha, long seed, double[] acc) {
        String setting = "mnist_mlp-784-16-10_" + init + (alpha != 1.0 ? "-a" + alpha : "");
        List<ResultsTable.Row> rows = new ArrayList<>();
        double[] accuracy = {0.1, acc[0], acc[1]};
        for (int epoch = 0; epoch <= 2; epoch++) {
            rows.add(new ResultsTable.Row(setting + "_s" + seed, setting, "mnist", "mlp:784-16-10", false, init, "",
                    alpha, 0.01, seed, false, new org.emergenceinit.harness.EpochStats(epoch, 0.01, 1.0, 1.0,
                    accuracy[epoch], java.math.BigInteger.valueOf(1000 - epoch), 3.0, 0.5, 1.0)));
        }
        return rows;
    }

    private static Map<String, String> cells(List<String> header, String line) {
        String[] c = line.split(",", -1);
        return java.util.stream.IntStream.range(0, header.size()).boxed()
                .collect(Collectors.toMap(header::get, i -> c[i]));
    }

    private static double d(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    static void assertPng(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is a PNG");
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
    }

    @Test
    void translateOptionsAreForTheTranslationPresetOnly() {
        PlanCommandTest.Result r = run("sweep", "--preset", "quick", "--translate-options", "--patience 2", "--out",
                dir.resolve("never").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--translate-options applies to --preset multi30k-transformer only"), r.err());
        assertFalse(Files.exists(dir.resolve("never")));
    }
}
