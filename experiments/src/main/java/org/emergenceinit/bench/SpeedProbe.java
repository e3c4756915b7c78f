package org.emergenceinit.bench;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.harness.ArchSpec;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.TrainingRun;
import org.emergenceinit.nmt.TransformerStepBenchmark;
import org.emergenceinit.onednn.OneDnn;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * One timed workload in a fresh JVM, for {@code bin/emergence bench-speed}, which starts it once per natives build
 * (the build is chosen at JVM start: {@code -Ddl4j.onednn=off} for the plain natives). Prints
 * {@code name value} lines that {@code bench-speed} reads:
 * <ul>
 *   <li>{@code cnn [--bn] [--seconds S]}: the VGG-style CNN {@value #CNN} (Nesterov SGD 0.01/0.9, batches of 128
 *       random 32x32x3 images): {@code cnn_train_images_per_second}, {@code cnn_infer_images_per_second};</li>
 *   <li>{@code mlp --data-dir DIR [--epochs N]}: MNIST MLP 784-256-128-10 epochs through the project's
 *       {@link TrainingRun} (batch 128, Nesterov SGD 0.01/0.9, Xavier): {@code mlp_epoch_seconds} (median of the
 *       epochs after a warm-up epoch);</li>
 *   <li>{@code transformer [--warmup W] [--steps N]}: training steps of the SameDiff transformer of the Multi30k
 *       default at batch 64, length 24 ({@link TransformerStepBenchmark}, W untimed steps, default 3, then N timed,
 *       default 10; {@code bench-speed} asks for 40 and 20):
 *       {@code transformer_step_seconds} (median).</li>
 * </ul>
 * Every run also prints {@code natives} (the loaded build) and {@code onednn_layers} (1 when DL4J's layers run
 * through oneDNN).
 */
public final class SpeedProbe {

    /** The CNN of the cnn-vgg preset. */
    public static final String CNN = "cnn:c32-c32-p-c64-c64-p-f256-10";

    private SpeedProbe() {
    }

    public static void main(String[] args) throws Exception {
        OneDnn.Choice choice = OneDnn.enable();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String workload = a.isEmpty() ? "" : a.remove(0);
        double seconds = Double.parseDouble(option(a, "--seconds", "10"));
        Nd4j.create(1);
        System.out.println("natives " + OneDnn.loadedVariant().classifier());
        System.out.println("onednn_layers " + (choice.oneDnnLayers() && OneDnn.loadedVariant().oneDnn() ? 1 : 0));
        switch (workload) {
            case "cnn" -> cnn(a.contains("--bn"), seconds);
            case "mlp" -> mlp(Path.of(option(a, "--data-dir", ".")), Integer.parseInt(option(a, "--epochs", "3")));
            case "transformer" -> transformer(Integer.parseInt(option(a, "--warmup", "3")),
                    Integer.parseInt(option(a, "--steps", "10")));
            default -> {
                System.err.println("usage: SpeedProbe cnn [--bn] [--seconds S] | mlp --data-dir DIR [--epochs N]"
                        + " | transformer [--warmup W] [--steps N]");
                System.exit(2);
            }
        }
    }

    private static String option(List<String> a, String name, String fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : fallback;
    }

    /** Runs {@code step} (returning the examples it processed) until {@code seconds} passed and 3 steps ran. */
    static double perSecond(IntSupplier step, double seconds) {
        long start = System.nanoTime();
        long examples = 0;
        int steps = 0;
        double elapsed;
        do {
            examples += step.getAsInt();
            steps++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (steps < 3 || elapsed < seconds);
        return examples / elapsed;
    }

    static void cnn(boolean bn, double seconds) {
        MultiLayerNetwork net = new MultiLayerNetwork(ArchSpec.parse(CNN).build(1, WeightInit.RELU, bn,
                InputType.convolutional(32, 32, 3), new Nesterovs(0.01, 0.9)));
        net.init();
        TrainingRun.leanDense(net); // as a training run does
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 10);
        for (int i = 0; i < 128; i++) {
            y.putScalar(i, i % 10, 1);
        }
        DataSet batch = new DataSet(x, y);
        for (int i = 0; i < 3; i++) {
            net.fit(batch);
        }
        double train = perSecond(() -> {
            net.fit(batch);
            return 128;
        }, seconds);
        for (int i = 0; i < 3; i++) {
            net.output(x);
        }
        double infer = perSecond(() -> {
            net.output(x);
            return 128;
        }, seconds);
        System.out.printf(Locale.ROOT, "cnn_train_images_per_second %.3f%n", train);
        System.out.printf(Locale.ROOT, "cnn_infer_images_per_second %.3f%n", infer);
    }

    static void mlp(Path dataDir, int epochs) throws Exception {
        Path tmp = Files.createTempDirectory("speed-probe");
        RunSpec o = RunSpec.builder().dataset(Datasets.MNIST).dataDir(dataDir).momentum(0.9).epochs(epochs + 1)
                .probeSamples(1).init("xavier").seed(1).build();
        DatasetSource data = Datasets.load(Datasets.MNIST, dataDir);
        o = o.withOut(tmp.resolve(o.runName()));
        TrainingRun run = TrainingRun.start(o, data, null);
        double[] s = new double[epochs];
        double[] cpu = new double[epochs];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        run.epoch();
        for (int e = 0; e < epochs; e++) {
            long c0 = threads.getCurrentThreadCpuTime();
            s[e] = run.epoch().seconds();
            cpu[e] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        run.finish();
        Arrays.sort(s);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "mlp_epoch_seconds %.4f%n", s[epochs / 2]);
        // the training thread's CPU time per epoch (the epoch's data reading included): on a busy machine the wall
        // time also counts the waits for a core
        System.out.printf(Locale.ROOT, "mlp_epoch_thread_cpu_seconds %.4f%n", cpu[epochs / 2]);
    }

    static void transformer(int warmup, int steps) {
        TransformerStepBenchmark.Result r = TransformerStepBenchmark.run(TransformerStepBenchmark.multi30kConfig(),
                64, 24, 24, warmup, steps, 42);
        System.out.printf(Locale.ROOT, "transformer_step_seconds %.4f%n", r.medianSeconds());
        System.out.printf(Locale.ROOT, "transformer_step_thread_cpu_seconds %.4f%n", r.threadCpuMedianSeconds());
    }
}
