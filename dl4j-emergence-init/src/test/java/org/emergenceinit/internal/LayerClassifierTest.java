package org.emergenceinit.internal;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.internal.LayerClassifier.Kind;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.measure.EmergenceProfile;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One classifier for the ramp and the measure: the README's table "What is ramped, and what is not". */
class LayerClassifierTest {

    private static LSTM lstm(int nOut, RNNFormat format) {
        return new LSTM.Builder().nOut(nOut).activation(Activation.TANH).dataFormat(format).build();
    }

    @Test
    void kindsFollowTheReadmeTable() {
        assertEquals(Kind.RAMP, LayerClassifier.kind(new DenseLayer.Builder().nIn(3).nOut(4).build()));
        assertEquals(Kind.RAMP, LayerClassifier.kind(new Bidirectional(lstm(4, RNNFormat.NCW))));
        assertEquals(Kind.RAMP, LayerClassifier.kind(new LastTimeStep(lstm(4, RNNFormat.NCW))));
        assertEquals(Kind.RAMP, LayerClassifier.kind(new FrozenLayerWithBackprop(
                new DenseLayer.Builder().nIn(3).nOut(4).build())));
        assertEquals(Kind.SAMEDIFF, LayerClassifier.kind(new SelfAttentionLayer.Builder().nIn(4).nOut(4).nHeads(1)
                .projectInput(true).build()));
        assertEquals(Kind.EMBEDDING, LayerClassifier.kind(new EmbeddingLayer.Builder().nIn(5).nOut(3).build()));
        assertEquals(Kind.EMBEDDING, LayerClassifier.kind(new EmbeddingSequenceLayer.Builder().nIn(5).nOut(3).build()));
        assertEquals(Kind.PRELU, LayerClassifier.kind(new PReLULayer.Builder().inputShape(4).build()));
        for (Layer fold : List.of(new BatchNormalization.Builder().build(), new ActivationLayer.Builder()
                .activation(Activation.RELU).build(), new DropoutLayer.Builder(0.5).build(),
                new SubsamplingLayer.Builder().build())) {
            assertEquals(Kind.FOLD, LayerClassifier.kind(fold), fold.getClass().getSimpleName());
            assertTrue(LayerClassifier.isFoldLayer(fold));
            assertFalse(LayerClassifier.isNodeLayer(fold));
        }
        assertEquals(Kind.NO_WEIGHTS, LayerClassifier.kind(new LossLayer.Builder().build()));
        assertEquals(Kind.NO_WEIGHTS, LayerClassifier.kind(new ZeroPaddingLayer.Builder(1, 1).build()));
        assertTrue(LayerClassifier.isFoldLayer(new PReLULayer.Builder().inputShape(4).build()));
        assertTrue(LayerClassifier.isNodeLayer(new EmbeddingLayer.Builder().nIn(5).nOut(3).build()));
        assertEquals(List.of(), LayerClassifier.weightKeys(new PReLULayer.Builder().inputShape(4).build()));
        assertEquals(List.of(), LayerClassifier.weightKeys(new BatchNormalization.Builder().nOut(4).build()));
    }

    /**
     * A Bidirectional LSTM with channels-last (NWC) activations: the measure now looks through Bidirectional as the
     * ramp does, so its nodes are the 2 x 5 concatenated units (axis 2), not the 7 time steps (axis 1), and its type
     * is the ramp plan's {@code Bidirectional(LSTM)}.
     */
    @Test
    void measureLooksThroughBidirectionalAsTheRampDoes() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(5, RNNFormat.NWC)))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).dataFormat(RNNFormat.NWC).build())
                .setInputType(InputType.recurrent(3, 7, RNNFormat.NWC)).build();
        RampPlan plan = EmergenceRamp.xavier(1.1).plan(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        EmergenceProfile profile = ActivityProbe.defaults().measure(net, Nd4j.rand(4, 7, 3));
        assertEquals(10, profile.layers().get(0).width());
        assertEquals(plan.entries().get(0).type(), profile.layers().get(0).type());
        assertEquals("Bidirectional(LSTM)", profile.layers().get(0).type());
    }

    /** Wrapped layers carry the same type name in the ramp plan and in the profile (was the bare inner type). */
    @Test
    void wrappedLayerTypeIsTheSameInPlanAndProfile() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).activation(Activation.RELU).list()
                .layer(new FrozenLayerWithBackprop(new DenseLayer.Builder().nOut(6).build()))
                .layer(new DenseLayer.Builder().nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).build())
                .setInputType(InputType.feedForward(4)).build();
        RampPlan plan = EmergenceRamp.kaiming(1.1).plan(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        EmergenceProfile profile = ActivityProbe.defaults().measure(net, Nd4j.rand(8, 4));
        assertEquals("FrozenLayerWithBackprop(DenseLayer)", profile.layers().get(0).type());
        assertEquals(plan.entries().get(0).type(), profile.layers().get(0).type());
    }
}
