package org.emergenceinit.cli;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.cli.options.DataOptions;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.MemoryCheck;
import org.emergenceinit.report.InitReport;
import org.emergenceinit.report.InitReportResult;
import org.emergenceinit.report.ReportInit;
import org.emergenceinit.weights.ExponentMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code emergence init-report}: what several inits do to one network, layer by layer ({@link InitReport}), written
 * as {@code report.json}, PNG plots and a self-contained {@code report.html}. Everything is computed before anything
 * is written; the files are written into a staging folder and moved into {@code --out} at the end.
 */
@Command(name = "init-report", mixinStandardHelpOptions = true,
        description = "Compare inits on one network, per hidden layer: activation mean and std, dead units, active"
                + " counts and E under the papers' absolute rule and the scale-robust relative rule, weight std,"
                + " gradient norm at init and the update/parameter ratio of the first K training steps. Writes"
                + " report.json, PNG plots (one line per init, layers on the x axis) and report.html into --out.")
final class InitReportCommand implements Callable<Integer> {

    static final String DEFAULT_INITS = String.join(",", InitReport.DEFAULT_INITS);

    static final class Source {
        @Option(names = "--arch", paramLabel = "SPEC",
                description = "Network shape: mlp:784-256-256-10 or cnn:c32-c32-p-c64-c64-p-f256-10.")
        String arch;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A saved MultiLayerConfiguration or ComputationGraphConfiguration JSON (conf.toJson()).")
        Path config;

        @Option(names = "--model", paramLabel = "FILE.zip",
                description = "A model saved with ModelSerializer: its configuration is reported (every init starts"
                        + " from new weights).")
        Path model;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--bn", description = "BatchNorm before each ReLU (with --arch).")
    boolean batchNorm;

