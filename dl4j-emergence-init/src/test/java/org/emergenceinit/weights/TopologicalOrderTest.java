package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.internal.GraphOrder;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.prune.MagnitudePruner;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The ramp, the measure and the pruner walk a ComputationGraph in one order: DL4J's. */
class TopologicalOrderTest {

    /**
     * in -> a -> c -> merge -> out and in -> b -> merge, with c defined before b. A Kahn sort that breaks ties by
     * definition order gives a, c, b; DL4J's (breadth-first from the inputs) gives a, b, c.
     */
    static ComputationGraphConfiguration branching(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(12).build(), "in")
                .addLayer("c", new DenseLayer.Builder().nOut(10).build(), "a")
                .addLayer("b", new DenseLayer.Builder().nOut(8).build(), "in")
                .addVertex("merge", new MergeVertex(), "c", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build(), "merge")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(6))
                .build();
    }

    private static List<String> names(RampPlan plan) {
        return plan.entries().stream().map(RampPlan.Entry::name).toList();
    }

    private static List<String> runtimeOrder(ComputationGraph graph) {
        List<String> out = new ArrayList<>();
        for (int idx : graph.topologicalSortOrder()) {
            if (!graph.getVertices()[idx].isInputVertex()) {
                out.add(graph.getVertices()[idx].getVertexName());
            }
        }
        return out;
    }

    @Test
    void rampPositionsFollowTheOrderTheProbeReports() {
        ComputationGraphConfiguration conf = branching(1);
        RampPlan plan = EmergenceRamp.kaiming(1.2).apply(conf);
        assertEquals(List.of("a", "b", "c", "out"), names(plan), "DL4J's order, not definition-order tie-breaking");
        for (int k = 0; k < 4; k++) {
            String name = plan.entries().get(k).name();
            assertEquals(EmergenceWeightInit.kaiming(1.2).bind(k, 4), ((BaseLayer) ((LayerVertex) conf.getVertices()
                    .get(name)).getLayerConf().getLayer()).getWeightInitFn(), name);
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        List<String> measured = ActivityProbe.defaults().measuredLayers(graph);
        assertEquals(names(plan).subList(0, 3), measured, "hidden ramp layers in the probe's order");
        List<String> pruned = MagnitudePruner.builder().fraction(0.1).build().prune(graph).layers().stream()
                .map(MagnitudePruner.LayerReport::layer).toList();
        assertEquals(names(plan), pruned, "the pruner reports layers in the same order");
        assertEquals(runtimeOrder(graph), GraphOrder.vertexNames(conf));
    }

    @Test
    void planLeavesTheConfigurationWithoutACachedOrder() {
        ComputationGraphConfiguration conf = branching(2);
        String json = conf.toJson();
        EmergenceRamp.xavier(1.3).plan(conf);
        EmergenceRamp.xavier(1.3).apply(conf);
        assertNull(conf.getTopologicalOrderStr(), "the order is computed on a copy, not cached in the configuration");
        assertEquals(ComputationGraphConfiguration.fromJson(json).getVertices().keySet(), conf.getVertices().keySet());
    }

    @Test
    void rescalingTheNetworkUsesTheSameOrderAsTheConfiguration() {
        ComputationGraphConfiguration conf = branching(3);
        EmergenceRamp.kaiming(1.4).apply(conf);
        ComputationGraph atInit = new ComputationGraph(conf);
        atInit.init();
        ComputationGraph rescaled = new ComputationGraph(branching(3));
        rescaled.init();
        RampPlan plan = EmergenceRamp.inheritBase(1.4).apply(rescaled);
        assertEquals(List.of("a", "b", "c", "out"), names(plan));
        assertArrayEquals(Nets.floats(atInit.params()), Nets.floats(rescaled.params()), 1e-6f);
    }
}
