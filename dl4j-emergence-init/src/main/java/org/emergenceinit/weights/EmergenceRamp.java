package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.emergenceinit.internal.GraphOrder;
import org.emergenceinit.internal.LayerClassifier;
import org.emergenceinit.internal.LayerClassifier.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies the emergence ramp {@code W_k = alpha^(e_k) * base(W_k)} (see {@link EmergenceWeightInit}) to a
 * whole network in one line.
 *
 * <pre>{@code
 * // before init: every weight layer gets a bound EmergenceWeightInit, drawn scaled at net.init()
 * RampPlan plan = EmergenceRamp.xavier(1.2).apply(conf);          // MultiLayer- or ComputationGraphConfiguration
 * // the same, chained: ramped(conf) returns the configuration
 * MultiLayerNetwork net = new MultiLayerNetwork(EmergenceRamp.kaiming(1.2).ramped(conf));
 * // keep each layer's own base (XAVIER, XAVIER_UNIFORM, RELU, RELU_UNIFORM, set globally or per layer)
 * EmergenceRamp.inheritBase(1.2).apply(conf);
 * // the emergence inits already set on layers (globally or per layer) get their positions
 * EmergenceRamp.bind(conf);
 * // after init: rescale the initialised weights in place (also reaches SameDiff attention layers)
 * EmergenceRamp.inheritBase(1.2).apply(net);
 * // only some layers, e.g. a classifier head
 * EmergenceRamp.kaiming(2.0).withFilter(LayerFilter.lastN(3)).apply(conf);
 * System.out.println(plan);
 * }</pre>
 *
 * <p>Ramp order is the layer order of a MultiLayerNetwork and, for a ComputationGraph, DL4J's own topological
 * order of the layer vertices ({@code ComputationGraph.topologicalSortOrder()}, the order of its forward pass and
 * of its parameters), the same order in which the emergence measure and the pruner walk the graph. Only
 * weights are scaled: biases, BatchNorm parameters, embeddings and PReLU slopes keep their initialization.
 * Layers with several weight matrices (LSTM input and recurrent, separable convolution, attention Q/K/V/O) take
 * one position. A layer with weights that the ramp cannot handle is an error, unless a {@link LayerFilter}
 * leaves it out. A warning is logged when a scale leaves {@code [1e-6, 1e6]}.
 *
 * <p>Instances are immutable.
 */
public final class EmergenceRamp {
    private static final Logger log = LoggerFactory.getLogger(EmergenceRamp.class);

    private final BaseScheme base;
    private final double alpha;
    private final ExponentMode mode;
    private final LayerFilter filter;

