package org.emergenceinit.cli;

import org.emergenceinit.harness.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Nothing lost, nothing silent": messages that say the truth, errors on one line that leave nothing behind. */
class NothingSilentTest {

    @TempDir
    Path dir;

    private static void oneLineError(PlanCommandTest.Result r, String... mustContain) {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("emergence: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        for (String s : mustContain) {
            assertTrue(r.err().contains(s), "'" + s + "' in " + r.err());
        }
    }

    // item 6

    @Test
    void aHugeAlphaIsPrintedAsItIsNotAsAnOverflowedLong() {
        PlanCommandTest.Result r = run("plan", "--arch", "mlp:784-16-16-10", "--alpha", "1e308");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.out().contains("9223372036854775807"), r.out());
        assertTrue(r.out().contains("1.0E308"), r.out());
    }

    @Test
    void theHeaderSaysTheProbeImagesUsedAndNoAlphaForAStockInit() throws Exception {
        Path out = dir.resolve("run");
        PlanCommandTest.Result r = run("train", "--arch", "mlp:784-16-10", "--init", "xavier", "--epochs", "1",
                "--max-batches", "1", "--probe-samples", "1000000", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        String header = (r.out() + r.err()).lines().filter(l -> l.startsWith("init xavier")).findFirst().orElseThrow(() -> new AssertionError(r.out() + r.err()));
        assertTrue(header.contains("probe 1000 test images"), header);
        assertFalse(header.contains("alpha"), header);

        List<String> csv = Files.readAllLines(out.resolve("epochs.csv"));
        String[] epoch0 = csv.get(1).split(",", -1);
        assertEquals("", epoch0[2], "epoch 0's train loss is an empty cell: " + csv.get(1));
        assertTrue(Double.isNaN(EpochStats.parseCsvRow(csv.get(1)).trainLoss()));
        assertFalse(csv.get(2).split(",", -1)[2].isEmpty());
    }

    @Test
    void epochRowsWriteNaNAsEmptyAndTheRateRounded() {
        EpochStats e = new EpochStats(0, 0.010000000000000005, Double.NaN, 2.3, 0.1, BigInteger.TEN, 1.0, 0.5, 0);
        String row = e.csvRow();
        assertEquals("0,0.01,,2.3,0.1,10,1.0,0.5,,0.0", row, "no training accuracy measured: an empty cell");
        EpochStats back = EpochStats.parseCsvRow(row);
        assertTrue(Double.isNaN(back.trainLoss()));
        assertEquals(0.01, back.lr());
        assertEquals(0.010000000000000005, EpochStats.parseCsvRow(e.exactCsvRow()).lr(), "the checkpoint is exact");
        assertTrue(Double.isNaN(EpochStats.parseCsvRow("1,0.01,NaN,2,0.1,10,1,0.5,3").trainLoss()), "old files");
        EpochStats old = EpochStats.parseCsvRow("1,0.01,0.4,2,0.1,10,1,0.5,3"); // 9 cells: before trainAccuracy
        assertEquals(3.0, old.seconds());
        assertTrue(Double.isNaN(old.trainAccuracy()) && !old.hasTrainAccuracy());
        EpochStats measured = EpochStats.parseCsvRow("1,0.01,0.4,2,0.1,10,1,0.5,0.75,3");
        assertEquals(0.75, measured.trainAccuracy());
        assertEquals(3.0, measured.seconds());
        assertEquals("1,0.01,0.4,2.0,0.1,10,1.0,0.5,0.75,3.0", measured.csvRow());
    }

    // item 7

    @Test
    void aNetworkThatCannotFitIsRefusedBeforeAllocatingWithItsSizeAndTheLimit() {
        Path out = dir.resolve("huge");
        PlanCommandTest.Result r = run("train", "--arch", "mlp:784-100000000-10", "--epochs", "1", "--out",
                out.toString());
        oneLineError(r, "--arch mlp:784-100000000-10", "needs about", "GB", "maxBytes");
        assertFalse(Files.exists(out));
        oneLineError(run("inspect", "--arch", "mlp:784-100000000-10"), "needs about");
    }

    // item 8

    @Test
    void anOutThatIsAFileOrUnderAFileIsOneLineNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        oneLineError(run("train", "--epochs", "1", "--max-batches", "1", "--out", file.toString()),
                file.toString(), "is a file");
        oneLineError(run("train", "--epochs", "1", "--max-batches", "1", "--out", file.resolve("sub").toString()),
                file.toString(), "is a file");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aNetworkWithoutHiddenLayerFailsBeforeWritingAnything() {
        Path out = dir.resolve("no-hidden");
        PlanCommandTest.Result r = run("train", "--arch", "mlp:784-10", "--epochs", "1", "--max-batches", "1",
                "--out", out.toString());
        oneLineError(r, "hidden");
        assertFalse(Files.exists(out), "no half-written folder");
    }

    @Test
    void aTruncatedGzipNamesTheFile() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) {
                gz.write(("a sentence number " + i + " with some words\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Path ref = dir.resolve("ref.en.gz");
        Files.write(ref, Arrays.copyOf(all, all.length / 2));
        Path hyp = Files.writeString(dir.resolve("hyp.txt"), "a sentence\n");
        oneLineError(run("bleu", "--hyp", hyp.toString(), "--ref", ref.toString()), ref.toString(), "gzip");
    }

    @Test
    void jsonThatIsNotADl4jConfigurationSaysSo() throws Exception {
        Path json = Files.writeString(dir.resolve("other.json"), "{\"foo\": [1, 2]}");
        oneLineError(run("inspect", "--config", json.toString()), json.toString(), "not a DL4J configuration");
        oneLineError(run("plan", "--config", json.toString()), json.toString(), "not a DL4J configuration");
    }

    // items 4 and 5

    private Path savedKaiming(String name, boolean broken) throws Exception {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().seed(3).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(32)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(32).nOut(16)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(16).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build();
        org.emergenceinit.weights.EmergenceRamp.kaiming(1.1).apply(conf);
        String json = conf.toJson();
        if (broken) {
            json = json.replace("\"layerCount\" : 3", "\"layerCount\" : 7");
        }
        return Files.writeString(dir.resolve(name), json);
    }

    @Test
    void aSavedConfigurationIsShownWithTheInitsSavedInIt() throws Exception {
        Path file = savedKaiming("kaiming.json", false);
        PlanCommandTest.Result plan = run("plan", "--config", file.toString());
        assertEquals(0, plan.status(), plan.err());
        assertTrue(plan.out().contains("init emergence-kaiming (as saved in"), plan.out());
        assertTrue(plan.out().contains("alpha 1.1"), plan.out());
        assertTrue(plan.out().contains("KAIMING") && !plan.out().contains("XAVIER"), plan.out());
        assertTrue(plan.out().contains("0.909091"), "1.1^-1: " + plan.out());

        PlanCommandTest.Result inspect = run("inspect", "--config", file.toString(), "--samples", "50");
        assertEquals(0, inspect.status(), inspect.err());
        String header = inspect.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("init emergence-kaiming (as saved in") && header.contains("alpha 1.1"), header);

        PlanCommandTest.Result replaced = run("plan", "--config", file.toString(), "--init", "xavier");
        assertEquals(0, replaced.status(), replaced.err());
        assertTrue(replaced.out().startsWith("init xavier (replaces the inits saved in the configuration)"),
                replaced.out());
    }

    @Test
    void aSavedRampThatDisagreesWithTheNetworkIsOneLineNamingTheLayer() throws Exception {
        Path file = savedKaiming("broken.json", true);
        oneLineError(run("plan", "--config", file.toString()), "Layer 'layer0'", "layerCount 7");
        oneLineError(run("inspect", "--config", file.toString()), "Layer 'layer0'", "layerCount 7");
    }
}
