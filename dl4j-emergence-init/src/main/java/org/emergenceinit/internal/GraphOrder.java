package org.emergenceinit.internal;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one topological order of a ComputationGraph used by the whole library: DL4J's own, the order in which
 * {@code ComputationGraph} runs its forward pass and lays out its parameters
 * ({@code ComputationGraph.topologicalSortOrder()}). The ramp positions, the layers the probe measures and the
 * layers the pruner ranks all follow it, so on a branching graph they agree.
 *
 * <p>Not API.
 */
public final class GraphOrder {

    private GraphOrder() {
    }

    /**
     * The vertex names of a configuration in DL4J's topological order, network inputs left out. When the
     * configuration carries the order DL4J cached in it (a configuration taken from an initialised graph, or read
     * back from JSON or a model zip) that order is returned, as the runtime graph uses it; otherwise DL4J computes
     * it, on a copy, so the configuration is left unchanged (a cached order would go stale if vertices were added
     * to the configuration later).
     *
     * @throws IllegalStateException when the graph has a cycle (DL4J's message)
     */
    public static List<String> vertexNames(ComputationGraphConfiguration conf) {
        List<String> order = conf.getTopologicalOrderStr();
        if (order == null || conf.getTopologicalOrder() == null) {
            ComputationGraphConfiguration copy = conf.clone();
            new ComputationGraph(copy).calculateIndices();
            order = copy.getTopologicalOrderStr();
        }
        Set<String> inputs = new HashSet<>(conf.getNetworkInputs());
        List<String> out = new ArrayList<>();
        for (String name : order) {
            if (!inputs.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * The vertex names of a graph in the order it runs them (the order it has cached, or computes and caches as
     * {@code init()} does), network inputs left out.
     */
    public static List<String> vertexNames(ComputationGraph graph) {
        graph.topologicalSortOrder();
        return vertexNames(graph.getConfiguration());
    }
}
