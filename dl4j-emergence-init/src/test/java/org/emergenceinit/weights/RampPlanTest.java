package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RampPlan's typed entries, the SameDiff block count, and the unchanged table. */
class RampPlanTest {

    private static MultiLayerConfiguration net() {
        return new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.RELU).activation(Activation.RELU)
                .list()
                .layer(new EmbeddingLayer.Builder().nIn(20).nOut(8).build())
                .layer(new DenseLayer.Builder().name("hidden").nOut(6).build())
                .layer(new DenseLayer.Builder().name("head").nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(1)).build();
    }

    @Test
    void entriesAreTyped() {
        RampPlan plan = EmergenceRamp.kaiming(1.5).withFilter(LayerFilter.lastN(2)).plan(net());
        assertEquals(RampPlan.Target.CONFIGURATION, plan.target());
        assertEquals(2, plan.layerCount());
        assertEquals(2, plan.blockCount());
        RampPlan.Entry head = plan.entries().get(0);
        assertEquals(0, head.index());
        assertEquals("head", head.name());
        assertEquals(DenseLayer.class, head.layerClass());
        assertEquals(6.0, head.fanIn());
        assertEquals(5.0, head.fanOut());
        assertEquals(BaseScheme.KAIMING, head.base());
        assertEquals(-0.5, head.exponent());
        assertEquals(Math.pow(1.5, -0.5), head.scale());
        assertFalse(head.skipped());
        assertNull(head.reason());
        assertEquals(OutputLayer.class, plan.entries().get(1).layerClass());

        assertEquals(List.of("layer0", "hidden"), plan.skipped().stream().map(RampPlan.Entry::name).toList());
        RampPlan.Entry embedding = plan.skipped().get(0);
        assertTrue(embedding.skipped());
        assertEquals(-1, embedding.index());
        assertEquals(EmbeddingLayer.class, embedding.layerClass());
        assertEquals(1.0, embedding.scale());
        assertNull(embedding.base());
        assertTrue(embedding.reason().contains("embeddings are not scaled"), embedding.reason());
        assertEquals("not selected by the layer filter", plan.skipped().get(1).reason());
    }

    @Test
    void tableIsPrintedAsBefore() {
        RampPlan plan = EmergenceRamp.kaiming(1.5).withFilter(LayerFilter.lastN(2)).plan(net());
        String n = System.lineSeparator();
        assertEquals("Emergence ramp over 2 layers (configuration)" + n
                + "  k  name           type                       fanIn    fanOut base              alpha exponent"
                + "        scale" + n
                + "  0  head           DenseLayer                     6         5 KAIMING             1.5     -0.5"
                + "     0.816497" + n
                + "  1  out            OutputLayer                    5         2 KAIMING             1.5      0.5"
                + "      1.22474" + n
                + "  -  layer0         EmbeddingLayer         not ramped: embedding: embeddings are not scaled"
                + " (docs/METHOD.md section 1)" + n
                + "  -  hidden         DenseLayer             not ramped: not selected by the layer filter" + n,
                plan.toString());
    }

    @Test
    void sameDiffPlanCarriesItsBlockCount() {
        SameDiff sd = SameDiff.create();
        SameDiffRamp ramp = SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 3);
        for (int block = 0; block < 3; block++) {
            ramp.var(sd, "b" + block + "_q", block, 4, 4, DataType.FLOAT, 4, 4);
            ramp.var(sd, "b" + block + "_k", block, 4, 4, DataType.FLOAT, 4, 4);
        }
        RampPlan plan = ramp.plan();
        assertEquals(RampPlan.Target.SAMEDIFF, plan.target());
        assertEquals(6, plan.layerCount());
        assertEquals(3, plan.blockCount());
        assertEquals(List.of(0, 0, 1, 1, 2, 2), plan.entries().stream().map(RampPlan.Entry::index).toList());
        assertEquals(List.of(-1.0, -1.0, 0.0, 0.0, 1.0, 1.0),
                plan.entries().stream().map(RampPlan.Entry::exponent).toList());
        assertEquals(SDVariable.class, plan.entries().get(0).layerClass());
        assertEquals(BaseScheme.XAVIER, plan.entries().get(0).base());
        assertTrue(plan.toString().startsWith("Emergence ramp over 6 layers (SameDiff blocks (3))"), plan.toString());
    }

    @Test
    void entriesAndSkippedCannotBeMixedUp() {
        RampPlan.Entry ramped = RampPlan.Entry.ramped(0, "a", "DenseLayer", DenseLayer.class, 3, 4,
                BaseScheme.XAVIER, 1.2, 0);
        RampPlan.Entry skipped = RampPlan.Entry.skipped("e", "EmbeddingLayer", EmbeddingLayer.class, 3, 4, 1.2, "why");
        assertThrows(IllegalArgumentException.class,
                () -> new RampPlan(RampPlan.Target.CONFIGURATION, List.of(skipped), List.of(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new RampPlan(RampPlan.Target.CONFIGURATION, List.of(ramped), List.of(ramped), 1));
        assertThrows(IllegalArgumentException.class, () -> new RampPlan.Entry(0, "a", "DenseLayer", DenseLayer.class,
                3, 4, BaseScheme.XAVIER, 1.2, 0, 1, true, null));
    }
}
