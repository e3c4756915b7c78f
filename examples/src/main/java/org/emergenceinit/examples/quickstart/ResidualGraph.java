package org.emergenceinit.examples.quickstart;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Layout;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;


/**
 * A {@link ComputationGraph} with two residual blocks on MNIST: a 256-wide ReLU stem, then twice
 * {@code relu(x + dense(relu(dense(x))))} (an {@link ElementWiseVertex} add), then the softmax output. The ramp is
 * applied to the graph configuration ({@code EmergenceRamp.kaiming(1.2).ramped(graphConf)}); it walks the layer
 * vertices in DL4J's topological order, the order the emergence measure uses too. Prints the plan, then test
 * accuracy and {@code log10 E} per epoch for stock Kaiming and the ramp.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.quickstart.ResidualGraph \
 *     [DATA_DIR [EPOCHS]]
 * </pre>
 * {@code DATA_DIR} (or {@code $EMERGENCE_DATA}) holds {@code mnist/}; without one the MNIST subset shipped with the
 * project is used. {@code EPOCHS} defaults to 2.
 */
public final class ResidualGraph {

    /** What {@link #run} returns: the dataset label, the ramp plan and the two runs. */
    public record Result(String dataset, RampPlan plan, Comparison.Run stock, Comparison.Run emergence) {
    }

    private ResidualGraph() {
    }

    /** The graph, stock Kaiming: input, stem, residual blocks {@code b1} and {@code b2}, output {@code out}. */
    public static ComputationGraphConfiguration conf() {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(42)
                .weightInit(WeightInit.RELU).updater(new Nesterovs(0.01, 0.9)).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(784))
                .addLayer("stem", new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build(), "in");
        String x = "stem";
        for (String b : new String[] {"b1", "b2"}) {
            g.addLayer(b + "_dense1", new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build(), x)
                    .addLayer(b + "_dense2", new DenseLayer.Builder().nOut(256).activation(Activation.IDENTITY)
                            .build(), b + "_dense1")
                    .addVertex(b + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), x, b + "_dense2")
                    .addLayer(b + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                            b + "_add");
            x = b + "_relu";
        }
        return g.addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
                .build(), x).setOutputs("out").build();
    }

    /** Trains both graphs on {@code data} (MNIST); {@code maxBatches} 0 = all. */
    public static Result run(DatasetSource data, double alpha, int epochs, int maxBatches) {
        RampPlan plan = EmergenceRamp.kaiming(alpha).plan(conf());
        Comparison.Run stock = train("kaiming", conf(), data, epochs, maxBatches);
        Comparison.Run emergence = train("emergence-kaiming(" + alpha + ")",
                EmergenceRamp.kaiming(alpha).ramped(conf()),                        // the one line
                data, epochs, maxBatches);
        return new Result(data.displayLabel(), plan, stock, emergence);
    }

    private static Comparison.Run train(String init, ComputationGraphConfiguration conf, DatasetSource data,
                                        int epochs, int maxBatches) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray probe = data.testIterator(1000, Layout.FLAT, 1).next().getFeatures();  // first 1,000 test images
        return Comparison.train(init, net, probe, data.trainIterator(128, 1L, Layout.FLAT, maxBatches),
                data.testIterator(256, Layout.FLAT, maxBatches), epochs);
    }

    /** Runs the example; a bad argument or missing data prints one line and exits with status 2. */
    public static void main(String[] args) {
        Comparison.main(ResidualGraph.class, args, ResidualGraph::example);
    }

    private static void example(String[] args) throws Exception {
        DatasetSource data = Comparison.mnist(args.length > 0 ? args[0] : null);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Result r = run(data, 1.2, epochs, 0);
        System.out.println("Residual graph stem-b1-b2-out (256 wide) on " + r.dataset()
                + ", Nesterov SGD lr 0.01, batch 128, seed 42");
        System.out.print(r.plan());
        Comparison.print(r.stock(), r.emergence(), System.out);
    }
}
