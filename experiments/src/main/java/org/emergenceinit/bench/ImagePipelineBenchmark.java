package org.emergenceinit.bench;

import org.emergenceinit.onednn.OneDnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.OwnDataSpec;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.IdxReader;
import org.emergenceinit.data.IdxWriter;
import org.emergenceinit.data.ImageData;
import org.emergenceinit.data.Layout;
import org.emergenceinit.data.SampleData;
import org.emergenceinit.harness.ArchSpec;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Images per second through the {@code images:DIR} pipeline (DataVec's {@code ImageRecordReader} and
 * {@code RecordReaderDataSetIterator}, with the folder scan, header checks, hashing and split) versus the
 * project's own IDX reader, on the same 6,000 embedded MNIST digits written once as PNGs and as IDX files into a
 * temporary folder, and versus one training epoch of the MNIST MLP 784-256-128-10 (batch 128) on them. Each
 * figure is the best of {@code --repeats} timed runs after one warm-up.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.bench.Benchmarks images [--repeats 3]
 * </pre>
 * The folder is read once per run, then held in memory, so per epoch the pipeline costs nothing more than the
 * IDX path; the last ratio says how reading the folder once compares with training on it (below 1: reading an
 * image takes longer than one MLP training step on it, so the one-off read costs a few epochs' time).
 */
public final class ImagePipelineBenchmark {

    private ImagePipelineBenchmark() {
    }

    /**
     * @param args {@code [--repeats N]}
     * @throws Exception from reading, writing or training
     */
    public static void main(String[] args) throws Exception {
        OneDnn.enable();
        int repeats = 3;
        if (args.length == 2 && args[0].equals("--repeats")) {
            repeats = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            throw new IllegalArgumentException("usage: Benchmarks images [--repeats N]");
        }
        ImageData digits = Datasets.load(Datasets.MNIST_EMBEDDED, null).train();
        Path tmp = Files.createTempDirectory("image-pipeline-bench");
        try {
            Path folder = tmp.resolve("digits");
            int n = SampleData.writeImageFolder(digits, IntStream.range(0, 10).boxed().toList(), Integer.MAX_VALUE,
                    folder);
            Path images = tmp.resolve("images-idx3-ubyte");
            Path labels = tmp.resolve("labels-idx1-ubyte");
            IdxWriter.writeImages(images, new IdxReader.Images(digits.size(), 28, 28, digits.pixels()), false);
            IdxWriter.writeLabels(labels, digits.labels(), false);

            double idx = best(repeats, () -> IdxReader.read(images, labels));
            String name = Datasets.IMAGES_PREFIX + folder;
            double pipeline = best(repeats, () -> Datasets.load(name, null, OwnDataSpec.DEFAULTS));
            DatasetSource data = Datasets.load(name, null, OwnDataSpec.DEFAULTS);
            MultiLayerNetwork net = new MultiLayerNetwork(ArchSpec.parse("mlp:784-256-128-10").build(42,
                    WeightInit.RELU, false, InputType.feedForward(784), new Nesterovs(0.01, 0.9)));
            net.init();
            double epoch = best(repeats, () -> {
                net.fit(data.trainIterator(128, 42, Layout.FLAT, 0));
                return null;
            });
            int trained = data.numTrain();
            System.out.printf(Locale.ROOT, "%,d MNIST digits (PNG folder of 10 classes and IDX files), best of %d"
                    + " after a warm-up, %s threads%n", n, repeats, System.getenv().getOrDefault("OMP_NUM_THREADS",
                    "default"));
            System.out.printf(Locale.ROOT, "%-52s %10.3f s %12.0f images/s%n", "IDX reader (IdxReader.read)", idx,
                    n / idx);
            System.out.printf(Locale.ROOT, "%-52s %10.3f s %12.0f images/s%n",
                    "images:DIR pipeline (DataVec ImageRecordReader)", pipeline, n / pipeline);
            System.out.printf(Locale.ROOT, "%-52s %10.3f s %12.0f images/s%n",
                    "MLP 784-256-128-10 epoch, batch 128 (" + trained + " train)", epoch, trained / epoch);
            System.out.printf(Locale.ROOT, "pipeline / IDX reader speed: %.3f; pipeline / MLP training speed: %.2f"
                    + " (images per second; the folder is read once per run, epochs then iterate the same in-memory"
                    + " bytes as the IDX path)%n", idx / pipeline, (n / pipeline) / (trained / epoch));
        } finally {
            try (Stream<Path> all = Files.walk(tmp)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A timed action. */
    @FunctionalInterface
    private interface Action {
        Object run() throws IOException;
    }

    /** @return the shortest of {@code repeats} timings in seconds, after one untimed warm-up */
    private static double best(int repeats, Action action) throws IOException {
        action.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            action.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
