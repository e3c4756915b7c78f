package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.emergenceinit.cli.options.DataOptions;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.AutoAlpha;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.cli.options.TrainingOptions;
import org.emergenceinit.weights.AlphaPilot;
import org.emergenceinit.weights.ExponentMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code emergence advise}: does the emergence ramp help this network on this data, and at which alpha? A short
 * multi-seed pilot ({@link AlphaPilot}, the one {@code EmergenceRamp.auto} runs): the stock init and the ramp at
 * {@code --alphas}, each trained from scratch for {@code --steps} steps (default 5 % of one epoch, at least 50) over
 * {@code --seeds} seeds with the given optimizer, {@code --jobs} runs at a time. It prints, per alpha, the difference
 * to stock of the end-of-pilot training loss (the mean of the last 10 % of the steps; seed by seed, mean ± sd),
 * Welch's t, the held-out accuracy difference, and a one-line verdict; it writes {@code advise.json},
 * {@code advise.txt}, {@code pilot.csv} (every run's loss per step) and {@code pilot.png} (mean loss per step) into
 * {@code --out}. The network is an {@code --arch}, or a saved MultiLayerNetwork or ComputationGraph (one input, one
 * output: the dataset feeds one feature and one label array), as {@code --config} JSON or {@code --model} zip. Bad
 * input is one line, exit status 2, and nothing written.
 */
@Command(name = "advise", mixinStandardHelpOptions = true,
        description = "A short multi-seed pilot on your network and data: stock init against the emergence ramp at a"
                + " few alphas; prints the training-loss and held-out-accuracy difference to stock (mean ± sd over"
                + " seeds, Welch's t), the best alpha and a one-line verdict; writes advise.json, advise.txt,"
                + " pilot.csv and pilot.png into --out.")
final class AdviseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--arch", paramLabel = "SPEC", description = "Network shape: mlp:784-256-128-10 or"
                + " cnn:c32-c32-p-c64-c64-p-f256-10 (default: mlp:<inputs>-256-128-<classes> for the built-in"
                + " datasets, as train chooses for your own).")
        String arch;

        @Option(names = "--config", paramLabel = "FILE", description = "A saved MultiLayerConfiguration or"
                + " ComputationGraphConfiguration JSON (conf.toJson(); a graph with one input and one output); its own"
                + " optimizer is used.")
        Path config;

        @Option(names = "--model", paramLabel = "FILE", description = "A MultiLayerNetwork or ComputationGraph zip"
                + " (ModelSerializer); its configuration and optimizer are used, its weights are not.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist-embedded, mnist, fashion-mnist, cifar10,"
            + " images:DIR or csv:FILE (default: ${DEFAULT-VALUE}).")
    String dataset = "mnist-embedded";

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder laid out like shared/datasets; default:"
            + " $EMERGENCE_DATA, then DL4J's cache and download.")
    Path dataDir;

    @Option(names = "--bn", description = "BatchNorm before each ReLU (with --arch).")
    boolean batchNorm;

    @Option(names = "--init", paramLabel = "NAME", description = "The emergence init to try, or its stock base:"
            + " emergence-kaiming, kaiming, emergence-xavier, ... (default: ${DEFAULT-VALUE}).")
    String init = "emergence-kaiming";

    @Option(names = "--mode", description = "Exponents: centred or integer (default: ${DEFAULT-VALUE}).")
    String mode = "centred";

    @Option(names = "--alphas", split = ",", paramLabel = "A", description = "Alphas to try, comma-separated, each"
            + " > 0 (default: 1.05,1.1,1.2,1.5).")
    List<Double> alphas = new ArrayList<>(AlphaPilot.DEFAULT_ALPHAS);

    @Option(names = "--steps", paramLabel = "K", description = "Training steps per run, >= " + AlphaPilot.MIN_STEPS
            + " (default: 5 % of one epoch, at least " + AlphaPilot.DEFAULT_MIN_STEPS + ").")
    Integer steps;

    @Option(names = "--seeds", paramLabel = "S", description = "Seeds per init, >= " + AlphaPilot.MIN_SEEDS
            + " (default: ${DEFAULT-VALUE}).")
    int seeds = AlphaPilot.DEFAULT_SEEDS;

    @Option(names = "--seed", description = "The first seed: seeds SEED..SEED+S-1; it also seeds the order of the"
            + " training batches (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--batch", description = "Examples per minibatch, >= 1 (default: ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--lr", description = "Learning rate, > 0 (default: 0.01; with --arch).")
    Double lr;

    @Option(names = "--optimizer", description = "sgd or adam (default: sgd; with --arch).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "Nesterov momentum for sgd, in [0, 1) (default:"
            + " 0.9 for sgd; with --arch).")
    Double momentum;

    @Option(names = "--eval-samples", paramLabel = "N", description = "Held-out accuracy on the first N test"
            + " examples (whole batches), >= 1 (default: ${DEFAULT-VALUE}).")
    int evalSamples = 1000;

    @Option(names = "--threshold", paramLabel = "T", description = "A candidate beats stock when its mean loss"
            + " difference is < 0 and t <= -T, no run diverged (default: ${DEFAULT-VALUE}).")
    double threshold = AlphaPilot.DEFAULT_THRESHOLD;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs trained at once, >= 1 (default: the machine's"
            + " cores divided by OMP_NUM_THREADS, here ${DEFAULT-VALUE}). Results do not depend on it.")
    int jobs = SweepCommand.defaultJobs();

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for advise.json, advise.txt, pilot.csv and"
            + " pilot.png (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "advise");

    @Option(names = "--json", description = "Print the result as one JSON object (the table goes to standard error).")
    boolean json;

    /** The network (a MultiLayerConfiguration or a ComputationGraphConfiguration), its input layout and a label. */
    record Network(MultiLayerConfiguration conf, ComputationGraphConfiguration graph, Layout layout, String label) {
        Network {
            if ((conf == null) == (graph == null)) {
                throw new IllegalArgumentException("a network is a MultiLayerConfiguration or a graph, one of them");
            }
        }

        /** The pilot on this network. */
        AlphaPilot.Result pilot(AlphaPilot pilot, org.nd4j.linalg.dataset.api.iterator.DataSetIterator train,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator heldOut,
                                AlphaPilot.Budget budget) {
            return conf != null ? pilot.run(conf, train, heldOut, budget) : pilot.run(graph, train, heldOut, budget);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter log = json ? spec.commandLine().getErr() : stdout;
        InitSpec initSpec = InitSpec.parse(init);
        if (initSpec.lsuv() || initSpec.warmup()) {
            throw new IllegalArgumentException("--init " + init + ": advise compares a stock init with its emergence"
                    + " ramp; give emergence-<base> or <base> (xavier, xavier-uniform, kaiming, kaiming-uniform).");
        }
        ExponentMode exponentMode = ExponentMode.parse(mode);
        if (alphas == null || alphas.isEmpty()) {
            throw new IllegalArgumentException("--alphas needs at least one alpha, e.g. --alphas 1.05,1.1,1.2.");
        }
        for (Double a : alphas) {
            if (a == null || !(a > 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("--alphas: every alpha must be a finite number > 0, got " + a
                        + ".");
            }
        }
        if (steps != null && steps < AlphaPilot.MIN_STEPS) {
            throw new IllegalArgumentException("--steps must be at least " + AlphaPilot.MIN_STEPS + ", got " + steps
                    + ".");
        }
        if (seeds < AlphaPilot.MIN_SEEDS) {
            throw new IllegalArgumentException("--seeds must be at least " + AlphaPilot.MIN_SEEDS + " (Welch's t needs"
                    + " two runs a side), got " + seeds + ".");
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1 (runs trained at once), got " + jobs + ".");
        }
        if (evalSamples < 1) {
            throw new IllegalArgumentException("--eval-samples must be at least 1, got " + evalSamples + ".");
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("--threshold must be a finite number >= 0, got " + threshold + ".");
        }
        TrainingOptions optimizerOptions = optimizerOptions();
        boolean saved = source != null && (source.config != null || source.model != null);
        if (saved && (lr != null || optimizer != null || momentum != null || batchNorm)) {
            throw new IllegalArgumentException("--lr, --optimizer, --momentum and --bn apply with --arch; a --config"
                    + " or --model network keeps its own optimizer and layers.");
        }
        checkOut(out);
        DatasetSource ds = Datasets.load(dataset, dataDir, data.toSpec());
        if (ds.numClasses() < 2) {
            throw new IllegalArgumentException(ds.name() + " has " + ds.numClasses() + " class: a pilot of a"
                    + " classifier needs at least two.");
        }
        Network net = network(ds, initSpec, optimizerOptions);
        long batchesPerEpoch = (ds.numTrain() + batch - 1) / batch;
        AlphaPilot.Budget budget = steps != null ? new AlphaPilot.Budget(steps, seeds)
                : AlphaPilot.Budget.forEpoch(batchesPerEpoch, seeds);
        int total = (alphas.size() + 1) * seeds;
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        AlphaPilot pilot = AlphaPilot.of(initSpec.base()).withAlphas(alphas).withMode(exponentMode)
                .withFirstSeed(seed).withJobs(jobs).withThreshold(threshold).withProgress(run -> {
                    synchronized (log) {
                        log.printf(Locale.ROOT, "run %d/%d: %s seed %d, end loss %s, %.1f s%n",
                                finished.incrementAndGet(), total, run.alpha() == 1.0 && !alphas.contains(1.0)
                                        ? "stock" : "alpha " + num(run.alpha()), run.seed(),
                                run.diverged() ? "diverged" : String.format(Locale.ROOT, "%.4f", run.endLoss()),
                                run.seconds());
                        log.flush();
                    }
                });
        int evalBatches = (evalSamples + batch - 1) / batch;
        String header = String.format(Locale.ROOT, "%s vs %s on %s; %s; batch %d; pilot %d steps (%.0f %% of one"
                        + " epoch of %d batches) x %d seeds (%d..%d) x %d inits, %d at once", pilot.emergenceName(),
                pilot.stockName(), ds.displayLabel(), net.label(), batch, budget.steps(),
                100.0 * budget.steps() / batchesPerEpoch, batchesPerEpoch, seeds, seed, seed + seeds - 1,
                alphas.size() + 1, jobs);
        log.println(header);
        log.flush();
        AlphaPilot.Result r = net.pilot(pilot, ds.trainIterator(batch, seed, net.layout(), 0),
                ds.testIterator(batch, net.layout(), evalBatches), budget);
        int heldOut = Math.min(ds.numTest(), evalBatches * batch);
        String table = table(r, heldOut);
        Map<String, Object> result = toJson(r, budget, batchesPerEpoch, ds.displayLabel(), net.label(), heldOut);
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = header + System.lineSeparator() + table;
        Files.writeString(out.resolve("advise.txt"), text);
        Files.writeString(out.resolve("advise.json"), mapper.writeValueAsString(result) + System.lineSeparator());
        Files.writeString(out.resolve("pilot.csv"), csv(r));
        ComparisonChart.writePilot(pilot.emergenceName() + " vs " + pilot.stockName() + ": " + net.label() + " on "
                + ds.name() + ", mean of " + seeds + " seeds", r, out.resolve("pilot.png"));
        log.print(table);
        log.printf(Locale.ROOT, "pilot %.1f s; wrote %s, advise.json, pilot.csv and pilot.png%n", r.seconds(),
                out.resolve("advise.txt"));
        log.flush();
        if (json) {
            stdout.println(mapper.writeValueAsString(result));
            stdout.flush();
        }
        return 0;
    }

    private TrainingOptions optimizerOptions() {
        TrainingOptions t = new TrainingOptions();
        t.batch = batch;
        if (lr != null) {
            t.lr = lr;
        }
        if (optimizer != null) {
            t.optimizer = optimizer;
        }
        t.momentum = momentum;
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch + ".");
        }
        if (!(t.lr > 0) || Double.isInfinite(t.lr)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + t.lr + ".");
        }
        t.updater();
        return t;
    }

    /** Refuses an {@code --out} that is a file, before anything is trained. */
    private static void checkOut(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder: give --out a folder.");
        }
    }

    private Network network(DatasetSource ds, InitSpec initSpec, TrainingOptions opt) throws IOException {
        if (source == null || source.arch != null) {
            String arch = source == null ? TrainCommand.archFor(ds) : source.arch;
            ArchSpec a = ArchSpec.parse(arch);
            if (a.outputs() != ds.numClasses()) {
                throw new IllegalArgumentException("--arch " + arch + " has " + a.outputs() + " outputs but "
                        + ds.name() + " has " + ds.numClasses() + " classes: end the arch with " + ds.numClasses()
                        + ".");
            }
            int[] shape = ds.inputShape();
            InputType input = a.cnn() ? InputType.convolutional(shape[1], shape[2], shape[0])
                    : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
            MultiLayerConfiguration conf = a.build(seed, initSpec.base().dl4jName(), batchNorm, input,
                    opt.updater());
            return new Network(conf, null, a.cnn() ? Layout.IMAGE : Layout.FLAT, arch + (batchNorm ? " + BatchNorm"
                    : "") + ", " + opt.optimizerLabel() + " lr " + opt.lr);
        }
        if (source.config != null) {
            if (!Files.isRegularFile(source.config)) {
                throw new IllegalArgumentException("--config " + source.config + " is not a readable file: give the"
                        + " path of a configuration saved with conf.toJson().");
            }
            String text = Files.readString(source.config);
            String where = "--config " + source.config;
            String label = source.config.getFileName().toString();
            if (text.contains("\"vertices\"")) {
                ComputationGraphConfiguration graph;
                try {
                    graph = ComputationGraphConfiguration.fromJson(text);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(where + " is not a DL4J configuration JSON: "
                            + EmergenceCli.oneLine(e) + "; give a file saved with conf.toJson().");
                }
                return graphNetwork(graph, where, label);
            }
            MultiLayerConfiguration conf;
            try {
                conf = MultiLayerConfiguration.fromJson(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + " is not a DL4J configuration JSON: "
                        + EmergenceCli.oneLine(e) + "; give a file saved with conf.toJson().");
            }
            if (conf.getConfs() == null || conf.getConfs().isEmpty()) {
                throw new IllegalArgumentException(where + " has no layers: give a MultiLayerConfiguration or"
                        + " ComputationGraphConfiguration saved with conf.toJson().");
            }
            return multiLayerNetwork(conf, label);
        }
        if (!Files.isRegularFile(source.model)) {
            throw new IllegalArgumentException("--model " + source.model + " is not a readable file: give a zip"
                    + " saved with ModelSerializer.writeModel.");
        }
        String where = "--model " + source.model;
        String label = source.model.getFileName().toString();
        if (zipHoldsGraph(source.model)) {
            ComputationGraphConfiguration graph;
            try {
                graph = ModelSerializer.restoreComputationGraph(source.model.toFile(), false).getConfiguration();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(where + " is not a ComputationGraph zip ("
                        + EmergenceCli.oneLine(e) + "): advise takes ModelSerializer zips of a MultiLayerNetwork or a"
                        + " ComputationGraph.");
            }
            return graphNetwork(graph, where, label);
        }
        MultiLayerConfiguration conf;
        try {
            conf = ModelSerializer.restoreMultiLayerNetwork(source.model.toFile(), false)
                    .getLayerWiseConfigurations();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + " is not a MultiLayerNetwork zip ("
                    + EmergenceCli.oneLine(e) + "): advise takes ModelSerializer zips of a MultiLayerNetwork or a"
                    + " ComputationGraph.");
        }
        return multiLayerNetwork(conf, label);
    }

    private Network multiLayerNetwork(MultiLayerConfiguration conf, String label) {
        conf.getConfs().forEach(c -> c.setSeed(seed));
        Layer first = conf.getConf(0).getLayer();
        boolean image = (first instanceof ConvolutionLayer || first instanceof SubsamplingLayer)
                && (conf.getInputPreProcessors() == null || conf.getInputPreProcessors().get(0) == null);
        return new Network(conf, null, image ? Layout.IMAGE : Layout.FLAT, label + " (its own optimizer)");
    }

    /**
     * A saved graph: one input and one output (a dataset gives one feature and one label array per batch), at least
     * one layer; the seed set as on a MultiLayerNetwork; image layout when a layer fed by the input is a
     * convolution or pooling layer without a preprocessor.
     */
    private Network graphNetwork(ComputationGraphConfiguration graph, String where, String label) {
        if (graph.getVertices() == null || graph.getVertices().isEmpty() || graph.getNetworkInputs() == null
                || graph.getNetworkOutputs() == null) {
            throw new IllegalArgumentException(where + " is a ComputationGraph configuration without vertices,"
                    + " inputs or outputs: give a graph saved with conf.toJson().");
        }
        List<String> ins = graph.getNetworkInputs();
        List<String> outs = graph.getNetworkOutputs();
        if (ins.size() != 1 || outs.size() != 1) {
            throw new IllegalArgumentException(where + " is a ComputationGraph with " + count(ins, "input") + " and "
                    + count(outs, "output") + ", but a dataset feeds one input and one output (one feature and one"
                    + " label array per batch): advise needs a graph with one input and one output; in Java, pilot"
                    + " it with AlphaPilot.run(graphConf, MultiDataSetIterator, ...).");
        }
        graph.getDefaultConfiguration().setSeed(seed);
        boolean image = false;
        for (Map.Entry<String, GraphVertex> e : graph.getVertices().entrySet()) {
            List<String> from = graph.getVertexInputs().get(e.getKey());
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf() != null) {
                lv.getLayerConf().setSeed(seed);
                Layer layer = lv.getLayerConf().getLayer();
                if (from != null && from.contains(ins.get(0)) && lv.getPreProcessor() == null
                        && (layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer)) {
                    image = true;
                }
            }
        }
        return new Network(null, graph, image ? Layout.IMAGE : Layout.FLAT, label
                + " (ComputationGraph, its own optimizer)");
    }

    private static String count(List<String> names, String what) {
        return names.size() + " " + what + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ")";
    }

    /**
     * Whether a ModelSerializer zip holds a ComputationGraph: its {@code configuration.json} has {@code vertices}.
     * A file that is no zip, or a zip without {@code configuration.json}, is refused in one line.
     */
    static boolean zipHoldsGraph(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IllegalArgumentException("--model " + file + " is a zip without configuration.json: not a"
                        + " model saved with ModelSerializer.writeModel.");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"vertices\"");
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("--model " + file + " is not a zip file (" + e.getMessage()
                    + "): give a model saved with ModelSerializer.writeModel.");
        }
    }

    /** The printed table: stock's numbers, one line per alpha, the verdict. */
    static String table(AlphaPilot.Result r, int heldOut) {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        double stockAcc = mean(r.stockRuns().stream().mapToDouble(AlphaPilot.Run::heldOutAccuracy).toArray());
        sb.append(String.format(Locale.ROOT, "end loss = mean training loss of the last %d of the %d steps; held-out"
                        + " accuracy on %d test examples after the pilot%n", r.lastSteps(), r.steps(), heldOut));
        sb.append(String.format(Locale.ROOT, "stock %s: end loss %.4f, held-out accuracy %.4f (means over %d seeds)%n",
                r.stock(), r.stockLossMean(), stockAcc, r.seeds()));
        sb.append(String.format(Locale.ROOT, "%-7s %-22s %7s %7s %16s %9s  %s%n", "alpha", "loss diff (mean ± sd)",
                "t", "df", "accuracy diff", "diverged", "beats stock"));
        for (AlphaPilot.Candidate c : r.candidates()) {
            sb.append(String.format(Locale.ROOT, "%-7s %-22s %7s %7s %16s %9s  %s%n", num(c.alpha()),
                    Double.isNaN(c.lossDiffMean()) ? "n/a" : String.format(Locale.ROOT, "%+.4f ± %.4f",
                            c.lossDiffMean(), c.lossDiffSd()),
                    Double.isNaN(c.t()) ? "n/a" : String.format(Locale.ROOT, "%.2f", c.t()),
                    Double.isNaN(c.df()) ? "n/a" : String.format(Locale.ROOT, "%.1f", c.df()),
                    Double.isNaN(c.accuracyDiffMean()) ? "n/a" : String.format(Locale.ROOT, "%+.2f points",
                            100 * c.accuracyDiffMean()),
                    c.diverged() + "/" + r.seeds(), c.beatsStock() ? "yes" : "no"));
        }
        sb.append("loss diff: candidate minus stock, seed by seed (positive = worse); t: Welch's t of the end losses;")
                .append(" beats stock: diff < 0, t <= -").append(num(r.threshold())).append(", none diverged")
                .append(nl);
        sb.append("best alpha: ").append(r.best() == null ? "none" : num(r.best())).append(nl);
        sb.append("verdict: ").append(r.verdict()).append(nl);
        return sb.toString();
    }

    /** The {@code --json} object: {@link AutoAlpha#toMap} and the pilot's setting. */
    static Map<String, Object> toJson(AlphaPilot.Result r, AlphaPilot.Budget budget, long batchesPerEpoch,
                                      String dataset, String network, int heldOut) {
        Map<String, Object> m = AutoAlpha.toMap(r);
        Object candidates = m.remove("candidates");
        Object seconds = m.remove("seconds");
        m.put("epochFraction", (double) budget.steps() / batchesPerEpoch);
        m.put("dataset", dataset);
        m.put("network", network);
        m.put("heldOutExamples", heldOut);
        m.put("candidates", candidates);
        m.put("seconds", seconds);
        return m;
    }

    /** One row per run and step: init, alpha (1 = stock), seed, step (1-based), loss (empty once diverged). */
    static String csv(AlphaPilot.Result r) {
        StringBuilder sb = new StringBuilder("init,alpha,seed,step,trainLoss\n");
        appendRuns(sb, r.stock(), r.stockRuns());
        r.runs().forEach(runs -> appendRuns(sb, r.emergence(), runs));
        return sb.toString();
    }

    private static void appendRuns(StringBuilder sb, String name, List<AlphaPilot.Run> runs) {
        for (AlphaPilot.Run run : runs) {
            double[] l = run.losses();
            for (int i = 0; i < l.length; i++) {
                sb.append(name).append(',').append(run.alpha()).append(',').append(run.seed()).append(',')
                        .append(i + 1).append(',').append(Double.isNaN(l[i]) ? "" : String.valueOf(l[i]))
                        .append('\n');
            }
        }
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
