package org.emergenceinit.bench;

import org.emergenceinit.onednn.OneDnn;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.Layout;
import org.emergenceinit.measure.EmergenceListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Overhead of an {@link EmergenceListener} on the MNIST MLP 784-256-128-10 (the issue's target: at most 3 % of
 * epoch time with a 1,000-sample probe every epoch).
 *
 * <p>One network (ReLU, softmax output, He/Kaiming init, SGD 0.05, batch 128) trains on the full MNIST
 * training set. Each epoch runs either <b>without</b> a listener or <b>with</b> an {@link EmergenceListener}
 * that probes {@code --probe} test images (default 1,000) at the end of the epoch. After warm-up epochs
 * (listener attached, so both code paths are compiled and the listener's one-off "start" record is taken
 * outside the timed epochs), the timed epochs follow the pattern {@code ABBA} repeated {@code --blocks} times
 * (A = without, B = with), which cancels a linear drift of the machine's speed. Each timed epoch is the wall
 * time of {@code net.fit(trainIterator)}, data iteration included, and the JVM's process CPU time over the same
 * call (less sensitive to other processes on a shared machine); the listener's own time at epoch end is also
 * timed directly.
 *
 * <p>Reported, for wall and CPU time: seconds per epoch (mean, standard deviation, median) for each
 * configuration, the overhead {@code (with - without) / without} from the means, from the medians and paired
 * within each ABBA block (with a 95 % t-interval over blocks); and the directly timed probe
 * cost as a fraction of the mean epoch without the listener. JMH is not used: whole epochs are too long for
 * its iteration model, and JMH's guidance allows a plain harness for such macro benchmarks.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.bench.ListenerOverheadBenchmark \
 *     [--data-dir DIR] [--blocks 3] [--warmup-epochs 2] [--probe 1000] [--batch 128] [--seed 42] \
 *     [--max-batches 0] [--out DIR]
 * </pre>
 *
 * {@code --data-dir} defaults to {@code $EMERGENCE_DATA} (a folder holding {@code mnist/} with the four IDX
 * files). {@code --out DIR} writes {@code listener-overhead.csv} (one line per epoch) and
 * {@code listener-overhead.txt} (the printed report).
 */
public final class ListenerOverheadBenchmark {

    private ListenerOverheadBenchmark() {
    }

    /** Settings from the command line, parsed by picocli. */
    static final class Options {
        @Option(names = "--data-dir")
        Path dataDir;
        @Option(names = "--blocks")
        int blocks = 3;
        @Option(names = "--warmup-epochs")
        int warmupEpochs = 2;
        @Option(names = "--probe")
        int probe = 1000;
        @Option(names = "--batch")
        int batch = 128;
        @Option(names = "--seed")
        long seed = 42;
        @Option(names = "--max-batches")
        int maxBatches;
        @Option(names = "--out")
        Path out;

        static Options parse(String[] args) {
            Options o = new Options();
            try {
                new CommandLine(o).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            atLeast("--blocks", o.blocks, 1);
            atLeast("--warmup-epochs", o.warmupEpochs, 0);
            atLeast("--probe", o.probe, 1);
            atLeast("--batch", o.batch, 1);
            atLeast("--max-batches", o.maxBatches, 0);
            return o;
        }

        private static void atLeast(String name, int n, int min) {
            if (n < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", got " + n);
            }
        }
    }

    /** Forwards to an {@link EmergenceListener} and times its work at epoch end. */
    static final class TimedListener extends BaseTrainingListener {
        final EmergenceListener delegate;
        long epochEndNanos;

        TimedListener(EmergenceListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEpochStart(Model model) {
            delegate.onEpochStart(model);
        }

        @Override
        public void onEpochEnd(Model model) {
            long t0 = System.nanoTime();
            delegate.onEpochEnd(model);
            epochEndNanos += System.nanoTime() - t0;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            delegate.iterationDone(model, iteration, epoch);
        }
    }

    /** One timed epoch. */
    record Epoch(int index, boolean withListener, double seconds, double cpuSeconds, double probeSeconds, double score) {
    }

    /**
     * @param args see the class comment
     * @throws IOException if the data cannot be read or the results cannot be written
     */
    public static void main(String[] args) throws IOException {
        OneDnn.enable();
        String usage = "usage: ListenerOverheadBenchmark [--data-dir DIR] [--blocks 3] [--warmup-epochs 2]"
                + " [--probe 1000] [--batch 128] [--seed 42] [--max-batches 0] [--out DIR]";
        if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
            System.out.println(usage);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ListenerOverheadBenchmark: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        run(o);
    }