    private EmergenceRamp(BaseScheme base, double alpha, ExponentMode mode, LayerFilter filter) {
        this.base = base;
        this.alpha = EmergenceWeightInit.checkAlpha(alpha);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** A ramp that sets {@code base} on every ramp layer. */
    public static EmergenceRamp of(BaseScheme base, double alpha) {
        return new EmergenceRamp(Objects.requireNonNull(base, "base"), alpha, ExponentMode.CENTRED, LayerFilter.all());
    }

    /** A ramp over each layer's own base scheme, which must be one of the four {@link BaseScheme}s. */
    public static EmergenceRamp inheritBase(double alpha) {
        return new EmergenceRamp(null, alpha, ExponentMode.CENTRED, LayerFilter.all());
    }

    /** {@code of(BaseScheme.XAVIER, alpha)}. */
    public static EmergenceRamp xavier(double alpha) {
        return of(BaseScheme.XAVIER, alpha);
    }

    /** {@code of(BaseScheme.KAIMING, alpha)} (DL4J {@code RELU}). */
    public static EmergenceRamp kaiming(double alpha) {
        return of(BaseScheme.KAIMING, alpha);
    }

    /** {@code of(BaseScheme.XAVIER_UNIFORM, alpha)} (DL4J {@code XAVIER_UNIFORM}, Glorot uniform). */
    public static EmergenceRamp xavierUniform(double alpha) {
        return of(BaseScheme.XAVIER_UNIFORM, alpha);
    }

    /** {@code of(BaseScheme.KAIMING_UNIFORM, alpha)} (DL4J {@code RELU_UNIFORM}, He uniform). */
    public static EmergenceRamp kaimingUniform(double alpha) {
        return of(BaseScheme.KAIMING_UNIFORM, alpha);
    }

    /**
     * Picks alpha for {@code conf} by a short pilot and applies it (a ComputationGraphConfiguration too, see
     * below): the stock {@code base} init and the ramp at
     * {@link AlphaPilot#DEFAULT_ALPHAS}, each trained for {@code steps} steps from scratch with the configuration's
     * own optimizer over {@code seeds} seeds (1 ..  seeds) on the first batches of {@code train} (see
     * {@link AlphaPilot} for the rule). The winning alpha, or {@code alpha = 1} (the stock init, bit for bit) when
     * none beats stock, is then applied to {@code conf} in place; the pilot is returned with the plan.
     *
     * <pre>{@code
     * AutoRamp auto = EmergenceRamp.auto(BaseScheme.KAIMING, conf, trainIterator, 50, 3);
     * System.out.println(auto.pilot().verdict());
     * MultiLayerNetwork net = new MultiLayerNetwork(conf);   // ramped with auto.alpha()
     * }</pre>
     *
     * @param base  the base scheme
     * @param conf  the network; its inits are replaced
     * @param train training data (read from its start, then reset)
     * @param steps training steps per pilot run, at least {@value AlphaPilot#MIN_STEPS}
     * @param seeds seeds per init, at least {@value AlphaPilot#MIN_SEEDS}
     */
    public static AutoRamp auto(BaseScheme base, MultiLayerConfiguration conf,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator train, int steps, int seeds) {
        return auto(AlphaPilot.of(base), conf, train, null, new AlphaPilot.Budget(steps, seeds));
    }

    /**
     * As {@link #auto(BaseScheme, MultiLayerConfiguration, org.nd4j.linalg.dataset.api.iterator.DataSetIterator,
     * int, int)} with a configured pilot (alphas, seeds, jobs, mode, filter, threshold) and held-out data for the
     * accuracy (may be null).
     */
    public static AutoRamp auto(AlphaPilot pilot, MultiLayerConfiguration conf,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator train,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator heldOut, AlphaPilot.Budget budget) {
        AlphaPilot.Result result = pilot.run(conf, train, heldOut, budget);
        return chosen(result, pilot.ramp(result.chosenAlpha()).apply(conf));
    }

    /**
     * As {@link #auto(BaseScheme, MultiLayerConfiguration, org.nd4j.linalg.dataset.api.iterator.DataSetIterator,
     * int, int)} for a ComputationGraph with one input and one output: the same pilot, the ramp in DL4J's
     * topological order of the layer vertices; the winning alpha (1 when none beats stock) is applied to
     * {@code conf} in place.
     *
     * <pre>{@code
     * AutoRamp auto = EmergenceRamp.auto(BaseScheme.KAIMING, graphConf, trainIterator, 50, 3);
     * ComputationGraph net = new ComputationGraph(graphConf);   // ramped with auto.alpha()
     * }</pre>
     *
     * @throws IllegalArgumentException for a graph with several inputs or outputs (use
     *         {@link #auto(AlphaPilot, ComputationGraphConfiguration,
     *         org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator,
     *         org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator, AlphaPilot.Budget)}), or data it cannot take
     */
    public static AutoRamp auto(BaseScheme base, ComputationGraphConfiguration conf,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator train, int steps, int seeds) {
        return auto(AlphaPilot.of(base), conf, train, null, new AlphaPilot.Budget(steps, seeds));
    }

    /** As {@link #auto(BaseScheme, ComputationGraphConfiguration,
     * org.nd4j.linalg.dataset.api.iterator.DataSetIterator, int, int)} with a configured pilot and held-out data
     * (may be null). */
    public static AutoRamp auto(AlphaPilot pilot, ComputationGraphConfiguration conf,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator train,
                                org.nd4j.linalg.dataset.api.iterator.DataSetIterator heldOut, AlphaPilot.Budget budget) {
        AlphaPilot.Result result = pilot.run(conf, train, heldOut, budget);
        return chosen(result, pilot.ramp(result.chosenAlpha()).apply(conf));
    }

    /** As above for a ComputationGraph fed MultiDataSets (several inputs or outputs); held-out data may be null. */
    public static AutoRamp auto(AlphaPilot pilot, ComputationGraphConfiguration conf,
                                org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator train,
                                org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator heldOut,
                                AlphaPilot.Budget budget) {
        AlphaPilot.Result result = pilot.run(conf, train, heldOut, budget);
        return chosen(result, pilot.ramp(result.chosenAlpha()).apply(conf));
    }

    private static AutoRamp chosen(AlphaPilot.Result result, RampPlan plan) {
        double alpha = result.chosenAlpha();
        log.info("Emergence ramp, automatic alpha {}: {}", alpha, result.verdict());
        return new AutoRamp(alpha, plan, result);
    }

    /** A copy with another exponent mode. */
    public EmergenceRamp withMode(ExponentMode newMode) {
        return new EmergenceRamp(base, alpha, newMode, filter);
    }

    /** A copy that ramps only the layers the filter accepts. */
    public EmergenceRamp withFilter(LayerFilter newFilter) {
        return new EmergenceRamp(base, alpha, mode, newFilter);
    }

    /** The base scheme, or empty when each layer keeps its own. */
    public Optional<BaseScheme> getBase() {
        return Optional.ofNullable(base);
    }

    public double getAlpha() {
        return alpha;
    }

    public ExponentMode getMode() {
        return mode;
    }

    /**
     * Sets a bound {@link EmergenceWeightInit} on every ramp layer of the configuration, in place, so that
     * {@code net.init()} draws the scaled weights. Call it on a built configuration, before creating the network.
     *
     * @return the plan
     * @throws IllegalArgumentException for a SameDiff layer (use {@link #apply(MultiLayerNetwork)}), a layer type
     *         the ramp cannot handle, a layer whose base cannot be inherited, or no layer selected
     */
    public RampPlan apply(MultiLayerConfiguration conf) {
        return configure(slots(conf), true);
    }

    /** As {@link #apply(MultiLayerConfiguration)}, in topological order of the layer vertices. */
    public RampPlan apply(ComputationGraphConfiguration conf) {
        return configure(slots(conf), true);
    }

    /**
     * As {@link #apply(MultiLayerConfiguration)}, returning the configuration (the same instance, ramped in place)
     * instead of the plan, so that building the network stays one line:
     * {@code new MultiLayerNetwork(EmergenceRamp.kaiming(1.2).ramped(conf))}. The plan is logged at DEBUG level;
     * use {@link #apply(MultiLayerConfiguration)} to keep it.
     */
    public MultiLayerConfiguration ramped(MultiLayerConfiguration conf) {
        log.debug("{}", apply(conf));
        return conf;
    }

    /**
     * As {@link #apply(ComputationGraphConfiguration)}, returning the configuration (the same instance):
     * {@code new ComputationGraph(EmergenceRamp.xavier(1.2).ramped(graphConf))}.
     */
    public ComputationGraphConfiguration ramped(ComputationGraphConfiguration conf) {
        log.debug("{}", apply(conf));
        return conf;
    }

    /** The plan {@link #apply(MultiLayerConfiguration)} would carry out, changing nothing. */
    public RampPlan plan(MultiLayerConfiguration conf) {
        return configure(slots(conf), false);
    }

    /** The plan {@link #apply(ComputationGraphConfiguration)} would carry out, changing nothing. */
    public RampPlan plan(ComputationGraphConfiguration conf) {
        return configure(slots(conf), false);
    }

    /**
     * Rescales the weights of an initialised network in place by {@code alpha^(e_k)}. This reaches layers that
     * ignore {@code IWeightInit} (DL4J's SameDiff attention layers). The configuration is not changed: record
     * the returned plan with the model.
     *
     * @throws IllegalStateException when the network is not initialised, or its configuration already carries
     *         bound emergence inits (the weights were ramped at init; a second ramp would scale twice)
     * @throws IllegalArgumentException when the ramp's base differs from the base a layer was initialised with
     */
    public RampPlan apply(MultiLayerNetwork net) {
        if (net.getLayers() == null) {
            throw new IllegalStateException("The MultiLayerNetwork is not initialised: call net.init() before"
                    + " rescaling it with the emergence ramp (or apply the ramp to its configuration before init).");
        }
        return rescale(slots(net.getLayerWiseConfigurations()), s -> net.getLayer(s.index).paramTable(false));
    }

    /** As {@link #apply(MultiLayerNetwork)} for a ComputationGraph. */
    public RampPlan apply(ComputationGraph net) {
        if (net.getVertices() == null) {
            throw new IllegalStateException("The ComputationGraph is not initialised: call graph.init() before"
                    + " rescaling it with the emergence ramp (or apply the ramp to its configuration before init).");
        }
        return rescale(slots(net.getConfiguration()), s -> net.getLayer(s.name).paramTable(false));
    }

    /**
     * Binds the {@link EmergenceWeightInit}s already set on layers, globally or per layer: the layers carrying one
     * form the ramp, in order, each keeping its base, alpha and mode. An LSTM's recurrent weights with a stock base
     * scheme join their layer's position.
     *
     * @throws IllegalArgumentException when no layer carries an emergence init, or a layer cannot be ramped
     */
    public static RampPlan bind(MultiLayerConfiguration conf) {
        return bindExisting(slots(conf));
    }

    /** As {@link #bind(MultiLayerConfiguration)} for a ComputationGraph configuration. */
    public static RampPlan bind(ComputationGraphConfiguration conf) {
        return bindExisting(slots(conf));
    }

    /**
     * Checks that the bound {@link EmergenceWeightInit}s of a configuration (e.g. one read from JSON) form one
     * consistent ramp: every ramp layer carrying one has the same {@code layerCount}, equal to the number of layers
     * carrying one (a ramp over only some layers, made with a {@link LayerFilter}, counts only those), the indices
     * {@code 0 .. L-1} in layer order with none repeated, and one alpha and one mode. Layers with stock inits are not
     * part of the ramp. Bases may differ per layer ({@link #inheritBase} keeps each layer's own).
     *
     * @return the plan the bound inits carry out (empty entries when no layer carries a bound emergence init)
     * @throws IllegalArgumentException naming the first layer that disagrees and how
     */
    public static RampPlan validate(MultiLayerConfiguration conf) {
        return validateBound(slots(conf));
    }

    /** As {@link #validate(MultiLayerConfiguration)} for a ComputationGraph configuration. */
    public static RampPlan validate(ComputationGraphConfiguration conf) {
        return validateBound(slots(conf));
    }

    private static RampPlan validateBound(List<Slot> slots) {
        List<Slot> members = new ArrayList<>();
        List<EmergenceWeightInit> inits = new ArrayList<>();
        for (Slot s : slots) {
            if (LayerClassifier.kind(s.layer) != Kind.RAMP) {
                continue;
            }
            Optional<EmergenceWeightInit> e = emergenceInitOf(s.layer);
            if (e.isPresent()) {
                if (!e.get().isBound()) {
                    throw new IllegalArgumentException("Layer '" + s.name + "' carries an unbound " + e.get()
                            + ": bind the configuration with EmergenceRamp.bind(conf) before init().");
                }
                members.add(s);
                inits.add(e.get());
            }
        }
        int count = members.size();
        List<RampPlan.Entry> entries = new ArrayList<>();
        Map<Integer, String> seen = new java.util.HashMap<>();
        for (int k = 0; k < count; k++) {
            Slot s = members.get(k);
            EmergenceWeightInit e = inits.get(k);
            EmergenceWeightInit first = inits.get(0);
            String where = "Layer '" + s.name + "' (" + s.type() + ", position " + k + " of the " + count
                    + " layers carrying an EmergenceWeightInit)";
            if (e.getLayerCount() != count) {
                throw new IllegalArgumentException(where + " says layerCount " + e.getLayerCount() + ", but " + count
                        + " layers carry an EmergenceWeightInit: its std would be drawn for another ramp. Rebind the"
                        + " configuration with EmergenceRamp.bind(conf), or fix the saved JSON.");
            }
            if (seen.containsKey(e.getLayerIndex())) {
                throw new IllegalArgumentException(where + " has layerIndex " + e.getLayerIndex() + ", the same as"
                        + " layer '" + seen.get(e.getLayerIndex()) + "': two layers would get one scale. Rebind the"
                        + " configuration with EmergenceRamp.bind(conf), or fix the saved JSON.");
            }
            seen.put(e.getLayerIndex(), s.name);
            if (e.getLayerIndex() != k) {
                throw new IllegalArgumentException(where + " has layerIndex " + e.getLayerIndex() + ", but it is"
                        + " ramp layer " + k + " in layer order. Rebind the configuration with EmergenceRamp.bind(conf),"
                        + " or fix the saved JSON.");
            }
            if (Double.compare(e.getAlpha(), first.getAlpha()) != 0 || e.getMode() != first.getMode()) {
                throw new IllegalArgumentException(where + " has alpha " + e.getAlpha() + " and mode " + e.getMode()
                        + ", but layer '" + members.get(0).name + "' has alpha " + first.getAlpha() + " and mode "
                        + first.getMode() + ": one ramp has one alpha and one mode. Set the same on every layer and"
                        + " rebind with EmergenceRamp.bind(conf).");
            }
            entries.add(entry(k, count, s, e.getBase(), e.getAlpha(), e.getMode()));
        }
        return RampPlan.of(RampPlan.Target.CONFIGURATION, entries, List.of());
    }

    @Override
    public String toString() {
        return "EmergenceRamp(base=" + (base == null ? "inherited" : base) + ", alpha=" + alpha + ", mode=" + mode
                + ")";
    }

    /** A configured layer in ramp order; {@code index} is the MultiLayerNetwork layer index, -1 in a graph. */
    private record Slot(int index, String name, Layer layer) {
        String type() {
            return LayerClassifier.typeName(layer);
        }
    }

    private static List<Slot> slots(MultiLayerConfiguration conf) {
        List<Slot> out = new ArrayList<>();
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            Layer layer = confs.get(i).getLayer();
            out.add(new Slot(i, layer.getLayerName() == null ? String.valueOf(i) : layer.getLayerName(), layer));
        }
        return out;
    }

