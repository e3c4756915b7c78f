package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanCommandTest {

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = EmergenceCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void jsonPlanOfAnMlp() throws Exception {
        Result r = run("plan", "--arch", "mlp:784-256-256-10", "--init", "emergence-kaiming", "--alpha", "1.5", "--json");
        assertEquals(0, r.status, r.err);
        JsonNode json = new ObjectMapper().readTree(r.out);
        assertEquals("emergence-kaiming", json.get("init").asText());
        assertEquals(3, json.get("layers").size());
        JsonNode first = json.get("layers").get(0);
        assertEquals(784.0, first.get("fanIn").asDouble());
        assertEquals(-1.0, first.get("exponent").asDouble());
        assertEquals(1 / 1.5, first.get("scale").asDouble(), 1e-12);
    }

    @Test
    void tablePlanOfACnnAndOfASavedConfiguration(@TempDir Path dir) throws Exception {
        Result cnn = run("plan", "--arch", "cnn:c8-p-f16-10", "--input", "3x32x32", "--bn");
        assertEquals(0, cnn.status, cnn.err);
        assertTrue(cnn.out.startsWith("Emergence ramp over 3 layers"), cnn.out);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).build())
                .layer(new OutputLayer.Builder().nIn(4).nOut(2).build()).build();
        Path file = dir.resolve("conf.json");
        Files.writeString(file, conf.toJson());
        Result saved = run("plan", "--config", file.toString(), "--init", "emergence-xavier", "--alpha", "2");
        assertEquals(0, saved.status, saved.err);
        assertTrue(saved.out.contains("0.707107"), saved.out);
    }

    @Test
    void badArgumentsPrintOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{ not json");
        String[][] cases = {
                {"plan", "--arch", "mlp:784-x-10"},
                {"plan", "--arch", "mlp:784-10", "--alpha", "-1"},
                {"plan", "--arch", "mlp:784-10", "--alpha", "NaN"},
                {"plan", "--arch", "mlp:784-10", "--init", "lecun"},
                {"plan", "--config", dir.resolve("missing.json").toString()},
                {"plan", "--config", junk.toString()},
                {"plan"},
                {"plan", "--arch", "mlp:784-10", "--alpha", "abc"},
        };
        String[] expected = {"Malformed --arch", "alpha must be finite and > 0", "alpha must be finite and > 0",
                "Unknown init 'lecun'", "is not a readable file", "is not a DL4J configuration JSON",
                "Missing required argument", "Invalid value for option '--alpha'"};
        for (int i = 0; i < cases.length; i++) {
            Result r = run(cases[i]);
            assertEquals(2, r.status, String.join(" ", cases[i]));
            assertTrue(r.err.startsWith("emergence: "), r.err);
            assertTrue(r.err.contains(expected[i]), r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
        }
    }
}
