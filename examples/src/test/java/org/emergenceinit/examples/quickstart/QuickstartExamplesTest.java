package org.emergenceinit.examples.quickstart;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.SharedData;
import org.emergenceinit.measure.EmergenceListener;
import org.emergenceinit.nmt.Multi30k;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.RampPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quickstart mains on a few batches: the ramp reached the network they train (each layer's weight std at init is
 * the stock one times the plan's scale), the listener recorded the start and every epoch with a finite
 * {@code log10 E}, and {@code alpha = 1} trains the stock network exactly. CIFAR-10 and Multi30k come from the shared
 * data folder (skipped where it is missing).
 */
class QuickstartExamplesTest {

    private static DatasetSource embedded;

    @BeforeAll
    static void load() throws Exception {
        embedded = Datasets.load(Datasets.MNIST_EMBEDDED, null);
    }

    /** Emergence std / stock std of every ramp layer is its scale in the plan, and the names agree. */
    private static void assertRamped(RampPlan plan, Comparison.Run stock, Comparison.Run emergence) {
        assertEquals(plan.entries().stream().map(RampPlan.Entry::name).toList(),
                new ArrayList<>(stock.weightStdAtInit().keySet()));
        for (RampPlan.Entry e : plan.entries()) {
            double ratio = emergence.weightStdAtInit().get(e.name()) / stock.weightStdAtInit().get(e.name());
            assertEquals(e.scale(), ratio, 1e-4 * e.scale(), e.name());
            assertEquals(Math.pow(1.2, e.exponent()), e.scale(), 1e-12);
        }
        double first = plan.entries().get(0).exponent();
        for (int k = 0; k < plan.layerCount(); k++) {
            assertEquals(first + k, plan.entries().get(k).exponent(), 1e-12, "exponents step by 1");
        }
        assertEquals(-first, plan.entries().get(plan.layerCount() - 1).exponent(), 1e-12, "centred");
    }

    /** One {@code start} record, then one {@code epoch_end} record per epoch, all finite. */
    private static void assertRecords(Comparison.Run run, int epochs) {
        List<EmergenceListener.Record> records = run.emergence();
        assertEquals(epochs + 1, records.size());
        assertEquals(EmergenceListener.START, records.get(0).event());
        for (int i = 1; i <= epochs; i++) {
            assertEquals(EmergenceListener.EPOCH_END, records.get(i).event());
            assertEquals(i - 1, records.get(i).epoch(), "DL4J counts the epoch after its listeners ran");
        }
        records.forEach(r -> assertTrue(Double.isFinite(r.log10Emergence()) && r.log10Emergence() > 0, r.toString()));
        assertEquals(epochs, run.testAccuracy().size());
        run.testAccuracy().forEach(a -> assertTrue(a >= 0 && a <= 1, a.toString()));
    }

    @Test
    void mlpOnMnistRampsEveryLayerAndRecordsEachEpoch() {
        MlpOnMnist.Result r = MlpOnMnist.run(embedded, 1.2, 2, 3);
        assertEquals(7, r.plan().layerCount());
        assertEquals(-3.0, r.plan().entries().get(0).exponent(), 1e-12);
        assertRamped(r.plan(), r.stock(), r.emergence());
        assertRecords(r.stock(), 2);
        assertRecords(r.emergence(), 2);
        assertNotEquals(r.stock().emergence().get(0).emergence(), r.emergence().emergence().get(0).emergence(),
                "the ramp changes which units are active at init");
        assertTrue(r.dataset().startsWith(Datasets.MNIST_EMBEDDED), r.dataset());
    }

    @Test
    void alphaOneTrainsTheStockNetworkExactly() {
        MlpOnMnist.Result r = MlpOnMnist.run(embedded, 1.0, 1, 2);
        assertEquals(r.stock().weightStdAtInit(), r.emergence().weightStdAtInit());
        assertEquals(r.stock().testAccuracy(), r.emergence().testAccuracy());
        assertEquals(r.stock().emergence().get(1).emergence(), r.emergence().emergence().get(1).emergence());
        assertEquals(((MultiLayerNetwork) r.stock().net()).params(),
                ((MultiLayerNetwork) r.emergence().net()).params());
    }

    @Test
    void residualGraphRampsInTopologicalOrder() {
        ResidualGraph.Result r = ResidualGraph.run(embedded, 1.2, 1, 2);
        assertEquals(List.of("stem", "b1_dense1", "b1_dense2", "b2_dense1", "b2_dense2", "out"),
                r.plan().entries().stream().map(RampPlan.Entry::name).toList());
        assertRamped(r.plan(), r.stock(), r.emergence());
        assertRecords(r.stock(), 1);
        assertRecords(r.emergence(), 1);
        // the measure sees the stem and both blocks (the ReLU after each add belongs to the block's second dense)
        assertEquals(5, r.stock().emergence().get(0).widths().length);
    }

    @Test
    void cnnConfigurationWithBatchNormRampsOnlyWeightLayers() {
        MultiLayerNetwork stock = new MultiLayerNetwork(CnnOnCifar10.conf(true));
        stock.init();
        MultiLayerNetwork emergence = new MultiLayerNetwork(EmergenceRamp.kaiming(1.2).ramped(CnnOnCifar10.conf(true)));
        emergence.init();
        assertEquals(18, stock.getLayers().length, "8 layers, and a BatchNorm and a ReLU layer after 5 of them");
        assertEquals(5, Arrays.stream(stock.getLayerWiseConfigurations().getConfs().toArray())
                .filter(c -> ((org.deeplearning4j.nn.conf.NeuralNetConfiguration) c).getLayer()
                        instanceof BatchNormalization).count());
        RampPlan plan = EmergenceRamp.kaiming(1.2).plan(CnnOnCifar10.conf(true));
        assertEquals(6, plan.layerCount());
        assertEquals(27.0, plan.entries().get(0).fanIn(), 0.0, "3 channels x 3 x 3");
        assertRamped(plan, new Comparison.Run("kaiming", Comparison.weightStds(stock), List.of(), List.of(), stock),
                new Comparison.Run("emergence", Comparison.weightStds(emergence), List.of(), List.of(), emergence));
    }

    @Test
    void cnnOnCifar10TrainsWithBatchNormAndLabelsTheSubset() throws Exception {
        Path data = SharedData.dir().orElse(null);
        assumeTrue(data != null && Files.isDirectory(data.resolve(Datasets.CIFAR_SUBSET_DIR))
                && !Files.isDirectory(data.resolve(Datasets.CIFAR_FULL_DIR)), "shared CIFAR-10 subset not found");
        CnnOnCifar10.Result r = CnnOnCifar10.run(Datasets.load(Datasets.CIFAR10, data), true, 1.2, 1, 1, 64);
        assertEquals("cifar10-subset (5,085 train / 1,017 test)", r.dataset());
        assertTrue(CnnOnCifar10.header(r).startsWith("CNN c32-c32-p-c64-c64-p-f256-10 with BatchNorm on cifar10-subset"
                + " (5,085 train / 1,017 test): a SUBSET of CIFAR-10, not the full set"), CnnOnCifar10.header(r));
        assertRamped(r.plan(), r.stock(), r.emergence());
        assertRecords(r.stock(), 1);
        assertRecords(r.emergence(), 1);
        // channels of the 4 convolutions and units of the dense layer; BatchNorm, ReLU and pooling belong to them
        assertArrayEquals(new long[] {32, 32, 64, 64, 256}, r.stock().emergence().get(0).widths());
    }

    @Test
    void ownDataReadsAnImageFolderWithDataVec(@TempDir Path dir) throws Exception {
        OwnData.Result r = OwnData.run(Comparison.writeDigitFolders(dir.resolve("digits"), 20), 1.2, 1);
        assertTrue(r.data().contains("(80 train / 20 test images, 1x28x28, classes [0, 1, 2, 3, 4])"), r.data());
        assertEquals(4, r.plan().layerCount());
        assertRamped(r.plan(), r.stock(), r.emergence());
        assertRecords(r.stock(), 1);
        assertRecords(r.emergence(), 1);
    }

    @Test
    void ownDataReadsACsvWithDataVec(@TempDir Path dir) throws Exception {
        // three well separated blobs in 4 dimensions, a header line
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("a,b,c,d,class\n");
        for (int i = 0; i < 150; i++) {
            int label = i % 3;
            for (int j = 0; j < 4; j++) {
                csv.append(String.format(Locale.ROOT, "%.4f,", (j == label ? 6 : 0) + random.nextGaussian()));
            }
            csv.append(label).append('\n');
        }
        Path file = Files.writeString(dir.resolve("blobs.csv"), csv);
        OwnData.Result r = OwnData.run(file, 1.2, 4);
        assertTrue(r.data().endsWith("(150 rows, 4 features, 3 classes)"), r.data());
        assertRamped(r.plan(), r.stock(), r.emergence());
        assertRecords(r.stock(), 4);
        assertRecords(r.emergence(), 4);
        assertTrue(r.stock().testAccuracy().get(3) > 0.8, r.stock().testAccuracy().toString());
    }

    @Test
    void transformerOnMulti30kRampsEveryMatrixOfItsBlock() throws Exception {
        Path data = SharedData.dir().filter(d -> Files.isDirectory(d.resolve(Multi30k.FOLDER))).orElse(null);
        assumeTrue(data != null, "shared multi30k/ not found");
        TransformerOnMulti30k.Result r = TransformerOnMulti30k.run(Multi30k.load(data), 1.2, 2, 8, 2);
        // 2 encoder blocks x 6 matrices + 2 decoder blocks x 10 + the output projection, blocks -2..2
        assertEquals(33, r.plan().layerCount());
        assertEquals(5, r.plan().blockCount());
        assertEquals(-2.0, r.plan().entries().get(0).exponent(), 1e-12);
        assertEquals("out_W", r.plan().entries().get(32).name());
        for (RampPlan.Entry e : r.plan().entries()) {
            double ratio = r.emergence().weightStdAtInit().get(e.name()) / r.stock().weightStdAtInit().get(e.name());
            assertEquals(e.scale(), ratio, 1e-4 * e.scale(), e.name());
        }
        assertEquals(16, r.trainPairs());
        for (TransformerOnMulti30k.Arm arm : List.of(r.stock(), r.emergence())) {
            assertEquals(2, arm.loss().size());
            arm.loss().forEach(l -> assertTrue(Double.isFinite(l) && l > 0, arm.loss().toString()));
            assertEquals(2, arm.testHypotheses().size());
            assertTrue(arm.testBleu().score() >= 0 && arm.testBleu().score() <= 100);
        }
        assertNotEquals(r.stock().loss().get(0), r.emergence().loss().get(0));
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static String captured(Action action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