    @Option(names = "--inits", paramLabel = "LIST", defaultValue = "kaiming,emergence-kaiming@1.2,emergence-kaiming@1.5,"
            + "lsuv-kaiming", description = "Comma-separated inits: xavier, kaiming, xavier-uniform, kaiming-uniform,"
            + " emergence-<base>@<alpha>, lsuv-<base> (default: ${DEFAULT-VALUE}).")
    String inits;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "20",
            description = "Training steps per init for the update/parameter ratio, >= 1 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "128", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01",
            description = "With --arch: learning rate of Nesterov SGD (default: ${DEFAULT-VALUE}); a saved"
                    + " configuration keeps its own updater.")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "With --arch: momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--samples", defaultValue = "1000",
            description = "Probe batch: the first N test samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threshold", defaultValue = "0.05",
            description = "Absolute rule: active when the mean activation exceeds this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--fraction", defaultValue = "0.5",
            description = "Relative rule: active when the mean activation exceeds this fraction of the layer's mean"
                    + " activation (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--forward", defaultValue = "batch-statistics",
            description = "batch-statistics (default: activations as a training step computes them, BatchNorm on the"
                    + " batch's own statistics) or inference (BatchNorm on its running statistics, as inspect).")
    String forward;

    @Option(names = "--mode", defaultValue = "centred", description = "Ramp exponents: centred (default) or integer.")
    String mode;

    @Option(names = "--seed", description = "Network seed (default: 7 with --arch; the saved seed otherwise).")
    Long seed;

    @Option(names = "--dataset", defaultValue = "mnist-embedded",
            description = "mnist-embedded (default, shipped), mnist, fashion-mnist, cifar10, images:DIR or csv:FILE.")
    String dataset;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder laid out like shared/datasets; default: $EMERGENCE_DATA, then DL4J's cache.")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/init-report",
            description = "Output folder (default: ${DEFAULT-VALUE}); report.json, report.html and the PNGs in it"
                    + " are replaced.")
    Path out;

    /** How the data is fed: flat, images, or image rows as time steps. */
    private enum Input { FLAT, IMAGE, SEQUENCE }

    @Override
    public Integer call() throws Exception {
        List<ReportInit> initList = parseInits(inits);
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps + ".");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch + ".");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples + ".");
        }
        boolean batchStatistics = switch (forward.trim().toLowerCase(Locale.ROOT)) {
            case "batch-statistics", "train", "training" -> true;
            case "inference" -> false;
            default -> throw new IllegalArgumentException("Unknown --forward '" + forward
                    + "': use batch-statistics or inference.");
        };
        ExponentMode exponentMode = ExponentMode.parse(mode);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file: give a folder.");
        }
        if (batchNorm && source.arch == null) {
            throw new IllegalArgumentException("--bn builds BatchNorm into an --arch network; a saved configuration"
                    + " has its own layers.");
        }
        InitReport.Builder report = InitReport.builder().inits(initList).steps(steps).threshold(threshold)
                .relativeFraction(fraction).batchStatistics(batchStatistics).mode(exponentMode);

        DatasetSource data = Datasets.load(dataset, dataDir, dataOptions.toSpec());
        int[] shape = data.inputShape();
        String label;
        String updater;
        Input input;
        long usedSeed;
        RnnLabels rnn;
        if (source.arch != null) {
            ArchSpec arch = ArchSpec.parse(source.arch);
            usedSeed = seed == null ? NetworkOptions.DEFAULT_SEED : seed;
            InputType type = arch.cnn() ? InputType.convolutional(shape[1], shape[2], shape[0])
                    : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
            MultiLayerConfiguration conf = arch.build(usedSeed, WeightInit.RELU, batchNorm, type,
                    new Nesterovs(lr, momentum));
            MemoryCheck.requireFits(conf, null, "the network");
            report.network(conf).seed(usedSeed);
            label = arch.text() + (batchNorm ? " with BatchNorm" : "");
            updater = String.format(Locale.ROOT, "Nesterov SGD, lr %s, momentum %s", lr, momentum);
            input = arch.cnn() ? Input.IMAGE : Input.FLAT;
            rnn = RnnLabels.NONE;
        } else {
            Path file = source.config != null ? source.config : source.model;
            String json = source.config != null ? readConfig(file) : readModelConfig(file);
            label = file.getFileName().toString();
            updater = "the configuration's updater";
            if (json.contains("\"vertices\"")) {
                ComputationGraphConfiguration conf = parse(file, () -> ComputationGraphConfiguration.fromJson(json));
                if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                    throw new IllegalArgumentException(file + ": init-report takes a ComputationGraph with one input"
                            + " and one output, this one has " + conf.getNetworkInputs().size() + " inputs and "
                            + conf.getNetworkOutputs().size() + " outputs.");
                }
                MemoryCheck.requireFits(conf, null, "the network");
                report.network(conf);
                usedSeed = seed == null ? conf.getDefaultConfiguration().getSeed() : seed;
                input = graphInput(conf);
                rnn = graphOutputIsRnn(conf) ? RnnLabels.TILE : RnnLabels.NONE;
            } else {
                MultiLayerConfiguration conf = parse(file, () -> MultiLayerConfiguration.fromJson(json));
                MemoryCheck.requireFits(conf, null, "the network");
                report.network(conf);
                usedSeed = seed == null ? conf.getConf(0).getSeed() : seed;
                input = kind(conf.getConf(0).getLayer(), conf.getInputPreProcess(0));
                rnn = conf.getConf(conf.getConfs().size() - 1).getLayer() instanceof RnnOutputLayer ? RnnLabels.TILE
                        : RnnLabels.NONE;
                checkSequenceWidth(input, conf.getConf(0).getLayer(), shape, file);
            }
            if (seed != null) {
                report.seed(seed);
            }
        }
        if (input == Input.SEQUENCE && data.name().startsWith(Datasets.CSV_PREFIX)) {
            throw new IllegalArgumentException("the network reads sequences, and " + data.name() + " is a table: give"
                    + " image data (its rows become the time steps).");
        }

        Layout layout = input == Input.FLAT ? Layout.FLAT : Layout.IMAGE;
        DataSet probe = data.test().head(Math.min(samples, data.numTest())).toDataSet(layout);
        data.normalizer(layout).ifPresent(n -> n.transform(probe));
        DataSetIterator train = data.trainIterator(batch, usedSeed, layout, steps);
        List<DataSet> batches = new ArrayList<>();
        while (batches.size() < steps && train.hasNext()) {
            batches.add(adapt(train.next(), input, rnn));
        }
        report.probe(adapt(probe, input, RnnLabels.NONE).getFeatures()).training(batches)
                .labels(label, data.displayLabel());

        InitReport built = report.build();
        built.validate();
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "init-report: %s, %d init(s), %d step(s) each, probe %d samples of %s%n", label,
                initList.size(), steps, probe.numExamples(), data.displayLabel());
        err.flush();
        InitReportResult result = MemoryCheck.allocating("the report's networks", built::run);

        List<InitReportCharts.Plot> plots = InitReportCharts.render(result);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("updater", updater);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("report.json", InitReportJson.write(result, extra).getBytes(StandardCharsets.UTF_8));
        plots.forEach(p -> files.put(p.file(), p.png()));
        files.put("report.html", InitReportHtml.page(result, updater, plots).getBytes(StandardCharsets.UTF_8));
        writeAll(files);

        o.print(result);
        o.printf(Locale.ROOT, "%nwrote %s (report.json, report.html, %d plots)%n", out, plots.size());
        o.flush();
        return 0;
    }

    static List<ReportInit> parseInits(String list) {
        List<ReportInit> out = new ArrayList<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                out.add(ReportInit.parse(name));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--inits is empty: give at least one init, e.g. --inits"
                    + " kaiming,emergence-kaiming@1.2.");
        }
        if (out.stream().map(ReportInit::name).distinct().count() != out.size()) {
            throw new IllegalArgumentException("--inits names one init twice: " + list + ".");
        }
        return out;
    }

    /** Writes the files into a staging folder next to --out, then moves them into --out. */
    private void writeAll(Map<String, byte[]> files) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".writing-" + ProcessHandle.current().pid());
        deleteTree(staging);
        Files.createDirectory(staging);
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
            }
            if (!Files.exists(target)) {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            for (String name : files.keySet()) {
                Files.move(staging.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String readConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config " + file + " is not a readable file: give the path of a"
                    + " configuration saved with conf.toJson().");
        }
        return Files.readString(file);
    }

    private static String readModelConfig(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + file + " is not a readable file: give a zip saved with"
                    + " ModelSerializer.writeModel.");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IllegalArgumentException("--model " + file + " is a zip without configuration.json: not a"
                        + " model saved with ModelSerializer.writeModel.");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("--model " + file + " is not a zip file (" + e.getMessage()
                    + "): give a model saved with ModelSerializer.writeModel.");
        }
    }

    private static <T> T parse(Path file, java.util.function.Supplier<T> reader) {
        T conf;
        try {
            conf = reader.get();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(file + " is not a DL4J configuration JSON: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().split("\n")[0])
                    + "; give a file saved with conf.toJson().");
        }
        boolean empty = conf instanceof MultiLayerConfiguration ml ? ml.getConfs() == null || ml.getConfs().isEmpty()
                : ((ComputationGraphConfiguration) conf).getVertices() == null
                || ((ComputationGraphConfiguration) conf).getVertices().isEmpty();
        if (empty) {
            throw new IllegalArgumentException(file + " is JSON but not a DL4J configuration (no \"confs\" list of a"
                    + " MultiLayerConfiguration, no \"vertices\" of a ComputationGraphConfiguration); give a file"
                    + " saved with conf.toJson().");
        }
        return conf;
    }

    private static Layer inner(Layer layer) {
        if (layer instanceof Bidirectional bi) {
            return inner(bi.getFwd());
        }
        if (layer instanceof BaseWrapperLayer w) {
            return inner(w.getUnderlying());
        }
        return layer;
    }

    private static Input kind(Layer first, InputPreProcessor pre) {
        Layer x = inner(first);
        if (x instanceof BaseRecurrentLayer || x instanceof Convolution1DLayer) {
            return Input.SEQUENCE;
        }
        if (x instanceof ConvolutionLayer && !(pre instanceof FeedForwardToCnnPreProcessor)) {
            return Input.IMAGE;
        }
        return Input.FLAT;
    }

    private static Input graphInput(ComputationGraphConfiguration g) {
        for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> v : g.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv
                    && g.getVertexInputs().get(v.getKey()).stream().anyMatch(g.getNetworkInputs()::contains)) {
                return kind(lv.getLayerConf().getLayer(), lv.getPreProcessor());
            }
        }
        return Input.FLAT;
    }

    private static boolean graphOutputIsRnn(ComputationGraphConfiguration g) {
        org.deeplearning4j.nn.conf.graph.GraphVertex v = g.getVertices().get(g.getNetworkOutputs().get(0));
        return v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof RnnOutputLayer;
    }

    private static void checkSequenceWidth(Input input, Layer first, int[] shape, Path file) {
        if (input != Input.SEQUENCE || !(inner(first) instanceof FeedForwardLayer f) || f.getNIn() <= 0) {
            return;
        }
        long perRow = (long) shape[0] * shape[2];
        if (f.getNIn() != perRow) {
            throw new IllegalArgumentException(file + ": the first layer reads sequences of " + f.getNIn()
                    + " features per time step, and the data's image rows (the time steps) have " + perRow
                    + " (" + shape[0] + " channel(s) x " + shape[2] + " columns): the network does not fit the data.");
        }
    }

    private enum RnnLabels { NONE, TILE }

    /**
     * Images to sequences for a recurrent network: {@code [n, c, h, w]} to {@code [n, c*w, h]}, the image rows as the
     * time steps; labels repeated over the time steps for an {@code RnnOutputLayer}.
     */
    private static DataSet adapt(DataSet d, Input input, RnnLabels labels) {
        if (input != Input.SEQUENCE) {
            return d;
        }
        INDArray f = d.getFeatures();
        long n = f.size(0);
        long c = f.size(1);
        long h = f.size(2);
        long w = f.size(3);
        INDArray seq = f.permute(0, 1, 3, 2).dup('c').reshape('c', n, c * w, h);
        INDArray y = d.getLabels();
        if (labels == RnnLabels.TILE) {
            INDArray tiled = Nd4j.create(y.dataType(), n, y.size(1), h);
            for (long t = 0; t < h; t++) {
                tiled.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(y);
            }
            y = tiled;
        }
        return new DataSet(seq, y);
    }
}
