package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.measure.EmergenceMeasure;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InspectCommandTest {

    private static JsonNode inspect(String... extra) throws Exception {
        String[] base = {"inspect", "--json", "--samples", "200"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        PlanCommandTest.Result r = run(args);
        assertEquals(0, r.status(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    @Test
    void jsonReportHasTheLayersAndAnExactEmergence() throws Exception {
        JsonNode json = inspect("--arch", "mlp:784-64-64-64-10", "--init", "emergence-kaiming", "--alpha", "1.3");
        assertEquals("mnist-embedded (6,000 train / 1,000 test)", json.get("dataset").asText());
        JsonNode layers = json.get("layers");
        assertEquals(4, layers.size());
        for (String field : new String[] {"index", "name", "type", "fanIn", "fanOut", "exponent", "scale", "weightStd"}) {
            assertTrue(layers.get(0).has(field), field);
        }
        // weight std drawn = scale * sqrt(2 / fanIn) within sampling error (784*64 draws)
        double expected = layers.get(0).get("scale").asDouble() * Math.sqrt(2.0 / 784);
        assertEquals(expected, layers.get(0).get("weightStd").asDouble(), expected * 0.03);

        JsonNode e = json.get("emergence");
        assertEquals(200, e.get("samples").asInt());
        assertEquals("mean", e.get("rule").asText());
        assertEquals(0.05, e.get("threshold").asDouble());
        long[] widths = longs(e.get("widths"));
        long[] active = longs(e.get("active"));
        assertEquals(3, widths.length, "hidden layers only: the output layer is excluded");
        BigInteger exact = EmergenceMeasure.emergence(widths, active);
        assertEquals(exact.toString(), e.get("E").asText());
        assertTrue(e.get("parameters").asLong() > 0);
        assertEquals(exact.doubleValue() / e.get("parameters").asLong(), e.get("relativeE").asDouble(),
                1e-9 * Math.max(1, exact.doubleValue()));
    }

    @Test
    void cnnWithBatchNormAndTheMajorityRule() throws Exception {
        JsonNode json = inspect("--arch", "cnn:c8-p-c8-f16-10", "--bn", "--init", "kaiming", "--rule", "majority");
        assertEquals("majority", json.get("emergence").get("rule").asText());
        assertEquals(3, json.get("layers").size() - 1);
        assertEquals(8, json.get("emergence").get("widths").get(0).asInt(), "convolution nodes are channels");
        assertTrue(json.get("layers").findValues("scale").stream().allMatch(s -> s.asDouble() == 1.0),
                "a stock init has scale 1");
    }

    @Test
    void savedGraphConfigurationIsInspectedWithItsSeedOrAnOverride(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("graph.json");
        Files.writeString(file, SavedConfigs.twoBranchGraph(11).toJson());
        JsonNode saved = inspect("--config", file.toString(), "--init", "emergence-kaiming", "--alpha", "1.3");
        assertEquals(11, saved.get("seed").asLong());
        assertEquals(java.util.List.of("a", "b1", "b2", "out"), saved.get("layers").findValuesAsText("name"));
        assertEquals(3, saved.get("emergence").get("widths").size());
        JsonNode seeded = inspect("--config", file.toString(), "--init", "emergence-kaiming", "--alpha", "1.3",
                "--seed", "3");
        assertEquals(3, seeded.get("seed").asLong());
        JsonNode again = inspect("--config", file.toString(), "--init", "emergence-kaiming", "--alpha", "1.3",
                "--seed", "3");
        assertEquals(seeded.get("layers"), again.get("layers"), "same seed, same weights");
        assertEquals(seeded.get("emergence"), again.get("emergence"));
        assertTrue(seeded.get("layers").get(0).get("weightStd").asDouble()
                != saved.get("layers").get(0).get("weightStd").asDouble(), "another seed, other weights");
    }

    @Test
    void sharedCifarSubsetIsLabelledAsASubset() throws Exception {
        Path shared = Path.of("..", "..", "shared", "datasets").toAbsolutePath().normalize();
        String env = System.getenv("EMERGENCE_DATA");
        Path dir = env != null && !env.isEmpty() ? Path.of(env) : shared;
        assumeTrue(Files.isDirectory(dir.resolve("cifar-10-subset")), "no CIFAR-10 subset here");
        JsonNode json = inspect("--arch", "cnn:c8-p-10", "--dataset", "cifar10", "--data-dir", dir.toString(),
                "--rule", "mean");
        assertEquals("cifar10-subset (5,085 train / 1,017 test)", json.get("dataset").asText());
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        String[][] cases = {
                {"inspect", "--arch", "mlp:100-10"},
                {"inspect", "--arch", "mlp:784-10", "--dataset", "imagenet"},
                {"inspect", "--arch", "mlp:784-10", "--rule", "most"},
                {"inspect", "--arch", "mlp:784-10", "--samples", "0"},
                {"inspect", "--arch", "mlp:784-10", "--threshold", "-1"},
                {"inspect", "--arch", "mlp:784-10", "--alpha", "0"},
                {"inspect", "--arch", "mlp:784-10", "--dataset", "mnist", "--data-dir", "/nonexistent-folder"},
        };
        String[] expected = {"takes 100 inputs but the data has 784", "imagenet", "Unknown --rule 'most'",
                "--samples must be at least 1", "threshold", "alpha must be finite and > 0", "/nonexistent-folder"};
        for (int i = 0; i < cases.length; i++) {
            PlanCommandTest.Result r = run(cases[i]);
            assertEquals(2, r.status(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().startsWith("emergence: "), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
        }
    }
}
