package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.emergenceinit.internal.GraphOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SerializationAndGraphTest {

    /** Input -> a -> (b2, b1 defined in that order) -> merge -> out: two branches. */
    static ComputationGraphConfiguration twoBranchGraph(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build(), "merge")
                .addVertex("merge", new MergeVertex(), "b2", "b1")
                .addLayer("b2", new DenseLayer.Builder().nOut(40).build(), "a")
                .addLayer("b1", new DenseLayer.Builder().nOut(30).build(), "a")
                .addLayer("a", new DenseLayer.Builder().nOut(50).build(), "in")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(20))
                .build();
    }

    private static EmergenceWeightInit initOf(ComputationGraphConfiguration conf, String name) {
        return (EmergenceWeightInit) ((BaseLayer) ((LayerVertex) conf.getVertices().get(name)).getLayerConf()
                .getLayer()).getWeightInitFn();
    }

    @Test
    void graphBranchesAreBoundInTopologicalOrder() {
        ComputationGraphConfiguration conf = twoBranchGraph(1);
        RampPlan plan = EmergenceRamp.kaiming(1.2).apply(conf);
        List<String> order = plan.entries().stream().map(RampPlan.Entry::name).collect(Collectors.toList());
        assertEquals(List.of("a", "b2", "b1", "out"), order);
        assertEquals(EmergenceWeightInit.kaiming(1.2).bind(0, 4), initOf(conf, "a"));
        assertEquals(EmergenceWeightInit.kaiming(1.2).bind(1, 4), initOf(conf, "b2"));
        assertEquals(EmergenceWeightInit.kaiming(1.2).bind(2, 4), initOf(conf, "b1"));
        assertEquals(EmergenceWeightInit.kaiming(1.2).bind(3, 4), initOf(conf, "out"));
        assertEquals(List.of("a", "b2", "b1", "merge", "out"), GraphOrder.vertexNames(conf));
    }

    @Test
    void graphRampOnConfigurationEqualsRescaledNetwork() {
        ComputationGraphConfiguration conf = twoBranchGraph(4);
        EmergenceRamp.kaiming(1.3).apply(conf);
        ComputationGraph atInit = new ComputationGraph(conf);
        atInit.init();
        ComputationGraph rescaled = new ComputationGraph(twoBranchGraph(4));
        rescaled.init();
        EmergenceRamp.inheritBase(1.3).apply(rescaled);
        assertArrayEquals(Nets.floats(atInit.params()), Nets.floats(rescaled.params()), 1e-6f);
    }

    @Test
    void multiLayerJsonAndYamlRoundTripsEqualTheOriginal() {
        MultiLayerConfiguration conf = Nets.mlp(2, WeightInit.XAVIER, 10, 8, 3, 2, true);
        EmergenceRamp.xavier(1.5).withMode(ExponentMode.INTEGER).apply(conf);
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(conf.toJson());
        MultiLayerConfiguration fromYaml = MultiLayerConfiguration.fromYaml(conf.toYaml());
        assertEquals(conf, fromJson);
        assertEquals(conf, fromYaml);
        assertEquals(EmergenceWeightInit.of(BaseScheme.XAVIER, 1.5, ExponentMode.INTEGER).bind(3, 4),
                ((BaseLayer) fromJson.getConf(fromJson.getConfs().size() - 1).getLayer()).getWeightInitFn());
    }

    @Test
    void graphJsonAndYamlRoundTripsEqualTheOriginal() {
        ComputationGraphConfiguration conf = twoBranchGraph(3);
        EmergenceRamp.xavier(1.1).apply(conf);
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        assertEquals(conf, ComputationGraphConfiguration.fromYaml(conf.toYaml()));
        assertEquals(EmergenceWeightInit.xavier(1.1).bind(2, 4),
                initOf(ComputationGraphConfiguration.fromJson(conf.toJson()), "b1"));
    }

    @Test
    void modelSerializerKeepsBoundSchemesAndParameters(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = Nets.mlp(5, WeightInit.RELU, 12, 9, 2, 3, false);
        EmergenceRamp.kaiming(1.25).apply(conf);
        MultiLayerNetwork net = Nets.init(conf);
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f);
        assertEquals(conf, restored.getLayerWiseConfigurations());
        assertEquals(EmergenceWeightInit.kaiming(1.25).bind(1, 3),
                ((BaseLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getWeightInitFn());
        assertArrayEquals(Nets.floats(net.params()), Nets.floats(restored.params()));

        ComputationGraphConfiguration gconf = twoBranchGraph(8);
        EmergenceRamp.kaiming(1.25).apply(gconf);
        ComputationGraph graph = new ComputationGraph(gconf);
        graph.init();
        File g = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(graph, g, true);
        ComputationGraph restoredGraph = ModelSerializer.restoreComputationGraph(g);
        assertEquals(gconf, restoredGraph.getConfiguration());
        assertArrayEquals(Nets.floats(graph.params()), Nets.floats(restoredGraph.params()));
    }

    @Test
    void sameConfigurationSeedGivesSameWeightsAndAnotherSeedDoesNot() {
        MultiLayerConfiguration a = Nets.mlp(42, WeightInit.XAVIER, 10, 8, 3, 2, false);
        MultiLayerConfiguration b = Nets.mlp(42, WeightInit.XAVIER, 10, 8, 3, 2, false);
        MultiLayerConfiguration c = Nets.mlp(43, WeightInit.XAVIER, 10, 8, 3, 2, false);
        for (MultiLayerConfiguration conf : List.of(a, b, c)) {
            EmergenceRamp.xavier(1.2).apply(conf);
        }
        float[] pa = Nets.floats(Nets.init(a).params());
        assertArrayEquals(pa, Nets.floats(Nets.init(b).params()));
        assertArrayEquals(pa, Nets.floats(Nets.init(MultiLayerConfiguration.fromJson(a.toJson())).params()));
        assertFalse(java.util.Arrays.equals(pa, Nets.floats(Nets.init(c).params())));
    }
}
