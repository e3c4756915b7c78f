package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Chooses which weight layers form the emergence ramp. {@code L} and {@code k} then count only the chosen
 * layers (paper 2 ramped only the three fully connected layers of a VGG-19 classifier head).
 *
 * <p>The filter sees every weight layer the ramp could take, in ramp order (the network's layer order, or
 * the topological order of a ComputationGraph), with its position among those candidates.
 */
@FunctionalInterface
public interface LayerFilter {

    /**
     * @param candidate the weight layer's name, configuration and position among all candidates
     * @return whether the layer joins the ramp
     */
    boolean accept(Candidate candidate);

    /**
     * A weight layer the ramp could take.
     *
     * @param name           the layer name (the index as a string for unnamed MultiLayerNetwork layers)
     * @param layer          the layer's configuration
     * @param position       the position among the candidates, from 0
     * @param candidateCount the number of candidates
     */
    record Candidate(String name, Layer layer, int position, int candidateCount) {
    }

    /** Every weight layer (the default). */
    static LayerFilter all() {
        return c -> true;
    }

    /** The layers with these names. */
    static LayerFilter names(String... names) {
        Set<String> set = new HashSet<>(Arrays.asList(names));
        return c -> set.contains(c.name());
    }

    /** The layers whose configuration is an instance of one of these classes. */
    @SafeVarargs
    static LayerFilter types(Class<? extends Layer>... types) {
        return c -> Arrays.stream(types).anyMatch(t -> t.isInstance(c.layer()));
    }

    /** The last {@code n} weight layers, for example a classifier head. */
    static LayerFilter lastN(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("lastN needs at least 1 layer, got " + n + ".");
        }
        return c -> c.position() >= c.candidateCount() - n;
    }

    /** The layers both filters accept. */
    default LayerFilter and(LayerFilter other) {
        return c -> accept(c) && other.accept(c);
    }
}
