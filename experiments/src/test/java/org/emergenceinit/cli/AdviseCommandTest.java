package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.emergenceinit.harness.AlphaChoice;
import org.emergenceinit.harness.Spread;
import org.emergenceinit.weights.AlphaPilot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code advise} and {@code train --alpha auto} from the command line, on the shipped MNIST subset, kept tiny. */
class AdviseCommandTest {

    private static final String[] TINY = {"--arch", "mlp:784-32-32-10", "--steps", "10", "--seeds", "2", "--jobs",
            "1", "--eval-samples", "128", "--batch", "64"};

    private static PlanCommandTest.Result advise(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("advise", "--out", out.toString()));
        all.addAll(List.of(TINY));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static void refused(Path out, PlanCommandTest.Result r, String expected) {
        assertEquals(2, r.status(), r.err());
        String err = r.err().lines().filter(l -> l.startsWith("emergence:")).findFirst().orElse("");
        assertTrue(err.contains(expected), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("emergence:")).count(), r.err());
        assertFalse(Files.exists(out), "nothing written: " + out);
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        refused(out, advise(out, "--alphas", "1.1,0"), "every alpha must be a finite number > 0");
        refused(out, advise(out, "--alphas", "-1"), "every alpha must be a finite number > 0");
        refused(out, advise(out, "--alphas="), "--alphas");
        refused(out, run("advise", "--out", out.toString(), "--steps", "9"), "--steps must be at least 10");
        refused(out, run("advise", "--out", out.toString(), "--seeds", "1"), "--seeds must be at least 2");
        refused(out, advise(out, "--init", "lsuv-kaiming"), "advise compares a stock init");
        refused(out, run("advise", "--out", out.toString(), "--arch", "mlp:784-32-3"),
                "has 3 outputs but mnist-embedded has 10 classes");
        // a saved network that cannot take 784 inputs
        Path conf = dir.resolve("conf.json");
        Files.writeString(conf, new NeuralNetConfiguration.Builder().updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(100).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build().toJson());
        refused(out, run("advise", "--out", out.toString(), "--config", conf.toString(), "--steps", "10",
                "--seeds", "2"), "The network cannot take the data");
        refused(out, run("advise", "--out", out.toString(), "--config", conf.toString(), "--lr", "0.1"),
                "apply with --arch");
        // one class
        Path csv = dir.resolve("one.csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(i).append(',').append(i % 7).append(',').append(i % 3).append(",0\n");
        }
        Files.writeString(csv, rows.toString());
        PlanCommandTest.Result one = run("advise", "--out", out.toString(), "--dataset", "csv:" + csv, "--steps",
                "10");
        assertEquals(2, one.status(), one.err());
        assertTrue(one.err().toLowerCase().contains("class"), one.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void jsonHasTheSchemaAndFilesAreWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("advice");
        PlanCommandTest.Result r = advise(out, "--alphas", "1.1,1.5", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Set<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("stock", "best", "verdict", "pilotSteps", "seeds", "candidates")), keys
                .toString());
        assertEquals("kaiming", json.get("stock").asText());
        assertEquals(10, json.get("pilotSteps").asInt());
        assertEquals(2, json.get("seeds").asInt());
        assertEquals(1, json.get("endLossSteps").asInt());
        JsonNode cands = json.get("candidates");
        assertEquals(2, cands.size());
        boolean anyBeats = false;
        for (JsonNode c : cands) {
            for (String k : List.of("alpha", "lossDiffMean", "lossDiffSd", "t", "accuracyDiffMean")) {
                assertTrue(c.has(k), k);
            }
            boolean beats = c.get("beatsStock").asBoolean();
            anyBeats |= beats;
            if (beats) {
                assertTrue(c.get("lossDiffMean").asDouble() < 0 && c.get("t").asDouble() <= -2);
            }
        }
        assertEquals(anyBeats, !json.get("best").isNull());
        if (!anyBeats) {
            assertTrue(json.get("verdict").asText().startsWith("no alpha beat stock"));
        }
        assertEquals(json, new ObjectMapper().readTree(out.resolve("advise.json").toFile()));
        assertTrue(Files.size(out.resolve("pilot.png")) > 1000);
        // stock and 2 alphas x 2 seeds x 10 steps, and a header
        assertEquals(1 + 3 * 2 * 10, Files.readAllLines(out.resolve("pilot.csv")).size());
        String txt = Files.readString(out.resolve("advise.txt"));
        assertTrue(txt.contains("verdict: " + json.get("verdict").asText()), txt);
        assertTrue(r.err().contains("verdict:"), "the table goes to standard error with --json");
    }

    @Test
    void aSavedConfigurationOrModelIsPilotedWithItsOwnOptimizer(@TempDir Path dir) throws Exception {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build();
        Path conf = dir.resolve("net.json");
        Files.writeString(conf, c.toJson());
        Path zip = dir.resolve("net.zip");
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = new org.deeplearning4j.nn.multilayer
                .MultiLayerNetwork(c.clone());
        net.init();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, zip.toFile(), false);
        for (String[] source : List.of(new String[] {"--config", conf.toString()},
                new String[] {"--model", zip.toString()})) {
            Path out = dir.resolve("out-" + source[0].substring(2));
            PlanCommandTest.Result r = run("advise", source[0], source[1], "--steps", "10", "--seeds", "2",
                    "--alphas", "1.2", "--jobs", "1", "--eval-samples", "64", "--out", out.toString(), "--json");
            assertEquals(0, r.status(), r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertTrue(json.get("network").asText().contains("its own optimizer"), json.toString());
            assertEquals(1, json.get("candidates").size());
        }
    }

    @Test
    void thePilotsTIsSpreadsWelchT() {
        double[] a = {0.91, 0.95, 0.88};
        double[] b = {1.0, 1.03, 0.97};
        assertEquals(Spread.of(a).welch(Spread.of(b)).t(), AlphaPilot.welch(a, b)[0], 1e-12);
        assertEquals(Spread.of(a).welch(Spread.of(b)).df(), AlphaPilot.welch(a, b)[1], 1e-12);
    }

    @Test
    void alphaIsANumberOrAuto() {
        assertEquals(AlphaChoice.AUTO, AlphaChoice.parse(" Auto "));
        assertEquals(new AlphaChoice.Fixed(1.1), AlphaChoice.parse("1.1"));
        assertThrows(IllegalArgumentException.class, () -> AlphaChoice.parse("fast"));
    }

    @Test
    void trainAlphaAutoRunsThePilotAndRecordsIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        PlanCommandTest.Result r = run("train", "--arch", "mlp:784-16-16-10", "--init", "emergence-kaiming",
                "--alpha", "auto", "--epochs", "1", "--max-batches", "5", "--pilot-jobs", "1", "--out",
                out.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        JsonNode pilot = manifest.get("alphaPilot");
        assertTrue(pilot != null && pilot.isObject(), manifest.toString());
        assertEquals("auto", pilot.get("requested").asText());
        assertEquals(50, pilot.get("pilotSteps").asInt(), "at least 50 steps");
        assertEquals(4, pilot.get("candidates").size());
        double chosen = pilot.get("chosenAlpha").asDouble();
        assertEquals(pilot.get("best").isNull() ? 1.0 : pilot.get("best").asDouble(), chosen);
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertEquals(chosen, result.get("alpha").asDouble());
        assertTrue(r.err().contains("--alpha auto: alpha"), r.err());

        Path other = dir.resolve("other");
        refused(other, run("train", "--init", "kaiming", "--alpha", "auto", "--out", other.toString()),
                "--alpha auto picks the alpha of an emergence init");
        refused(other, run("compare", "--alpha", "auto", "--out", other.toString()), "only train takes it");
        refused(other, run("train", "--alpha", "fast", "--out", other.toString()), "a number > 0 or auto");
    }
}
