package org.emergenceinit.examples.quickstart;

import org.datavec.api.io.filters.RandomPathFilter;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.split.InputSplit;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Your own data, read with DataVec as a DL4J user reads it: a folder with one subfolder per class (PNG or JPEG, read
 * by {@link ImageRecordReader}, labels from the folder names, a random 80/20 split) into a small CNN
 * c16-p-c32-p-f64-K, or a CSV file (numbers, the class index 0..K-1 in the last column, an optional header line, read
 * by {@link CSVRecordReader}, standardised, 80/20 split) into an MLP N-64-64-64-K. Stock Kaiming against
 * {@code EmergenceRamp.kaiming(1.2).ramped(conf)}; prints the plan, then test accuracy and {@code log10 E} per epoch.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.quickstart.OwnData \
 *     [DIR | FILE.csv [EPOCHS]]
 * </pre>
 * Without an argument it reads {@code <tmp>/emergence-digit-folders/}, writing it first if missing: 1,000 digits
 * 0-4 of the embedded MNIST subset as PNGs, {@code 0/0.png ... 4/199.png}. {@code EPOCHS} defaults to 3.
 */
public final class OwnData {

    /** What {@link #run} returns: what was read, the ramp plan and the two runs. */
    public record Result(String data, RampPlan plan, Comparison.Run stock, Comparison.Run emergence) {
    }

    private OwnData() {
    }

    /** Your data read by DataVec: training and test batches, the probe for E, the network and what was read. */
    private record Data(DataSetIterator train, DataSetIterator test, INDArray probe, MultiLayerConfiguration conf,
                        String description) {
    }

    /** Trains both networks on an image folder or a {@code .csv} file. */
    public static Result run(Path path, double alpha, int epochs) throws IOException, InterruptedException {
        Data data = path.toString().endsWith(".csv") ? csv(path) : images(path);
        RampPlan plan = EmergenceRamp.kaiming(alpha).plan(data.conf());
        Comparison.Run stock = train("kaiming", data.conf().clone(), data, epochs);
        Comparison.Run emergence = train("emergence-kaiming(" + alpha + ")",
                EmergenceRamp.kaiming(alpha).ramped(data.conf().clone()), data, epochs);     // the one line
        return new Result(data.description(), plan, stock, emergence);
    }

    /** A folder with one subfolder per class; the first image found sets height, width and channels. */
    private static Data images(Path dir) throws IOException {
        Path first;
        try (Stream<Path> files = Files.walk(dir)) {
            first = files.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g)")).sorted().findFirst()
                    .orElseThrow(() -> new IOException(dir + " holds no PNG or JPEG file"));
        }
        BufferedImage image = ImageIO.read(first.toFile());
        int h = image.getHeight();
        int w = image.getWidth();
        int c = image.getRaster().getNumBands() >= 3 ? 3 : 1;
        InputSplit[] split = new FileSplit(dir.toFile(), NativeImageLoader.ALLOWED_FORMATS)
                .sample(new RandomPathFilter(new Random(42), NativeImageLoader.ALLOWED_FORMATS), 80, 20);  // 80/20
        ImageRecordReader trainReader = new ImageRecordReader(h, w, c, new ParentPathLabelGenerator());
        trainReader.initialize(split[0]);
        List<String> labels = trainReader.getLabels();                       // the class folder names, sorted
        ImageRecordReader testReader = new ImageRecordReader(h, w, c, new ParentPathLabelGenerator());
        testReader.initialize(split[1]);
        testReader.setLabels(labels);                                        // the same class indices
        DataSetIterator train = new RecordReaderDataSetIterator(trainReader, 32, 1, labels.size());
        DataSetIterator test = new RecordReaderDataSetIterator(testReader, 1000, 1, labels.size());
        train.setPreProcessor(new ImagePreProcessingScaler(0, 1));           // pixels to [0, 1]
        test.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        INDArray probe = test.next().getFeatures();                          // up to 1,000 test images
        test.reset();
        return new Data(train, test, probe, cnn(h, w, c, labels.size()), dir + " (" + split[0].length()
                + " train / " + split[1].length() + " test images, " + c + "x" + h + "x" + w + ", classes " + labels
                + ")");
    }

    /** Numbers, the class index 0..K-1 in the last column; a first line with letters is a header. */
    private static Data csv(Path file) throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(file);
        int skip = lines.get(0).matches(".*[A-Za-z].*") ? 1 : 0;
        int columns = lines.get(skip).split(",").length;
        int classes = 1 + lines.stream().skip(skip).filter(l -> !l.isBlank())
                .mapToInt(l -> (int) Double.parseDouble(l.split(",")[columns - 1].trim())).max().orElse(0);
        CSVRecordReader reader = new CSVRecordReader(skip, ',');
        reader.initialize(new FileSplit(file.toFile()));
        DataSet all = new RecordReaderDataSetIterator(reader, lines.size(), columns - 1, classes).next();
        all.shuffle(42);
        SplitTestAndTrain split = all.splitTestAndTrain(0.8);                // 80 % train, 20 % test
        NormalizerStandardize normalizer = new NormalizerStandardize();
        normalizer.fit(split.getTrain());                                    // statistics of the training rows
        normalizer.transform(split.getTrain());
        normalizer.transform(split.getTest());
        return new Data(new ListDataSetIterator<>(split.getTrain().asList(), 32),
                new ListDataSetIterator<>(split.getTest().asList(), 256), split.getTest().getFeatures(),
                mlp(columns - 1, classes), file + " (" + all.numExamples() + " rows, " + (columns - 1) + " features, "
                + classes + " classes)");
    }

    /** An MLP for {@code n} features: three hidden ReLU layers of 64. */
    static MultiLayerConfiguration mlp(int n, int classes) {
        return new NeuralNetConfiguration.Builder().seed(42).weightInit(WeightInit.RELU)
                .updater(new Nesterovs(0.01, 0.9)).list()
                .layer(new DenseLayer.Builder().nIn(n).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.feedForward(n)).build();
    }

    /** A small CNN for {@code h x w x c} images: conv 16, pool, conv 32, pool, dense 64. */
    static MultiLayerConfiguration cnn(int h, int w, int c, int classes) {
        return new NeuralNetConfiguration.Builder().seed(42).weightInit(WeightInit.RELU)
                .updater(new Nesterovs(0.01, 0.9)).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(h, w, c)).build();
    }

    private static Comparison.Run train(String init, MultiLayerConfiguration conf, Data data, int epochs) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return Comparison.train(init, net, data.probe(), data.train(), data.test(), epochs);
    }

    /** Runs the example; a bad argument or missing data prints one line and exits with status 2. */
    public static void main(String[] args) {
        Comparison.main(OwnData.class, args, OwnData::example);
    }

    private static void example(String[] args) throws Exception {
        Path demo = Path.of(System.getProperty("java.io.tmpdir"), "emergence-digit-folders");
        Path data = args.length > 0 ? Path.of(args[0])
                : Files.isDirectory(demo) ? demo : Comparison.writeDigitFolders(demo, 200);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result r = run(data, 1.2, epochs);
        System.out.println(r.data());
        System.out.print(r.plan());
        Comparison.print(r.stock(), r.emergence(), System.out);
    }
}
