package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.cli.options.DataOptions;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.measure.ActivityRule;
import org.emergenceinit.measure.EmergenceProfile;
import org.emergenceinit.measure.LayerActivity;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code emergence inspect}: what an init does to a network at initialization: the ramp per layer, the weight std
 * drawn, and the emergence measure on a probe batch of real data.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Initialise a network and show, per weight layer, the ramp and the weight std drawn, and the"
                + " emergence E of its hidden layers on a probe batch (active counts and mean activations).")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Option(names = "--dataset", defaultValue = "mnist-embedded",
            description = "mnist-embedded (default, shipped), mnist, fashion-mnist, cifar10, images:DIR (one"
                    + " subfolder per class) or csv:FILE (numeric table).")
    String dataset;

    @Mixin
    DataOptions dataOptions = new DataOptions();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder laid out like shared/datasets (mnist/, fashion-mnist/, cifar-10-batches-bin/ or"
                    + " cifar-10-subset/); default: $EMERGENCE_DATA, then DL4J's cache and download.")
    Path dataDir;

    @Option(names = "--samples", defaultValue = "1000",
            description = "Probe batch: the first N test images (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threshold", defaultValue = "0.05",
            description = "A node is active when its activation exceeds this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--rule", defaultValue = "mean",
            description = "mean: the mean over the batch exceeds the threshold (default); majority: at least half"
                    + " the samples do; relative: the mean exceeds --fraction of the layer's mean activation"
                    + " (scale-robust).")
    String rule;

    @Option(names = "--fraction", defaultValue = "0.5",
            description = "With --rule relative: the fraction of the layer's mean activation (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--json", description = "Print one JSON object instead of the tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples + ".");
        }
        ActivityRule activityRule = parseRule(rule);
        ActivityProbe probe = ActivityProbe.builder().threshold(threshold).rule(activityRule).maxSamples(samples)
                .relativeFraction(fraction).build();
        DatasetSource data = Datasets.load(dataset, dataDir, dataOptions.toSpec());
        int[] shape = data.inputShape();
        boolean cnnArch = network.source.arch != null && network.source.arch.trim().toLowerCase(Locale.ROOT)
                .startsWith("cnn:");
        InputType input = cnnArch ? InputType.convolutional(shape[1], shape[2], shape[0])
                : InputType.feedForward((long) shape[0] * shape[1] * shape[2]);
        NetworkOptions.Built built = network.build(input);
        Layout layout = imageInput(built) ? Layout.IMAGE : Layout.FLAT;
        DataSet batch = data.test().head(Math.min(samples, data.numTest())).toDataSet(layout);
        data.normalizer(layout).ifPresent(n -> n.transform(batch));

        Model model = built.initialise();
        EmergenceProfile profile = model instanceof MultiLayerNetwork
                ? probe.measure((MultiLayerNetwork) model, batch.getFeatures())
                : probe.measure((ComputationGraph) model, batch.getFeatures());
        List<Map<String, Object>> layers = layerRows(built.plan(), model);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(jsonReport(built, data, layers, profile)));
        } else {
            out.printf(Locale.ROOT, "%s, %s, seed %d; probe: %d test images of %s%n%n",
                    network.source.arch != null ? network.source.arch : network.source.config, built.header(),
                    built.seed(), batch.numExamples(), data.displayLabel());
            out.printf(Locale.ROOT, "%3s  %-12s %-22s %8s %8s %8s %10s %10s%n", "k", "name", "type", "fanIn",
                    "fanOut", "exponent", "scale", "weightStd");
            for (Map<String, Object> r : layers) {
                out.printf(Locale.ROOT, "%3d  %-12s %-22s %8.0f %8.0f %8.2f %10.5f %10.5f%n", r.get("index"),
                        r.get("name"), r.get("type"), r.get("fanIn"), r.get("fanOut"), r.get("exponent"),
                        r.get("scale"), r.get("weightStd"));
            }
            built.plan().warnings().forEach(w -> out.println("warning: " + w));
            out.println();
            out.print(profile);
            if (threshold == 0) {
                out.println("note: threshold 0 is degenerate: weight scale alone cannot change any ReLU unit's"
                        + " sign, so the ramp cannot move E.");
            }
        }
        out.flush();
        return 0;
    }

    private static ActivityRule parseRule(String rule) {
        switch (rule.trim().toLowerCase(Locale.ROOT)) {
            case "mean":
                return ActivityRule.MEAN;
            case "majority":
                return ActivityRule.MAJORITY;
            case "relative":
                return ActivityRule.RELATIVE;
            default:
                throw new IllegalArgumentException("Unknown --rule '" + rule + "': use mean, majority or relative.");
        }
    }

    /**
     * Whether the network takes images: its first weight layer (the one reading a network input) is a convolution
     * without a flat-to-image preprocessor in front.
     */
    private static boolean imageInput(NetworkOptions.Built built) {
        if (built.multiLayer() != null) {
            return built.multiLayer().getConf(0).getLayer() instanceof ConvolutionLayer
                    && !(built.multiLayer().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor);
        }
        ComputationGraphConfiguration g = built.graph();
        return g.getVertices().entrySet().stream().anyMatch(v -> v.getValue() instanceof LayerVertex
                && ((LayerVertex) v.getValue()).getLayerConf().getLayer() instanceof ConvolutionLayer
                && !(((LayerVertex) v.getValue()).getPreProcessor() instanceof FeedForwardToCnnPreProcessor)
                && g.getVertexInputs().get(v.getKey()).stream().anyMatch(g.getNetworkInputs()::contains));
    }

    /** Per ramp layer: the plan's columns and the std of the weights drawn. */
    private static List<Map<String, Object>> layerRows(RampPlan plan, Model model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RampPlan.Entry e : plan.entries()) {
            org.deeplearning4j.nn.api.Layer layer = model instanceof MultiLayerNetwork
                    ? ((MultiLayerNetwork) model).getLayer(e.name()) : ((ComputationGraph) model).getLayer(e.name());
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            List<String> keys = conf.initializer().weightKeys(conf);
            INDArray w = layer.getParam(keys.isEmpty() ? "W" : keys.get(0));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", e.index());
            r.put("name", e.name());
            r.put("type", e.type());
            r.put("fanIn", e.fanIn());
            r.put("fanOut", e.fanOut());
            r.put("exponent", e.exponent());
            r.put("scale", e.scale());
            r.put("weightStd", w.stdNumber().doubleValue());
            rows.add(r);
        }
        return rows;
    }

    private Map<String, Object> jsonReport(NetworkOptions.Built built, DatasetSource data,
                                           List<Map<String, Object>> layers, EmergenceProfile profile) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network", network.source.arch != null ? network.source.arch : network.source.config.toString());
        out.put("init", built.initLabel());
        out.put("alpha", built.alpha());
        out.put("seed", built.seed());
        out.put("dataset", data.displayLabel());
        out.put("layers", layers);
        out.put("warnings", built.plan().warnings());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("threshold", threshold);
        if (profile.rule() == ActivityRule.RELATIVE) {
            e.put("relativeFraction", profile.threshold());
        }
        e.put("samples", profile.samples());
        e.put("rule", profile.rule().name().toLowerCase(Locale.ROOT));
        e.put("widths", profile.widths());
        e.put("active", profile.activeCounts());
        e.put("E", profile.emergence().toString());
        double log10 = profile.log10Emergence();
        e.put("log10E", Double.isFinite(log10) ? log10 : null);
        e.put("relativeE", profile.relativeEmergence().doubleValue());
        e.put("parameters", profile.parameters());
        List<Map<String, Object>> perLayer = new ArrayList<>();
        for (LayerActivity a : profile.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("measuredAt", a.measuredAt());
            m.put("width", a.width());
            m.put("active", a.active());
            m.put("meanActivation", java.util.Arrays.stream(a.meanActivation()).average().orElse(0));
            perLayer.add(m);
        }
        e.put("layers", perLayer);
        out.put("emergence", e);
        return out;
    }
}
