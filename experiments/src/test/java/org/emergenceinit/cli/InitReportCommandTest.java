package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** init-report from the command line, on the shipped MNIST subset: MLP, CNN with BatchNorm, graph, LSTM, zip. */
class InitReportCommandTest {

    static final List<String> PLOTS = List.of("activation-mean.png", "activation-std.png", "dead-fraction.png",
            "active-absolute.png", "active-relative.png", "weight-std.png", "gradient-norm.png", "update-ratio.png",
            "overview.png");

    private static final String[] SMALL = {"--steps", "2", "--samples", "100", "--batch", "32"};

    static JsonNode report(Path out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("init-report", "--out", out.toString()));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(args));
        PlanCommandTest.Result r = run(all.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        for (String f : PLOTS) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        InitReportJsonTest.assertSchema(json);
        return json;
    }

    private static List<String> layerNames(JsonNode init) {
        List<String> names = new ArrayList<>();
        init.get("layers").forEach(l -> names.add(l.get("name").asText()));
        return names;
    }

    @Test
    void mlpReportWritesTheJsonThePlotsAndThePage(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        JsonNode json = report(out, "--arch", "mlp:784-32-32-32-10");
        assertEquals(List.of("kaiming", "emergence-kaiming@1.2", "emergence-kaiming@1.5", "lsuv-kaiming"),
                json.findValuesAsText("init"), "the default inits");
        JsonNode stock = json.get("inits").get(0);
        JsonNode ramp = json.get("inits").get(2);
        assertEquals(List.of("layer0", "layer1", "layer2"), layerNames(stock));
        assertEquals(2, json.get("steps").asInt());
        assertEquals(100, json.get("probeSamples").asInt());
        assertEquals(2, stock.get("layers").get(0).get("updateRatios").size());
        assertEquals("Nesterov SGD, lr 0.01, momentum 0.9", json.get("updater").asText());
        for (int i = 0; i < 3; i++) {
            assertEquals(stock.get("layers").get(i).get("activeRelative").asInt(),
                    ramp.get("layers").get(i).get("activeRelative").asInt(), "the ramp cannot move the relative rule");
        }
        assertEquals(stock.get("ERelative").asText(), ramp.get("ERelative").asText());
        // the JSON reads back and writes out to the same text
        String text = Files.readString(out.resolve("report.json"));
        assertEquals(text, InitReportJson.write(InitReportJson.read(text), Map.of("updater", json.get("updater")
                .asText())));
        for (String f : PLOTS) {
            BufferedImage png = ImageIO.read(out.resolve(f).toFile());
            assertEquals(f.equals("overview.png") ? 1200 : 600, png.getWidth(), f);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<table id=\"layers\">") && html.contains(">layer2<"), "the table");
        assertEquals(8, html.split("<img id=\"plot-", -1).length - 1, "eight plots embedded");
        assertFalse(html.contains("src=\"http") || html.contains("<script"), "self-contained, no script");

        // a second run into the same folder replaces the files and leaves no staging folder behind
        report(out, "--arch", "mlp:784-32-32-32-10", "--inits", "xavier");
        assertEquals(1, new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("inits").size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("r"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void cnnWithBatchNormSeesTheSameActivationsUnderEveryRampInBatchStatisticsMode(@TempDir Path dir)
            throws Exception {
        JsonNode json = report(dir.resolve("cnn"), "--arch", "cnn:c4-p-c4-f8-10", "--bn", "--inits",
                "xavier,emergence-xavier@2");
        JsonNode stock = json.get("inits").get(0).get("layers");
        JsonNode ramp = json.get("inits").get(1).get("layers");
        assertEquals(3, stock.size());
        assertEquals(4, stock.get(0).get("width").asInt(), "channels");
        for (int i = 0; i < 3; i++) {
            double s = stock.get(i).get("activationStd").asDouble();
            assertEquals(s, ramp.get(i).get("activationStd").asDouble(), 0.01 * s, "layer " + i);
        }
        assertTrue(ramp.get(0).get("rampScale").asDouble() < 1);
    }

    @Test
    void savedGraphWithBranchesLstmAndModelZip(@TempDir Path dir) throws Exception {
        Path graph = dir.resolve("graph.json");
        Files.writeString(graph, SavedConfigs.twoBranchGraph(11).toJson());
        JsonNode g = report(dir.resolve("g"), "--config", graph.toString(), "--inits", "kaiming,emergence-kaiming@1.2");
        assertEquals(List.of("a", "b1", "b2"), layerNames(g.get("inits").get(0)));
        assertEquals(11, g.get("seed").asLong());

        // an LSTM on the image rows (28 time steps of 28 pixels), saved as a model zip
        MultiLayerConfiguration lstm = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.05)).list()
                .layer(new LSTM.Builder().nOut(16).activation(Activation.TANH).build())
                .layer(new LastTimeStep(new LSTM.Builder().nOut(12).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(lstm);
        net.init();
        Path zip = dir.resolve("lstm.zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        JsonNode l = report(dir.resolve("l"), "--model", zip.toString(), "--inits", "xavier,emergence-xavier@1.2");
        JsonNode layers = l.get("inits").get(1).get("layers");
        assertEquals(2, layers.size());
        assertEquals("LastTimeStep(LSTM)", layers.get(1).get("type").asText());
        assertTrue(layers.get(0).get("gradientNorm").asDouble() > 0 && layers.get(1).get("updateRatio").asDouble() > 0);

        // per-time-step labels for an RnnOutputLayer
        MultiLayerConfiguration seq = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.05)).list()
                .layer(new LSTM.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28)).build();
        Path seqFile = dir.resolve("seq.json");
        Files.writeString(seqFile, seq.toJson());
        JsonNode s = report(dir.resolve("s"), "--config", seqFile.toString(), "--inits", "xavier");
        assertEquals(1, s.get("inits").get(0).get("layers").size());
    }

    @Test
    void inspectTakesTheRelativeRuleAndTheRampCannotMoveIt() throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (String init : List.of("xavier", "emergence-xavier")) {
            PlanCommandTest.Result r = run("inspect", "--json", "--samples", "200", "--arch", "mlp:784-64-64-64-10",
                    "--init", init, "--alpha", "1.5", "--rule", "relative");
            assertEquals(0, r.status(), r.err());
            results.add(new ObjectMapper().readTree(r.out()).get("emergence"));
        }
        assertEquals("relative", results.get(0).get("rule").asText());
        assertEquals(0.5, results.get(0).get("relativeFraction").asDouble());
        assertEquals(results.get(0).get("active"), results.get(1).get("active"));
        assertEquals(results.get(0).get("E"), results.get(1).get("E"));
        PlanCommandTest.Result bad = run("inspect", "--arch", "mlp:784-16-16-10", "--rule", "relative",
                "--fraction", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("fraction"), bad.err());
    }

    private static void assertRefused(Path out, String expected, String... args) {
        List<String> all = new ArrayList<>(List.of("init-report", "--out", out.toString()));
        all.addAll(List.of(args));
        for (int i = 0; i < SMALL.length; i += 2) {
            if (!all.contains(SMALL[i])) {
                all.addAll(List.of(SMALL[i], SMALL[i + 1]));
            }
        }
        PlanCommandTest.Result r = run(all.toArray(String[]::new));
        assertEquals(2, r.status(), String.join(" ", args) + ": " + r.out() + r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("emergence: ") && !err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(expected), err);
        assertFalse(err.contains("Exception"), err);
        assertFalse(Files.exists(out), "nothing written for " + String.join(" ", args));
        try (var siblings = Files.list(out.getParent())) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".writing-")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("never");
        assertRefused(out, "no hidden weight layer", "--arch", "mlp:784-10");
        assertRefused(out, "--inits is empty", "--arch", "mlp:784-16-10", "--inits", "");
        assertRefused(out, "--inits is empty", "--arch", "mlp:784-16-10", "--inits", " , ");
        assertRefused(out, "unknown init", "--arch", "mlp:784-16-10", "--inits", "kaiming,nonsense");
        assertRefused(out, "--steps must be at least 1", "--arch", "mlp:784-16-10", "--steps", "0");
        assertRefused(out, "--steps must be at least 1", "--arch", "mlp:784-16-10", "--steps", "-4");

        Path notConf = dir.resolve("not-a-config.json");
        Files.writeString(notConf, "{\"hello\": [1, 2, 3]}");
        assertRefused(out, "not a DL4J configuration", "--config", notConf.toString());
        Path notJson = dir.resolve("notes.json");
        Files.writeString(notJson, "these are my notes");
        assertRefused(out, "not a DL4J configuration", "--config", notJson.toString());
        assertRefused(out, "not a zip", "--model", notJson.toString());

        MultiLayerConfiguration wrongInput = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(100).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build();
        Path wrong = dir.resolve("wrong-input.json");
        Files.writeString(wrong, wrongInput.toJson());
        assertRefused(out, "cannot run on the data", "--config", wrong.toString());

        MultiLayerConfiguration wrongSteps = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nOut(8).build())
                .layer(new RnnOutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(20, 28)).build();
        Path lstm = dir.resolve("lstm20.json");
        Files.writeString(lstm, wrongSteps.toJson());
        assertRefused(out, "does not fit the data", "--config", lstm.toString());

        // a layer the ramp cannot initialise through the configuration (SameDiff attention)
        MultiLayerConfiguration attention = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nOut(8).build())
                .layer(new SelfAttentionLayer.Builder().nOut(8).nHeads(1).projectInput(true).build())
                .layer(new RnnOutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28)).build();
        Path att = dir.resolve("attention.json");
        Files.writeString(att, attention.toJson());
        assertRefused(out, "SelfAttention", "--config", att.toString(), "--inits", "emergence-kaiming@1.2");

        Files.writeString(dir.resolve("a-file"), "x");
        PlanCommandTest.Result file = run("init-report", "--arch", "mlp:784-16-10", "--out",
                dir.resolve("a-file").toString());
        assertEquals(2, file.status());
        assertTrue(file.err().contains("is a file"), file.err());
    }
}
