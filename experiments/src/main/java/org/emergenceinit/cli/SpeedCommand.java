package org.emergenceinit.cli;

import org.emergenceinit.bench.SpeedSuite;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.cli.options.TrainingOptions;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code emergence bench-speed}: the speed table (a benchmark, not a test). By default it runs {@link SpeedSuite}:
 * the MNIST MLP epoch, the VGG-style CNN's training and inference (with and without BatchNorm) and the transformer's
 * training step, each on the project's default backend (oneDNN), on the plain natives and in PyTorch CPU (when
 * {@code python3 -c "import torch"} works), in one run, with time ratios.
 *
 * <p>With {@code --inits}: the training speed of an emergence init against its stock scheme. Two networks of the same shape and seed, one per init, are trained in one JVM, epoch by epoch in the order
 * ABBA ABBA ... so that warm-up and drift fall on both alike; each epoch's training steps are timed (evaluation and
 * the emergence probe excluded). It prints seconds per epoch and the ratio of the medians over the epochs after
 * the first (the first is warm-up).
 * Medians, not means: on a shared 2-core machine a single epoch slowed by another process would move a mean. The
 * init only draws the starting weights, so the expected ratio is 1.00 up to noise.
 */
@Command(name = "bench-speed", mixinStandardHelpOptions = true,
        description = {"Speed table: the MNIST MLP epoch, the VGG-style CNN (with and without BatchNorm) and the"
                + " transformer step on the project's default backend (oneDNN), on the plain natives and in PyTorch"
                + " CPU on the same thread count, each in a fresh process, in one run; writes"
                + " bench-speed.{md,json} to --out.",
                "With --inits: time training epochs of a stock init and its emergence version instead (MNIST MLP"
                        + " 784-256-128-10, batch 128), alternated in one run."})
final class SpeedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions training = defaults();

    @Option(names = "--baseline", paramLabel = "NAME", description = "The stock init (default: ${DEFAULT-VALUE}).")
    String baseline = "xavier";

    @Option(names = "--candidate", paramLabel = "NAME",
            description = "The init compared with it (default: ${DEFAULT-VALUE}).")
    String candidate = "emergence-xavier";

    @Option(names = "--seed", description = "Seed of both networks (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--inits", description = "Compare the training speed of --baseline and --candidate instead of"
            + " the backends.")
    boolean inits;

    @Option(names = "--workloads", paramLabel = "LIST", description = "Comma-separated: mlp, cnn, cnn-bn,"
            + " transformer (default: ${DEFAULT-VALUE}; mlp needs full MNIST from --data-dir).")
    String workloads = "mlp,cnn,cnn-bn,transformer";

    @Option(names = "--rounds", description = "Rounds over all workloads and backends, >= 1 (default:"
            + " ${DEFAULT-VALUE}); the table shows medians.")
    int rounds = 3;

    @Option(names = "--seconds", description = "Seconds of timed steps per CNN/transformer measurement (default:"
            + " ${DEFAULT-VALUE}).")
    double seconds = 10;

    @Option(names = "--python", paramLabel = "EXE", description = "Python with torch for the PyTorch column"
            + " (default: /usr/bin/python3 if present, else python3; left out when torch does not import).")
    String python;

    @Option(names = "--no-torch", description = "Leave the PyTorch column out.")
    boolean noTorch;

    static TrainingOptions defaults() {
        TrainingOptions t = new TrainingOptions();
        t.dataset = Datasets.MNIST;
        t.epochs = 8;
        t.out = Path.of("runs", "bench-speed");
        return t;
    }

    @Override
    public Integer call() throws Exception {
        if (!inits) {
            return suite();
        }
        training.validate();
        String[] names = {InitSpec.parse(baseline).name(), InitSpec.parse(candidate).name()};
        PrintWriter out = spec.commandLine().getOut();
        DatasetSource data = Datasets.load(training.dataset, training.dataDir, training.data.toSpec());
        out.printf(Locale.ROOT, "%s on %s, batch %d, %s lr %s, %d epoch(s) each, OMP_NUM_THREADS=%s%n",
                training.arch, data.displayLabel(), training.batch, training.optimizerLabel(), training.lr,
                training.epochs, System.getenv("OMP_NUM_THREADS"));
        TrainingRun[] runs = new TrainingRun[2];
        for (int i = 0; i < 2; i++) {
            RunSpec options = training.toBuilder().init(names[i]).seed(seed).out(null).build();
            options = options.withOut(training.out.resolve(options.runName()));
            runs[i] = TrainingRun.start(options, data, null);
        }
        double[][] seconds = new double[2][training.epochs];
        for (int epoch = 0; epoch < training.epochs; epoch++) {
            for (int k = 0; k < 2; k++) {
                int i = epoch % 2 == 0 ? k : 1 - k;
                seconds[i][epoch] = runs[i].epoch().seconds();
            }
            out.printf(Locale.ROOT, "epoch %d  %s %.3f s  %s %.3f s%n", epoch + 1, names[0], seconds[0][epoch],
                    names[1], seconds[1][epoch]);
            out.flush();
        }
        for (TrainingRun run : runs) {
            run.finish();
        }
        int from = training.epochs > 1 ? 1 : 0;
        double base = median(seconds[0], from);
        double cand = median(seconds[1], from);
        out.printf(Locale.ROOT, "seconds per epoch (median of epochs %d..%d): %s %.3f, %s %.3f; ratio %s / %s ="
                        + " %.3f%n", from + 1, training.epochs, names[0], base, names[1], cand, names[1], names[0],
                cand / base);
        out.flush();
        return 0;
    }

    private int suite() throws Exception {
        if (rounds < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("--rounds must be >= 1 and --seconds > 0.");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dataDir = training.dataDir != null ? training.dataDir
                : System.getenv(Datasets.ENV_VAR) != null ? Path.of(System.getenv(Datasets.ENV_VAR)) : Path.of(".");
        Map<String, List<SpeedSuite.Workload>> all = SpeedSuite.workloads(dataDir, seconds);
        List<String> names = SpeedSuite.names(workloads, all);
        String py = python != null ? python : Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
                : "python3";
        if (noTorch) {
            py = null;
        } else if (!SpeedSuite.torchAvailable(py)) {
            out.println("PyTorch column left out: '" + py + " -c \"import torch\"' failed (Debian: apt-get install"
                    + " python3-torch).");
            py = null;
        }
        Path home = Path.of(System.getProperty("emergence.home", "."));
        String md = new SpeedSuite(home, py, out).run(names, all, rounds, training.out);
        out.println(md);
        out.println("written: " + training.out.resolve("bench-speed.md") + ", bench-speed.json");
        out.flush();
        return 0;
    }

    private static double median(double[] values, int from) {
        double[] v = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
