package org.emergenceinit.cli;

import org.emergenceinit.examples.EpochStats;
import org.emergenceinit.examples.InitSpec;
import org.emergenceinit.examples.RunManifest;
import org.emergenceinit.examples.RunOptions;
import org.emergenceinit.examples.RunResult;
import org.emergenceinit.examples.TrainingOptions;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's results table, {@code results.csv}: one row per run and epoch (0 = at initialization). It is rewritten
 * whole through a temporary file moved into place, so a killed sweep leaves either the old or the new table; a
 * line that does not parse (a file damaged some other way) is skipped on reading, and its run counts as not done.
 */
final class ResultsTable {

    static final String FILE = "results.csv";

    static final List<String> COLUMNS = List.of("run", "setting", "dataset", "arch", "bn", "init", "variant", "alpha",
            "lr",
            "seed", "diverged", "epoch", "trainLoss", "testLoss", "testAccuracy", "E", "log10E", "relativeE",
            "seconds");

    /** One row: a run's identity and one epoch's numbers; {@code variant} is the run's tag ({@code control}, {@code
     * prune30}...) or empty. */
    record Row(String run, String setting, String dataset, String arch, boolean bn, String init, String variant,
               double alpha,
               double lr, long seed, boolean diverged, EpochStats stats) {

        String csv() {
            EpochStats e = stats;
            return String.join(",", run, setting, dataset, arch, String.valueOf(bn), init, variant,
                    String.valueOf(alpha),
                    String.valueOf(lr), String.valueOf(seed), String.valueOf(diverged), String.valueOf(e.epoch()),
                    String.valueOf(e.trainLoss()), String.valueOf(e.testLoss()), String.valueOf(e.testAccuracy()),
                    e.emergence().toString(), String.valueOf(e.log10E()), String.valueOf(e.relativeE()),
                    String.valueOf(e.seconds()));
        }

        static Row parse(String line) {
            String[] c = line.split(",", -1);
            if (c.length != COLUMNS.size() || !c[4].matches("true|false") || !c[10].matches("true|false")) {
                throw new IllegalArgumentException("expected " + COLUMNS.size() + " cells");
            }
            EpochStats e = new EpochStats(Integer.parseInt(c[11]), Double.parseDouble(c[8]), Double.parseDouble(c[12]),
                    Double.parseDouble(c[13]), Double.parseDouble(c[14]), new BigInteger(c[15]),
                    Double.parseDouble(c[16]), Double.parseDouble(c[17]), Double.parseDouble(c[18]));
            return new Row(c[0], c[1], c[2], c[3], Boolean.parseBoolean(c[4]), c[5], c[6], Double.parseDouble(c[7]),
                    Double.parseDouble(c[8]), Long.parseLong(c[9]), Boolean.parseBoolean(c[10]), e);
        }
    }

    private ResultsTable() {
    }

    /** The rows of a finished run. */
    static List<Row> rows(RunResult r, String setting) {
        RunOptions o = r.options();
        double alpha = InitSpec.parse(o.init).emergence() ? o.alpha : 1.0;
        String variant = o.tag == null ? "" : o.tag;
        return r.epochs().stream().map(e -> new Row(r.name(), setting, o.dataset, o.arch, o.batchNorm, o.init, variant,
                alpha, o.lr, o.seed, r.diverged(), e)).toList();
    }

    /** The rows that parse, in file order; none if the file does not exist. */
    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
            try {
                rows.add(Row.parse(lines.get(i)));
            } catch (RuntimeException skipped) {
                // a damaged line: its run is incomplete and will be run again
            }
        }
        return rows;
    }

    /** Replaces the rows of {@code rows}' run (if any) with {@code rows}, writing the table atomically. */
    static void put(Path file, List<Row> rows) throws IOException {
        List<Row> all = new ArrayList<>(read(file));
        String run = rows.get(0).run();
        all.removeIf(r -> r.run().equals(run));
        all.addAll(rows);
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        all.forEach(r -> sb.append(r.csv()).append('\n'));
        RunManifest.writeAtomically(file, sb.toString());
    }

    /** The rows grouped into runs (file order), each rebuilt as a {@link RunResult} for the charts. */
    static Map<String, RunResult> runs(List<Row> rows) {
        Map<String, List<Row>> byRun = new LinkedHashMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
        Map<String, RunResult> runs = new LinkedHashMap<>();
        byRun.forEach((name, list) -> {
            Row first = list.get(0);
            TrainingOptions t = new TrainingOptions();
            t.dataset = first.dataset();
            t.arch = first.arch();
            t.batchNorm = first.bn();
            t.alpha = first.alpha();
            t.lr = first.lr();
            RunOptions o = RunOptions.of(t, first.init(), first.seed(), null);
            o.tag = first.variant().isEmpty() ? null : first.variant();
            List<EpochStats> epochs = list.stream().map(Row::stats)
                    .sorted(Comparator.comparingInt(EpochStats::epoch)).toList();
            boolean diverged = list.stream().anyMatch(Row::diverged);
            runs.put(name, new RunResult(name, o, first.dataset(), epochs, diverged, Path.of(RunManifest.FILE),
                    Path.of("epochs.csv"), Instant.EPOCH, Instant.EPOCH));
        });
        return runs;
    }

    /** A run is complete when it diverged or reached {@code epochs}. */
    static boolean complete(RunResult r, int epochs) {
        return r.diverged() || r.last().epoch() >= epochs;
    }
}
