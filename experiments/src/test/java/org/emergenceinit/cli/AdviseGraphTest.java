package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code advise} on a ComputationGraph: a residual graph as configuration JSON and as model zip; bad graphs. */
class AdviseGraphTest {

    /** MNIST input -> d0 -> d1 -> add(d0, d1) -> softmax out: one residual block. */
    static ComputationGraphConfiguration residual(long seed, int inputs) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU).updater(new Sgd(0.05))
                .activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("d0", new DenseLayer.Builder().nOut(24).build(), "in")
                .addLayer("d1", new DenseLayer.Builder().nOut(24).build(), "d0")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d0", "d1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "add")
                .setOutputs("out").setInputTypes(InputType.feedForward(inputs)).build();
    }

    /** Two inputs (pixels and a second array) merged into one softmax output. */
    static ComputationGraphConfiguration twoInputs() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05)).activation(Activation.RELU)
                .graphBuilder()
                .addInputs("pixels", "extra")
                .addLayer("dp", new DenseLayer.Builder().nOut(8).build(), "pixels")
                .addLayer("de", new DenseLayer.Builder().nOut(8).build(), "extra")
                .addVertex("m", new MergeVertex(), "dp", "de")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "m")
                .setOutputs("out").setInputTypes(InputType.feedForward(784), InputType.feedForward(3)).build();
    }

    /** One input, two softmax outputs. */
    static ComputationGraphConfiguration twoOutputs() {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05)).activation(Activation.RELU)
                .graphBuilder()
                .addInputs("in")
                .addLayer("d", new DenseLayer.Builder().nOut(8).build(), "in")
                .addLayer("digit", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "d")
                .addLayer("parity", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "d")
                .setOutputs("digit", "parity").setInputTypes(InputType.feedForward(784)).build();
    }

    private static Path zip(ComputationGraphConfiguration conf, Path file) throws Exception {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        ModelSerializer.writeModel(g, file.toFile(), false);
        return file;
    }

    private static PlanCommandTest.Result advise(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("advise", "--out", out.toString(), "--steps", "10", "--seeds",
                "2", "--alphas", "1.2,1.5", "--jobs", "1", "--eval-samples", "64", "--batch", "64", "--json"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void aGraphConfigurationAndAGraphZipArePilotedAlike(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("graph.json");
        Files.writeString(conf, residual(3, 784).toJson());
        Path model = zip(residual(3, 784), dir.resolve("graph.zip"));
        List<JsonNode> results = new ArrayList<>();
        for (String[] source : List.of(new String[] {"--config", conf.toString()},
                new String[] {"--model", model.toString()})) {
            Path out = dir.resolve("out-" + source[0].substring(2));
            PlanCommandTest.Result r = advise(out, source);
            assertEquals(0, r.status(), r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals("kaiming", json.get("stock").asText());
            assertEquals("emergence-kaiming", json.get("emergence").asText());
            assertEquals(10, json.get("pilotSteps").asInt());
            assertEquals(2, json.get("seeds").asInt());
            assertTrue(json.get("network").asText().contains("ComputationGraph, its own optimizer"),
                    json.get("network").asText());
            assertTrue(Double.isFinite(json.get("stockLossMean").asDouble()) && json.get("stockLossMean").asDouble()
                    > 0, json.toString());
            JsonNode cands = json.get("candidates");
            assertEquals(2, cands.size());
            assertEquals(1.2, cands.get(0).get("alpha").asDouble());
            assertEquals(1.5, cands.get(1).get("alpha").asDouble());
            boolean anyBeats = false;
            for (JsonNode c : cands) {
                assertEquals(0, c.get("diverged").asInt(), c.toString());
                assertTrue(c.get("lossDiffMean").isNumber() && c.get("t").isNumber(), c.toString());
                boolean beats = c.get("beatsStock").asBoolean();
                anyBeats |= beats;
                assertEquals(c.get("lossDiffMean").asDouble() < 0 && c.get("t").asDouble() <= -2, beats,
                        c.toString());
            }
            assertEquals(anyBeats, !json.get("best").isNull());
            String verdict = json.get("verdict").asText();
            assertTrue(anyBeats ? verdict.startsWith("emergence-kaiming alpha ") : verdict.startsWith(
                    "no alpha beat stock"), verdict);
            assertEquals(json, new ObjectMapper().readTree(out.resolve("advise.json").toFile()));
            assertTrue(Files.size(out.resolve("pilot.png")) > 1000);
            assertEquals(1 + 3 * 2 * 10, Files.readAllLines(out.resolve("pilot.csv")).size());
            assertTrue(Files.readString(out.resolve("advise.txt")).contains("verdict: " + verdict));
            results.add(json);
        }
        // the zip's weights are not used: the same graph gives the same numbers from JSON and from the zip
        assertEquals(results.get(0).get("candidates"), results.get(1).get("candidates"));
        assertEquals(results.get(0).get("stockLossMean"), results.get(1).get("stockLossMean"));
        assertEquals(results.get(0).get("verdict"), results.get(1).get("verdict"));
    }

    @Test
    void aConvolutionalGraphIsFedImages(@TempDir Path dir) throws Exception {
        // images [n, 1, 28, 28] straight into a convolution (no preprocessor): flat rows would not fit it
        ComputationGraphConfiguration cnn = new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.RELU)
                .updater(new Sgd(0.05)).activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4).build(), "in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .build(), "c0")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c0", "c1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "add")
                .setOutputs("out").setInputTypes(InputType.convolutional(28, 28, 1)).build();
        assertTrue(cnn.getVertices().get("c0") instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getPreProcessor() == null, "the test needs a convolution fed by the input directly");
        Path conf = dir.resolve("cnn.json");
        Files.writeString(conf, cnn.toJson());
        Path out = dir.resolve("out");
        PlanCommandTest.Result r = advise(out, "--config", conf.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("candidates").size());
        assertTrue(json.get("stockAccuracyMean").isNumber(), json.toString());
    }

    private static void refused(Path out, PlanCommandTest.Result r, String expected) {
        assertEquals(2, r.status(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("emergence:")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains(expected), r.err());
        assertFalse(Files.exists(out), "nothing written: " + out);
    }

    @Test
    void graphsTheDatasetCannotFeedAreOneLineExitTwoAndNothingWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path two = dir.resolve("two-inputs.json");
        Files.writeString(two, twoInputs().toJson());
        refused(out, advise(out, "--config", two.toString()), "is a ComputationGraph with 2 inputs (pixels, extra)"
                + " and 1 output (out), but a dataset feeds one input and one output");
        refused(out, advise(out, "--model", zip(twoOutputs(), dir.resolve("two-outputs.zip")).toString()),
                "is a ComputationGraph with 1 input (in) and 2 outputs (digit, parity)");
        Path narrow = dir.resolve("narrow.json");
        Files.writeString(narrow, residual(1, 100).toJson());
        refused(out, advise(out, "--config", narrow.toString()), "The network cannot take the data");
        refused(out, advise(out, "--config", narrow.toString(), "--lr", "0.1"), "apply with --arch");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"vertices\": 3}");
        refused(out, advise(out, "--config", broken.toString()), "is not a DL4J configuration JSON");
        Path notZip = dir.resolve("not.zip");
        Files.writeString(notZip, "hello");
        refused(out, advise(out, "--model", notZip.toString()), "is not a zip file");
        Path empty = dir.resolve("empty.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(empty))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write(1);
            z.closeEntry();
        }
        refused(out, advise(out, "--model", empty.toString()), "is a zip without configuration.json");
    }
}