    static MultiLayerNetwork mlp(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .weightInit(WeightInit.RELU).updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static void run(Options o) throws IOException {
        DatasetSource data = Datasets.load(Datasets.MNIST, o.dataDir);
        DataSetIterator train = data.trainIterator(o.batch, o.seed, Layout.FLAT, o.maxBatches);
        int probeSize = Math.min(o.probe, data.numTest());
        DataSet probeSet = data.test().head(probeSize).toDataSet(Layout.FLAT);
        data.normalizer(Layout.FLAT).ifPresent(n -> n.transform(probeSet));

        MultiLayerNetwork net = mlp(o.seed);
        TimedListener timed = new TimedListener(EmergenceListener.builder(probeSet.getFeatures()).build());
        TrainingListener[] none = new TrainingListener[0];

        String pattern = "ABBA".repeat(o.blocks);
        StringBuilder head = new StringBuilder();
        head.append(String.format(Locale.ROOT, "EmergenceListener overhead: MLP 784-256-128-10 (ReLU, SGD 0.05, batch %d),"
                        + " %s (%,d train images), probe %d test images at each epoch end%n", o.batch, data.displayLabel(),
                data.numTrain(), probeSize));
        head.append(String.format(Locale.ROOT, "train batches per epoch: %s; warm-up epochs (with listener, untimed): %d;"
                        + " timed pattern %s (A = without, B = with)%n", o.maxBatches == 0 ? "all" : "at most " + o.maxBatches,
                o.warmupEpochs, pattern));
        head.append(String.format(Locale.ROOT, "java %s, %d processors, OMP_NUM_THREADS=%s%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)")));
        System.out.print(head);

        for (int w = 0; w < o.warmupEpochs; w++) {
            net.setListeners(timed);
            long t0 = System.nanoTime();
            net.fit(train);
            System.out.printf(Locale.ROOT, "warm-up epoch %d: %.3f s%n", w + 1, (System.nanoTime() - t0) / 1e9);
        }
        if (o.warmupEpochs == 0) {
            // Take the listener's one-off start record outside the timed epochs.
            timed.delegate.record(net, EmergenceListener.START);
        }

        List<Epoch> epochs = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%5s  %-8s %9s %9s %9s %9s %9s%n",
                "epoch", "listener", "seconds", "cpu_s", "probe_s", "score", "log10_E"));
        System.out.print(table);
        for (int k = 0; k < pattern.length(); k++) {
            boolean with = pattern.charAt(k) == 'B';
            net.setListeners(with ? new TrainingListener[] {timed} : none);
            System.gc();
            long before = timed.epochEndNanos;
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            net.fit(train);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (processCpuNanos() - c0) / 1e9;
            double probeSeconds = (timed.epochEndNanos - before) / 1e9;
            Epoch e = new Epoch(k + 1, with, seconds, cpuSeconds, probeSeconds, net.score());
            epochs.add(e);
            String log10 = "";
            if (with) {
                List<EmergenceListener.Record> records = timed.delegate.records();
                log10 = String.format(Locale.ROOT, "%.4f", records.get(records.size() - 1).log10Emergence());
            }
            String line = String.format(Locale.ROOT, "%5d  %-8s %9.3f %9.3f %9s %9.4f %9s%n", e.index(),
                    with ? "with" : "without", seconds, cpuSeconds, with ? String.format(Locale.ROOT, "%.4f", probeSeconds) : "-", e.score(), log10);
            table.append(line);
            System.out.print(line);
        }

        double[] probe = epochs.stream().filter(Epoch::withListener).mapToDouble(Epoch::probeSeconds).toArray();
        double[] without = epochs.stream().filter(e -> !e.withListener()).mapToDouble(Epoch::seconds).toArray();
        StringBuilder summary = new StringBuilder("\n");
        summary.append(String.format(Locale.ROOT, "%-30s %4s %9s %9s %9s%n", "configuration", "n", "mean_s", "sd_s", "median_s"));
        compare(summary, "wall", epochs, Epoch::seconds);
        compare(summary, "process CPU", epochs, Epoch::cpuSeconds);
        summary.append(String.format(Locale.ROOT, "%-30s %4d %9.4f %9.4f %9.4f%n", "probe at epoch end (wall)", probe.length,
                mean(probe), sd(probe), median(probe)));
        summary.append('\n');
        overhead(summary, "wall", epochs, Epoch::seconds);
        overhead(summary, "process CPU", epochs, Epoch::cpuSeconds);
        summary.append(String.format(Locale.ROOT, "probe time / mean epoch without listener: %.2f %%  (target: at most 3 %%)%n",
                100 * mean(probe) / mean(without)));
        Evaluation eval = net.evaluate(data.testIterator(1000, Layout.FLAT, 0));
        summary.append(String.format(Locale.ROOT, "test accuracy after %d epochs: %.4f%n",
                o.warmupEpochs + pattern.length(), eval.accuracy()));
        System.out.print(summary);

