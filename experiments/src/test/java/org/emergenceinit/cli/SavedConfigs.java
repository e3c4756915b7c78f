package org.emergenceinit.cli;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;

/** Configurations a user might save and hand to {@code --config}. */
final class SavedConfigs {
    private SavedConfigs() {
    }

    /** MNIST input -> a -> (b1, b2) -> merge -> softmax out. */
    static ComputationGraphConfiguration twoBranchGraph(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(64).build(), "in")
                .addLayer("b1", new DenseLayer.Builder().nOut(32).build(), "a")
                .addLayer("b2", new DenseLayer.Builder().nOut(32).build(), "a")
                .addVertex("m", new MergeVertex(), "b1", "b2")
                .addLayer("out", new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build(), "m")
                .setOutputs("out").setInputTypes(InputType.feedForward(784)).build();
    }
}
