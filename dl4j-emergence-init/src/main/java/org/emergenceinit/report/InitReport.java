package org.emergenceinit.report;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.baselines.Lsuv;
import org.emergenceinit.internal.LayerClassifier;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.measure.ActivityRule;
import org.emergenceinit.measure.EmergenceProfile;
import org.emergenceinit.measure.LayerActivity;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.ExponentMode;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an init does to a network: for several inits of the same network, per hidden layer, the activation mean and
 * std, the fraction of dead units, the active counts and {@code E} under the papers' absolute rule and the
 * scale-robust relative rule, the weight std, the gradient norm at initialization and the update/parameter ratio
 * over the first training steps. This is the signal-propagation view (muP's "coord check", the Signal Propagation
 * Plots of Brock et al. 2021) beside the emergence measure.
 *
 * <p>Every init starts from a fresh copy of the same configuration with the same seed, so the stock scheme and the
 * emergence ramp over it draw the same random numbers (at {@code alpha = 1} the ramp is the stock scheme bit for
 * bit); an LSUV init is the stock scheme rescaled by {@link Lsuv} on the first training batch. Per init:
 * <ol>
 *   <li>the probe batch is passed forward (in training mode by default, see {@link Builder#batchStatistics}); the
 *       activations of each hidden weight layer (read after the BatchNorm, activation and pooling layers that
 *       follow it, as {@link ActivityProbe} reads them) give the mean, std, dead fraction and both active counts;</li>
 *   <li>the loss gradient on the first training batch gives each layer's gradient norm (the gradient the
 *       updater receives: DL4J's backpropagation sums over the batch and its updater divides by the batch size,
 *       unless the configuration sets {@code miniBatch(false)});</li>
 *   <li>the network then trains for {@code K} steps ({@link Builder#steps}, default {@value #DEFAULT_STEPS}) on the
 *       training batches, with the updater of its configuration; per step and layer the ratio
 *       {@code mean |W_after - W_before| / mean |W_before|} is recorded.</li>
 * </ol>
 *
 * <pre>{@code
 * InitReportResult r = InitReport.builder()
 *         .network(conf)                                     // MultiLayerConfiguration or ComputationGraphConfiguration
 *         .inits("kaiming", "emergence-kaiming@1.2", "lsuv-kaiming")
 *         .probe(testFeatures)                               // e.g. 1,000 held-out samples
 *         .training(trainIterator)                           // the first K batches are used
 *         .steps(20)
 *         .run();
 * System.out.println(r);                                     // one table per init
 * double ratio = r.init("emergence-kaiming@1.2").layer("layer3").updateRatio();
 * }</pre>
 *
 * <p>Supported: any network the library's measure reads (dense, convolution, recurrent layers, wrappers, BatchNorm),
 * as a {@code MultiLayerNetwork} or a {@code ComputationGraph} with one input and one output. Bad input (no
 * hidden weight layer, data the network cannot take, no init, {@code K < 1}) is an {@link IllegalArgumentException}
 * with a one-sentence message.
 */
public final class InitReport {

    /** Default number of training steps {@code K}. */
    public static final int DEFAULT_STEPS = 20;

    /** The inits compared by default: stock Kaiming, the ramp over it at two alphas, and LSUV. */
    public static final List<String> DEFAULT_INITS = List.of("kaiming", "emergence-kaiming@1.2",
            "emergence-kaiming@1.5", "lsuv-kaiming");

    private final MultiLayerConfiguration multiLayer;
    private final ComputationGraphConfiguration graph;
    private final List<ReportInit> inits;
    private final INDArray probe;
    private final List<DataSet> batches;
    private final int steps;
    private final double threshold;
    private final double relativeFraction;
    private final boolean batchStatistics;
    private final ExponentMode mode;
    private final Long seed;
    private final String networkLabel;
    private final String dataLabel;

    private InitReport(Builder b, List<DataSet> batches) {
        this.multiLayer = b.multiLayer;
        this.graph = b.graph;
        this.inits = List.copyOf(b.inits);
        this.probe = b.probe;
        this.batches = List.copyOf(batches);
        this.steps = b.steps;
        this.threshold = b.threshold;
        this.relativeFraction = b.relativeFraction;
        this.batchStatistics = b.batchStatistics;
        this.mode = b.mode;
        this.seed = b.seed;
        this.networkLabel = b.networkLabel != null ? b.networkLabel
                : multiLayer != null ? "MultiLayerNetwork" : "ComputationGraph";
        this.dataLabel = b.dataLabel != null ? b.dataLabel : "the given data";
    }

    /** @return a builder; the network, the probe batch and the training data must be given */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the inits, in report order */
    public List<ReportInit> inits() {
        return inits;
    }

    /**
     * Runs the report: builds, initialises, measures and briefly trains one network per init.
     *
     * @return the result
     * @throws IllegalArgumentException when the network cannot be measured or cannot run on the data
     */
    public InitReportResult run() {
        List<InitResult> results = new ArrayList<>();
        long usedSeed = 0;
        for (ReportInit init : inits) {
            Net net = buildChecked(init);
            usedSeed = net.seed;
            results.add(measure(init, net));
        }
        return new InitReportResult(networkLabel, dataLabel, usedSeed, probe.size(0), steps,
                (int) batches.get(0).getFeatures().size(0), threshold, relativeFraction, batchStatistics, results);
    }

    /**
     * Checks, on two samples, that the network can be built with the first init, measured and trained on the data,
     * so that a long report does not fail after its first init; cheap.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public void validate() {
        ReportInit init = inits.get(0);
        Net net = buildChecked(init);
        DataSet first = batches.get(0);
        try {
            INDArray x = head(probe, 2);
            net.measure(ActivityProbe.builder().batchStatistics(batchStatistics).build(), x);
            net.gradient(new DataSet(head(first.getFeatures(), 2), head(first.getLabels(), 2),
                    first.getFeaturesMaskArray() == null ? null : head(first.getFeaturesMaskArray(), 2),
                    first.getLabelsMaskArray() == null ? null : head(first.getLabelsMaskArray(), 2)));
            net.model.clear();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw cannotRun(init, first, e);
        }
    }

    private static INDArray head(INDArray a, long n) {
        if (a.size(0) <= n) {
            return a;
        }
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        Arrays.fill(index, org.nd4j.linalg.indexing.NDArrayIndex.all());
        index[0] = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n);
        return a.get(index).dup();
    }

    private Net buildChecked(ReportInit init) {
        try {
            return build(init);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("init " + init.name() + ": the network cannot be initialised: "
                    + rootMessage(e), e);
        }
    }

    private IllegalArgumentException cannotRun(ReportInit init, DataSet first, RuntimeException e) {
        return new IllegalArgumentException("init " + init.name() + ": the network cannot run on the data (probe "
                + Arrays.toString(probe.shape()) + ", first training batch features "
                + Arrays.toString(first.getFeatures().shape()) + ", labels "
                + Arrays.toString(first.getLabels().shape()) + "): " + rootMessage(e), e);
    }

    private Net build(ReportInit init) {
        EmergenceRamp ramp = EmergenceRamp.of(init.base(), init.emergence() ? init.alpha() : 1.0).withMode(mode);
        if (multiLayer != null) {
            MultiLayerConfiguration conf = multiLayer.clone();
            if (seed != null) {
                conf.getConfs().forEach(c -> c.setSeed(seed));
            }
            RampPlan plan = ramp.apply(conf);
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return new MultiLayerNet(net, plan, conf.getConf(0).getSeed());
        }
        ComputationGraphConfiguration conf = graph.clone();
        if (seed != null) {
            conf.getDefaultConfiguration().setSeed(seed);
            conf.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                    .forEach(v -> ((LayerVertex) v).getLayerConf().setSeed(seed));
        }
        RampPlan plan = ramp.apply(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return new GraphNet(net, plan, conf.getDefaultConfiguration().getSeed());
    }

    private InitResult measure(ReportInit init, Net net) {
        DataSet first = batches.get(0);
        try {
            if (init.lsuv()) {
                net.lsuv(first.getFeatures());
            }
            EmergenceProfile absolute = net.measure(ActivityProbe.builder().rule(ActivityRule.MEAN).threshold(threshold)
                    .batchStatistics(batchStatistics).build(), probe);
            EmergenceProfile relative = net.measure(ActivityProbe.builder().rule(ActivityRule.RELATIVE)
                    .relativeFraction(relativeFraction).batchStatistics(batchStatistics).build(), probe);
            reseed(net);
            Map<String, INDArray> activations = net.forward(probe, batchStatistics);
            List<LayerActivity> layers = absolute.layers();
            Map<String, Double> scales = new HashMap<>();
            net.plan.entries().forEach(e -> scales.put(e.name(), e.scale()));

            double[] weightStd = new double[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                weightStd[i] = std(weights(net, layers.get(i)));
            }
            reseed(net);
            Map<String, INDArray> gradient = net.gradient(first);
            double lossAtInit = net.model.score();
            // DL4J's backprop sums over the batch; its updater divides by the batch size (unless miniBatch(false))
            double divide = net.miniBatch() ? first.getFeatures().size(0) : 1;
            double[] gradientNorm = new double[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                double sq = 0;
                for (String key : weightKeys(net, layers.get(i))) {
                    INDArray g = gradient.get(net.gradientKey(layers.get(i), key));
                    if (g == null) {
                        throw new IllegalStateException("no gradient for " + key + " of layer " + layers.get(i).name()
                                + "; the network's gradient holds " + gradient.keySet());
                    }
                    double n = g.norm2Number().doubleValue();
                    sq += n * n;
                }
                gradientNorm[i] = Math.sqrt(sq) / divide;
            }
            net.model.clear();

            List<List<Double>> ratios = new ArrayList<>();
            layers.forEach(l -> ratios.add(new ArrayList<>()));
            List<Double> losses = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                List<INDArray[]> before = new ArrayList<>();
                for (LayerActivity l : layers) {
                    before.add(Arrays.stream(weights(net, l)).map(INDArray::dup).toArray(INDArray[]::new));
                }
                net.fit(batches.get(t % batches.size()));
                losses.add(net.model.score());
                for (int i = 0; i < layers.size(); i++) {
                    INDArray[] now = weights(net, layers.get(i));
                    double delta = 0;
                    double size = 0;
                    for (int k = 0; k < now.length; k++) {
                        delta += now[k].sub(before.get(i)[k]).norm1Number().doubleValue();
                        size += before.get(i)[k].norm1Number().doubleValue();
                    }
                    ratios.get(i).add(size > 0 ? delta / size : Double.NaN);
                }
            }

            List<LayerSignal> signals = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                LayerActivity a = layers.get(i);
                INDArray act = activations.get(a.measuredAt());
                if (act == null) {
                    throw new IllegalStateException("no activation recorded for layer " + a.measuredAt());
                }
                double[] stats = activationStats(act, LayerClassifier.nodeAxis(net.configured(a), act.rank()));
                double meanRatio = ratios.get(i).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                signals.add(new LayerSignal(a.name(), a.type(), a.measuredAt(), a.width(),
                        scales.getOrDefault(a.name(), 1.0), stats[0], stats[1], stats[2], a.active(),
                        relative.layers().get(i).active(), weightStd[i], gradientNorm[i], meanRatio, ratios.get(i)));
            }
            return new InitResult(init.name(), init.alpha(), absolute.emergence(), relative.emergence(),
                    absolute.parameters(), lossAtInit, losses, signals);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw cannotRun(init, first, e);
        }
    }

    /** Dropout in a training-mode pass draws random numbers: the same ones for every pass and every init. */
    private static void reseed(Net net) {
        Nd4j.getRandom().setSeed(net.seed);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m.split("\n")[0].trim();
    }

    /** {mean, std, dead fraction} of one layer's activation; {@code axis} is the node axis. */
    private static double[] activationStats(INDArray act, int axis) {
        double mean = act.meanNumber().doubleValue();
        double std = act.length() > 1 ? act.stdNumber().doubleValue() : 0;
        long width = act.size(axis);
        INDArray max;
        if (act.rank() == 2 && axis == 1) {
            max = act.max(0);
        } else {
            int[] others = new int[act.rank() - 1];
            for (int d = 0, k = 0; d < act.rank(); d++) {
                if (d != axis) {
                    others[k++] = d;
                }
            }
            max = act.max(others);
        }
        double dead = max.lte(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().doubleValue() / width;
        return new double[] {mean, std, dead};
    }

    private static double std(INDArray[] arrays) {
        double n = 0;
        double sum = 0;
        for (INDArray a : arrays) {
            n += a.length();
            sum += a.sumNumber().doubleValue();
        }
        if (n < 2) {
            return 0;
        }
        double mean = sum / n;
        double sq = 0;
        for (INDArray a : arrays) {
            double s = a.sub(mean).norm2Number().doubleValue();
            sq += s * s;
        }
        return Math.sqrt(sq / n);
    }

    private static List<String> weightKeys(Net net, LayerActivity a) {
        List<String> keys = LayerClassifier.weightKeys(net.configured(a));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("layer " + a.name() + " (" + a.type() + ") has no weight parameter the"
                    + " report can read");
        }
        return keys;
    }

    private static INDArray[] weights(Net net, LayerActivity a) {
        org.deeplearning4j.nn.api.Layer layer = net.layer(a);
        return weightKeys(net, a).stream().map(k -> {
            INDArray w = layer.getParam(k);
            if (w == null) {
                throw new IllegalArgumentException("layer " + a.name() + " (" + a.type() + ") has no parameter " + k
                        + " the report can read");
            }
            return w;
        }).toArray(INDArray[]::new);
    }

    /** A MultiLayerNetwork or a ComputationGraph, as the report uses it. */
    private abstract static class Net {
        final Model model;
        final RampPlan plan;
        final long seed;

        Net(Model model, RampPlan plan, long seed) {
            this.model = model;
            this.plan = plan;
            this.seed = seed;
        }

        abstract EmergenceProfile measure(ActivityProbe probe, INDArray x);

        abstract Map<String, INDArray> forward(INDArray x, boolean train);

        abstract org.deeplearning4j.nn.api.Layer layer(LayerActivity a);

        abstract Layer configured(LayerActivity a);

        abstract String gradientKey(LayerActivity a, String param);

        abstract Map<String, INDArray> gradient(DataSet batch);

        abstract void fit(DataSet batch);

        abstract void lsuv(INDArray features);

        abstract boolean miniBatch();
    }

    private static final class MultiLayerNet extends Net {
        private final MultiLayerNetwork net;

        MultiLayerNet(MultiLayerNetwork net, RampPlan plan, long seed) {
            super(net, plan, seed);
            this.net = net;
        }

        @Override
        EmergenceProfile measure(ActivityProbe probe, INDArray x) {
            reseed(this);
            return probe.measure(net, x);
        }

        @Override
        Map<String, INDArray> forward(INDArray x, boolean train) {
            List<INDArray> list = net.feedForward(x, train);
            Map<String, INDArray> out = new HashMap<>();
            for (int i = 0; i < net.getnLayers(); i++) {
                String name = net.getLayer(i).conf().getLayer().getLayerName();
                out.put(name != null ? name : "layer" + i, list.get(i + 1));
            }
            return out;
        }

        @Override
        org.deeplearning4j.nn.api.Layer layer(LayerActivity a) {
            return net.getLayer(a.index());
        }

        @Override
        Layer configured(LayerActivity a) {
            return net.getLayerWiseConfigurations().getConf(a.index()).getLayer();
        }

        @Override
        String gradientKey(LayerActivity a, String param) {
            return a.index() + "_" + param;
        }

        @Override
        Map<String, INDArray> gradient(DataSet batch) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            net.computeGradientAndScore();
            return net.gradient().gradientForVariable();
        }

        @Override
        void fit(DataSet batch) {
            net.fit(batch);
        }

        @Override
        void lsuv(INDArray features) {
            Lsuv.apply(net, features);
        }

        @Override
        boolean miniBatch() {
            return net.getLayerWiseConfigurations().getConf(0).isMiniBatch();
        }
    }

    private static final class GraphNet extends Net {
        private final ComputationGraph graph;

        GraphNet(ComputationGraph graph, RampPlan plan, long seed) {
            super(graph, plan, seed);
            this.graph = graph;
        }

        @Override
        EmergenceProfile measure(ActivityProbe probe, INDArray x) {
            reseed(this);
            return probe.measure(graph, x);
        }

        @Override
        Map<String, INDArray> forward(INDArray x, boolean train) {
            return graph.feedForward(new INDArray[] {x}, train);
        }

        @Override
        org.deeplearning4j.nn.api.Layer layer(LayerActivity a) {
            return graph.getLayer(a.name());
        }

        @Override
        Layer configured(LayerActivity a) {
            org.deeplearning4j.nn.conf.graph.GraphVertex v = graph.getConfiguration().getVertices().get(a.name());
            return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer()
                    : graph.getLayer(a.name()).conf().getLayer();
        }

        @Override
        String gradientKey(LayerActivity a, String param) {
            return a.name() + "_" + param;
        }

        @Override
        Map<String, INDArray> gradient(DataSet batch) {
            graph.setInputs(batch.getFeatures());
            graph.setLabels(batch.getLabels());
            graph.setLayerMaskArrays(batch.getFeaturesMaskArray() == null ? null
                            : new INDArray[] {batch.getFeaturesMaskArray()},
                    batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()});
            graph.computeGradientAndScore();
            return graph.gradient().gradientForVariable();
        }

        @Override
        void fit(DataSet batch) {
            graph.fit(batch);
        }

        @Override
        void lsuv(INDArray features) {
            Lsuv.apply(graph, features);
        }

        @Override
        boolean miniBatch() {
            return graph.getConfiguration().getDefaultConfiguration().isMiniBatch();
        }
    }

    /** Settings of an {@link InitReport}. */
    public static final class Builder {
        private MultiLayerConfiguration multiLayer;
        private ComputationGraphConfiguration graph;
        private List<ReportInit> inits = DEFAULT_INITS.stream().map(ReportInit::parse).toList();
        private INDArray probe;
        private List<DataSet> batches;
        private DataSetIterator iterator;
        private int steps = DEFAULT_STEPS;
        private double threshold = ActivityProbe.DEFAULT_THRESHOLD;
        private double relativeFraction = ActivityProbe.DEFAULT_RELATIVE_FRACTION;
        private boolean batchStatistics = true;
        private ExponentMode mode = ExponentMode.CENTRED;
        private Long seed;
        private String networkLabel;
        private String dataLabel;

        private Builder() {
        }

        /**
         * @param conf the network's configuration (copied; its updater trains the {@code K} steps)
         * @return this builder
         */
        public Builder network(MultiLayerConfiguration conf) {
            if (conf == null) {
                throw new IllegalArgumentException("the configuration must not be null");
            }
            this.multiLayer = conf.clone();
            this.graph = null;
            return this;
        }

        /**
         * @param conf a graph's configuration with one input and one output (copied)
         * @return this builder
         */
        public Builder network(ComputationGraphConfiguration conf) {
            if (conf == null) {
                throw new IllegalArgumentException("the configuration must not be null");
            }
            if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                throw new IllegalArgumentException("the report takes a ComputationGraph with one input and one output,"
                        + " this one has " + conf.getNetworkInputs().size() + " inputs and "
                        + conf.getNetworkOutputs().size() + " outputs");
            }
            this.graph = conf.clone();
            this.multiLayer = null;
            return this;
        }

        /**
         * @param net a network whose configuration is reported (its weights are not used: every init starts anew)
         * @return this builder
         */
        public Builder network(MultiLayerNetwork net) {
            return network(net.getLayerWiseConfigurations());
        }

        /**
         * @param net a graph whose configuration is reported (its weights are not used)
         * @return this builder
         */
        public Builder network(ComputationGraph net) {
            return network(net.getConfiguration());
        }

        /**
         * @param names init names, see {@link ReportInit#parse(String)}; default {@link #DEFAULT_INITS}
         * @return this builder
         */
        public Builder inits(String... names) {
            return inits(Arrays.stream(names).map(ReportInit::parse).toList());
        }

        /**
         * @param list the inits, at least one, no two with the same name
         * @return this builder
         */
        public Builder inits(List<ReportInit> list) {
            if (list == null || list.isEmpty()) {
                throw new IllegalArgumentException("the list of inits is empty: give at least one, e.g. kaiming,"
                        + "emergence-kaiming@1.2");
            }
            if (list.stream().map(ReportInit::name).distinct().count() != list.size()) {
                throw new IllegalArgumentException("the list of inits names one init twice: " + list);
            }
            this.inits = List.copyOf(list);
            return this;
        }

        /**
         * @param features the probe batch, first axis the samples (e.g. 1,000 held-out samples), in the network's
         *                 input layout
         * @return this builder
         */
        public Builder probe(INDArray features) {
            if (features == null || features.rank() < 2 || features.size(0) < 1) {
                throw new IllegalArgumentException("the probe batch must hold at least one sample, first axis the"
                        + " samples");
            }
            this.probe = features;
            return this;
        }

        /**
         * @param list training batches; step {@code t} uses batch {@code t mod list.size()}
         * @return this builder
         */
        public Builder training(List<DataSet> list) {
            if (list == null || list.isEmpty()) {
                throw new IllegalArgumentException("give at least one training batch");
            }
            this.batches = List.copyOf(list);
            this.iterator = null;
            return this;
        }

        /**
         * @param data training data: the first {@code K} batches are taken when the report is built (the iterator
         *             is reset first when it supports it; if it has fewer, they are reused in turn)
         * @return this builder
         */
        public Builder training(DataSetIterator data) {
            if (data == null) {
                throw new IllegalArgumentException("the training iterator must not be null");
            }
            this.iterator = data;
            this.batches = null;
            return this;
        }

        /**
         * @param k training steps per init, {@code >= 1} (default {@value #DEFAULT_STEPS})
         * @return this builder
         */
        public Builder steps(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("the number of training steps K must be at least 1, got " + k);
            }
            this.steps = k;
            return this;
        }

        /**
         * @param t the absolute rule's threshold (default 0.05, the papers')
         * @return this builder
         */
        public Builder threshold(double t) {
            ActivityProbe.builder().threshold(t);
            this.threshold = t;
            return this;
        }

        /**
         * @param f the relative rule's fraction of the layer mean (default 0.5)
         * @return this builder
         */
        public Builder relativeFraction(double f) {
            ActivityProbe.builder().relativeFraction(f);
            this.relativeFraction = f;
            return this;
        }

        /**
         * @param on measure activations in training mode, BatchNorm on the probe batch's own statistics and dropout
         *           applied (default {@code true}: what the network computes while it trains); {@code false} for
         *           inference mode, as {@code ActivityProbe} measures by default (at initialization BatchNorm's
         *           running statistics are 0 and 1, so it then passes its input through)
         * @return this builder
         */
        public Builder batchStatistics(boolean on) {
            this.batchStatistics = on;
            return this;
        }

        /**
         * @param m the ramp's exponent mode (default centred)
         * @return this builder
         */
        public Builder mode(ExponentMode m) {
            if (m == null) {
                throw new IllegalArgumentException("the exponent mode must not be null");
            }
            this.mode = m;
            return this;
        }

        /**
         * @param s the seed every init's network is built with (default: the configuration's own)
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * @param network a label for the network in the result
         * @param data    a label for the data
         * @return this builder
         */
        public Builder labels(String network, String data) {
            this.networkLabel = network;
            this.dataLabel = data;
            return this;
        }

        /**
         * @return the report, ready to {@link InitReport#run()}
         * @throws IllegalArgumentException when the network, the probe batch or the training data is missing
         */
        public InitReport build() {
            if (multiLayer == null && graph == null) {
                throw new IllegalArgumentException("give the network: network(conf) with a MultiLayerConfiguration or"
                        + " a ComputationGraphConfiguration");
            }
            if (probe == null) {
                throw new IllegalArgumentException("give the probe batch: probe(features)");
            }
            List<DataSet> list = batches;
            if (list == null) {
                if (iterator == null) {
                    throw new IllegalArgumentException("give the training data: training(iterator) or training(batches)");
                }
                list = new ArrayList<>();
                if (iterator.resetSupported()) {
                    iterator.reset();
                }
                while (list.size() < steps && iterator.hasNext()) {
                    list.add(iterator.next());
                }
                if (list.isEmpty()) {
                    throw new IllegalArgumentException("the training iterator gave no batch");
                }
            }
            return new InitReport(this, list);
        }

        /** @return {@code build().run()} */
        public InitReportResult run() {
            return build().run();
        }
    }
}
