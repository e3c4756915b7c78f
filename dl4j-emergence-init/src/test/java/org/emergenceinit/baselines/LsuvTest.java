package org.emergenceinit.baselines;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsuvTest {

    /** in -> a -> (b1, b2) -> merge -> bn -> c -> out: a branch, a merge and a BatchNorm vertex. */
    private static ComputationGraph branching(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.XAVIER).activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(40).build(), "in")
                .addLayer("b1", new DenseLayer.Builder().nOut(30).build(), "a")
                .addLayer("b2", new DenseLayer.Builder().nOut(20).activation(Activation.TANH).build(), "a")
                .addVertex("merge", new MergeVertex(), "b1", "b2")
                .addLayer("bn", new BatchNormalization.Builder().build(), "merge")
                .addLayer("c", new DenseLayer.Builder().nOut(25).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build(), "c")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(16))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static INDArray batch() {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.rand(DataType.FLOAT, 256, 16).muli(3).addi(0.5);
    }

    /** The pre-activations of a dense vertex with one input, computed here from its input and parameters. */
    private static double preActivationVarianceByHand(ComputationGraph graph, String name, INDArray x) {
        Map<String, INDArray> acts = graph.feedForward(new INDArray[] {x}, false);
        String input = graph.getConfiguration().getVertexInputs().get(name).get(0);
        INDArray in = input.equals("in") ? x : acts.get(input);
        INDArray z = in.mmul(graph.getLayer(name).getParam("W")).addiRowVector(graph.getLayer(name).getParam("b"));
        return z.varNumber().doubleValue();
    }

    @Test
    void graphLayersHaveUnitPreActivationVarianceAfterLsuv() {
        ComputationGraph graph = branching(1);
        INDArray x = batch();
        List<String> layers = List.of("a", "b1", "b2", "c", "out");
        long offBefore = layers.stream()
                .filter(n -> Math.abs(preActivationVarianceByHand(graph, n, x) - 1) >= Lsuv.DEFAULT_TOLERANCE).count();
        assertTrue(offBefore >= 3, "most layers start away from unit variance: " + offBefore);
        List<Lsuv.LayerResult> results = Lsuv.apply(graph, x);
        assertEquals(layers, results.stream().map(Lsuv.LayerResult::name).toList(),
                "the layer vertices with W in topological order, BatchNorm skipped");
        for (Lsuv.LayerResult r : results) {
            double v = preActivationVarianceByHand(graph, r.name(), x);
            assertEquals(1.0, v, Lsuv.DEFAULT_TOLERANCE, r.toString());
            assertEquals(r.after(), v, 1e-3 * v, r.toString());
            assertEquals(graph.getVertex(r.name()).getVertexIndex(), r.index());
        }
    }

    @Test
    void graphLsuvScalesOnlyWeightsAndChecksItsInputs() {
        ComputationGraph graph = branching(2);
        INDArray x = batch();
        INDArray biasBefore = graph.getLayer("b1").getParam("b").dup();
        INDArray wBefore = graph.getLayer("b1").getParam("W").dup();
        Lsuv.LayerResult b1 = Lsuv.apply(graph, x).get(1);
        assertEquals(biasBefore, graph.getLayer("b1").getParam("b"));
        INDArray expected = wBefore.mul(b1.totalScale());
        assertTrue(expected.equalsWithEps(graph.getLayer("b1").getParam("W"), 1e-5));
        assertNotEquals(1.0, b1.totalScale());
        assertThrows(IllegalArgumentException.class, () -> Lsuv.apply(graph, x, x));
        assertThrows(IllegalArgumentException.class, () -> Lsuv.apply(graph, 0, 10, x));
    }

    @Test
    void multiLayerResultsKeepTheirIndexAndPrintAsBefore() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).weightInit(WeightInit.XAVIER)
                .activation(Activation.RELU).list()
                .layer(new DenseLayer.Builder().nOut(20).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(16)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<Lsuv.LayerResult> results = Lsuv.apply(net, batch());
        assertEquals(List.of(0, 2), results.stream().map(Lsuv.LayerResult::index).toList());
        assertEquals("2", results.get(1).name());
        assertTrue(results.get(1).toString().startsWith("layer 2: output variance "), results.get(1).toString());
        for (Lsuv.LayerResult r : results) {
            assertEquals(1.0, Lsuv.preActivationVariance(net, r.index(), batch()), Lsuv.DEFAULT_TOLERANCE);
        }
    }
}
