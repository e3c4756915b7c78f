package org.emergenceinit.examples.quickstart;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A VGG-style CNN, c32-c32-pool-c64-c64-pool-f256-10 (3x3 same-padding convolutions, 2x2 max pooling, ReLU), on
 * CIFAR-10: stock Kaiming against {@code EmergenceRamp.kaiming(1.2).ramped(conf)}, optionally with BatchNorm before
 * every ReLU. Prints the ramp plan, then test accuracy and {@code log10 E} per epoch side by side.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.quickstart.CnnOnCifar10 \
 *     [--bn] [DATA_DIR [EPOCHS [MAX_BATCHES]]]          # or -Dbn=true for BatchNorm
 * </pre>
 * {@code DATA_DIR} (or {@code $EMERGENCE_DATA}) holds {@code cifar-10-batches-bin/} (full CIFAR-10) or
 * {@code cifar-10-subset/}; else DL4J's own CIFAR-10 cache and download are tried. When only the subset is found the
 * printout says so. Defaults: 2 epochs, all batches (128 images each).
 */
public final class CnnOnCifar10 {

    /** What {@link #run} returns: the dataset label, whether BatchNorm was used, the ramp plan and the two runs. */
    public record Result(String dataset, boolean batchNorm, RampPlan plan, Comparison.Run stock,
                         Comparison.Run emergence) {
    }

    private CnnOnCifar10() {
    }

    /** The network, stock Kaiming; with {@code batchNorm}, each ReLU becomes BatchNorm then ReLU. */
    public static MultiLayerConfiguration conf(boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .weightInit(WeightInit.RELU).updater(new Nesterovs(0.01, 0.9))
                .convolutionMode(ConvolutionMode.Same).list();
        for (int channels : new int[] {32, 32, 0, 64, 64, 0}) {
            if (channels == 0) {
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build());
            } else {
                relu(list, new ConvolutionLayer.Builder(3, 3).nOut(channels), batchNorm);
            }
        }
        relu(list, new DenseLayer.Builder().nOut(256), batchNorm);
        return list.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(32, 32, 3)).build();
    }

    /** DL4J's BatchNormalization ignores an activation set on it: ReLU must be a layer of its own after it. */
    private static void relu(NeuralNetConfiguration.ListBuilder list, FeedForwardLayer.Builder<?> layer, boolean bn) {
        list.layer(layer.activation(bn ? Activation.IDENTITY : Activation.RELU).build());
        if (bn) {
            list.layer(new BatchNormalization.Builder().build());
            list.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
    }

    /**
     * Trains both networks on {@code data} (CIFAR-10 or its subset); {@code maxBatches} 0 = all; {@code E} is
     * measured on the first {@code probeSize} test images.
     */
    public static Result run(DatasetSource data, boolean batchNorm, double alpha, int epochs, int maxBatches,
                             int probeSize) {
        RampPlan plan = EmergenceRamp.kaiming(alpha).plan(conf(batchNorm));
        Comparison.Run stock = train("kaiming", conf(batchNorm), data, epochs, maxBatches, probeSize);
        Comparison.Run emergence = train("emergence-kaiming(" + alpha + ")",
                EmergenceRamp.kaiming(alpha).ramped(conf(batchNorm)), data, epochs, maxBatches, probeSize);
        return new Result(data.displayLabel(), batchNorm, plan, stock, emergence);
    }

    private static Comparison.Run train(String init, MultiLayerConfiguration conf, DatasetSource data, int epochs,
                                        int maxBatches, int probeSize) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // the probe: the first test images, standardised like every batch
        INDArray probe = data.testIterator(probeSize, Layout.IMAGE, 1).next().getFeatures();
        return Comparison.train(init, net, probe, data.trainIterator(128, 1L, Layout.IMAGE, maxBatches),
                data.testIterator(256, Layout.IMAGE, maxBatches), epochs);
    }

    /** What was trained on what; a partial CIFAR-10 is called a subset. */
    public static String header(Result r) {
        return "CNN c32-c32-p-c64-c64-p-f256-10" + (r.batchNorm() ? " with BatchNorm" : "") + " on " + r.dataset()
                + (r.dataset().contains("-subset") ? ": a SUBSET of CIFAR-10, not the full set" : "")
                + "; Nesterov SGD lr 0.01, batch 128, seed 42";
    }

    /** Runs the example; a bad argument or missing data prints one line and exits with status 2. */
    public static void main(String[] args) {
        Comparison.main(CnnOnCifar10.class, args, CnnOnCifar10::example);
    }

    private static void example(String[] args) throws Exception {
        boolean bn = Boolean.getBoolean("bn") || Arrays.asList(args).contains("--bn");
        List<String> rest = Arrays.stream(args).filter(a -> !a.equals("--bn")).toList();
        DatasetSource data = Datasets.load(Datasets.CIFAR10, rest.isEmpty() ? null : Path.of(rest.get(0)));
        int epochs = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 2;
        int maxBatches = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 0;
        Result r = run(data, bn, 1.2, epochs, maxBatches, 1000);
        System.out.println(header(r) + (maxBatches > 0 ? "; " + maxBatches + " batches per epoch" : ""));
        System.out.print(r.plan());
        Comparison.print(r.stock(), r.emergence(), System.out);
    }
}
