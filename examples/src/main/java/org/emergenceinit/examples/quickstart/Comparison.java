package org.emergenceinit.examples.quickstart;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.ImageData;
import org.emergenceinit.measure.EmergenceListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the quickstart mains share besides DL4J itself: the result of one training run ({@link Run}), where MNIST
 * comes from (and a folder of digit PNGs for {@link OwnData}), the weight standard deviation of each layer, and the side-by-side table of a stock run and an
 * emergence run.
 */
public final class Comparison {

    private Comparison() {
    }

    /**
     * One training run.
     *
     * @param init            what initialised it, e.g. {@code kaiming} or {@code emergence-kaiming(1.2)}
     * @param weightStdAtInit the std of each weight layer's {@code W} right after {@code init()}, by layer name, in
     *                        the network's layer order (topological for a graph)
     * @param testAccuracy    test accuracy after each epoch (index 0 = epoch 1)
     * @param emergence       the {@link EmergenceListener}'s records: {@code start}, then one {@code epoch_end} per
     *                        epoch
     * @param net             the trained network
     */
    public record Run(String init, Map<String, Double> weightStdAtInit, List<Double> testAccuracy,
                      List<EmergenceListener.Record> emergence, Model net) {
    }

    /**
     * MNIST for the MNIST mains: full MNIST from {@code dataDir} (a folder holding {@code mnist/}) or, if that is
     * null, from {@code $EMERGENCE_DATA}; if neither is given, the 6,000 / 1,000 subset shipped with the project.
     *
     * @param dataDir the folder given on the command line, or null
     * @throws IOException if the folder does not hold MNIST (the message lists every path tried)
     */
    public static DatasetSource mnist(String dataDir) throws IOException {
        String env = System.getenv(Datasets.ENV_VAR);
        if (dataDir == null && (env == null || env.isBlank())) {
            return Datasets.load(Datasets.MNIST_EMBEDDED, null);
        }
        return Datasets.load(Datasets.MNIST, dataDir == null ? null : Path.of(dataDir));
    }

    /** Writes {@code perClass} digits of each class 0-4 of the embedded MNIST subset as PNGs, one folder a class. */
    public static Path writeDigitFolders(Path dir, int perClass) throws IOException {
        ImageData digits = Datasets.load(Datasets.MNIST_EMBEDDED, null).train();
        int[] written = new int[5];
        for (int i = 0; i < digits.size(); i++) {
            int label = digits.label(i);
            if (label < 5 && written[label] < perClass) {
                BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        png.getRaster().setSample(x, y, 0, digits.pixel(i, 0, y, x));
                    }
                }
                Files.createDirectories(dir.resolve(String.valueOf(label)));
                ImageIO.write(png, "png", dir.resolve(label + "/" + written[label]++ + ".png").toFile());
            }
        }
        return dir;
    }

    /** @return the std of each layer's weight matrix {@code W}, by layer name, in layer order */
    public static Map<String, Double> weightStds(Model net) {
        Layer[] layers = net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
        Map<String, Double> stds = new LinkedHashMap<>();
        for (Layer layer : layers) {
            INDArray w = layer.paramTable().get("W");
            if (w != null) {
                stds.put(layer.conf().getLayer().getLayerName(), w.stdNumber().doubleValue());
            }
        }
        return stds;
    }

    /** Prints the weight stds at init of both runs and their ratio (the ramp's scale per layer). */
    public static void printWeightStds(Run stock, Run emergence, PrintStream out) {
        out.printf(Locale.ROOT, "%-10s %18s %26s %8s%n", "layer", "std " + stock.init(), "std " + emergence.init(),
                "ratio");
        stock.weightStdAtInit().forEach((name, std) -> {
            double em = emergence.weightStdAtInit().get(name);
            out.printf(Locale.ROOT, "%-10s %18.5f %26.5f %8.4f%n", name, std, em, em / std);
        });
    }

    /**
     * Prints, per epoch, test accuracy and {@code log10 E} of both runs side by side; epoch 0 is the network at
     * initialization (no accuracy yet).
     */
    public static void print(Run stock, Run emergence, PrintStream out) {
        out.printf(Locale.ROOT, "%-6s | %-26s | %-26s%n", "", stock.init(), emergence.init());
        out.printf(Locale.ROOT, "%-6s | %13s %12s | %13s %12s%n", "epoch", "test accuracy", "log10 E",
                "test accuracy", "log10 E");
        for (int i = 0; i < stock.emergence().size(); i++) {
            out.printf(Locale.ROOT, "%-6d | %13s %12.3f | %13s %12.3f%n", i, accuracy(stock, i),
                    stock.emergence().get(i).log10Emergence(), accuracy(emergence, i),
                    emergence.emergence().get(i).log10Emergence());
        }
    }

    private static String accuracy(Run run, int epoch) {
        return epoch == 0 ? "-" : String.format(Locale.ROOT, "%.4f", run.testAccuracy().get(epoch - 1));
    }

    /**
     * The loop every example runs: attach an {@link EmergenceListener} on {@code probe} (it records E at the start
     * and after every epoch), then {@code epochs} times fit one pass over {@code train} and evaluate on {@code test}.
     *
     * @param net an initialised {@code MultiLayerNetwork} or {@code ComputationGraph}
     */
    public static <N extends Model & NeuralNetwork> Run train(String init, N net, INDArray probe,
                                                              DataSetIterator train, DataSetIterator test,
                                                              int epochs) {
        EmergenceListener emergence = EmergenceListener.builder(probe).build();
        net.setListeners(emergence);
        Map<String, Double> stdAtInit = weightStds(net);
        List<Double> accuracy = new java.util.ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            train.reset();
            net.fit(train);
            test.reset();
            accuracy.add(net.doEvaluation(test, new Evaluation())[0].accuracy());
        }
        return new Run(init, stdAtInit, accuracy, emergence.records(), net);
    }

    /** The body of an example's main. */
    @FunctionalInterface
    interface Example {
        void run(String[] args) throws Exception;
    }

    /**
     * What every example's {@code main} does: oneDNN first (it picks the natives for this CPU and runs DL4J's layers
     * through oneDNN), then the example; a bad argument, missing or unreadable data print one line naming the
     * problem and exit with status 2 (any other failure keeps its stack trace).
     */
    static void main(Class<?> example, String[] args, Example body) {
        org.emergenceinit.onednn.OneDnn.enable();
        try {
            body.run(args);
        } catch (NumberFormatException e) {
            exit(example, "an argument is not a number (" + e.getMessage() + "); see the class documentation for the"
                    + " arguments");
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
            exit(example, e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void exit(Class<?> example, String message) {
        System.err.println(example.getSimpleName() + ": " + message);
        System.exit(2);
    }
}
