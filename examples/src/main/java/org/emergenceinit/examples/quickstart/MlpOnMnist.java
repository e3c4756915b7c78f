package org.emergenceinit.examples.quickstart;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Layout;
import org.emergenceinit.measure.EmergenceListener;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;


/**
 * A deep ReLU MLP, 784-6x256-10, on MNIST: stock Kaiming against the emergence ramp over Kaiming
 * ({@code EmergenceRamp.kaiming(1.2).ramped(conf)}), same seed, same batches, SGD with Nesterov momentum. Prints the
 * ramp plan, each layer's weight std at init for both networks, then test accuracy and {@code log10 E} (recorded by
 * an {@link EmergenceListener} on 1,000 test images) per epoch, side by side.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.quickstart.MlpOnMnist \
 *     [DATA_DIR [EPOCHS]]
 * </pre>
 * {@code DATA_DIR} (or {@code $EMERGENCE_DATA}) is a folder holding {@code mnist/} with the four IDX files; without
 * one the 6,000 / 1,000 MNIST subset shipped with the project is used. {@code EPOCHS} defaults to 2.
 */
public final class MlpOnMnist {

    /** What {@link #run} returns: the dataset label, the ramp plan and the two runs. */
    public record Result(String dataset, RampPlan plan, Comparison.Run stock, Comparison.Run emergence) {
    }

    private MlpOnMnist() {
    }

    /** The network: 6 hidden ReLU layers of 256, softmax output; stock Kaiming (DL4J's {@code WeightInit.RELU}). */
    public static MultiLayerConfiguration conf() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .weightInit(WeightInit.RELU).updater(new Nesterovs(0.01, 0.9)).list();
        for (int i = 0; i < 6; i++) {
            list.layer(new DenseLayer.Builder().nIn(i == 0 ? 784 : 256).nOut(256).activation(Activation.RELU).build());
        }
        return list.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(10)
                .activation(Activation.SOFTMAX).build()).build();
    }

    /**
     * Trains both networks.
     *
     * @param data       MNIST (full or the embedded subset)
     * @param alpha      the ramp's ratio (1 gives stock Kaiming exactly)
     * @param epochs     epochs
     * @param maxBatches training and test batches per epoch, 0 for all
     */
    public static Result run(DatasetSource data, double alpha, int epochs, int maxBatches) {
        RampPlan plan = EmergenceRamp.kaiming(alpha).plan(conf());
        Comparison.Run stock = train("kaiming", conf(), data, epochs, maxBatches);
        Comparison.Run emergence = train("emergence-kaiming(" + alpha + ")",
                EmergenceRamp.kaiming(alpha).ramped(conf()),                        // the one line
                data, epochs, maxBatches);
        return new Result(data.displayLabel(), plan, stock, emergence);
    }

    private static Comparison.Run train(String init, MultiLayerConfiguration conf, DatasetSource data, int epochs,
                                        int maxBatches) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray probe = data.testIterator(1000, Layout.FLAT, 1).next().getFeatures();  // first 1,000 test images
        return Comparison.train(init, net, probe, data.trainIterator(128, 1L, Layout.FLAT, maxBatches),
                data.testIterator(256, Layout.FLAT, maxBatches), epochs);
    }

    /** Runs the example; a bad argument or missing data prints one line and exits with status 2. */
    public static void main(String[] args) {
        Comparison.main(MlpOnMnist.class, args, MlpOnMnist::example);
    }

    private static void example(String[] args) throws Exception {
        DatasetSource data = Comparison.mnist(args.length > 0 ? args[0] : null);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Result r = run(data, 1.2, epochs, 0);
        System.out.println("MLP 784-6x256-10 on " + r.dataset() + ", Nesterov SGD lr 0.01, batch 128, seed 42");
        System.out.print(r.plan());
        Comparison.printWeightStds(r.stock(), r.emergence(), System.out);
        Comparison.print(r.stock(), r.emergence(), System.out);
    }
}
