package org.emergenceinit.examples;

import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.cli.options.RunOptions;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.sweep.TrainingRunJob;

import org.emergenceinit.onednn.OneDnn;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Compares a stock init with its emergence version on your own data: {@code --dataset images:DIR} (a folder with
 * one subfolder per class, PNG or JPEG) or {@code --dataset csv:FILE} (numbers, the class index in the last column
 * or {@code --label-column N}), with the options of {@code bin/emergence train}.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.TrainOnYourData \
 *     --dataset images:/data/my-images [--image-size 32x32] [--channels 3] [--test-fraction 0.2] \
 *     [--init kaiming] [--alpha 1.2] [--epochs 2] [--arch cnn:c16-p-c32-p-f64-5] [--out DIR]
 * </pre>
 * It trains {@code --init}'s stock scheme and its {@code emergence-} version (default {@code kaiming} and
 * {@code emergence-kaiming}; SGD with Nesterov momentum 0.9, lr 0.01, 2 epochs: the defaults of every command), same seed, same data, and prints one line per init: {@code log10 E} at
 * initialization and the test accuracy after each epoch. Without {@code --arch} the network follows the data:
 * {@code cnn:c16-p-c32-p-f64-K} for images of at least 8x8, else {@code mlp:N-128-64-K} ({@code N} inputs,
 * {@code K} classes). Each run writes {@code manifest.json}, {@code epochs.csv} and {@code normalizer.bin}
 * into {@code --out}/{@code <init>} (default {@code runs/<run name>}).
 */
public final class TrainOnYourData {

    private TrainOnYourData() {
    }

    /**
     * The example's options before parsing: {@code --init kaiming}, the arch chosen from the data, the other defaults
     * those of every command ({@link RunSpec}: 2 epochs, SGD with Nesterov momentum 0.9, lr 0.01).
     */
    static RunOptions defaults() {
        RunOptions o = new RunOptions();
        o.dataset = null;
        o.arch = null;
        o.init = "kaiming";
        return o;
    }

    /**
     * Parses {@code args} over the defaults, trains the stock and the emergence init and prints the comparison.
     *
     * @return the two results, stock first
     * @throws IllegalArgumentException if {@code --dataset} is missing or an option is bad
     * @throws IOException              if the data cannot be read or the results cannot be written
     */
    public static List<RunResult> runExample(String... args) throws IOException {
        RunOptions options = defaults();
        new CommandLine(options).parseArgs(args);
        return compare(options, new PrintWriter(System.out, true));
    }

    private static List<RunResult> compare(RunOptions options, PrintWriter out) throws IOException {
        if (options.dataset == null) {
            throw new IllegalArgumentException("--dataset is required: images:DIR (one subfolder per class) or"
                    + " csv:FILE.");
        }
        options.data.validate();
        DatasetSource data = Datasets.load(options.dataset, options.dataDir, options.data.toSpec());
        if (options.arch == null) {
            options.arch = defaultArch(data);
        }
        String base = InitSpec.parse(options.init).emergence()
                ? options.init.trim().toLowerCase(Locale.ROOT).substring("emergence-".length())
                : options.init.trim().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "%s; classes: %s; arch %s%n", data.displayLabel(), String.join(", ",
                data.classNames()), options.arch);
        List<TrainingRunJob> jobs = new ArrayList<>();
        for (String init : List.of(base, "emergence-" + base)) {
            RunSpec run = options.toBuilder().init(init).seed(options.seed)
                    .out(options.out == null ? null : options.out.resolve(init)).build();
            jobs.add(new TrainingRunJob(run, data, out));
        }
        List<RunResult> results;
        try {
            results = TrainingRunJob.engine().run(jobs).rows();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        out.printf(Locale.ROOT, "%n%-20s %-16s %s%n", "init", "log10 E at init", "test accuracy after each epoch");
        for (RunResult r : results) {
            StringBuilder accuracies = new StringBuilder();
            for (EpochStats e : r.epochs().subList(1, r.epochs().size())) {
                accuracies.append(String.format(Locale.ROOT, "%.4f ", e.testAccuracy()));
            }
            out.printf(Locale.ROOT, "%-20s %-16.3f %s%s%n", r.spec().init().name(), r.initial().log10E(),
                    accuracies.toString().trim(), r.diverged() ? " (diverged)" : "");
        }
        out.flush();
        return results;
    }

    /** The network that follows the data: {@link ArchSpec#forData}. */
    public static String defaultArch(DatasetSource data) {
        return ArchSpec.forData(data);
    }

    /** Runs the example; bad options print one line and exit with status 2. */
    public static void main(String... args) {
        OneDnn.enable(); // first: picks the natives for this CPU and runs DL4J's layers through oneDNN
        RunOptions options = defaults();
        CommandSpec spec = CommandSpec.forAnnotatedObject(options).name(TrainOnYourData.class.getSimpleName());
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description("Trains a stock init and its emergence version on images:DIR or csv:FILE"
                + " and prints both.");
        CommandLine cli = new CommandLine(spec);
        try {
            cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(cli.getParseResult())) {
                return;
            }
            compare(options, new PrintWriter(System.out, true));
        } catch (CommandLine.ParameterException | IllegalArgumentException | IOException | UncheckedIOException e) {
            System.err.println(TrainOnYourData.class.getSimpleName() + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
