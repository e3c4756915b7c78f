package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.DoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@code ramped(conf)} returns the ramped configuration; the uniform factories match DL4J's uniform schemes. */
class RampedAndUniformTest {

    private static final int DEPTH = 4;

    private static MultiLayerConfiguration mlp(WeightInit init) {
        return Nets.mlp(21, init, 64, 48, DEPTH, 8, false);
    }

    /** alpha = 1 through ramped(...) is DL4J's stock uniform scheme bit for bit, with the same seed. */
    @Test
    void uniformFactoriesAtAlphaOneEqualStockBitForBit() {
        List<Object[]> cases = List.of(
                new Object[] {WeightInit.XAVIER_UNIFORM, (DoubleFunction<EmergenceRamp>) EmergenceRamp::xavierUniform,
                        BaseScheme.XAVIER_UNIFORM},
                new Object[] {WeightInit.RELU_UNIFORM, (DoubleFunction<EmergenceRamp>) EmergenceRamp::kaimingUniform,
                        BaseScheme.KAIMING_UNIFORM});
        for (Object[] c : cases) {
            WeightInit stock = (WeightInit) c[0];
            @SuppressWarnings("unchecked")
            DoubleFunction<EmergenceRamp> factory = (DoubleFunction<EmergenceRamp>) c[1];
            assertEquals(c[2], factory.apply(1.0).getBase().orElseThrow());
            MultiLayerNetwork expected = Nets.init(mlp(stock));
            // another base on the configuration: the factory's base replaces it
            MultiLayerNetwork actual = new MultiLayerNetwork(factory.apply(1.0).ramped(mlp(WeightInit.NORMAL)));
            actual.init();
            assertArrayEquals(Nets.floats(expected.params()), Nets.floats(actual.params()), stock.name());
        }
    }

    /** Same seed: each layer's weights are alpha^(e_k) times the stock uniform draw, so neighbouring stds differ by alpha. */
    @Test
    void uniformFactoriesGiveStdRatioAlphaPerLayer() {
        double alpha = 1.3;
        for (boolean xavier : new boolean[] {true, false}) {
            WeightInit stockInit = xavier ? WeightInit.XAVIER_UNIFORM : WeightInit.RELU_UNIFORM;
            EmergenceRamp ramp = xavier ? EmergenceRamp.xavierUniform(alpha) : EmergenceRamp.kaimingUniform(alpha);
            MultiLayerNetwork stock = Nets.init(mlp(stockInit));
            MultiLayerNetwork net = new MultiLayerNetwork(ramp.ramped(mlp(stockInit)));
            net.init();
            int layers = DEPTH + 1;
            double previous = Double.NaN;
            for (int k = 0; k < layers; k++) {
                double ratio = Nets.std(net.getLayer(k).getParam("W")) / Nets.std(stock.getLayer(k).getParam("W"));
                assertEquals(Math.pow(alpha, k - (layers - 1) / 2.0), ratio, 1e-5, stockInit + " layer " + k);
                if (k > 0) {
                    assertEquals(alpha, ratio / previous, 1e-5, stockInit + " layers " + (k - 1) + ", " + k);
                }
                assertArrayEquals(Nets.floats(stock.getLayer(k).getParam("b")), Nets.floats(net.getLayer(k).getParam("b")));
                previous = ratio;
            }
        }
    }

    @Test
    void rampedReturnsTheSameConfigurationAsApplyWouldLeaveIt() {
        MultiLayerConfiguration conf = mlp(WeightInit.RELU);
        assertSame(conf, EmergenceRamp.kaiming(1.2).ramped(conf));
        MultiLayerConfiguration applied = mlp(WeightInit.RELU);
        EmergenceRamp.kaiming(1.2).apply(applied);
        assertEquals(applied, conf);

        ComputationGraphConfiguration graphConf = SerializationAndGraphTest.twoBranchGraph(5);
        ComputationGraph graph = new ComputationGraph(EmergenceRamp.xavier(1.2).ramped(graphConf));
        graph.init();
        ComputationGraphConfiguration graphApplied = SerializationAndGraphTest.twoBranchGraph(5);
        EmergenceRamp.xavier(1.2).apply(graphApplied);
        ComputationGraph expected = new ComputationGraph(graphApplied);
        expected.init();
        assertSame(graphConf, graph.getConfiguration());
        assertArrayEquals(Nets.floats(expected.params()), Nets.floats(graph.params()));
    }
}
