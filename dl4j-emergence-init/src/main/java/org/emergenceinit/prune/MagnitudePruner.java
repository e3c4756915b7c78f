package org.emergenceinit.prune;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.emergenceinit.internal.LayerClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One-shot magnitude pruning of the weights of a network, with a mask that stays applied while
 * training continues.
 *
 * <p>AlShinaifi et al. 2024 (<i>Quantifying Emergence in Neural Networks: Insights from Pruning
 * and Training Dynamics</i>, arXiv 2409.01568) prune 30 %, 50 % or 70 % of the weights after 5
 * epochs, keep the mask fixed while training continues, and observe that pruning lowers the
 * emergence {@code E} (Li et al. 2023, arXiv 2311.17403) but raises {@code E / P}. The papers do
 * not say how weights are ranked; this class offers:
 *
 * <ul>
 *   <li>{@link Scope#GLOBAL} (default, project decision): one ranking of {@code |w|} over all
 *       selected layers; the {@code round(fraction * total)} smallest are set to zero.</li>
 *   <li>{@link Scope#PER_LAYER}: the {@code round(fraction * n_l)} smallest of each layer
 *       {@code l}.</li>
 * </ul>
 *
 * Exactly that many weights are pruned: among weights of equal magnitude at the cut, those that
 * come first (layer order, then C order within a parameter) are pruned. Weights already zero rank
 * first. Only weight parameters are pruned ({@code initializer().weightKeys(layer)}): not biases,
 * not BatchNorm or PReLU parameters, not a dense layer's layer-norm gain. By default every weight
 * layer is included, the output layer too; {@link Builder#layers(String...)} restricts this.
 *
 * <p>{@link #prune(MultiLayerNetwork)} zeroes the weights and returns a {@link Report} whose
 * {@link Report#mask()} is a training listener: add it to the network and it multiplies the
 * weights by the mask after every iteration. DL4J updates the flat parameter array in place and
 * then calls {@code iterationDone}, and {@code getParam} returns views of that array, so the
 * pruned weights are zero in every forward pass.
 *
 * <p>Example:
 * <pre>{@code
 * MagnitudePruner.Report report = MagnitudePruner.builder().fraction(0.5).build().prune(net);
 * net.addListeners(report.mask());
 * System.out.println(report);
 * }</pre>
 */
public final class MagnitudePruner {

    /** How the weights are ranked. */
    public enum Scope {
        /** One magnitude ranking over all selected layers (default). */
        GLOBAL,
        /** A separate ranking, and the same fraction, in each layer. */
        PER_LAYER
    }

    private final double fraction;
    private final Scope scope;
    private final List<String> layerNames;

    private MagnitudePruner(Builder builder) {
        this.fraction = builder.fraction;
        this.scope = builder.scope;
        this.layerNames = List.copyOf(builder.layerNames);
    }

    /** @return a builder; the fraction must be set, scope defaults to {@link Scope#GLOBAL} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Prunes a network in place.
     *
     * @param net an initialised network
     * @return the report, holding the mask listener
     */
    public Report prune(MultiLayerNetwork net) {
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            String name = layer.conf().getLayer().getLayerName();
            addGroup(groups, name != null ? name : "layer" + i, i + "_",
                    net.getLayerWiseConfigurations().getConf(i).getLayer());
        }
        return prune(net, groups);
    }

    /**
     * Prunes a graph in place.
     *
     * @param graph an initialised graph
     * @return the report, holding the mask listener
     */
    public Report prune(ComputationGraph graph) {
        List<Group> groups = new ArrayList<>();
        for (int idx : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[idx];
            if (vertex.hasLayer()) {
                addGroup(groups, vertex.getVertexName(), vertex.getVertexName() + "_",
                        ((LayerVertex) graph.getConfiguration().getVertices().get(vertex.getVertexName()))
                                .getLayerConf().getLayer());
            }
        }
        return prune(graph, groups);
    }

    /** Adds the layer's weight keys, classified on the layer as configured (the object the ramp classifies). */
    private void addGroup(List<Group> groups, String name, String prefix,
                          org.deeplearning4j.nn.conf.layers.Layer configured) {
        List<String> keys = LayerClassifier.weightKeys(configured);
        if (!keys.isEmpty()) {
            groups.add(new Group(name, keys.stream().map(k -> prefix + k).toList()));
        }
    }

    private Report prune(Model model, List<Group> all) {
        List<Group> groups = select(all);
        List<double[]> magnitudes = new ArrayList<>();
        for (Group g : groups) {
            for (String key : g.keys()) {
                magnitudes.add(absValues(model.getParam(key)));
            }
        }
        List<boolean[]> pruned = new ArrayList<>();
        for (double[] m : magnitudes) {
            pruned.add(new boolean[m.length]);
        }
        if (scope == Scope.GLOBAL) {
            markSmallest(magnitudes, pruned, 0, magnitudes.size());
        } else {
            int start = 0;
            for (Group g : groups) {
                markSmallest(magnitudes, pruned, start, start + g.keys().size());
                start += g.keys().size();
            }
        }
        List<String> keys = new ArrayList<>();
        List<INDArray> masks = new ArrayList<>();
        List<LayerReport> layers = new ArrayList<>();
        int p = 0;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (Group g : groups) {
                long total = 0;
                long zeroed = 0;
                for (String key : g.keys()) {
                    boolean[] flags = pruned.get(p++);
                    double[] keep = new double[flags.length];
                    for (int k = 0; k < flags.length; k++) {
                        keep[k] = flags[k] ? 0.0 : 1.0;
                        zeroed += flags[k] ? 1 : 0;
                    }
                    INDArray param = model.getParam(key);
                    INDArray mask = Nd4j.create(keep, param.shape(), 'c').castTo(param.dataType());
                    param.muli(mask);
                    keys.add(key);
                    masks.add(mask);
                    total += flags.length;
                }
                layers.add(new LayerReport(g.name(), total, zeroed));
            }
        }
        return new Report(scope, fraction, layers, new PruningMask(keys, masks));
    }

    private List<Group> select(List<Group> all) {
        if (layerNames.isEmpty()) {
            return all;
        }
        Set<String> wanted = new LinkedHashSet<>(layerNames);
        List<Group> chosen = new ArrayList<>();
        for (Group g : all) {
            if (wanted.remove(g.name())) {
                chosen.add(g);
            }
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("no weight layer named " + wanted + "; choose among "
                    + all.stream().map(Group::name).toList());
        }
        return chosen;
    }

    /** Marks exactly round(fraction * n) smallest magnitudes of arrays [from, to) as pruned, first come first. */
    private void markSmallest(List<double[]> magnitudes, List<boolean[]> pruned, int from, int to) {
        int total = 0;
        for (int i = from; i < to; i++) {
            total += magnitudes.get(i).length;
        }
        long target = Math.round(fraction * total);
        if (target == 0) {
            return;
        }
        double[] sorted = new double[total];
        int offset = 0;
        for (int i = from; i < to; i++) {
            double[] m = magnitudes.get(i);
            System.arraycopy(m, 0, sorted, offset, m.length);
            offset += m.length;
        }
        Arrays.sort(sorted);
        double cut = sorted[(int) target - 1];
        long below = 0;
        for (double v : sorted) {
            if (v < cut) {
                below++;
            } else {
                break;
            }
        }
        long tiesToPrune = target - below;
        for (int i = from; i < to; i++) {
            double[] m = magnitudes.get(i);
            boolean[] flags = pruned.get(i);
            for (int k = 0; k < m.length; k++) {
                if (m[k] < cut) {
                    flags[k] = true;
                } else if (m[k] == cut && tiesToPrune > 0) {
                    flags[k] = true;
                    tiesToPrune--;
                }
            }
        }
    }

    private static double[] absValues(INDArray param) {
        double[] values = param.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[]{param.length()}).toDoubleVector();
        for (int k = 0; k < values.length; k++) {
            values[k] = Math.abs(values[k]);
        }
        return values;
    }

    private record Group(String name, List<String> keys) {
    }

    /**
     * Pruning of one layer.
     *
     * @param layer  layer (or vertex) name
     * @param total  number of weights of the layer
     * @param pruned number of weights set to zero by the mask
     */
    public record LayerReport(String layer, long total, long pruned) {
        /** @return {@code (total - pruned) / total} */
        public double remainingFraction() {
            return total == 0 ? 1.0 : (double) (total - pruned) / total;
        }
    }

    /**
     * The result of a pruning: per-layer counts and the mask listener.
     *
     * @param scope    the ranking used
     * @param fraction the requested fraction
     * @param layers   per-layer counts, network order
     * @param mask     the listener that keeps the pruned weights at zero during training
     */
    public record Report(Scope scope, double fraction, List<LayerReport> layers, PruningMask mask) {

        /** Copies the layer list. */
        public Report {
            layers = List.copyOf(layers);
        }

        /** @return weights in all pruned layers */
        public long totalWeights() {
            return layers.stream().mapToLong(LayerReport::total).sum();
        }

        /** @return weights set to zero in all pruned layers */
        public long totalPruned() {
            return layers.stream().mapToLong(LayerReport::pruned).sum();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "Magnitude pruning: %s ranking, fraction %.4f%n%-20s %12s %12s %10s%n", scope, fraction, "layer",
                    "weights", "pruned", "remaining"));
            for (LayerReport l : layers) {
                sb.append(String.format(Locale.ROOT, "%-20s %12d %12d %10.4f%n", l.layer(), l.total(), l.pruned(),
                        l.remainingFraction()));
            }
            long total = totalWeights();
            sb.append(String.format(Locale.ROOT, "%-20s %12d %12d %10.4f", "total", total, totalPruned(),
                    total == 0 ? 1.0 : (double) (total - totalPruned()) / total));
            return sb.toString();
        }
    }

    /**
     * A training listener that multiplies the pruned weight parameters by their 0/1 mask after
     * every iteration, so pruned weights stay zero while the others keep training.
     */
    public static final class PruningMask extends BaseTrainingListener {
        private final List<String> keys;
        private final List<INDArray> masks;

        private PruningMask(List<String> keys, List<INDArray> masks) {
            this.keys = List.copyOf(keys);
            this.masks = List.copyOf(masks);
        }

        /**
         * Applies the mask to a model's parameters (also called after each iteration).
         *
         * @param model the pruned network or graph
         */
        public void apply(Model model) {
            for (int i = 0; i < keys.size(); i++) {
                INDArray param = model.getParam(keys.get(i));
                if (param == null || !Arrays.equals(param.shape(), masks.get(i).shape())) {
                    throw new IllegalStateException("parameter " + keys.get(i) + " does not match its pruning mask: "
                            + "add the mask only to the network that was pruned");
                }
                param.muli(masks.get(i));
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            apply(model);
        }

        /** @return the masked parameter keys, e.g. {@code 0_W} */
        public List<String> keys() {
            return keys;
        }
    }

    /** Settings of a {@link MagnitudePruner}. */
    public static final class Builder {
        private double fraction = Double.NaN;
        private Scope scope = Scope.GLOBAL;
        private List<String> layerNames = List.of();

        private Builder() {
        }

        /**
         * @param fraction fraction of the weights to prune, in {@code [0, 1)} (paper 2: 0.3, 0.5, 0.7)
         * @return this builder
         */
        public Builder fraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("fraction must lie in [0, 1), got " + fraction
                        + "; paper 2 prunes 0.3, 0.5 or 0.7 of the weights");
            }
            this.fraction = fraction;
            return this;
        }

        /**
         * @param scope {@link Scope#GLOBAL} (default) or {@link Scope#PER_LAYER}
         * @return this builder
         */
        public Builder scope(Scope scope) {
            if (scope == null) {
                throw new IllegalArgumentException("scope must not be null; use Scope.GLOBAL or Scope.PER_LAYER");
            }
            this.scope = scope;
            return this;
        }

        /**
         * @param names weight layers (vertex names in a graph) to prune; none means all
         * @return this builder
         */
        public Builder layers(String... names) {
            this.layerNames = List.of(names);
            return this;
        }

        /** @return the pruner */
        public MagnitudePruner build() {
            if (Double.isNaN(fraction)) {
                throw new IllegalStateException("set the fraction of weights to prune with fraction(...)");
            }
            return new MagnitudePruner(this);
        }
    }
}
