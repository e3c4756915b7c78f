package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterAndBindTest {

    private static org.deeplearning4j.nn.weights.IWeightInit fn(MultiLayerConfiguration conf, int i) {
        return ((BaseLayer) conf.getConf(i).getLayer()).getWeightInitFn();
    }

    @Test
    void classifierHeadFilterCountsOnlyTheChosenLayers() {
        MultiLayerConfiguration stockConf = Nets.mlp(9, WeightInit.RELU, 12, 10, 4, 3, false);
        MultiLayerConfiguration conf = Nets.mlp(9, WeightInit.RELU, 12, 10, 4, 3, false);
        RampPlan plan = EmergenceRamp.kaiming(2.0).withFilter(LayerFilter.lastN(3)).apply(conf);
        assertEquals(3, plan.layerCount());
        assertEquals(2, plan.skipped().size());
        assertEquals(WeightInit.RELU.getWeightInitFunction(), fn(conf, 0));
        assertEquals(EmergenceWeightInit.kaiming(2.0).bind(0, 3), fn(conf, 2));
        assertEquals(EmergenceWeightInit.kaiming(2.0).bind(2, 3), fn(conf, 4));
        MultiLayerNetwork stock = Nets.init(stockConf);
        MultiLayerNetwork net = Nets.init(conf);
        assertArrayEquals(Nets.floats(stock.getLayer(1).params()), Nets.floats(net.getLayer(1).params()));
        assertEquals(0.5, Nets.std(net.getLayer(2).getParam("W")) / Nets.std(stock.getLayer(2).getParam("W")), 1e-5);
    }

    @Test
    void namesFilter() {
        MultiLayerConfiguration conf = Nets.mlp(9, WeightInit.RELU, 12, 10, 2, 3, false);
        RampPlan plan = EmergenceRamp.kaiming(1.5).withFilter(LayerFilter.names("layer0", "layer2")).apply(conf);
        assertEquals(2, plan.layerCount());
        assertEquals("layer2", plan.entries().get(1).name());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EmergenceRamp.kaiming(1.5).withFilter(LayerFilter.names("nope")).apply(conf));
        assertTrue(none.getMessage().contains("rejected all 3 candidates"), none.getMessage());
    }

    @Test
    void globalUnboundSchemeIsBoundOnEveryLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1)
                .weightInit(EmergenceWeightInit.xavier(1.2)).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(6).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        RampPlan plan = EmergenceRamp.bind(conf);
        assertEquals(3, plan.layerCount());
        for (int i = 0; i < 3; i++) {
            assertEquals(EmergenceWeightInit.xavier(1.2).bind(i, 3), fn(conf, i));
        }
        MultiLayerConfiguration viaApply = new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(6).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        EmergenceRamp.xavier(1.2).apply(viaApply);
        assertArrayEquals(Nets.floats(Nets.init(viaApply).params()), Nets.floats(Nets.init(conf).params()));
    }

    @Test
    void perLayerSchemesFormTheRampAndKeepTheirOwnSettings() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(6).weightInit(EmergenceWeightInit.kaiming(2.0)).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(2)
                        .weightInit(EmergenceWeightInit.of(BaseScheme.XAVIER_UNIFORM, 2.0)).build())
                .build();
        RampPlan plan = EmergenceRamp.bind(conf);
        assertEquals(2, plan.layerCount());
        assertEquals(WeightInit.XAVIER.getWeightInitFunction(), fn(conf, 0));
        assertEquals(EmergenceWeightInit.kaiming(2.0).bind(0, 2), fn(conf, 1));
        assertEquals(EmergenceWeightInit.of(BaseScheme.XAVIER_UNIFORM, 2.0).bind(1, 2), fn(conf, 2));
    }

    @Test
    void inheritedBasesFollowEachLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(6).weightInit(WeightInit.RELU_UNIFORM).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(2).build())
                .build();
        RampPlan plan = EmergenceRamp.inheritBase(1.1).apply(conf);
        assertEquals(BaseScheme.XAVIER, plan.entries().get(0).base());
        assertEquals(EmergenceWeightInit.of(BaseScheme.KAIMING_UNIFORM, 1.1).bind(1, 3), fn(conf, 1));

        MultiLayerConfiguration other = new NeuralNetConfiguration.Builder().weightInit(WeightInit.NORMAL).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(7).build())
                .layer(new OutputLayer.Builder().nIn(7).nOut(2).build())
                .build();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> EmergenceRamp.inheritBase(1.1).apply(other));
        assertTrue(ex.getMessage().contains("uses weight init WeightInitNormal, which is not a base"), ex.getMessage());
        assertTrue(ex.getMessage().contains("EmergenceRamp.of(BaseScheme.XAVIER, alpha)"), ex.getMessage());
        assertEquals(2, EmergenceRamp.xavier(1.1).apply(other).layerCount(), "an explicit base overrides it");
    }

    @Test
    void bindWithoutAnySchemeIsAClearError() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> EmergenceRamp.bind(Nets.mlp(1, WeightInit.XAVIER, 4, 4, 1, 2, false)));
        assertTrue(ex.getMessage().contains("No layer carries an EmergenceWeightInit"), ex.getMessage());
    }

    @Test
    void extremeScalesAreReportedAsWarnings() {
        RampPlan plan = EmergenceRamp.xavier(1e5).apply(Nets.mlp(1, WeightInit.XAVIER, 4, 4, 3, 2, false));
        assertEquals(2, plan.warnings().size(), plan.warnings().toString());
        assertTrue(plan.warnings().get(0).contains("'layer0'"), plan.warnings().get(0));
        assertTrue(plan.warnings().get(0).contains("outside [1e-6, 1e6]"), plan.warnings().get(0));
        assertTrue(plan.warnings().get(1).contains("'layer3'"), plan.warnings().get(1));
        assertTrue(plan.toString().contains("warning: "), plan.toString());
        assertTrue(EmergenceRamp.xavier(1.2).apply(Nets.mlp(1, WeightInit.XAVIER, 4, 4, 3, 2, false)).warnings()
                .isEmpty());
    }
}
