package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** alpha = 1 equals the stock schemes bit for bit; otherwise each layer's std is alpha^(e_k) times the base std. */
class StockEqualityAndStatisticsTest {

    @ParameterizedTest
    @EnumSource(BaseScheme.class)
    void alphaOneEqualsStockSchemeBitForBitForDenseAndConv(BaseScheme base) {
        for (boolean conv : new boolean[] {false, true}) {
            MultiLayerConfiguration stockConf = conv ? Nets.cnn(7, base.dl4jName())
                    : Nets.mlp(7, base.dl4jName(), 20, 16, 3, 4, false);
            MultiLayerConfiguration rampConf = conv ? Nets.cnn(7, base.dl4jName())
                    : Nets.mlp(7, base.dl4jName(), 20, 16, 3, 4, false);
            RampPlan plan = EmergenceRamp.of(base, 1.0).apply(rampConf);
            assertEquals(conv ? 5 : 4, plan.layerCount());
            assertTrue(rampConf.getConf(0).getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer);
            assertEquals(EmergenceWeightInit.of(base, 1.0).bind(0, plan.layerCount()),
                    ((org.deeplearning4j.nn.conf.layers.BaseLayer) rampConf.getConf(0).getLayer()).getWeightInitFn());
            float[] stock = Nets.floats(Nets.init(stockConf).params());
            float[] ramped = Nets.floats(Nets.init(rampConf).params());
            assertArrayEquals(stock, ramped, base + (conv ? " conv" : " dense"));
        }
    }

    static Stream<Arguments> rampCases() {
        List<Arguments> out = new ArrayList<>();
        for (BaseScheme base : BaseScheme.values()) {
            out.add(Arguments.of(base, ExponentMode.CENTRED, 9, 1.2));   // 10 weight layers: even
            out.add(Arguments.of(base, ExponentMode.CENTRED, 8, 1.15));  // 9 weight layers: odd
        }
        out.add(Arguments.of(BaseScheme.XAVIER, ExponentMode.INTEGER, 9, 1.2));
        out.add(Arguments.of(BaseScheme.KAIMING, ExponentMode.INTEGER, 8, 0.9));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("rampCases")
    void deepMlpLayerStdFollowsTheRamp(BaseScheme base, ExponentMode mode, int depth, double alpha) {
        MultiLayerConfiguration conf = Nets.mlp(11, base.dl4jName(), 300, 256, depth, 10, false);
        RampPlan plan = EmergenceRamp.of(base, alpha).withMode(mode).apply(conf);
        checkRamp(Nets.init(conf), conf, plan, base, mode, alpha);
    }

    @ParameterizedTest
    @EnumSource(BaseScheme.class)
    void cnnLayerStdFollowsTheRamp(BaseScheme base) {
        MultiLayerConfiguration conf = Nets.cnn(5, base.dl4jName());
        RampPlan plan = EmergenceRamp.of(base, 1.3).apply(conf);
        checkRamp(Nets.init(conf), conf, plan, base, ExponentMode.CENTRED, 1.3);
    }

    /** Expected base std from the layer shape, computed here independently of the library's fan code. */
    private static double baseStd(BaseScheme base, FeedForwardLayer layer) {
        double fanIn = layer.getNIn();
        double fanOut = layer.getNOut();
        if (layer instanceof ConvolutionLayer) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            int kk = c.getKernelSize()[0] * c.getKernelSize()[1];
            fanIn *= kk;
            fanOut = fanOut * kk / (c.getStride()[0] * c.getStride()[1]);
        }
        boolean xavier = base == BaseScheme.XAVIER || base == BaseScheme.XAVIER_UNIFORM;
        return xavier ? Math.sqrt(2.0 / (fanIn + fanOut)) : Math.sqrt(2.0 / fanIn);
    }

    private static void checkRamp(MultiLayerNetwork net, MultiLayerConfiguration conf, RampPlan plan, BaseScheme base,
                                  ExponentMode mode, double alpha) {
        boolean uniform = base == BaseScheme.XAVIER_UNIFORM || base == BaseScheme.KAIMING_UNIFORM;
        int count = plan.layerCount();
        double exponentSum = 0;
        double previousRatio = Double.NaN;
        double previousTol = Double.NaN;
        for (RampPlan.Entry e : plan.entries()) {
            int layerIndex = Nets.indexOf(conf, e.name());
            FeedForwardLayer layer = (FeedForwardLayer) conf.getConf(layerIndex).getLayer();
            INDArray w = net.getLayer(layerIndex).getParam("W");
            double ratio = Nets.std(w) / baseStd(base, layer);
            double tol = Nets.stdTolerance(w.length(), uniform);
            double expected = Math.pow(alpha, mode.exponent(e.index(), count));
            assertEquals(expected, e.scale(), 1e-12);
            assertEquals(expected, ratio, expected * tol, "layer " + e.index() + " of " + count);
            assertEquals(0.0, net.getLayer(layerIndex).getParam("b").amaxNumber().doubleValue(), 0.0, "bias untouched");
            if (e.index() > 0) {
                boolean middle = mode == ExponentMode.INTEGER && count % 2 == 0 && e.index() == count / 2;
                double step = middle ? alpha * alpha : alpha;
                assertEquals(step, ratio / previousRatio, step * (tol + previousTol), "ratio at " + e.index());
            }
            previousRatio = ratio;
            previousTol = tol;
            exponentSum += e.exponent();
        }
        assertEquals(0.0, exponentSum, 1e-9);
    }
}
