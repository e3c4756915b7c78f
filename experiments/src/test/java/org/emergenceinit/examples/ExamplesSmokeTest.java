package org.emergenceinit.examples;

import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.SharedData;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each example main runs two batches: the MNIST ones on the embedded MNIST subset, the Fashion-MNIST and CIFAR-10
 * ones on the shared data folder (skipped where it is missing).
 */
class ExamplesSmokeTest {

    @TempDir
    Path dir;

    private List<String> twoBatches(String... more) {
        List<String> args = new ArrayList<>(List.of("--max-batches", "2", "--epochs", "1", "--batch", "32",
                "--probe-samples", "64", "--out", dir.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static String[] embedded(List<String> args) {
        args.addAll(List.of("--dataset", Datasets.MNIST_EMBEDDED));
        return args.toArray(String[]::new);
    }

    private static void check(RunResult r, String dataset) {
        assertEquals(2, r.epochs().size(), "epoch 0 and epoch 1");
        assertFalse(r.diverged());
        assertTrue(r.last().testAccuracy() >= 0 && r.last().testAccuracy() <= 1);
        assertTrue(Double.isFinite(r.last().trainLoss()));
        assertTrue(r.dataset().startsWith(dataset), r.dataset());
        assertTrue(Files.isRegularFile(r.manifest()) && Files.isRegularFile(r.csv()));
    }

    @Test
    void mnistMlp() throws IOException {
        check(MnistMlpExample.runExample(embedded(twoBatches())), Datasets.MNIST_EMBEDDED);
    }

    @Test
    void mnistMlpWithBatchNormAndAdam() throws IOException {
        check(MnistMlpExample.runExample(embedded(twoBatches("--bn", "--optimizer", "adam", "--lr", "0.001"))),
                Datasets.MNIST_EMBEDDED);
    }

    @Test
    void mnistCnn() throws IOException {
        check(MnistCnnExample.runExample(embedded(twoBatches("--bn"))), Datasets.MNIST_EMBEDDED);
    }

    /** The shared data folder holding Fashion-MNIST, or the test is skipped (CI has it: .ci/run sets it). */
    private static Path fashion() {
        Path data = SharedData.dir().orElse(null);
        assumeTrue(data != null && Files.isDirectory(data.resolve(Datasets.FASHION_MNIST)),
                "no Fashion-MNIST on this machine (set EMERGENCE_DATA to a folder like shared/datasets)");
        return data;
    }

    @Test
    void fashionMnistMlp() throws IOException {
        RunResult r = FashionMnistMlpExample.runExample(twoBatches("--data-dir", fashion().toString())
                .toArray(String[]::new));
        check(r, Datasets.FASHION_MNIST);
    }

    @Test
    void fashionMnistCnn() throws IOException {
        RunResult r = FashionMnistCnnExample.runExample(twoBatches("--data-dir", fashion().toString())
                .toArray(String[]::new));
        check(r, Datasets.FASHION_MNIST);
    }

    @Test
    void cifar10Cnn() throws IOException {
        Path data = SharedData.dir().orElse(null);
        assumeTrue(data != null && (Files.isDirectory(data.resolve(Datasets.CIFAR_SUBSET_DIR))
                || Files.isDirectory(data.resolve(Datasets.CIFAR_FULL_DIR))), "no CIFAR-10 data on this machine");
        RunResult r = Cifar10CnnExample.runExample(twoBatches("--data-dir", data.toString())
                .toArray(String[]::new));
        check(r, Datasets.CIFAR10);
        assertTrue(Files.readString(r.manifest()).contains("\"label\" : \"" + r.dataset() + "\""));
    }

    @Test
    void trainOnYourDataComparesStockAndEmergenceWithAnArchFromTheData() throws IOException {
        org.emergenceinit.data.ImageData digits = Datasets.load(Datasets.MNIST_EMBEDDED, null).train();
        Path tree = dir.resolve("digits");
        org.emergenceinit.data.SampleData.writeImageFolder(digits, List.of(0, 1, 2), 40, tree);
        Path csv = dir.resolve("digits.csv");
        org.emergenceinit.data.SampleData.writeCsv(digits, List.of(0, 1, 2), 40, csv);
        List<RunResult> table = TrainOnYourData.runExample("--dataset", "csv:" + csv, "--epochs", "1", "--batch",
                "32", "--probe-samples", "24", "--out", dir.resolve("csv").toString());
        assertEquals(List.of("kaiming", "emergence-kaiming"), table.stream().map(r -> r.spec().init().name()).toList());
        assertEquals("mlp:784-128-64-3", table.get(0).spec().network().arch());
        List<RunResult> images = TrainOnYourData.runExample("--dataset", "images:" + tree, "--init",
                "emergence-xavier", "--epochs", "1", "--max-batches", "2", "--probe-samples", "24", "--out",
                dir.resolve("images").toString());
        assertEquals(List.of("xavier", "emergence-xavier"), images.stream().map(r -> r.spec().init().name()).toList());
        assertEquals("cnn:c16-p-c32-p-f64-3", images.get(1).spec().network().arch());
        assertTrue(Files.isRegularFile(dir.resolve("images").resolve("emergence-xavier")
                .resolve(TrainingRun.NORMALIZER_FILE)));
    }

}
