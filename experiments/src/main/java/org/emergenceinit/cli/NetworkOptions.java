package org.emergenceinit.cli;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.Model;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.harness.MemoryCheck;
import org.emergenceinit.weights.EmergenceRamp;
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

    static final String DEFAULT_INIT = "emergence-xavier";

    @Option(names = "--init", paramLabel = "NAME",
            description = "xavier, xavier-uniform, kaiming, kaiming-uniform, or emergence-<one of those> (default:"
                    + " emergence-xavier with --arch; with --config the inits saved in it, which --init replaces).")
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
                 InitSpec init, long seed, String initLabel, Double alpha) {

        Built(MultiLayerConfiguration multiLayer, ComputationGraphConfiguration graph, RampPlan plan, InitSpec init,
              long seed, double alpha, boolean replacesSaved) {
            this(multiLayer, graph, plan, init, seed, init.name() + (replacesSaved ? " (replaces the inits saved in"
                    + " the configuration)" : ""), init.emergence() ? alpha : null);
        }

        /** The header's words: {@code init emergence-xavier, alpha 1.2} or {@code init xavier} (no ramp). */
        String header() {
            return "init " + initLabel + (alpha == null ? "" : ", alpha " + alpha);
        }

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
        boolean asSaved = init == null && source.config != null;
        InitSpec spec = InitSpec.parse(init == null ? DEFAULT_INIT : init);
        if (spec.lsuv() || spec.warmup()) {
            throw new IllegalArgumentException("--init " + init + ": LSUV and warm-up act on a network with data"
                    + " during training; use train, compare or sweep for them.");
        }
        ExponentMode exponentMode = ExponentMode.parse(mode);
        if (source.arch != null) {
            long s = seed == null ? DEFAULT_SEED : seed;
            MultiLayerConfiguration conf = ArchSpec.parse(source.arch)
                    .build(s, spec.base().dl4jName(), batchNorm, input, new Sgd(0.01));
            return new Built(conf, null, spec.apply(conf, alpha, exponentMode), spec, s, alpha, false);
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
            long s = conf.getDefaultConfiguration().getSeed();
            if (asSaved) {
                return saved(null, conf, EmergenceRamp.validate(conf), () -> EmergenceRamp.inheritBase(1.0).plan(conf),
                        s);
            }
            return new Built(null, conf, spec.apply(conf, alpha, exponentMode), spec, s, alpha, true);
        }
        MultiLayerConfiguration conf = parse(() -> MultiLayerConfiguration.fromJson(json));
        if (seed != null) {
            conf.getConfs().forEach(c -> c.setSeed(seed));
        }
        long s = conf.getConf(0).getSeed();
        if (asSaved) {
            return saved(conf, null, EmergenceRamp.validate(conf), () -> EmergenceRamp.inheritBase(1.0).plan(conf), s);
        }
        return new Built(conf, null, spec.apply(conf, alpha, exponentMode), spec, s, alpha, true);
    }

    /**
     * A saved configuration shown as saved: its bound emergence inits (checked for consistency) or, without any,
     * its stock inits by name (scale 1).
     */
    private Built saved(MultiLayerConfiguration ml, ComputationGraphConfiguration g, RampPlan bound,
                        java.util.function.Supplier<RampPlan> stock, long s) {
        if (bound.layerCount() > 0) {
            java.util.Set<String> bases = new java.util.LinkedHashSet<>();
            bound.entries().forEach(e -> bases.add(e.base().cliName()));
            RampPlan.Entry first = bound.entries().get(0);
            String label = "emergence-" + String.join("/", bases) + " (as saved in " + source.config + ")";
            return new Built(ml, g, bound, new InitSpec(first.base(), true), s, label, first.alpha());
        }
        RampPlan plan;
        try {
            plan = stock.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--config " + source.config + ": " + e.getMessage()
                    + " Or give --init to replace the saved inits.");
        }
        java.util.Set<String> bases = new java.util.LinkedHashSet<>();
        plan.entries().forEach(e -> bases.add(e.base().cliName()));
        String label = String.join("/", bases) + " (as saved in " + source.config + ")";
        return new Built(ml, g, plan, new InitSpec(plan.entries().get(0).base(), false), s, label, null);
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
