package org.emergenceinit.measure;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.internal.LayerClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the active hidden nodes of a {@code MultiLayerNetwork} or {@code ComputationGraph} on an
 * evaluation batch and computes the network's emergence from them.
 *
 * <p>AlShinaifi et al. 2024 (<i>Quantifying Emergence in Neural Networks</i>, arXiv 2409.01568)
 * call a node active when its activation "is greater than 0.05"; the emergence {@code E} then
 * follows from the per-layer widths {@code n_i} and active counts {@code a_i} (see
 * {@link EmergenceMeasure}, after Li et al. 2023, arXiv 2311.17403). This class fixes what the
 * papers leave open:
 *
 * <ul>
 *   <li><b>Nodes.</b> Only hidden <i>weight layers</i> have nodes, as the library's one layer classifier
 *       (the one the ramp uses, wrappers such as Bidirectional and FrozenLayer looked through) defines them:
 *       dense, convolution, recurrent, SameDiff (attention), embedding (counted like any weight layer, though
 *       the ramp does not scale it) and other layers with weight keys. BatchNormalization and PReLU are not
 *       weight layers. A dense or recurrent unit is a node; a convolution node is an <b>output channel</b>.</li>
 *   <li><b>Folding.</b> A node's activation is its post-nonlinearity output, taken after the
 *       BatchNorm, activation, PReLU, dropout, local response normalisation and pooling layers
 *       (global pooling included) that directly follow the weight layer: these belong to the
 *       weight layer before them. In a {@code ComputationGraph} the chain is followed while the
 *       current vertex has exactly one consumer and that consumer is such a layer with a single
 *       input; the activation is read at the last vertex of the chain. With max pooling the
 *       measured values are the pooled ones.</li>
 *   <li><b>Averaging.</b> Per sample, a node's value is its activation averaged over the spatial
 *       (or time) positions; the layout is read from the layer (NCHW/NHWC, NCW/NWC, NCDHW/NDHWC).
 *       Masks are ignored.</li>
 *   <li><b>Rule.</b> {@link ActivityRule#MEAN} (default): active when the mean over the batch
 *       exceeds the threshold (default {@value #DEFAULT_THRESHOLD}).
 *       {@link ActivityRule#MAJORITY}: active when at least half of the samples exceed it.
 *       {@link ActivityRule#RELATIVE} (scale-robust): active when the node's mean exceeds a fraction (default
 *       {@value #DEFAULT_RELATIVE_FRACTION}) of its layer's mean activation; the threshold is then not used.
 *       Threshold 0 is allowed but degenerate (scaling weights cannot change the sign of a ReLU
 *       unit), and a warning is logged.</li>
 *   <li><b>Output layer excluded.</b> A weight layer is not measured when it is an output layer
 *       ({@code IOutputLayer}) or when a network output can be reached from it without passing
 *       through another weight layer (for example a dense layer followed by a {@code LossLayer}).
 *       The input is not a layer either.</li>
 *   <li><b>Order.</b> Layers are measured in network order (topological order for a graph) and
 *       treated as one chain by the closed form; for a branching graph this is the layered
 *       approximation of the papers.</li>
 *   <li><b>Parameters.</b> {@code P} counts the non-zero entries of {@code model.params()}: all
 *       weights and biases, BatchNorm parameters included.</li>
 * </ul>
 *
 * <p>The forward pass runs in inference mode ({@code train = false}) by default: dropout is off and
 * BatchNorm uses its running statistics, and no random numbers are drawn. With
 * {@link Builder#batchStatistics(boolean) batchStatistics(true)} it runs as in a training step
 * ({@code train = true}): BatchNorm normalises with the statistics of the evaluation batch itself
 * (what a freshly initialised network sees while it trains; its running statistics are still the
 * initial 0 and 1) and dropout is applied. It replaces the network's stored input (and clears its
 * masks) like any {@code feedForward} call.
 *
 * <p>Example:
 * <pre>{@code
 * EmergenceProfile profile = ActivityProbe.builder().threshold(0.05).build().measure(net, testFeatures);
 * System.out.println(profile); // per-layer table, E, log10 E, E/P
 * }</pre>
 */
public final class ActivityProbe {

    private static final Logger log = LoggerFactory.getLogger(ActivityProbe.class);

    /** Default activation threshold, from AlShinaifi et al. 2024. */
    public static final double DEFAULT_THRESHOLD = 0.05;

    /** Default fraction of the layer mean for {@link ActivityRule#RELATIVE}. */
    public static final double DEFAULT_RELATIVE_FRACTION = 0.5;

    /** Default number of samples taken from an iterator. */
    public static final int DEFAULT_MAX_SAMPLES = 1000;

    private static final long COUNT_CHUNK = 1L << 22;

    private final double threshold;
    private final ActivityRule rule;
    private final int maxSamples;
    private final double relativeFraction;
    private final boolean batchStatistics;
    private final List<String> layerNames;
    private final int[] layerIndices;

    private ActivityProbe(Builder builder) {
        this.threshold = builder.threshold;
        this.rule = builder.rule;
        this.maxSamples = builder.maxSamples;
        this.relativeFraction = builder.relativeFraction;
        this.batchStatistics = builder.batchStatistics;
        this.layerNames = List.copyOf(builder.layerNames);
        this.layerIndices = builder.layerIndices.clone();
    }

    /** @return a builder with the defaults: threshold 0.05, rule MEAN, 1,000 samples, all hidden weight layers */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a probe with the default settings */
    public static ActivityProbe defaults() {
        return builder().build();
    }

    /** @return the activation threshold */
    public double threshold() {
        return threshold;
    }

    /** @return the activity rule */
    public ActivityRule rule() {
        return rule;
    }

    /** @return the fraction of the layer mean used by {@link ActivityRule#RELATIVE} */
    public double relativeFraction() {
        return relativeFraction;
    }

    /** @return whether the forward pass runs in training mode (BatchNorm on batch statistics, dropout on) */
    public boolean batchStatistics() {
        return batchStatistics;
    }

    /** @return the maximum number of samples taken from an iterator */
    public int maxSamples() {
        return maxSamples;
    }

    /**
     * Measures a network on a batch; all rows of {@code input} are used.
     *
     * @param net   an initialised network
     * @param input features, first axis the samples
     * @return the profile
     */
    public EmergenceProfile measure(MultiLayerNetwork net, INDArray input) {
        Plan plan = plan(net);
        plan.add(input.size(0), forward(net, new INDArray[]{input}));
        return plan.profile(nonZeroParameters(net));
    }

    /**
     * Measures a network on the first {@link #maxSamples()} samples of an iterator, which is
     * reset first when it supports it. Batches are processed one at a time.
     *
     * @param net  an initialised network
     * @param data the evaluation data
     * @return the profile
     */
    public EmergenceProfile measure(MultiLayerNetwork net, DataSetIterator data) {
        Plan plan = plan(net);
        consume(data, plan, features -> forward(net, features));
        return plan.profile(nonZeroParameters(net));
    }

    /**
     * Measures a graph on a batch; all rows of the inputs are used.
     *
     * @param graph  an initialised graph
     * @param inputs one features array per network input, first axis the samples
     * @return the profile
     */
    public EmergenceProfile measure(ComputationGraph graph, INDArray... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("give one input array per network input of the graph, got none");
        }
        Plan plan = plan(graph);
        plan.add(inputs[0].size(0), forward(graph, inputs));
        return plan.profile(nonZeroParameters(graph));
    }

    /**
     * Measures a single-input graph on the first {@link #maxSamples()} samples of an iterator,
     * which is reset first when it supports it.
     *
     * @param graph an initialised graph with one input
     * @param data  the evaluation data
     * @return the profile
     */
    public EmergenceProfile measure(ComputationGraph graph, DataSetIterator data) {
        Plan plan = plan(graph);
        consume(data, plan, features -> forward(graph, features));
        return plan.profile(nonZeroParameters(graph));
    }

    /**
     * The names of the hidden weight layers this probe measures, in network order.
     *
     * @param net an initialised network
     * @return layer names
     */
    public List<String> measuredLayers(MultiLayerNetwork net) {
        return plan(net).targets.stream().map(Target::name).toList();
    }

    /**
     * The names of the hidden weight layer vertices this probe measures, in topological order.
     *
     * @param graph an initialised graph
     * @return vertex names
     */
    public List<String> measuredLayers(ComputationGraph graph) {
        return plan(graph).targets.stream().map(Target::name).toList();
    }

    /**
     * Counts the non-zero entries of {@code model.params()} exactly (no tolerance).
     *
     * @param model an initialised network or graph
     * @return the number of non-zero parameters {@code P}
     */
    public static long nonZeroParameters(Model model) {
        INDArray params = model.params();
        if (params == null || params.isEmpty()) {
            return 0;
        }
        INDArray flat = params.reshape(params.length());
        long count = 0;
        for (long start = 0; start < flat.length(); start += COUNT_CHUNK) {
            INDArray chunk = flat.get(NDArrayIndex.interval(start, Math.min(flat.length(), start + COUNT_CHUNK)));
            count += chunk.neq(0.0).castTo(DataType.INT).sumNumber().longValue();
        }
        return count;
    }

    private Function<String, INDArray> forward(MultiLayerNetwork net, INDArray[] features) {
        if (features.length != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one input array, got " + features.length);
        }
        List<INDArray> activations = net.feedForward(features[0], batchStatistics);
        return key -> activations.get(Integer.parseInt(key) + 1);
    }

    private Function<String, INDArray> forward(ComputationGraph graph, INDArray[] features) {
        Map<String, INDArray> activations = graph.feedForward(features, batchStatistics);
        return activations::get;
    }

    private void consume(DataSetIterator data, Plan plan, Function<INDArray[], Function<String, INDArray>> forward) {
        if (data.resetSupported()) {
            data.reset();
        }
        long remaining = maxSamples;
        while (remaining > 0 && data.hasNext()) {
            DataSet batch = data.next();
            INDArray features = batch.getFeatures();
            long rows = features.size(0);
            if (rows > remaining) {
                INDArrayIndex[] index = new INDArrayIndex[features.rank()];
                Arrays.fill(index, NDArrayIndex.all());
                index[0] = NDArrayIndex.interval(0, remaining);
                features = features.get(index);
                rows = remaining;
            }
            plan.add(rows, forward.apply(new INDArray[]{features}));
            remaining -= rows;
        }
    }

    private Plan plan(MultiLayerNetwork net) {
        int n = net.getnLayers();
        if (n == 0 || net.getLayers() == null) {
            throw new IllegalStateException("the network has no layers: call net.init() before measuring it");
        }
        List<Target> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer conf = configured(net, i);
            if (!LayerClassifier.isNodeLayer(conf)) {
                continue;
            }
            int end = i;
            while (end + 1 < n && LayerClassifier.isFoldLayer(configured(net, end + 1))) {
                end++;
            }
            boolean output = true;
            for (int k = i + 1; k < n; k++) {
                output &= !LayerClassifier.isNodeLayer(configured(net, k));
            }
            if (!output) {
                all.add(new Target(layerName(net, i), i, LayerClassifier.typeName(conf), layerName(net, end),
                        String.valueOf(end), conf));
            }
        }
        return new Plan(select(all));
    }

    private Plan plan(ComputationGraph graph) {
        if (graph.getVertices() == null) {
            throw new IllegalStateException("the graph has no vertices: call graph.init() before measuring it");
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> consumers = new HashMap<>();
        for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
            for (String in : e.getValue()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        Set<String> outputs = new HashSet<>(conf.getNetworkOutputs());
        List<Target> all = new ArrayList<>();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[idx];
            if (!vertex.hasLayer() || !LayerClassifier.isNodeLayer(configured(graph, vertex))) {
                continue;
            }
            String end = vertex.getVertexName();
            boolean output = vertex.getLayer() instanceof IOutputLayer
                    || reachesOutputWithoutWeights(graph, end, consumers, outputs, new HashSet<>());
            while (!outputs.contains(end)) {
                List<String> next = consumers.getOrDefault(end, List.of());
                if (next.size() != 1) {
                    break;
                }
                GraphVertex consumer = graph.getVertex(next.get(0));
                if (!consumer.hasLayer() || inputs.get(consumer.getVertexName()).size() != 1
                        || !LayerClassifier.isFoldLayer(configured(graph, consumer))) {
                    break;
                }
                end = consumer.getVertexName();
            }
            if (!output) {
                Layer layerConf = configured(graph, vertex);
                all.add(new Target(vertex.getVertexName(), vertex.getVertexIndex(), LayerClassifier.typeName(layerConf),
                        end, end, layerConf));
            }
        }
        return new Plan(select(all));
    }

    /** Whether a network output is reachable from {@code name} without passing through another weight layer. */
    private static boolean reachesOutputWithoutWeights(ComputationGraph graph, String name,
                                                       Map<String, List<String>> consumers, Set<String> outputs,
                                                       Set<String> visited) {
        if (outputs.contains(name)) {
            return true;
        }
        for (String next : consumers.getOrDefault(name, List.of())) {
            GraphVertex vertex = graph.getVertex(next);
            boolean weight = vertex.hasLayer() && LayerClassifier.isNodeLayer(configured(graph, vertex));
            if (!weight && visited.add(next) && reachesOutputWithoutWeights(graph, next, consumers, outputs, visited)) {
                return true;
            }
        }
        return false;
    }

    private List<Target> select(List<Target> all) {
        if (layerNames.isEmpty() && layerIndices.length == 0) {
            if (all.isEmpty()) {
                throw new IllegalArgumentException("the network has no hidden weight layer to measure "
                        + "(the output layer is excluded); add a hidden dense or convolution layer");
            }
            return all;
        }
        Set<String> names = new LinkedHashSet<>(layerNames);
        Set<Integer> indices = new LinkedHashSet<>();
        for (int index : layerIndices) {
            indices.add(index);
        }
        List<Target> chosen = new ArrayList<>();
        for (Target t : all) {
            if (names.remove(t.name()) | indices.remove(t.index())) {
                chosen.add(t);
            }
        }
        if (!names.isEmpty() || !indices.isEmpty()) {
            List<String> available = all.stream().map(t -> t.name() + " (index " + t.index() + ")").toList();
            throw new IllegalArgumentException("not hidden weight layers of this network: names " + names
                    + ", indices " + indices + "; choose among " + available);
        }
        return chosen;
    }

    /**
     * The layer as configured (wrappers such as FrozenLayerWithBackprop included), the object the ramp classifies;
     * a runtime wrapper's {@code conf()} may hold the wrapped layer instead.
     */
    private static Layer configured(MultiLayerNetwork net, int index) {
        return net.getLayerWiseConfigurations().getConf(index).getLayer();
    }

    private static Layer configured(ComputationGraph graph, GraphVertex vertex) {
        org.deeplearning4j.nn.conf.graph.GraphVertex v = graph.getConfiguration().getVertices().get(vertex.getVertexName());
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : vertex.getLayer().conf().getLayer();
    }

    private static String layerName(MultiLayerNetwork net, int index) {
        String name = net.getLayer(index).conf().getLayer().getLayerName();
        return name != null ? name : "layer" + index;
    }

    private record Target(String name, int index, String type, String measuredAt, String key, Layer weightConf) {
    }

    /** The chosen layers and their running sums over the batches seen so far. */
    private final class Plan {
        private final List<Target> targets;
        private final double[][] sums;
        private final double[][] above;
        private long samples;

        Plan(List<Target> targets) {
            this.targets = targets;
            this.sums = new double[targets.size()][];
            this.above = new double[targets.size()][];
        }

        void add(long rows, Function<String, INDArray> activations) {
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                INDArray perSample = perSampleNodeValues(activations.apply(target.key()), target);
                double[] batchSums = perSample.sum(0).toDoubleVector();
                INDArray exceeds = rule == ActivityRule.RELATIVE
                        ? perSample.subColumnVector(perSample.mean(1).muli(relativeFraction).reshape(perSample.size(0), 1))
                        .gt(0.0)
                        : perSample.gt(threshold);
                double[] batchAbove = exceeds.castTo(DataType.DOUBLE).sum(0).toDoubleVector();
                if (sums[t] == null) {
                    sums[t] = batchSums;
                    above[t] = batchAbove;
                } else if (sums[t].length != batchSums.length) {
                    throw new IllegalArgumentException("layer " + target.name() + " gave " + batchSums.length
                            + " nodes on this batch and " + sums[t].length + " on an earlier one");
                } else {
                    for (int k = 0; k < batchSums.length; k++) {
                        sums[t][k] += batchSums[k];
                        above[t][k] += batchAbove[k];
                    }
                }
            }
            samples += rows;
        }

        EmergenceProfile profile(long parameters) {
            if (samples == 0) {
                throw new IllegalArgumentException("the evaluation data held no samples; give at least one");
            }
            List<LayerActivity> layers = new ArrayList<>();
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                int width = sums[t].length;
                double[] mean = new double[width];
                double[] fraction = new double[width];
                int active = 0;
                for (int k = 0; k < width; k++) {
                    mean[k] = sums[t][k] / samples;
                    fraction[k] = above[t][k] / samples;
                    if (rule == ActivityRule.MEAN ? mean[k] > threshold
                            : rule == ActivityRule.MAJORITY && 2 * above[t][k] >= samples) {
                        active++;
                    }
                }
                if (rule == ActivityRule.RELATIVE) {
                    active = EmergenceMeasure.relativeActiveCount(mean, relativeFraction);
                }
                layers.add(new LayerActivity(target.name(), target.index(), target.type(), target.measuredAt(), width,
                        active, mean, fraction));
            }
            return EmergenceProfile.of(layers, rule, rule == ActivityRule.RELATIVE ? relativeFraction : threshold, samples,
                    parameters);
        }

        private INDArray perSampleNodeValues(INDArray activation, Target target) {
            if (activation == null) {
                throw new IllegalStateException("no activation recorded for layer " + target.measuredAt());
            }
            int rank = activation.rank();
            INDArray values = activation.castTo(DataType.DOUBLE);
            if (rank == 2) {
                return values;
            }
            if (rank < 2) {
                throw new IllegalArgumentException("layer " + target.measuredAt() + " gave an activation of rank "
                        + rank + "; expected [samples, nodes, ...]");
            }
            int axis = LayerClassifier.nodeAxis(target.weightConf(), rank);
            int[] order = new int[rank];
            order[0] = 0;
            order[1] = axis;
            for (int d = 1, k = 2; d < rank; d++) {
                if (d != axis) {
                    order[k++] = d;
                }
            }
            long batch = values.size(0);
            long nodes = values.size(axis);
            INDArray permuted = values.permute(order).dup('c');
            return permuted.reshape('c', batch, nodes, permuted.length() / (batch * nodes)).mean(2);
        }
    }

    /** Settings of an {@link ActivityProbe}; every setting has a default. */
    public static final class Builder {
        private double threshold = DEFAULT_THRESHOLD;
        private ActivityRule rule = ActivityRule.MEAN;
        private int maxSamples = DEFAULT_MAX_SAMPLES;
        private double relativeFraction = DEFAULT_RELATIVE_FRACTION;
        private boolean batchStatistics;
        private List<String> layerNames = List.of();
        private int[] layerIndices = new int[0];

        private Builder() {
        }

        /**
         * @param threshold activation threshold, finite and {@code >= 0} (default 0.05); 0 is
         *                  allowed but degenerate and logs a warning
         * @return this builder
         */
        public Builder threshold(double threshold) {
            if (!Double.isFinite(threshold) || threshold < 0) {
                throw new IllegalArgumentException("threshold must be finite and >= 0, got " + threshold
                        + "; the papers use 0.05");
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * @param rule activity rule (default {@link ActivityRule#MEAN})
         * @return this builder
         */
        public Builder rule(ActivityRule rule) {
            if (rule == null) {
                throw new IllegalArgumentException("rule must not be null; use ActivityRule.MEAN or MAJORITY");
            }
            this.rule = rule;
            return this;
        }

        /**
         * @param fraction for {@link ActivityRule#RELATIVE}: a node is active when its mean activation exceeds
         *                 this fraction of its layer's mean activation; finite and {@code > 0} (default
         *                 {@value #DEFAULT_RELATIVE_FRACTION})
         * @return this builder
         */
        public Builder relativeFraction(double fraction) {
            EmergenceMeasure.checkFraction(fraction);
            this.relativeFraction = fraction;
            return this;
        }

        /**
         * @param on run the forward pass in training mode: BatchNorm on the statistics of the evaluation batch,
         *           dropout applied (default {@code false}: inference mode, BatchNorm on its running statistics)
         * @return this builder
         */
        public Builder batchStatistics(boolean on) {
            this.batchStatistics = on;
            return this;
        }

        /**
         * @param maxSamples number of samples taken from an iterator, {@code >= 1} (default 1,000)
         * @return this builder
         */
        public Builder maxSamples(int maxSamples) {
            if (maxSamples < 1) {
                throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
            }
            this.maxSamples = maxSamples;
            return this;
        }

        /**
         * Restricts the measure to the named hidden weight layers (vertex names in a graph).
         * Together with {@link #layerIndices(int...)} the union is measured, in network order.
         *
         * @param names layer names; none means all hidden weight layers
         * @return this builder
         */
        public Builder layers(String... names) {
            for (String name : names) {
                if (name == null) {
                    throw new IllegalArgumentException("layer names must not be null");
                }
            }
            this.layerNames = List.of(names);
            return this;
        }

        /**
         * Restricts the measure to the hidden weight layers with these indices (layer index in a
         * {@code MultiLayerNetwork}, vertex index in a {@code ComputationGraph}).
         *
         * @param indices layer indices; none means all hidden weight layers
         * @return this builder
         */
        public Builder layerIndices(int... indices) {
            this.layerIndices = indices.clone();
            return this;
        }

        /** @return the probe */
        public ActivityProbe build() {
            if (threshold == 0 && rule != ActivityRule.RELATIVE) {
                log.warn("Activity threshold 0 is degenerate: a ReLU unit is then active whenever it is ever "
                        + "positive, and scaling the weights cannot change that; the papers use 0.05");
            }
            return new ActivityProbe(this);
        }
    }
}
