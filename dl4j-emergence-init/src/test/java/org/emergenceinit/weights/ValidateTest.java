package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bound inits that disagree with the network are an error naming the layer, not silently wrong stds. */
class ValidateTest {

    private static MultiLayerConfiguration conf(EmergenceWeightInit... inits) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1)
                .weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i < 3; i++) {
            BaseLayer layer = i < 2 ? new DenseLayer.Builder().nIn(i == 0 ? 6 : 5).nOut(5).build()
                    : new OutputLayer.Builder().nIn(5).nOut(2).build();
            if (i < inits.length && inits[i] != null) {
                layer.setWeightInitFn(inits[i]);
            }
            b.layer(layer);
        }
        // through JSON, as a saved configuration is read
        return MultiLayerConfiguration.fromJson(b.build().toJson());
    }

    private static String error(MultiLayerConfiguration c) {
        return assertThrows(IllegalArgumentException.class, () -> EmergenceRamp.validate(c)).getMessage();
    }

    @Test
    void aLayerCountThatIsNotTheRampsIsNamed() {
        EmergenceWeightInit x = EmergenceWeightInit.xavier(1.2);
        String m = error(conf(x.bind(0, 7), x.bind(1, 7), x.bind(2, 7)));
        assertTrue(m.contains("Layer 'layer0'") && m.contains("layerCount 7") && m.contains("3 layers"), m);
    }

    @Test
    void twoLayersWithOneIndexAreNamed() {
        EmergenceWeightInit x = EmergenceWeightInit.xavier(1.2);
        String m = error(conf(x.bind(0, 3), x.bind(0, 3), x.bind(2, 3)));
        assertTrue(m.contains("Layer 'layer1'") && m.contains("layerIndex 0") && m.contains("'layer0'"), m);
    }

    @Test
    void mixedAlphasInOneRampAreNamed() {
        String m = error(conf(EmergenceWeightInit.xavier(1.2).bind(0, 3), EmergenceWeightInit.xavier(1.5).bind(1, 3),
                EmergenceWeightInit.xavier(1.2).bind(2, 3)));
        assertTrue(m.contains("Layer 'layer1'") && m.contains("alpha 1.5"), m);
    }

    @Test
    void consistentRampsPassFilteredOnesIncluded() {
        MultiLayerConfiguration full = conf();
        EmergenceRamp.kaiming(1.1).apply(full);
        RampPlan plan = EmergenceRamp.validate(MultiLayerConfiguration.fromJson(full.toJson()));
        assertEquals(3, plan.layerCount());
        assertEquals(BaseScheme.KAIMING, plan.entries().get(0).base());
        assertEquals(1.1, plan.entries().get(0).alpha());

        MultiLayerConfiguration head = conf();
        EmergenceRamp.kaiming(2.0).withFilter(LayerFilter.lastN(2)).apply(head);
        RampPlan headPlan = EmergenceRamp.validate(MultiLayerConfiguration.fromJson(head.toJson()));
        assertEquals(2, headPlan.layerCount());
        assertEquals("layer1", headPlan.entries().get(0).name());

        assertEquals(0, EmergenceRamp.validate(conf()).layerCount(), "stock inits only: nothing to check");
    }

    /**
     * Mixed bases are not an inconsistency: the ramp is {@code alpha^(e_k) * base_k(W_k)} per layer, and
     * {@link EmergenceRamp#inheritBase} saves each layer's own base on purpose (as does a user setting bases per
     * layer). So they validate, and every layer draws from its own base times its own factor.
     */
    @Test
    void mixedBasesAreAValidRampAndEachLayerDrawsFromItsOwn() {
        int[] widths = {600, 500, 400, 10};
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(3).list();
        BaseScheme[] bases = {BaseScheme.XAVIER, BaseScheme.KAIMING, BaseScheme.XAVIER};
        for (int i = 0; i < 3; i++) {
            BaseLayer layer = i < 2 ? new DenseLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).build()
                    : new OutputLayer.Builder().nIn(widths[i]).nOut(widths[i + 1]).build();
            layer.setWeightInitFn(EmergenceWeightInit.of(bases[i], 1.5).bind(i, 3));
            b.layer(layer);
        }
        MultiLayerConfiguration c = MultiLayerConfiguration.fromJson(b.build().toJson());
        RampPlan plan = EmergenceRamp.validate(c);
        assertEquals(3, plan.layerCount());
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(c);
        net.init();
        for (int i = 0; i < 3; i++) {
            assertEquals(bases[i], plan.entries().get(i).base());
            double fanIn = widths[i];
            double fanOut = widths[i + 1];
            double baseStd = bases[i] == BaseScheme.KAIMING ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
            double expected = baseStd * Math.pow(1.5, i - 1); // centred exponents -1, 0, 1
            double std = net.getLayer(i).getParam("W").stdNumber().doubleValue();
            assertEquals(expected, std, expected * 0.03, "layer " + i + " (" + bases[i] + ")");
        }
    }
}
