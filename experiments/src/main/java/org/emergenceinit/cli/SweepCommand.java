package org.emergenceinit.cli;

import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.cli.options.TranslationSweepOptions;
import org.emergenceinit.prune.MagnitudePruner;
import org.emergenceinit.nmt.TranslationSweep;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.TrainingRun;
import org.emergenceinit.harness.sweep.RunExecutor;
import org.emergenceinit.harness.sweep.SweepEngine;
import picocli.CommandLine.ArgGroup;
import org.emergenceinit.cli.options.EvaluationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * {@code emergence sweep}: every run of a grid ({@link SweepGrid}: a preset or a JSON file), through the harness's
 * {@link SweepEngine} (which owns the resume rule, the order of results.csv and the failure handling described
 * here), {@code --jobs} at a time
 * (each in its own thread; the numbers do not depend on it, and results.csv keeps the grid's run order). Each run
 * writes its manifest and per-epoch CSV into {@code --out/runs/<run name>/}, then its rows are put into
 * {@code --out/results.csv} ({@link ResultsTable}, written atomically). The sweep is resumable: run again with the
 * same options, it skips the runs whose rows are complete (all epochs, or diverged) and reruns the others. A run
 * whose loss becomes NaN is recorded as diverged and the sweep goes on. A run that throws (a bad setting, out of
 * memory) is left out of the table, its stack trace written to {@code runs/<run name>/error.txt}, and the sweep goes
 * on; it ends with exit status 1 naming the failed runs, which the next resume retries. A pruning block's runs share
 * their first part (trained once per seed into {@code runs/<name>_first<k>}, again on resuming if a copy is still to
 * run) and continue copies of it ({@link TrainingRun#fork}), pruned with {@link MagnitudePruner}; with
 * {@code --train-accuracy} (or the grid's {@code trainAccuracy}) both parts measure the training accuracy, the copies
 * again right after pruning. A finished run without the training accuracy is trained again when it is asked for.
 * With {@code --spark MASTER} the runs execute as Spark tasks ({@link GridTask}; the executor comes from the
 * sweep-spark module through {@link RunExecutor.Provider}, which this module does not depend on), recorded here as
 * above. {@code emergence report --in DIR} then builds the summary and the plots. The preset
 * {@value org.emergenceinit.nmt.TranslationSweep#PRESET} is the translation sweep ({@link TranslationSweep}).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every combination of a preset or grid (--jobs runs at a time, resumable), putting each run"
                + " into --out/results.csv; then use 'report --in DIR'.")
final class SweepCommand implements Callable<Integer> {

    /** The file a failed run's folder gets: the exception's stack trace. */
    static final String ERROR_FILE = SweepEngine.ERROR_FILE;

    @Spec
    CommandSpec spec;

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

    @Mixin
    EvaluationOptions evaluation = new EvaluationOptions();

    @Option(names = "--translate-options", paramLabel = "OPTS", description = "multi30k-transformer only: options"
            + " passed to every translate run, one string, e.g. \"--patience 2 --warmup 0\" (see translate --help).")
    String translateOptions;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs trained at once, >= 1 (default: the machine's"
            + " cores divided by OMP_NUM_THREADS, here ${DEFAULT-VALUE}; 1 for multi30k-transformer, whose runs are"
            + " bound by memory). Results do not depend on it.")
    int jobs = defaultJobs();

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run each run as one Apache Spark task on this"
            + " master (local[2], spark://host:7077, yarn; not with --jobs); needs the sweep-spark module built and"
            + " the run folders (--out) and the data on a path every executor reads. The driver records the results"
            + " as without it.")
    String spark;

    /** The machine's cores divided by the OpenMP threads each run uses (OMP_NUM_THREADS, 1 when unset), at least 1. */
    static int defaultJobs() {
        int threads = 1;
        try {
            String t = System.getenv("OMP_NUM_THREADS");
            threads = t == null || t.isBlank() ? 1 : Math.max(1, Integer.parseInt(t.trim()));
        } catch (NumberFormatException e) {
            threads = 1;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / threads);
    }

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
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1 (runs trained at once), got " + jobs + ".");
        }
        if (spark != null && spec.commandLine().getParseResult().hasMatchedOption("--jobs")) {
            throw new IllegalArgumentException("--spark and --jobs exclude each other: Spark decides how many runs"
                    + " train at once (its executors' cores).");
        }
        if (source.preset != null
                && TranslationSweep.PRESET.equals(source.preset.trim().toLowerCase(Locale.ROOT))) {
            if (spark != null) {
                throw new IllegalArgumentException("--spark does not apply to --preset " + TranslationSweep.PRESET
                        + " yet.");
            }
            if (evaluation.trainAccuracy().isPresent()) {
                throw new IllegalArgumentException("--[no-]train-accuracy applies to the DL4J sweeps, not to --preset "
                        + TranslationSweep.PRESET + " (a translation run reports BLEU).");
            }
            return translationSweep();
        }
        if (translateOptions != null) {
            throw new IllegalArgumentException("--translate-options applies to --preset " + TranslationSweep.PRESET
                    + " only.");
        }
        SweepGrid grid = source.preset != null ? SweepGrid.preset(source.preset) : SweepGrid.read(source.grid);
        if (seeds != null) {
            grid.seeds = seeds;
        }
        if (epochs != null) {
            grid.epochs = epochs;
        }
        evaluation.trainAccuracy().ifPresent(grid::trainAccuracy);
        Path dir = out != null ? out : Path.of("runs", "sweep-" + grid.name);
        List<SweepGrid.Run> runs = grid.runs(maxBatches, dataDir, dir);
        // The executor first: a bad --spark master is refused before anything is written.
        try (RunExecutor executor = executor()) {
            return sweep(grid, dir, runs, executor);
        }
    }

    /** The runs' executor: this process's threads, or the Spark provider's for {@code --spark}. */
    private RunExecutor executor() {
        if (spark == null) {
            return RunExecutor.local();
        }
        RunExecutor.Provider p = RunExecutor.Provider.find("spark");
        if (p == null) {
            throw new IllegalArgumentException("--spark needs the sweep-spark module, which is not on the class path:"
                    + " build it (mvn -q package -pl sweep-spark -am -DskipTests) and run bin/emergence again.");
        }
        return p.open(spark);
    }

    private int sweep(SweepGrid grid, Path dir, List<SweepGrid.Run> runs, RunExecutor executor) throws Exception {
        String gridJson = grid.toJson();
        Path table = dir.resolve(ResultsTable.FILE);
        RunManifest.writeAtomically(dir.resolve("grid.json"), grid.toJson());
        PrintWriter w = spec.commandLine().getOut();
        int epochsWanted = grid.epochs;
        // One engine run per grid run; the pruning runs sharing a first part form one group (run in order, the
        // first part trained once and forked for each fraction).
        Map<String, Fork> forks = new HashMap<>();
        List<GridRun> engineRuns = new ArrayList<>();
        for (SweepGrid.Run run : runs) {
            String group = run.pruneAfter() == 0 ? run.spec().runName() : "first:" + run.firstPart().runName();
            engineRuns.add(new GridRun(run, group, forks.computeIfAbsent(group, k -> new Fork()), epochsWanted,
                    new GridTask(gridJson, maxBatches, dataDir == null ? null : dataDir.toAbsolutePath().toString(),
                            dir.toAbsolutePath().toString(), run.spec().runName())));
        }
        SweepEngine.Outcome<ResultsTable.Row> outcome = SweepEngine.of(ResultsTable.table(table)).jobs(jobs)
                .executor(executor).listener(new SweepEngine.Listener<>() {
                    @Override
                    public void started(int total, int finishedBefore, int toRun, int workers) {
                        w.printf(Locale.ROOT, "sweep %s: %d runs (%d settings x %d seeds, %d epoch(s)%s), %d already"
                                        + " done, %d to run (%d at once); results in %s%n", grid.name, total,
                                total / grid.seeds, grid.seeds, grid.epochs, maxBatches > 0 ? " of at most "
                                        + maxBatches + " batches" : "", finishedBefore, toRun, workers, table);
                        w.flush();
                    }

                    @Override
                    public void finished(SweepEngine.Run<ResultsTable.Row> run, List<ResultsTable.Row> rows,
                                         SweepEngine.Progress p) {
                        ResultsTable.Row last = rows.get(rows.size() - 1);
                        synchronized (w) {
                            w.printf(Locale.ROOT, "[%d/%d] %s: test accuracy %.4f%s after %d epoch(s)%s, %.1f s;"
                                            + " %s%n", p.done(), p.total(), run.name(), last.stats().testAccuracy(),
                                    last.stats().hasTrainAccuracy() ? String.format(Locale.ROOT,
                                            " (training accuracy %.4f)", last.stats().trainAccuracy()) : "",
                                    last.stats().epoch(), last.diverged() ? " (diverged)" : "",
                                    ((GridRun) run).seconds, progress(p));
                            w.flush();
                        }
                    }

                    @Override
                    public void failed(SweepEngine.Run<ResultsTable.Row> run, Throwable e, Path error,
                                       SweepEngine.Progress p) {
                        synchronized (w) {
                            w.printf(Locale.ROOT, "[%d/%d] %s: FAILED: %s (stack trace in %s); %s%n", p.done(),
                                    p.total(), run.name(), e, error, progress(p));
                            w.flush();
                        }
                    }
                }).run(engineRuns);
        List<String> failed = outcome.failed();
        if (!failed.isEmpty()) {
            w.printf(Locale.ROOT, "sweep %s: %d of %d runs FAILED and are not in %s (each folder's %s says why): %s;"
                            + " run the same command again to retry them, then: bin/emergence report --in %s%n",
                    grid.name, failed.size(), runs.size(), table, ERROR_FILE, String.join(", ", failed), dir);
            w.flush();
            // executors without the data: a usage error (exit 2), one line per host and folder
            List<String> noData = outcome.errors().values().stream().map(SweepCommand::missingData)
                    .filter(java.util.Objects::nonNull).distinct().toList();
            if (!noData.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                noData.forEach(line -> err.println("emergence: " + line));
                err.flush();
                return 2;
            }
            return 1;
        }
        w.printf(Locale.ROOT, "sweep %s: %d runs in %s; now: bin/emergence report --in %s%n", grid.name, runs.size(),
                dir, dir);
        w.flush();
        return 0;
    }

    /** {@code 3 done, 5 left, about 12 min left}. */
    private static String progress(SweepEngine.Progress p) {
        return String.format(Locale.ROOT, "%d done, %d left, about %s left", p.done(), p.left(),
                duration(p.secondsLeft()));
    }

    /**
     * A grid run for the engine. Finished when its rows in results.csv are complete (all epochs, or diverged) and
     * its manifest, if there is one, shows every option that changes its numbers as asked now (a run made with
     * --max-batches 1 does not count for the same sweep without the cap; without a manifest, as in a results folder
     * committed without its runs/ folders, the table's complete rows are trusted). The training-set accuracy: a run
     * asked to measure it is finished only if every one of its rows has it (a run made without it is trained again,
     * with a line saying so, rather than mixed in); a run that measured it counts as finished for a sweep that does
     * not ask for it (its numbers are the same, its rows have one more).
     */
    private final class GridRun implements SweepEngine.Run<ResultsTable.Row> {
        final SweepGrid.Run run;
        final String group;
        final Fork fork;
        final int epochs;
        final GridTask task;
        /** Wall-clock seconds of the run, set when it finishes. */
        volatile double seconds;

        GridRun(SweepGrid.Run run, String group, Fork fork, int epochs, GridTask task) {
            this.run = run;
            this.group = group;
            this.fork = fork;
            this.epochs = epochs;
            this.task = task;
        }

        @Override
        public String name() {
            return run.spec().runName();
        }

        @Override
        public String group() {
            return group;
        }

        @Override
        public Path folder() {
            return run.spec().outDir();
        }

        @Override
        public Optional<List<ResultsTable.Row>> finished(List<ResultsTable.Row> recorded) {
            if (recorded.isEmpty()) {
                return Optional.empty();
            }
            RunResult done = ResultsTable.runs(recorded).get(name());
            if (done == null || !ResultsTable.complete(done, epochs)) {
                return Optional.empty();
            }
            RunSpec asked = run.spec();
            boolean trainAccuracy = asked.evaluation().trainAccuracy();
            Path manifest = folder().resolve(RunManifest.FILE);
            if (Files.isRegularFile(manifest) && !RunManifest.sameOptions(manifest, asked)) {
                RunSpec other = asked.toBuilder().trainAccuracy(!trainAccuracy).build();
                if (!trainAccuracy && RunManifest.sameOptions(manifest, other)) {
                    return Optional.of(recorded); // measured the training accuracy too: the same run, and more
                }
                if (trainAccuracy && RunManifest.sameOptions(manifest, other)) {
                    notMeasured();
                }
                return Optional.empty();
            }
            if (trainAccuracy && !recorded.stream().allMatch(r -> r.stats().hasTrainAccuracy())) {
                notMeasured();
                return Optional.empty();
            }
            return Optional.of(recorded);
        }

        /** Says that this finished run is trained again because it has no training accuracy. */
        private void notMeasured() {
            PrintWriter w = spec.commandLine().getOut();
            synchronized (w) {
                w.printf(Locale.ROOT, "%s: finished without the training accuracy asked for now (made without"
                        + " --train-accuracy): trained again, its rows replaced%n", name());
                w.flush();
            }
        }

        @Override
        public List<ResultsTable.Row> run() throws IOException {
            RunResult result = train(run, data(run), fork);
            seconds = result.seconds();
            return ResultsTable.rows(result, run.setting());
        }

        @Override
        public SweepEngine.Task task() {
            return task;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<ResultsTable.Row> received(java.io.Serializable result) {
            GridTask.Result r = (GridTask.Result) result;
            seconds = r.seconds();
            return r.cells().stream().map(ResultsTable.Row::parse).toList();
        }
    }

    /**
     * A grid run as a task for another process (a Spark executor): the grid as JSON and the run's name, all plain
     * strings. There it expands the grid again (the same runs, the run folders under the absolute {@code out}),
     * loads the data (once per process) and trains the run with {@link #train}, as {@link GridRun#run} does here;
     * what comes back are the rows as results.csv's cells, which the driver reads as it reads results.csv.
     */
    record GridTask(String gridJson, int maxBatches, String dataDir, String out, String runName)
            implements SweepEngine.Task {

        /** What a task sends back: its rows' cells and its wall-clock seconds. */
        record Result(java.util.ArrayList<String[]> cells, double seconds) implements java.io.Serializable {
        }

        /** The data folder is not on the executor's host: the sweep ends with exit 2 (a usage error). */
        static final class MissingData extends IllegalArgumentException {
            private static final long serialVersionUID = 1L;

            MissingData(String message) {
                super(message);
            }
        }

        /** Each dataset read once per process, shared (read-only) by the runs of its tasks. */
        private static final Map<String, DatasetSource> DATA = new HashMap<>();

        @Override
        public java.io.Serializable call() throws IOException {
            Path data = dataDir == null ? null : Path.of(dataDir);
            if (data != null && !Files.isDirectory(data)) {
                throw new MissingData("The data folder " + data + " is missing on host " + host()
                        + ": --data-dir must name a folder every executor reads (a shared filesystem).");
            }
            SweepGrid grid = SweepGrid.parse(gridJson, "grid of " + runName);
            SweepGrid.Run run = grid.runs(maxBatches, data, Path.of(out)).stream()
                    .filter(r -> r.spec().runName().equals(runName)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run " + runName + " is not in its grid"));
            DatasetSource d;
            synchronized (DATA) {
                String key = run.spec().data().dataset() + "|" + dataDir;
                d = DATA.get(key);
                if (d == null) {
                    d = Datasets.load(run.spec().data().dataset(), data, run.spec().data().own());
                    DATA.put(key, d);
                }
            }
            RunResult result = train(run, d, new Fork());
            java.util.ArrayList<String[]> cells = new java.util.ArrayList<>();
            for (ResultsTable.Row row : ResultsTable.rows(result, run.setting())) {
                cells.add(row.cells());
            }
            return new Result(cells, result.seconds());
        }

        private static String host() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "(unknown host)";
            }
        }
    }

    /** The message of a {@link GridTask.MissingData} in {@code e}'s causes (Spark passes the task's on), or null. */
    private static String missingData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GridTask.MissingData) {
                return t.getMessage();
            }
        }
        return null;
    }

    /** The {@value TranslationSweep#PRESET} preset: {@link TranslationSweep} with this command's options. */
    private int translationSweep() throws Exception {
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
        if (translateOptions != null && !translateOptions.isBlank()) {
            args.addAll(List.of(translateOptions.trim().split("\\s+")));
        }
        // One run at a time unless --jobs is given: a SameDiff training holds 3-5 GB resident (see the README), so
        // the machine's core count is not the default here.
        boolean jobsGiven = spec.commandLine().getParseResult().hasMatchedOption("--jobs");
        args.addAll(List.of("--jobs", Integer.toString(jobsGiven ? jobs : 1)));
        Path folder = out != null ? out : Path.of("runs", "sweep-" + TranslationSweep.PRESET);
        args.addAll(List.of("--out", folder.toString()));
        boolean allDone = TranslationSweepOptions.run(System.out, args.toArray(String[]::new)).failed().isEmpty();
        Path chart = folder.resolve(TRANSLATION_CHART);
        if (translationCurves(folder, chart)) {
            System.out.println("chart: " + chart);
        }
        return allDone ? 0 : 1;
    }

    /** The translation sweep's chart of training loss and validation BLEU per epoch. */
    static final String TRANSLATION_CHART = "curves.png";

    /**
     * Draws {@link #TRANSLATION_CHART} from the finished runs' manifests in {@code folder} ({@code <init>-s<seed>/}),
     * grouped by init (and alpha, for a ramp), and from the checkpoints of runs not finished ({@code checkpoint/
     * progress.json}: the epochs so far, shown apart as "(unfinished)"); returns whether there was a run to draw.
     */
    static boolean translationCurves(Path folder, Path chart) throws IOException {
        Map<String, List<List<Double>>> loss = new java.util.TreeMap<>();
        Map<String, List<List<Double>>> bleu = new java.util.TreeMap<>();
        List<Path> runs;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(folder)) {
            runs = s.filter(java.nio.file.Files::isDirectory).sorted().toList();
        }
        for (Path run : runs) {
            Path manifest = run.resolve(org.emergenceinit.harness.RunManifest.FILE);
            String init;
            double alpha;
            List<Double> losses;
            List<Double> valBleu;
            String state = "";
            // a finished run: its manifest's result (under "result", or at the top level in a manifest written
            // before the one schema)
            // a file that cannot be read leaves that run out of the chart, with a line saying why; the others are
            // still drawn
            org.emergenceinit.harness.RunManifest.Recorded m = null;
            java.util.Optional<org.emergenceinit.nmt.TranslationSweep.Progress> progress = java.util.Optional.empty();
            com.fasterxml.jackson.databind.JsonNode r = null;
            try {
                m = java.nio.file.Files.isRegularFile(manifest)
                        ? org.emergenceinit.harness.RunManifest.Recorded.read(manifest) : null;
                r = m == null ? null : m.result();
                if (!finished(r)) {
                    progress = org.emergenceinit.nmt.TranslationSweep.progress(run);
                }
            } catch (IOException | IllegalStateException e) {
                System.err.println(chart.getFileName() + " leaves out " + run.getFileName() + ": " + e.getMessage()
                        .lines().findFirst().orElse(""));
                continue;
            }
            if (finished(r)) {
                init = m.json().path("init").asText("?");
                alpha = m.json().path("alpha").asDouble(1);
                losses = numbers(r.get("lossPerEpoch"));
                valBleu = numbers(r.get("valBleuPerEpoch"));
            } else if (progress.isPresent()) {
                // a run still training (or stopped mid-way): its checkpoint's epochs so far
                if (progress.get().losses().isEmpty()) {
                    continue;
                }
                init = progress.get().init();
                alpha = progress.get().alpha();
                losses = progress.get().losses();
                valBleu = progress.get().valBleu();
                state = " (unfinished)";
            } else {
                continue; // not a translation run
            }
            String key = (alpha == 1 ? init : String.format(Locale.ROOT, "%s, alpha %s", init, alpha)) + state;
            loss.computeIfAbsent(key, k -> new ArrayList<>()).add(losses);
            bleu.computeIfAbsent(key, k -> new ArrayList<>()).add(valBleu);
        }
        if (loss.isEmpty()) {
            return false;
        }
        int n = loss.values().stream().mapToInt(List::size).sum();
        ComparisonChart.writeTranslationCurves(String.format(Locale.ROOT,
                "Multi30k transformer, %s: mean and sd per epoch over %d run%s",
                folder.toAbsolutePath().normalize().getFileName(), n, n == 1 ? "" : "s"), loss, bleu, chart);
        return true;
    }

    /** Whether a translation manifest's result holds a finished run's numbers. */
    private static boolean finished(com.fasterxml.jackson.databind.JsonNode r) {
        return r != null && r.has("lossPerEpoch") && r.has("valBleuPerEpoch") && r.has("testBleu");
    }

    private static List<Double> numbers(com.fasterxml.jackson.databind.JsonNode array) {
        List<Double> v = new ArrayList<>();
        array.forEach(x -> v.add(x.asDouble()));
        return v;
    }

    /**
     * The first part of the pruning runs being forked in one task, and its spec (the whole spec, not only its name:
     * the name leaves out the training accuracy, which the copies must share with it).
     */
    private static final class Fork {
        TrainingRun firstPart;
        RunSpec firstSpec;
    }

    /** Each dataset is read once and shared by the runs (read-only). */
    private final Map<String, DatasetSource> datasets = new HashMap<>();

    private DatasetSource data(SweepGrid.Run run) throws IOException {
        synchronized (datasets) {
            String name = run.spec().data().dataset();
            DatasetSource d = datasets.get(name);
            if (d == null) {
                d = Datasets.load(name, dataDir, run.spec().data().own());
                datasets.put(name, d);
            }
            return d;
        }
    }

    /**
     * Trains one run to its last epoch; a pruning run continues a copy of its first part, trained once per seed and
     * kept (in {@code fork}) for the next fraction.
     */
    private static RunResult train(SweepGrid.Run run, DatasetSource d, Fork fork) throws IOException {
        TrainingRun training;
        if (run.pruneAfter() == 0) {
            training = TrainingRun.start(run.spec(), d, null);
        } else {
            RunSpec first = run.firstPart();
            if (!first.equals(fork.firstSpec)) {
                fork.firstPart = null;
                fork.firstSpec = null;
                TrainingRun part = TrainingRun.start(first, d, null);
                while (part.hasNextEpoch()) {
                    part.epoch();
                }
                part.finish();
                fork.firstPart = part;
                fork.firstSpec = first;
            }
            training = fork.firstPart.fork(run.spec(), pruning(run.pruneFraction()), net -> prune(net,
                    run.pruneFraction()));
        }
        while (training.hasNextEpoch()) {
            training.epoch();
        }
        return training.finish();
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
