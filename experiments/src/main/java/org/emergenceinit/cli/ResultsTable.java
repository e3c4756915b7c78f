package org.emergenceinit.cli;

import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.RunSpec;

import org.emergenceinit.harness.sweep.CsvTable;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's results table, {@code results.csv}: one row per run and epoch (0 = at initialization), a
 * {@link CsvTable} (RFC 4180 CSV through Jackson's CSV module: cells with commas, quotes or line breaks are quoted;
 * rewritten whole through a temporary file moved into place, so a killed sweep leaves either the old or the new
 * table; a line that does not parse is an error naming the file and the line, never a silent rerun).
 *
 * <p>Column {@code trainAccuracy} (the training-set accuracy, {@link EpochStats#trainAccuracy()}), before the last,
 * {@code seconds}, is an empty cell where it was not measured. It was added later ({@link #ADDED_COLUMNS}; the
 * columns before it keep their places and {@code seconds} stays last): a file of the 19 columns before it reads with
 * empty cells there, and the sweep that goes on with it rewrites it whole with the 20 columns, every old row kept.
 */
final class ResultsTable {

    static final String FILE = "results.csv";

    static final List<String> COLUMNS = List.of("run", "setting", "dataset", "arch", "bn", "init", "variant", "alpha",
            "lr",
            "seed", "diverged", "epoch", "trainLoss", "testLoss", "testAccuracy", "E", "log10E", "relativeE",
            "trainAccuracy", "seconds");

    /** The columns added after results.csv files were written: an older file lacks them. */
    static final List<String> ADDED_COLUMNS = List.of("trainAccuracy");

    /** One row: a run's identity and one epoch's numbers; {@code variant} is the run's tag ({@code control}, {@code
     * prune30}...) or empty. */
    record Row(String run, String setting, String dataset, String arch, boolean bn, String init, String variant,
               double alpha,
               double lr, long seed, boolean diverged, EpochStats stats) {

        String[] cells() {
            EpochStats e = stats;
            return new String[]{run, setting, dataset, arch, String.valueOf(bn), init, variant,
                    String.valueOf(alpha),
                    String.valueOf(lr), String.valueOf(seed), String.valueOf(diverged), String.valueOf(e.epoch()),
                    String.valueOf(e.trainLoss()), String.valueOf(e.testLoss()), String.valueOf(e.testAccuracy()),
                    e.emergence().toString(), String.valueOf(e.log10E()), String.valueOf(e.relativeE()),
                    EpochStats.cell(e.trainAccuracy()), String.valueOf(e.seconds())};
        }

        static Row parse(String[] c) {
            if (c.length != COLUMNS.size()) {
                throw new IllegalArgumentException(c.length + " cells where " + COLUMNS.size() + " were expected");
            }
            if (!c[4].matches("true|false") || !c[10].matches("true|false")) {
                throw new IllegalArgumentException("bn and diverged must be true or false, got '" + c[4] + "' and '"
                        + c[10] + "'");
            }
            EpochStats e = new EpochStats(Integer.parseInt(c[11]), EpochStats.parseCell(c[8]),
                    EpochStats.parseCell(c[12]), EpochStats.parseCell(c[13]), EpochStats.parseCell(c[14]),
                    new BigInteger(c[15]), EpochStats.parseCell(c[16]), EpochStats.parseCell(c[17]),
                    EpochStats.parseCell(c[19]), EpochStats.parseCell(c[18]));
            return new Row(c[0], c[1], c[2], c[3], Boolean.parseBoolean(c[4]), c[5], c[6], Double.parseDouble(c[7]),
                    Double.parseDouble(c[8]), Long.parseLong(c[9]), Boolean.parseBoolean(c[10]), e);
        }
    }

    private ResultsTable() {
    }

    /** The rows of a finished run. */
    static List<Row> rows(RunResult r, String setting) {
        RunSpec o = r.spec();
        double alpha = o.init().spec().emergence() ? o.init().alpha() : 1.0;
        String variant = o.output().tag() == null ? "" : o.output().tag();
        return r.epochs().stream().map(e -> new Row(r.name(), setting, o.data().dataset(), o.network().arch(),
                o.network().batchNorm(), o.init().name(), variant, alpha, o.optimizer().lr(), o.seed(), r.diverged(),
                e)).toList();
    }

    /**
     * The table in {@code file} ({@link CsvTable}: Jackson's CSV module, atomic writes, damage named by line; a file
     * without the {@link #ADDED_COLUMNS} reads with those cells empty).
     */
    static CsvTable<Row> table(Path file) {
        return new CsvTable<>(file, COLUMNS, ADDED_COLUMNS, new CsvTable.Codec<>() {
            @Override
            public String[] cells(Row row) {
                return row.cells();
            }

            @Override
            public Row row(String[] cells) {
                return Row.parse(cells);
            }
        }, Row::run);
    }

    /**
     * The rows, in file order; none if the file does not exist.
     *
     * @throws IOException naming the file and line when a line does not parse (a damaged file: repair or delete
     *                     that line, whose run is then trained again)
     */
    static List<Row> read(Path file) throws IOException {
        return table(file).read();
    }

    /** Replaces the rows of {@code rows}' run (if any) with {@code rows}, writing the table atomically. */
    static void put(Path file, List<Row> rows) throws IOException {
        put(file, rows, List.of());
    }

    /**
     * As {@link #put(Path, List)}, with the runs named in {@code order} in that order (then the others, in file
     * order), so a table does not depend on the order in which parallel runs finished.
     */
    static void put(Path file, List<Row> rows, List<String> order) throws IOException {
        List<Row> all = new ArrayList<>(read(file));
        String run = rows.get(0).run();
        all.removeIf(r -> r.run().equals(run));
        all.addAll(rows);
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.putIfAbsent(order.get(i), i);
        }
        all.sort(Comparator.comparingInt(r -> rank.getOrDefault(r.run(), Integer.MAX_VALUE)));
        table(file).write(all);
    }

    /** The rows grouped into runs (file order), each rebuilt as a {@link RunResult} for the charts. */
    static Map<String, RunResult> runs(List<Row> rows) {
        Map<String, List<Row>> byRun = new LinkedHashMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
        Map<String, RunResult> runs = new LinkedHashMap<>();
        byRun.forEach((name, list) -> {
            Row first = list.get(0);
            RunSpec o = RunSpec.builder().dataset(first.dataset()).arch(first.arch()).batchNorm(first.bn())
                    .alpha(first.alpha()).lr(first.lr()).init(first.init()).seed(first.seed())
                    .tag(first.variant().isEmpty() ? null : first.variant()).build();
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
