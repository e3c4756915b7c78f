package org.emergenceinit.cli;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.Model;
import org.emergenceinit.examples.ArchSpec;
import org.emergenceinit.examples.InitSpec;
import org.emergenceinit.examples.MemoryCheck;
import org.emergenceinit.weights.ExponentMode;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options that describe a network and its initialization, shared by the commands. */
final class NetworkOptions {
    static final long DEFAULT_SEED = 7;

    static final class Source {
        @Option(names = "--arch", paramLabel = "SPEC",
                description = "Network shape: mlp:784-256-256-10 or cnn:c32-c32-p-c64-c64-p-f256-10.")
        String arch;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A saved MultiLayerConfiguration or ComputationGraphConfiguration JSON.")
        Path config;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--bn", description = "BatchNorm before each ReLU (with --arch).")
    boolean batchNorm;

    @Option(names = "--init", paramLabel = "NAME", defaultValue = "emergence-xavier",
            description = "xavier, xavier-uniform, kaiming, kaiming-uniform, or emergence-<one of those>"
                    + " (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--alpha", defaultValue = "1.2",
            description = "Ratio between neighbouring layers' weight scales, > 0 (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--mode", defaultValue = "centred",
            description = "Exponents: centred (default) or integer.")
    String mode;

    @Option(names = "--seed", description = "Configuration seed (default: 7 with --arch; the saved seed with --config).")
    Long seed;

    /** A configuration with the init applied, and its plan. */
    record Built(MultiLayerConfiguration multiLayer, ComputationGraphConfiguration graph, RampPlan plan,
                 InitSpec init, long seed) {
        Model initialise() {
            if (multiLayer != null) {
                MemoryCheck.requireFits(multiLayer, null, "the network");
                return MemoryCheck.allocating("the network", () -> {
                    MultiLayerNetwork net = new MultiLayerNetwork(multiLayer);
                    net.init();
                    return net;
                });
            }
            MemoryCheck.requireFits(graph, null, "the network");
            return MemoryCheck.allocating("the network", () -> {
                ComputationGraph net = new ComputationGraph(graph);
                net.init();
                return net;
            });
        }

        String json() {
            return multiLayer != null ? multiLayer.toJson() : graph.toJson();
        }
    }

    /**
     * Builds the configuration for the given input and applies the init.
     *
     * @param input the data's input type, used with {@code --arch}
     */
    Built build(InputType input) throws IOException {
        InitSpec spec = InitSpec.parse(init);
        if (spec.lsuv() || spec.warmup()) {
            throw new IllegalArgumentException("--init " + init + ": LSUV and warm-up act on a network with data"
                    + " during training; use train, compare or sweep for them.");
        }
        ExponentMode exponentMode = ExponentMode.parse(mode);
        if (source.arch != null) {
            long s = seed == null ? DEFAULT_SEED : seed;
            MultiLayerConfiguration conf = ArchSpec.parse(source.arch)
                    .build(s, spec.base().dl4jName(), batchNorm, input, new Sgd(0.01));
            return new Built(conf, null, spec.apply(conf, alpha, exponentMode), spec, s);
        }
        if (!Files.isRegularFile(source.config)) {
            throw new IllegalArgumentException("--config " + source.config + " is not a readable file: give the path"
                    + " of a configuration saved with conf.toJson().");
        }
        String json = Files.readString(source.config);
        if (json.contains("\"vertices\"")) {
            ComputationGraphConfiguration conf = parse(() -> ComputationGraphConfiguration.fromJson(json));
            if (seed != null) {
                conf.getDefaultConfiguration().setSeed(seed);
                conf.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                        .forEach(v -> ((LayerVertex) v).getLayerConf().setSeed(seed));
            }
            return new Built(null, conf, spec.apply(conf, alpha, exponentMode), spec,
                    conf.getDefaultConfiguration().getSeed());
        }
        MultiLayerConfiguration conf = parse(() -> MultiLayerConfiguration.fromJson(json));
        if (seed != null) {
            conf.getConfs().forEach(c -> c.setSeed(seed));
        }
        return new Built(conf, null, spec.apply(conf, alpha, exponentMode), spec, conf.getConf(0).getSeed());
    }

    private <T> T parse(java.util.function.Supplier<T> reader) {
        T conf;
        try {
            conf = reader.get();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("--config " + source.config + " is not a DL4J configuration JSON: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().split("\n")[0])
                    + "; give a file saved with conf.toJson().");
        }
        boolean empty = conf instanceof MultiLayerConfiguration
                ? ((MultiLayerConfiguration) conf).getConfs() == null || ((MultiLayerConfiguration) conf).getConfs()
                .isEmpty()
                : ((ComputationGraphConfiguration) conf).getVertices() == null
                || ((ComputationGraphConfiguration) conf).getVertices().isEmpty();
        if (empty) {
            throw new IllegalArgumentException("--config " + source.config + " is JSON but not a DL4J configuration"
                    + " (it has no layers: no \"confs\" list of a MultiLayerConfiguration, no \"vertices\" of a"
                    + " ComputationGraphConfiguration); give a file saved with conf.toJson().");
        }
        return conf;
    }
}
