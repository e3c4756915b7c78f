package org.emergenceinit.cli;

import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.examples.RunManifest;
import org.emergenceinit.examples.RunOptions;
import org.emergenceinit.prune.MagnitudePruner;
import org.emergenceinit.nmt.TranslationSweep;
import org.emergenceinit.examples.RunResult;
import org.emergenceinit.examples.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * {@code emergence sweep}: every run of a grid ({@link SweepGrid}: a preset or a JSON file), one at a time. Each run
 * writes its manifest and per-epoch CSV into {@code --out/runs/<run name>/}, then its rows are put into
 * {@code --out/results.csv} ({@link ResultsTable}, written atomically). The sweep is resumable: run again with the
 * same options, it skips the runs whose rows are complete (all epochs, or diverged) and reruns the others. A run
 * whose loss becomes NaN is recorded as diverged and the sweep goes on. A run that throws (a bad setting, out of
 * memory) is left out of the table, its stack trace written to {@code runs/<run name>/error.txt}, and the sweep goes
 * on; it ends with exit status 1 naming the failed runs, which the next resume retries. A pruning block's runs share
 * their first part (trained once per seed into {@code runs/<name>_first<k>}, again on resuming if a copy is still to
 * run) and continue copies of it ({@link TrainingRun#fork}), pruned with {@link MagnitudePruner}.
 * {@code emergence report --in DIR} then builds the summary and the plots. The preset
 * {@value org.emergenceinit.nmt.TranslationSweep#PRESET} is the translation sweep ({@link TranslationSweep}).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every combination of a preset or grid (one run at a time, resumable), appending each run to"
                + " --out/results.csv; then use 'report --in DIR'.")
final class SweepCommand implements Callable<Integer> {

    /** The file a failed run's folder gets: the exception's stack trace. */
    static final String ERROR_FILE = "error.txt";

    @Spec
    CommandSpec spec;

    /** The first part of the pruning runs being forked, and its run name. */
    private TrainingRun firstPart;
    private String firstName;

    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME", required = true,
                description = "quick, mlp-deep, cnn-vgg, paper2-pruning, or multi30k-transformer (the translation"
                        + " sweep: xavier and emergence-xavier, alpha 1.2, 3 seeds, 1 epoch; --out/summary.csv).")
        String preset;

        @Option(names = "--grid", paramLabel = "FILE", required = true,
                description = "A JSON grid, or YAML when named .yaml/.yml (see the presets in"
                        + " experiments/src/main/resources/.../presets).")
        Path grid;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds 1..N per setting (default: the grid's).")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (default: the grid's).")
    Integer epochs;

    @Option(names = "--max-batches", paramLabel = "K", description = "Stop each epoch and each test evaluation after"
            + " K batches; 0 = no cap (default: ${DEFAULT-VALUE}).")
    int maxBatches;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder laid out like shared/datasets (default:"
            + " $EMERGENCE_DATA, then DL4J's cache and download).")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "The sweep folder (default: runs/sweep-<grid name>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (seeds != null && seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds + ".");
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs + ".");
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("--max-batches must be >= 0 (0 = no cap), got " + maxBatches + ".");
        }
        if (source.preset != null
                && TranslationSweep.PRESET.equals(source.preset.trim().toLowerCase(Locale.ROOT))) {
            return translationSweep();
        }
        SweepGrid grid = source.preset != null ? SweepGrid.preset(source.preset) : SweepGrid.read(source.grid);
        if (seeds != null) {
            grid.seeds = seeds;
        }
        if (epochs != null) {
            grid.epochs = epochs;
        }
        Path dir = out != null ? out : Path.of("runs", "sweep-" + grid.name);
        List<SweepGrid.Run> runs = grid.runs(maxBatches, dataDir, dir);
        Path table = dir.resolve(ResultsTable.FILE);
        Map<String, RunResult> recorded = ResultsTable.runs(ResultsTable.read(table));
        List<SweepGrid.Run> todo = runs.stream().filter(r -> {
            RunResult done = recorded.get(r.options().runName());
            return done == null || !ResultsTable.complete(done, grid.epochs);
        }).toList();
        RunManifest.writeAtomically(dir.resolve("grid.json"), grid.toJson());
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "sweep %s: %d runs (%d settings x %d seeds, %d epoch(s)%s), %d already done, %d to run;"
                        + " results in %s%n", grid.name, runs.size(), runs.size() / grid.seeds, grid.seeds,
                grid.epochs, maxBatches > 0 ? " of at most " + maxBatches + " batches" : "", runs.size() - todo.size(),
                todo.size(), table);
        w.flush();
        Map<String, DatasetSource> data = new HashMap<>();
        List<String> failed = new ArrayList<>();
        long t0 = System.nanoTime();
        int done = runs.size() - todo.size();
        for (int i = 0; i < todo.size(); i++) {
            SweepGrid.Run run = todo.get(i);
            DatasetSource d = data.get(run.options().dataset);
            if (d == null) {
                d = Datasets.load(run.options().dataset, dataDir, run.options().data);
                data.put(run.options().dataset, d);
            }
            done++;
            int left = todo.size() - i - 1;
            double elapsed;
            RunResult r;
            try {
                r = train(run, d);
            } catch (RuntimeException | IOException | OutOfMemoryError e) {
                failed.add(run.options().runName());
                Path error = recordFailure(run.options().outDir(), e);
                elapsed = (System.nanoTime() - t0) / 1e9;
                w.printf(Locale.ROOT, "[%d/%d] %s: FAILED: %s (stack trace in %s); %d done, %d left, about %s left%n",
                        done, runs.size(), run.options().runName(), e, error, done, left,
                        duration(elapsed / (i + 1) * left));
                w.flush();
                continue;
            }
            ResultsTable.put(table, ResultsTable.rows(r, run.setting()));
            elapsed = (System.nanoTime() - t0) / 1e9;
            w.printf(Locale.ROOT, "[%d/%d] %s: test accuracy %.4f after %d epoch(s)%s, %.1f s; %d done, %d left, about"
                            + " %s left%n", done, runs.size(), r.name(), r.last().testAccuracy(), r.last().epoch(),
                    r.diverged() ? " (diverged)" : "", r.seconds(), done, left, duration(elapsed / (i + 1) * left));
            w.flush();
        }
        if (!failed.isEmpty()) {
            w.printf(Locale.ROOT, "sweep %s: %d of %d runs FAILED and are not in %s (each folder's %s says why): %s;"
                            + " run the same command again to retry them, then: bin/emergence report --in %s%n",
                    grid.name, failed.size(), runs.size(), table, ERROR_FILE, String.join(", ", failed), dir);
            w.flush();
            return 1;
        }
        w.printf(Locale.ROOT, "sweep %s: %d runs in %s; now: bin/emergence report --in %s%n", grid.name, runs.size(),
                dir, dir);
        w.flush();
        return 0;
    }

    /** The {@value TranslationSweep#PRESET} preset: {@link TranslationSweep} with this command's options. */
    private int translationSweep() throws IOException {
        List<String> args = new ArrayList<>();
        if (seeds != null) {
            args.addAll(List.of("--seeds", LongStream.rangeClosed(1, seeds).mapToObj(Long::toString)
                    .collect(Collectors.joining(","))));
        }
        if (epochs != null) {
            args.addAll(List.of("--epochs", epochs.toString()));
        }
        if (maxBatches > 0) {
            args.addAll(List.of("--max-batches", Integer.toString(maxBatches)));
        }
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        args.addAll(List.of("--out", (out != null ? out : Path.of("runs", "sweep-" + TranslationSweep.PRESET))
                .toString()));
        TranslationSweep.runSweep(System.out, args.toArray(String[]::new));
        return 0;
    }

    /**
     * Trains one run to its last epoch; a pruning run continues a copy of its first part, trained once per seed and
     * kept for the next fraction.
     */
    private RunResult train(SweepGrid.Run run, DatasetSource d) throws IOException {
        TrainingRun training;
        if (run.pruneAfter() == 0) {
            training = TrainingRun.start(run.options(), d, null);
        } else {
            RunOptions first = run.firstPart();
            if (!first.runName().equals(firstName)) {
                firstPart = null;
                firstName = null;
                TrainingRun part = TrainingRun.start(first, d, null);
                while (part.hasNextEpoch()) {
                    part.epoch();
                }
                part.finish();
                firstPart = part;
                firstName = first.runName();
            }
            training = firstPart.fork(run.options(), pruning(run.pruneFraction()), net -> prune(net,
                    run.pruneFraction()));
        }
        while (training.hasNextEpoch()) {
            training.epoch();
        }
        return training.finish();
    }

    /** Writes {@code e}'s stack trace into the run's folder as {@value #ERROR_FILE}, and returns that file. */
    private static Path recordFailure(Path runDir, Throwable e) throws IOException {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Files.createDirectories(runDir);
        Path error = runDir.resolve(ERROR_FILE);
        RunManifest.writeAtomically(error, trace.toString());
        return error;
    }

    private static String pruning(double fraction) {
        return fraction == 0 ? "control: not pruned" : String.format(Locale.ROOT, "magnitude pruning of %s %% of the"
                + " weights (global ranking), mask kept while training", fraction * 100);
    }

    private static void prune(MultiLayerNetwork net, double fraction) {
        if (fraction > 0) {
            net.addListeners(MagnitudePruner.builder().fraction(fraction).build().prune(net).mask());
        }
    }

    /** {@code 42 s}, {@code 12 min}, {@code 3.5 h}. */
    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return seconds < 7200 ? String.format(Locale.ROOT, "%.0f min", seconds / 60)
                : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
