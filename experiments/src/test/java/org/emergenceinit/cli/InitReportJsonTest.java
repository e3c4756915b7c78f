package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.report.InitReportResult;
import org.emergenceinit.report.InitResult;
import org.emergenceinit.report.LayerSignal;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.json: the schema the issue asks for, and a lossless round trip. */
class InitReportJsonTest {

    static final List<String> LAYER_FIELDS = List.of("name", "type", "measuredAt", "width", "rampScale",
            "activationMean", "activationStd", "deadFraction", "activeAbsolute", "activeRelative", "weightStd",
            "gradientNorm", "updateRatio", "updateRatios");

    static final List<String> INIT_FIELDS = List.of("init", "alpha", "log10E", "log10ERelative", "E", "ERelative",
            "parameters", "lossAtInit", "losses", "layers");

    private static InitReportResult sample() {
        LayerSignal a = new LayerSignal("layer0", "DenseLayer", "layer0", 4, 0.8333333333333334, 0.1234567890123,
                0.25, 0.25, 3, 2, 0.0612, 1.5e-3, 2.5e-4, List.of(2e-4, 3e-4));
        LayerSignal b = new LayerSignal("layer1", "DenseLayer", "layer3", 3, 1.2, Double.NaN, 0.0, 1.0, 0, 0, 0.07,
                Double.NaN, Double.NaN, List.of(Double.NaN, 1e-3));
        InitResult stock = new InitResult("kaiming", null, BigInteger.valueOf(26), BigInteger.ZERO, 123, 2.302585,
                List.of(2.302585, 2.1), List.of(a, b));
        InitResult ramp = new InitResult("emergence-kaiming@1.2", 1.2, new BigInteger("123456789012345678901234567890"),
                BigInteger.valueOf(7), 123, Double.NaN, List.of(Double.NaN, 2.0), List.of(a, b));
        return new InitReportResult("mlp:4-3-2", "test data", 7, 100, 2, 32, 0.05, 0.5, true, List.of(stock, ramp));
    }

    @Test
    void roundTripIsLossless() throws Exception {
        InitReportResult r = sample();
        String json = InitReportJson.write(r, Map.of("updater", "Sgd"));
        assertEquals(r, InitReportJson.read(json));
        assertEquals(json, InitReportJson.write(InitReportJson.read(json), Map.of("updater", "Sgd")));
    }

    @Test
    void schemaHasTheIssuesFieldsAndNullsForValuesThatAreNotFinite() throws Exception {
        JsonNode root = new ObjectMapper().readTree(InitReportJson.write(sample(), Map.of("updater", "Sgd")));
        assertSchema(root);
        JsonNode stock = root.get("inits").get(0);
        assertTrue(stock.get("alpha").isNull(), "a stock init has no alpha");
        assertEquals(Math.log10(26), stock.get("log10E").asDouble(), 1e-12);
        assertTrue(stock.get("log10ERelative").isNull(), "E = 0: log10 E is null");
        assertEquals("0", stock.get("ERelative").asText());
        assertEquals("123456789012345678901234567890", root.get("inits").get(1).get("E").asText());
        assertEquals(1.2, root.get("inits").get(1).get("alpha").asDouble());
        assertTrue(stock.get("layers").get(1).get("activationMean").isNull());
        assertTrue(stock.get("layers").get(1).get("updateRatios").get(0).isNull());
        assertEquals("batch-statistics", root.get("forward").asText());
        assertEquals("Sgd", root.get("updater").asText());
    }

    @Test
    void readingSomethingElseIsAClearError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InitReportJson.read("{\"report\": \"x\"}"))
                .getMessage().contains("not an init-report"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InitReportJson.read(
                "{\"report\": \"init-report\", \"network\": \"n\"}")).getMessage().contains("lacks the field"));
    }

    /** The issue's schema: inits, each {init, alpha, log10E, log10ERelative, layers}, each layer its fields. */
    static void assertSchema(JsonNode root) {
        assertEquals("init-report", root.get("report").asText());
        for (String f : List.of("network", "data", "seed", "probeSamples", "steps", "batchSize", "threshold",
                "relativeFraction", "forward", "inits")) {
            assertTrue(root.has(f), f);
        }
        assertTrue(root.get("inits").isArray() && root.get("inits").size() > 0);
        for (JsonNode init : root.get("inits")) {
            for (String f : INIT_FIELDS) {
                assertTrue(init.has(f), "init field " + f);
            }
            assertTrue(init.get("layers").isArray() && init.get("layers").size() > 0);
            for (JsonNode layer : init.get("layers")) {
                for (String f : LAYER_FIELDS) {
                    assertTrue(layer.has(f), "layer field " + f + " in " + layer);
                }
                assertTrue(layer.get("activeAbsolute").isInt() && layer.get("activeRelative").isInt());
                assertTrue(layer.get("activeAbsolute").asInt() <= layer.get("width").asInt());
            }
        }
    }
}