        if (o.out != null) {
            Files.createDirectories(o.out);
            StringBuilder csv = new StringBuilder("epoch,listener,seconds,cpu_seconds,probe_seconds,score\n");
            for (Epoch e : epochs) {
                csv.append(String.format(Locale.ROOT, "%d,%s,%.6f,%.6f,%.6f,%.6f%n", e.index(),
                        e.withListener() ? "with" : "without", e.seconds(), e.cpuSeconds(), e.probeSeconds(), e.score()));
            }
            Files.writeString(o.out.resolve("listener-overhead.csv"), csv, StandardCharsets.UTF_8);
            Files.writeString(o.out.resolve("listener-overhead.txt"), head + table.toString() + summary,
                    StandardCharsets.UTF_8);
            System.out.println("wrote " + o.out.resolve("listener-overhead.csv") + " and listener-overhead.txt");
        }
    }

    private static void compare(StringBuilder sb, String what, List<Epoch> epochs, ToDoubleFunction<Epoch> time) {
        double[] without = epochs.stream().filter(e -> !e.withListener()).mapToDouble(time).toArray();
        double[] with = epochs.stream().filter(Epoch::withListener).mapToDouble(time).toArray();
        sb.append(String.format(Locale.ROOT, "%-30s %4d %9.3f %9.3f %9.3f%n", "without listener (" + what + ")",
                without.length, mean(without), sd(without), median(without)));
        sb.append(String.format(Locale.ROOT, "%-30s %4d %9.3f %9.3f %9.3f%n", "with listener (" + what + ")",
                with.length, mean(with), sd(with), median(with)));
    }

    private static void overhead(StringBuilder sb, String what, List<Epoch> epochs, ToDoubleFunction<Epoch> time) {
        double[] without = epochs.stream().filter(e -> !e.withListener()).mapToDouble(time).toArray();
        double[] with = epochs.stream().filter(Epoch::withListener).mapToDouble(time).toArray();
        double[] paired = blockOverheads(epochs, time);
        double half = 100 * tQuantile975(paired.length - 1) * sd(paired) / Math.sqrt(paired.length);
        sb.append(String.format(Locale.ROOT, "overhead, %s time: %+.2f %% (means), %+.2f %% (medians), paired by ABBA block"
                        + " (n = %d) %+.2f %%, 95 %% t-interval [%+.2f %%, %+.2f %%]%n", what,
                100 * (mean(with) / mean(without) - 1), 100 * (median(with) / median(without) - 1), paired.length,
                100 * mean(paired), 100 * mean(paired) - half, 100 * mean(paired) + half));
    }

    /** @return CPU time of this JVM (all threads: training, data prefetch, GC, JIT), in nanoseconds */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * @return per ABBA block, {@code mean(B) / mean(A) - 1}: the overhead with the block's own baseline, so
     *         that the machine's drift between blocks cancels
     */
    static double[] blockOverheads(List<Epoch> epochs, ToDoubleFunction<Epoch> time) {
        int blocks = epochs.size() / 4;
        double[] out = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            double a = 0;
            double w = 0;
            for (Epoch e : epochs.subList(4 * b, 4 * b + 4)) {
                if (e.withListener()) {
                    w += time.applyAsDouble(e);
                } else {
                    a += time.applyAsDouble(e);
                }
            }
            out[b] = w / a - 1;
        }
        return out;
    }

    /** @return the 97.5 % quantile of Student's t with {@code df} degrees of freedom (NaN for df < 1) */
    static double tQuantile975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
        if (df < 1) {
            return Double.NaN;
        }
        return df <= table.length ? table[df - 1] : df <= 30 ? 2.09 : 1.96;
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    static double sd(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
