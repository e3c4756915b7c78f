package org.emergenceinit.onednn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN helper path computes what DL4J's built-in path computes. For each layer DL4J has a oneDNN helper for
 * (convolution, subsampling, BatchNorm in training and inference mode, LRN) and for small VGG-style networks with
 * dense layers, the same parameters and inputs go through three paths:
 * <ul>
 *   <li><b>reference</b>: the built-in path in double precision (DL4J's helpers are float-only, so double always
 *       runs built-in);</li>
 *   <li><b>built-in</b>: float, helpers off ({@value OneDnn#HELPERS_DISABLE_PROPERTY} true and ND4J's native
 *       platform helpers off);</li>
 *   <li><b>oneDNN</b>: float, the helpers on (the test checks that each layer really holds a oneDNN helper).</li>
 * </ul>
 * Forward outputs and parameter gradients are compared with the reference by relative error
 * {@code ||x - ref|| / ||ref||} (whole vector) and by the largest element error relative to the largest reference
 * element, per parameter array. The rule: the oneDNN path's error may exceed the built-in float path's error by at
 * most {@value #FACTOR}x, plus a floor of {@value #FLOOR} (float rounding of sums over a few hundred terms; the
 * built-in path is exact on some inputs, e.g. max pooling). Measured on this machine: see {@code README.md}, section
 * "Fast CPU path"; single gradient elements that are sums of many cancelling terms (first-layer weights) have large
 * relative errors on both float paths, which is why elements are measured against the largest element, not
 * themselves.
 */
class HelperEquivalenceTest {

    static final double FACTOR = 4;
    static final double FLOOR = 2e-6;
    private static final int BATCH = 8;

    @BeforeAll
    static void oneDnnIsActive() {
        OneDnn.Choice c = OneDnn.enable();
        Nd4j.create(1);
        assumeTrue(c.oneDnnLayers() && OneDnn.loadedVariant() != null && OneDnn.loadedVariant().oneDnn(),
                "oneDNN not active on this machine: " + c + ", loaded " + OneDnn.loadedNatives());
    }

    /** One path's results: the network output (training or inference mode) and the flat gradient. */
    record Result(double[] output, double[] gradient, List<Layer> layers, MultiLayerNetwork net) {
    }

    enum Path { REFERENCE, BUILT_IN, ONEDNN }

    static Result run(Function<DataType, MultiLayerConfiguration> conf, Path path, INDArray params, DataSet data,
                      boolean train) {
        String before = System.getProperty(OneDnn.HELPERS_DISABLE_PROPERTY);
        boolean helpers = path == Path.ONEDNN;
        System.setProperty(OneDnn.HELPERS_DISABLE_PROPERTY, Boolean.toString(!helpers));
        Nd4j.getEnvironment().allowHelpers(helpers);
        try {
            DataType dt = path == Path.REFERENCE ? DataType.DOUBLE : DataType.FLOAT;
            MultiLayerNetwork net = new MultiLayerNetwork(conf.apply(dt));
            net.init(params.castTo(dt), true);
            INDArray x = data.getFeatures().castTo(dt);
            INDArray y = data.getLabels().castTo(dt);
            double[] out = net.output(x, train).castTo(DataType.DOUBLE).data().asDouble();
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            double[] grad = net.gradient().gradient().castTo(DataType.DOUBLE).dup().data().asDouble();
            return new Result(out, grad, List.of(net.getLayers()), net);
        } finally {
            if (before == null) {
                System.clearProperty(OneDnn.HELPERS_DISABLE_PROPERTY);
            } else {
                System.setProperty(OneDnn.HELPERS_DISABLE_PROPERTY, before);
            }
            Nd4j.getEnvironment().allowHelpers(true);
        }
    }

    static double relErr(double[] a, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
    }

    /**
     * The largest element error of {@code a[from, to)} over the largest reference element there; an array whose
     * true gradient is zero (a bias followed by BatchNorm: {@code 1e-17} in double, rounding noise in float) is
     * measured against {@code 1e-6} of the largest element of the whole gradient instead.
     */
    static double maxElemErr(double[] a, double[] ref, int from, int to) {
        double err = 0;
        double max = 0;
        double globalMax = 0;
        for (int i = from; i < to; i++) {
            err = Math.max(err, Math.abs(a[i] - ref[i]));
            max = Math.max(max, Math.abs(ref[i]));
        }
        for (double r : ref) {
            globalMax = Math.max(globalMax, Math.abs(r));
        }
        return err / Math.max(Math.max(max, 1e-6 * globalMax), 1e-300);
    }

    /** The worst single element error relative to that element, over elements of at least 1e-3 of the largest. */
    static double worstSelfRelative(double[] a, double[] ref) {
        double globalMax = 0;
        for (double r : ref) {
            globalMax = Math.max(globalMax, Math.abs(r));
        }
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Math.abs(ref[i]) >= 1e-3 * globalMax) {
                worst = Math.max(worst, Math.abs(a[i] - ref[i]) / Math.abs(ref[i]));
            }
        }
        return worst;
    }

    /** Runs the three paths and applies the rule; returns a printable line of the measured errors. */
    static String check(String name, Function<DataType, MultiLayerConfiguration> conf, boolean train,
                        Class<?>... expectedHelpers) {
        MultiLayerNetwork init = new MultiLayerNetwork(conf.apply(DataType.DOUBLE));
        init.init();
        INDArray params = init.params().dup();
        DataSet data = data(conf.apply(DataType.FLOAT));
        Result ref = run(conf, Path.REFERENCE, params, data, train);
        Result builtIn = run(conf, Path.BUILT_IN, params, data, train);
        Result fast = run(conf, Path.ONEDNN, params, data, train);
        List<Class<?>> found = new ArrayList<>();
        for (Layer l : fast.layers()) {
            if (l.getHelper() != null) {
                found.add(l.getHelper().getClass());
            }
        }
        for (Layer l : builtIn.layers()) {
            assertNull(l.getHelper(), "built-in path must run without helpers");
        }
        assertEquals(List.of(expectedHelpers), found, name + ": oneDNN helpers in use");

        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", name));
        compare(name + " output", builtIn.output(), fast.output(), ref.output(), 0, ref.output().length, line);
        compare(name + " gradient", builtIn.gradient(), fast.gradient(), ref.gradient(), 0, ref.gradient().length,
                line);
        // Per parameter array: the largest element error against the largest element of that array.
        double worstBuiltIn = 0;
        double worstFast = 0;
        long offset = 0;
        for (Layer l : ref.layers()) {
            for (INDArray p : l.paramTable().values()) {
                int from = (int) offset;
                int to = (int) (offset + p.length());
                double b = maxElemErr(builtIn.gradient(), ref.gradient(), from, to);
                double f = maxElemErr(fast.gradient(), ref.gradient(), from, to);
                assertTrue(f <= FACTOR * b + FLOOR * 10, String.format(Locale.ROOT,
                        "%s: gradient elements of layer %d, param [%d, %d): oneDNN %.3g vs built-in %.3g", name,
                        l.getIndex(), from, to, f, b));
                worstBuiltIn = Math.max(worstBuiltIn, b);
                worstFast = Math.max(worstFast, f);
                offset = to;
            }
        }
        line.append(String.format(Locale.ROOT, "  grad max-elem built-in %.2e oneDNN %.2e", worstBuiltIn,
                worstFast));
        line.append(String.format(Locale.ROOT, "  worst element vs itself built-in %.2e oneDNN %.2e",
                worstSelfRelative(builtIn.gradient(), ref.gradient()),
                worstSelfRelative(fast.gradient(), ref.gradient())));
        System.out.println("equivalence " + line);
        return line.toString();
    }

    private static void compare(String what, double[] builtIn, double[] fast, double[] ref, int from, int to,
                                StringBuilder line) {
        double b = relErr(builtIn, ref);
        double f = relErr(fast, ref);
        assertTrue(f <= FACTOR * b + FLOOR, String.format(Locale.ROOT,
                "%s: oneDNN relative error %.3g against double, built-in float %.3g (allowed %.3g)", what, f, b,
                FACTOR * b + FLOOR));
        line.append(String.format(Locale.ROOT, "  %s built-in %.2e oneDNN %.2e",
                what.substring(what.lastIndexOf(' ') + 1), b, f));
    }

    private static DataSet data(MultiLayerConfiguration conf) {
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) INPUT;
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, in.getChannels(), in.getHeight(), in.getWidth()).subi(0.3);
        int classes = (int) ((OutputLayer) conf.getConf(conf.getConfs().size() - 1).getLayer()).getNOut();
        INDArray y = Nd4j.zeros(DataType.DOUBLE, BATCH, classes);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, (i * 7) % classes, 1.0);
        }
        return new DataSet(x, y);
    }

    static final InputType INPUT = InputType.convolutional(12, 12, 3);

    private static NeuralNetConfiguration.ListBuilder builder(DataType dt) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(dt).weightInit(WeightInit.RELU)
                .biasInit(0.1).updater(new Nesterovs(0.01, 0.9)).convolutionMode(ConvolutionMode.Same).list();
    }

    private static MultiLayerConfiguration withHead(NeuralNetConfiguration.ListBuilder b) {
        return b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(5).activation(Activation.SOFTMAX).build())
                .setInputType(INPUT).build();
    }

    @Test
    void convolution() {
        check("conv 3x3 same", dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())), true,
                MKLDNNConvHelper.class);
        check("conv 3x3 stride 2 truncate", dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Truncate)
                        .nOut(6).activation(Activation.TANH).build())), true, MKLDNNConvHelper.class);
        // oneDNN (as called by DL4J's helper) rejects dilated convolutions ("could not create a descriptor for a
        // dilated convolution"); DL4J logs one warning and falls back to its built-in path for that layer.
        check("conv 3x3 dilation 2 no bias", dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(3, 3).dilation(2, 2).hasBias(false).nOut(6)
                        .activation(Activation.RELU).build())), true, MKLDNNConvHelper.class);
        check("conv 5x5 padding 1", dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(5, 5).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                        .nOut(4).activation(Activation.RELU).build())), true, MKLDNNConvHelper.class);
    }

    @Test
    void subsampling() {
        for (PoolingType type : new PoolingType[]{PoolingType.MAX, PoolingType.AVG}) {
            check(type + " pool 2x2", dt -> withHead(builder(dt)
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(type).kernelSize(2, 2).stride(2, 2).build())), true,
                    MKLDNNConvHelper.class, MKLDNNSubsamplingHelper.class);
            check(type + " pool 3x3 stride 2 same", dt -> withHead(builder(dt)
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(type).kernelSize(3, 3).stride(2, 2).build())), true,
                    MKLDNNConvHelper.class, MKLDNNSubsamplingHelper.class);
        }
    }

    @Test
    void batchNormInTrainingAndInferenceMode() {
        Function<DataType, MultiLayerConfiguration> conf = dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build()));
        check("conv-BN training", conf, true, MKLDNNConvHelper.class, MKLDNNBatchNormHelper.class);
        check("conv-BN inference", conf, false, MKLDNNConvHelper.class, MKLDNNBatchNormHelper.class);
        Function<DataType, MultiLayerConfiguration> dense = dt -> withHead(builder(dt)
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build()));
        check("dense-BN training", dense, true, MKLDNNBatchNormHelper.class);
        check("dense-BN inference", dense, false, MKLDNNBatchNormHelper.class);
    }

    /** M2.1 never creates its oneDNN LRN helper on CPU (disabled in DL4J itself, its issue 7272): LRN stays built-in. */
    @Test
    void localResponseNormalizationStaysBuiltIn() {
        check("conv-LRN", dt -> withHead(builder(dt)
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new LocalResponseNormalization.Builder().build())), true,
                MKLDNNConvHelper.class);
    }

    /** The project's VGG-style CNN, scaled down: conv-conv-pool-conv-conv-pool-dense-output. */
    static MultiLayerConfiguration vgg(DataType dt, boolean bn) {
        NeuralNetConfiguration.ListBuilder b = builder(dt);
        int[] widths = {8, 8, 0, 16, 16, 0};
        for (int w : widths) {
            if (w == 0) {
                b.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
                continue;
            }
            b.layer(new ConvolutionLayer.Builder(3, 3).nOut(w).activation(bn ? Activation.IDENTITY : Activation.RELU)
                    .build());
            if (bn) {
                b.layer(new BatchNormalization.Builder().build());
                b.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            }
        }
        b.layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build());
        return withHead(b);
    }

    @Test
    void vggStyleNetworks() {
        Class<?> c = MKLDNNConvHelper.class;
        Class<?> s = MKLDNNSubsamplingHelper.class;
        Class<?> n = MKLDNNBatchNormHelper.class;
        check("vgg", dt -> vgg(dt, false), true, c, c, s, c, c, s);
        check("vgg-BN", dt -> vgg(dt, true), true, c, n, c, n, s, c, n, c, n, s);
    }

    /** Twenty seeded Nesterov steps on the same batches: the losses of the two float paths agree step by step. */
    @Test
    void seededTrainingGivesTheSameLosses() {
        for (boolean bn : new boolean[]{false, true}) {
            MultiLayerNetwork init = new MultiLayerNetwork(vgg(DataType.FLOAT, bn));
            init.init();
            INDArray params = init.params().dup();
            List<DataSet> batches = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Nd4j.getRandom().setSeed(100 + i);
                batches.add(data(vgg(DataType.FLOAT, bn)));
            }
            double[][] losses = new double[2][20];
            for (int p = 0; p < 2; p++) {
                Result r = run(dt -> vgg(dt, bn), p == 0 ? Path.BUILT_IN : Path.ONEDNN, params, batches.get(0),
                        true);
                String before = System.getProperty(OneDnn.HELPERS_DISABLE_PROPERTY);
                Nd4j.getEnvironment().allowHelpers(p == 1);
                try {
                    for (int step = 0; step < 20; step++) {
                        r.net().fit(batches.get(step % batches.size()));
                        losses[p][step] = r.net().score();
                    }
                } finally {
                    Nd4j.getEnvironment().allowHelpers(true);
                }
            }
            double worst = 0;
            for (int step = 0; step < 20; step++) {
                worst = Math.max(worst, Math.abs(losses[0][step] - losses[1][step]) / Math.abs(losses[0][step]));
            }
            System.out.printf(Locale.ROOT, "equivalence training vgg%s: 20 steps, losses %.6f -> %.6f (built-in),"
                            + " %.6f -> %.6f (oneDNN), largest relative difference %.2e%n", bn ? "-BN" : "",
                    losses[0][0], losses[0][19], losses[1][0], losses[1][19], worst);
            assertTrue(worst < 1e-4, "losses of the two paths differ by " + worst + " (relative)");
            assertTrue(losses[1][19] < losses[1][0], "training must lower the loss");
        }
    }
}
