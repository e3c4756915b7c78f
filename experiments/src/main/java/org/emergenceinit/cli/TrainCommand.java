package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.AutoAlpha;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.cli.options.EvaluationOptions;
import org.emergenceinit.cli.options.RunOptions;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code emergence train}: one training run ({@link TrainingRun}) with progress per epoch, writing manifest.json,
 * epochs.csv and model.zip (the network after every epoch: the same command again on the same --out resumes a killed
 * run after its last epoch; other options on that folder are refused); with {@code --json} the result as one JSON object on standard output (progress then goes to standard
 * error).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network with an init and record per epoch (0 = at initialization) the train and test"
                + " loss, test accuracy (with --train-accuracy also the training accuracy) and the emergence E on a"
                + " probe batch; writes manifest.json, epochs.csv and"
                + " model.zip into --out. Run again with the same options to resume a killed run. Without --arch the"
                + " network follows the data: mlp:<inputs>-256-128-<classes> for the built-in datasets (MNIST:"
                + " mlp:784-256-128-10), cnn:c16-p-c32-p-f64-<classes> for images:DIR, mlp:<columns>-128-64-<classes>"
                + " for csv:FILE.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    EvaluationOptions evaluation = new EvaluationOptions();

    @Option(names = "--json", description = "Print the result as one JSON object (progress goes to standard error).")
    boolean json;

    @Option(names = "--pilot-jobs", paramLabel = "N", description = "With --alpha auto: pilot runs trained at once,"
            + " >= 1 (default: the machine's cores divided by OMP_NUM_THREADS, here ${DEFAULT-VALUE}).")
    int pilotJobs = SweepCommand.defaultJobs();

    @Option(names = "--force", description = "Replace a run with other options in --out: the new run trains in"
            + " <out>.replacing, which takes the place of --out only once it has finished.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = json ? spec.commandLine().getErr() : out;
        if (pilotJobs < 1) {
            throw new IllegalArgumentException("--pilot-jobs must be at least 1, got " + pilotJobs + ".");
        }
        run.toSpec(); // every option checked before the data are read (--alpha auto included)
        DatasetSource data = Datasets.load(run.dataset, run.dataDir, run.data.toSpec());
        if (!spec.commandLine().getParseResult().hasMatchedOption("--arch")) {
            run.arch = archFor(data);
        }
        RunSpec runSpec = run.toSpec();
        if (runSpec.init().alphaAuto()) {
            runSpec = AutoAlpha.resolve(runSpec, data, pilotJobs, log).spec();
        }
        runSpec = evaluation.apply(runSpec); // --train-accuracy: measured by the run, not by the pilot
        Path target = runSpec.outDir();
        RunResult r;
        if (force && Files.isDirectory(target) && TrainingRun.holdsOtherRun(runSpec)) {
            Path staging = target.resolveSibling(target.getFileName() + ".replacing");
            RunSpec staged = runSpec.withOut(staging);
            if (TrainingRun.holdsOtherRun(staged)) {
                deleteTree(staging); // a replacement with yet other options, killed before it finished
            }
            log.println("--force: training into " + staging + "; it replaces " + target + " when it has finished");
            RunResult done = train(staged, data, log);
            Path old = target.resolveSibling(target.getFileName() + ".replaced");
            deleteTree(old);
            Files.move(target, old);
            Files.move(staging, target);
            deleteTree(old);
            r = new RunResult(done.name(), done.spec(), done.dataset(), done.epochs(), done.diverged(),
                    target.resolve(RunManifest.FILE), target.resolve(TrainingRun.CSV_FILE), done.start(),
                    done.end());
        } else {
            r = train(runSpec, data, log);
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap()));
        } else {
            out.printf(Locale.ROOT, "%s: test accuracy %.4f%s after %d epoch(s)%s, %.1f s; wrote %s and %s%n",
                    r.name(), r.last().testAccuracy(), r.last().hasTrainAccuracy() ? String.format(Locale.ROOT,
                            " (training accuracy %.4f)", r.last().trainAccuracy()) : "", r.last().epoch(),
                    r.diverged() ? " (the loss diverged)" : "", r.seconds(), r.manifest(), r.csv());
            out.printf(Locale.ROOT, "the trained network, with its updater: %s (restore it with"
                    + " ModelSerializer.restoreMultiLayerNetwork(file, true))%n",
                    r.manifest().resolveSibling(TrainingRun.MODEL_FILE));
        }
        out.flush();
        return 0;
    }

    /**
     * The network when {@code --arch} is not given: it follows the data. The built-in datasets get
     * {@code mlp:<inputs>-256-128-<classes>} (for MNIST the documented default {@code mlp:784-256-128-10}); your own
     * images and tables get {@link ArchSpec#forData}'s choice.
     */
    static String archFor(DatasetSource data) {
        String name = data.name();
        if (name.startsWith(Datasets.IMAGES_PREFIX) || name.startsWith(Datasets.CSV_PREFIX)) {
            return ArchSpec.forData(data);
        }
        int[] shape = data.inputShape();
        return "mlp:" + shape[0] * shape[1] * shape[2] + "-256-128-" + data.numClasses();
    }

    private static RunResult train(RunSpec run, DatasetSource data, PrintWriter log) throws IOException {
        TrainingRun training = TrainingRun.start(run, data, log);
        while (training.hasNextEpoch()) {
            training.epoch();
        }
        return training.finish();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
