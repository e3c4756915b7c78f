package org.emergenceinit.cli;

import org.emergenceinit.harness.Spread;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.cli.options.TrainingOptions;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.sweep.SweepEngine;
import org.emergenceinit.harness.sweep.TrainingRunJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code emergence compare}: stock inits against their emergence versions, side by side over several seeds. Every
 * (init, seed) is one {@link org.emergenceinit.harness.TrainingRun}, run through the {@link SweepEngine}, writing its own manifest and CSV into {@code --out/<run name>/}; the
 * command prints a table (per init: {@code log10 E} at initialization, test accuracy after epoch 1 and at the end,
 * as mean ± sd [min, max] over the seeds, and how many runs diverged) and writes {@code comparison.txt} (the table),
 * {@code comparison.csv} (one row per run and epoch) and {@code comparison.png} (accuracy and {@code log10 E} per
 * epoch, mean ± sd). The defaults are the project's main comparison: a deep MLP on the embedded MNIST subset, Xavier
 * and Kaiming with and without the ramp, alpha 1.2, seeds 1 to 3, 2 epochs of SGD with Nesterov momentum 0.9.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train stock and emergence inits side by side over several seeds; print a table of E at"
                + " initialization and test accuracy after epoch 1 and at the end (mean ± sd [min, max]); write"
                + " comparison.txt, comparison.csv, comparison.png and one folder per run into --out.")
final class CompareCommand implements Callable<Integer> {

    /** The default network: a deep ReLU MLP, six hidden layers of 256 (seven weight layers). */
    static final String DEEP_MLP = "mlp:784-256-256-256-256-256-256-10";

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions training = defaults();

    @Option(names = "--inits", split = ",", paramLabel = "NAME",
            description = "Inits to compare, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> inits = List.of("xavier", "emergence-xavier", "kaiming", "emergence-kaiming");

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds 1..N per init, >= 1 (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs trained at once, >= 1 (default: the machine's"
            + " cores divided by OMP_NUM_THREADS, here ${DEFAULT-VALUE}). Results do not depend on it.")
    int jobs = SweepCommand.defaultJobs();

    static TrainingOptions defaults() {
        TrainingOptions t = new TrainingOptions();
        t.arch = DEEP_MLP;
        t.out = Path.of("runs", "compare");
        return t;
    }

    @Override
    public Integer call() throws Exception {
        training.validate();
        inits.forEach(InitSpec::parse);
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds + ".");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1 (runs trained at once), got " + jobs + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        DatasetSource data = Datasets.load(training.dataset, training.dataDir, training.data.toSpec());
        String title = String.format(Locale.ROOT, "%s%s on %s; alpha %s; %s lr %s, batch %d, %d epoch(s)%s;"
                        + " seeds 1..%d", training.arch, training.batchNorm ? " + BatchNorm" : "", data.displayLabel(),
                training.alpha, training.optimizerLabel(), training.lr, training.batch, training.epochs,
                training.maxBatches > 0 ? " of at most " + training.maxBatches + " batches" : "", seeds);
        out.println(title);
        out.flush();
        Map<String, List<RunResult>> byInit = new LinkedHashMap<>();
        inits.forEach(i -> byInit.put(i, new ArrayList<>()));
        long t0 = System.nanoTime();
        List<TrainingRunJob> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (String init : inits) {
                RunSpec options = training.toBuilder().init(init).seed(seed).out(null).build();
                runs.add(new TrainingRunJob(options.withOut(training.out.resolve(options.runName())), data, null));
            }
        }
        TrainingRunJob.engine().jobs(jobs).listener(new SweepEngine.Listener<>() {
            @Override
            public void finished(SweepEngine.Run<RunResult> job, List<RunResult> rows, SweepEngine.Progress p) {
                RunResult r = rows.get(0);
                String init = r.spec().init().name();
                byInit.get(init).add(r);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "[%d/%d] %-20s seed %d: accuracy %.4f after %d epoch(s)%s, log10 E at"
                                + " init %.3f, %.1f s (elapsed %.0f s, about %.0f s left)%n", p.done(), p.total(),
                        init, r.spec().seed(), r.last().testAccuracy(), r.last().epoch(),
                        r.diverged() ? " (diverged)" : "", r.initial().log10E(), r.seconds(), elapsed,
                        elapsed / p.done() * p.left());
                out.flush();
            }
        }).run(runs);
        // the runs finish in any order with --jobs > 1: the table and the CSV list them by seed
        byInit.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(r -> r.spec().seed())));
        String table = table(byInit, Math.min(training.probeSamples, data.numTest()));
        out.println();
        out.print(table);
        Path dir = training.out;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("comparison.txt"), title + "\n\n" + table);
        Files.writeString(dir.resolve("comparison.csv"), csv(byInit));
        Path png = dir.resolve("comparison.png");
        ComparisonChart.write(title, byInit, training.epochs, png);
        out.printf(Locale.ROOT, "%nwrote %s, %s and %s (%.0f s in all)%n", dir.resolve("comparison.txt"),
                dir.resolve("comparison.csv"), png, (System.nanoTime() - t0) / 1e9);
        out.flush();
        return 0;
    }

    /** Per init: log10 E at init, accuracy after epoch 1 and at the end (mean ± sd [min, max]), diverged runs. */
    String table(Map<String, List<RunResult>> byInit, int probeImages) {
        String row = "%-20s  %-32s  %-32s  %-32s  %s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, row, "init", "log10 E at init",
                "test accuracy after epoch 1", "test accuracy after epoch " + training.epochs, "diverged"));
        for (Map.Entry<String, List<RunResult>> e : byInit.entrySet()) {
            List<RunResult> runs = e.getValue();
            sb.append(String.format(Locale.ROOT, row, e.getKey(),
                    Spread.at(runs, 0, EpochStats::log10E).format(3),
                    Spread.at(runs, 1, EpochStats::testAccuracy).format(4),
                    Spread.at(runs, training.epochs, EpochStats::testAccuracy).format(4),
                    runs.stream().filter(RunResult::diverged).count() + "/" + runs.size()));
        }
        sb.append("mean ± sd [min, max] over the seeds; E on the first ").append(probeImages)
                .append(" test images\n");
        return sb.toString();
    }

    private static String csv(Map<String, List<RunResult>> byInit) {
        StringBuilder sb = new StringBuilder("init,seed,diverged,").append(String.join(",", EpochStats.CSV_COLUMNS))
                .append('\n');
        byInit.forEach((init, runs) -> runs.forEach(r -> r.epochs().forEach(e -> sb.append(init).append(',')
                .append(r.spec().seed()).append(',').append(r.diverged()).append(',').append(e.csvRow())
                .append('\n'))));
        return sb.toString();
    }
}