    private static List<Slot> slots(ComputationGraphConfiguration conf) {
        List<Slot> out = new ArrayList<>();
        for (String name : GraphOrder.vertexNames(conf)) {
            GraphVertex v = conf.getVertices().get(name);
            if (v instanceof LayerVertex) {
                out.add(new Slot(-1, name, ((LayerVertex) v).getLayerConf().getLayer()));
            }
        }
        return out;
    }

    /** The slots in the ramp, and the weight layers left out with their reasons. */
    private record Selection(List<Slot> members, List<RampPlan.Entry> skipped) {
    }

    private Selection select(List<Slot> slots) {
        List<Slot> candidates = new ArrayList<>();
        List<RampPlan.Entry> skipped = new ArrayList<>();
        for (Slot s : slots) {
            Kind kind = LayerClassifier.kind(s.layer);
            if (kind.excludedFromRamp()) {
                skipped.add(skippedEntry(s, LayerClassifier.exclusionReason(s.layer)));
            } else if (kind.hasWeights()) {
                candidates.add(s);
            }
        }
        List<Slot> members = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Slot s = candidates.get(i);
            if (filter.accept(new LayerFilter.Candidate(s.name, s.layer, i, candidates.size()))) {
                if (LayerClassifier.kind(s.layer) == Kind.UNSUPPORTED) {
                    throw new IllegalArgumentException("Layer '" + s.name + "' (" + s.type() + ") has weights that"
                            + " the emergence ramp cannot reach: it neither uses IWeightInit nor is a SameDiff layer."
                            + " Leave it out with a LayerFilter (e.g. LayerFilter.names(...)), or rescale its"
                            + " weights yourself.");
                }
                members.add(s);
            } else {
                skipped.add(skippedEntry(s, "not selected by the layer filter"));
            }
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("The emergence ramp found no weight layer to scale among "
                    + slots.size() + " layers" + (candidates.isEmpty() ? "" : " (the layer filter rejected all "
                    + candidates.size() + " candidates)") + ".");
        }
        return new Selection(members, skipped);
    }

    private RampPlan configure(List<Slot> slots, boolean write) {
        Selection sel = select(slots);
        int count = sel.members.size();
        List<RampPlan.Entry> entries = new ArrayList<>();
        Map<BaseLayer, IWeightInit[]> updates = new IdentityHashMap<>();
        for (int k = 0; k < count; k++) {
            Slot s = sel.members.get(k);
            if (LayerClassifier.kind(s.layer) == Kind.SAMEDIFF) {
                throw new IllegalArgumentException("Layer '" + s.name + "' (" + s.type() + ") is a SameDiff layer"
                        + " that ignores IWeightInit, so its configuration cannot carry the ramp. Create the"
                        + " network, call init(), then rescale it in place with " + this + ".apply(net);"
                        + " or leave the layer out with a LayerFilter.");
            }
            BaseScheme first = null;
            for (Layer x : LayerClassifier.unwrap(s.layer)) {
                BaseLayer b = (BaseLayer) x;
                BaseScheme xb = base != null ? base : inherited(b.getWeightInitFn(), s);
                IWeightInit recurrent = null;
                if (b instanceof BaseRecurrentLayer && ((BaseRecurrentLayer) b).getWeightInitFnRecurrent() != null) {
                    BaseScheme rb = base != null ? base : inherited(((BaseRecurrentLayer) b).getWeightInitFnRecurrent(), s);
                    recurrent = EmergenceWeightInit.of(rb, alpha, mode).bind(k, count);
                }
                updates.put(b, new IWeightInit[] {EmergenceWeightInit.of(xb, alpha, mode).bind(k, count), recurrent});
                first = first == null ? xb : first;
            }
            entries.add(entry(k, count, s, first, alpha, mode));
        }
        if (write) {
            updates.forEach((layer, fns) -> {
                layer.setWeightInitFn(fns[0]);
                if (fns[1] != null) {
                    ((BaseRecurrentLayer) layer).setWeightInitFnRecurrent(fns[1]);
                }
            });
        }
        return logged(RampPlan.of(RampPlan.Target.CONFIGURATION, entries, sel.skipped));
    }

    private static BaseScheme inherited(IWeightInit fn, Slot s) {
        if (fn instanceof EmergenceWeightInit) {
            return ((EmergenceWeightInit) fn).getBase();
        }
        return BaseScheme.ofStock(fn).orElseThrow(() -> new IllegalArgumentException("Layer '" + s.name + "' ("
                + s.type() + ") uses weight init " + (fn == null ? "null" : fn.getClass().getSimpleName())
                + ", which is not a base of the emergence ramp. Set XAVIER, XAVIER_UNIFORM, RELU or RELU_UNIFORM"
                + " on it, or give the ramp its base: EmergenceRamp.of(BaseScheme.XAVIER, alpha)."));
    }

    /** The plan entry of ramp position {@code k}; {@code base} null when rescaling over another scheme. */
    private static RampPlan.Entry entry(int k, int count, Slot s, BaseScheme base, double alpha, ExponentMode mode) {
        double[] fans = LayerClassifier.fans(s.layer);
        return RampPlan.Entry.ramped(k, s.name, s.type(), s.layer.getClass(), fans[0], fans[1], base, alpha,
                mode.exponent(k, count));
    }

    private RampPlan.Entry skippedEntry(Slot s, String reason) {
        double[] fans = LayerClassifier.fans(s.layer);
        return RampPlan.Entry.skipped(s.name, s.type(), s.layer.getClass(), fans[0], fans[1], alpha, reason);
    }

    /** Logs the plan's warnings (scales outside [1e-6, 1e6]) and returns it. */
    private static RampPlan logged(RampPlan plan) {
        plan.warnings().forEach(log::warn);
        return plan;
    }

    private static RampPlan bindExisting(List<Slot> slots) {
        List<Slot> members = new ArrayList<>();
        List<EmergenceWeightInit> sources = new ArrayList<>();
        for (Slot s : slots) {
            if (LayerClassifier.kind(s.layer) != Kind.RAMP) {
                continue;
            }
            emergenceInitOf(s.layer).ifPresent(src -> {
                members.add(s);
                sources.add(src);
            });
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("No layer carries an EmergenceWeightInit to bind: set one with"
                    + " .weightInit(EmergenceWeightInit.xavier(alpha)) globally or per layer, or use"
                    + " EmergenceRamp.xavier(alpha).apply(conf).");
        }
        int count = members.size();
        List<RampPlan.Entry> entries = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Slot s = members.get(k);
            EmergenceWeightInit src = sources.get(k);
            for (Layer x : LayerClassifier.unwrap(s.layer)) {
                BaseLayer b = (BaseLayer) x;
                b.setWeightInitFn(EmergenceWeightInit.of(inherited(b.getWeightInitFn(), s), src.getAlpha(),
                        src.getMode()).bind(k, count));
                if (b instanceof BaseRecurrentLayer && ((BaseRecurrentLayer) b).getWeightInitFnRecurrent() != null) {
                    BaseRecurrentLayer r = (BaseRecurrentLayer) b;
                    r.setWeightInitFnRecurrent(EmergenceWeightInit.of(inherited(r.getWeightInitFnRecurrent(), s),
                            src.getAlpha(), src.getMode()).bind(k, count));
                }
            }
            entries.add(entry(k, count, s, src.getBase(), src.getAlpha(), src.getMode()));
        }
        return logged(RampPlan.of(RampPlan.Target.CONFIGURATION, entries, List.of()));
    }

    private static Optional<EmergenceWeightInit> emergenceInitOf(Layer layer) {
        for (Layer x : LayerClassifier.unwrap(layer)) {
            BaseLayer b = (BaseLayer) x;
            if (b.getWeightInitFn() instanceof EmergenceWeightInit) {
                return Optional.of((EmergenceWeightInit) b.getWeightInitFn());
            }
            if (b instanceof BaseRecurrentLayer
                    && ((BaseRecurrentLayer) b).getWeightInitFnRecurrent() instanceof EmergenceWeightInit) {
                return Optional.of((EmergenceWeightInit) ((BaseRecurrentLayer) b).getWeightInitFnRecurrent());
            }
        }
        return Optional.empty();
    }

    private RampPlan rescale(List<Slot> slots, Function<Slot, Map<String, INDArray>> params) {
        for (Slot s : slots) {
            if (LayerClassifier.kind(s.layer) == Kind.RAMP && emergenceInitOf(s.layer).isPresent()) {
                throw new IllegalStateException("Layer '" + s.name + "' was initialised with "
                        + emergenceInitOf(s.layer).get() + ": the network is already ramped, and rescaling it would"
                        + " scale twice. Apply the ramp either to the configuration before init or to the network"
                        + " after init, not both.");
            }
        }
        Selection sel = select(slots);
        int count = sel.members.size();
        List<RampPlan.Entry> entries = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Slot s = sel.members.get(k);
            RampPlan.Entry e = entry(k, count, s, initialisedBase(s), alpha, mode);
            Map<String, INDArray> table = params.apply(s);
            for (String key : LayerClassifier.weightKeys(s.layer)) {
                table.get(key).muli(e.scale());
            }
            entries.add(e);
        }
        return logged(RampPlan.of(RampPlan.Target.NETWORK, entries, sel.skipped));
    }

    /**
     * The base the layer was initialised with, null when unknown ("as initialised"); an error when the ramp names
     * a different one.
     */
    private BaseScheme initialisedBase(Slot s) {
        if (LayerClassifier.kind(s.layer) != Kind.RAMP) {
            return null;
        }
        Optional<BaseScheme> found = BaseScheme.ofStock(((BaseLayer) LayerClassifier.unwrap(s.layer).get(0)).getWeightInitFn());
        if (base != null && found.isPresent() && found.get() != base) {
            throw new IllegalArgumentException("Layer '" + s.name + "' was initialised with " + found.get()
                    + " but the ramp's base is " + base + ": rescaling in place keeps the initialised distribution."
                    + " Use EmergenceRamp.inheritBase(alpha) on the network, or apply " + this
                    + " to the configuration before init.");
        }
        return found.orElse(null);
    }
}
