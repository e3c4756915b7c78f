package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.emergenceinit.report.InitReportResult;
import org.emergenceinit.report.InitResult;
import org.emergenceinit.report.LayerSignal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json} of {@code init-report}: an {@link InitReportResult} as JSON, and back.
 *
 * <pre>
 * {"report": "init-report", "version": 1, "network": ..., "data": ..., "seed": 7, "probeSamples": 1000, "steps": 20,
 *  "batchSize": 128, "threshold": 0.05, "relativeFraction": 0.5, "forward": "batch-statistics",
 *  "inits": [{"init": "emergence-kaiming@1.2", "alpha": 1.2, "log10E": 13.6, "log10ERelative": 14.1,
 *             "E": "...", "ERelative": "...", "parameters": 535818, "lossAtInit": 2.31, "losses": [...],
 *             "layers": [{"name": "layer0", "type": "DenseLayer", "measuredAt": "layer0", "width": 256,
 *                         "rampScale": 0.48, "activationMean": ..., "activationStd": ..., "deadFraction": ...,
 *                         "activeAbsolute": 180, "activeRelative": 130, "weightStd": ..., "gradientNorm": ...,
 *                         "updateRatio": ..., "updateRatios": [...]}, ...]}, ...]}
 * </pre>
 *
 * {@code E} and {@code ERelative} (the emergence under the absolute and the relative activity rule) are exact decimal
 * strings; {@code log10E} and {@code log10ERelative} are derived from them and {@code null} when {@code E = 0}; any
 * other number that is not finite (after a diverged step) is {@code null}. Fields other than these are ignored on
 * reading (the command adds {@code updater}).
 */
final class InitReportJson {

    static final String KIND = "init-report";
    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InitReportJson() {
    }

    /** The JSON text, with {@code extra} top-level fields (e.g. the updater) after the settings. */
    static String write(InitReportResult r, Map<String, String> extra) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("report", KIND);
        root.put("version", VERSION);
        root.put("network", r.network());
        root.put("data", r.data());
        root.put("seed", r.seed());
        root.put("probeSamples", r.probeSamples());
        root.put("steps", r.steps());
        root.put("batchSize", r.batchSize());
        number(root, "threshold", r.threshold());
        number(root, "relativeFraction", r.relativeFraction());
        root.put("forward", r.batchStatistics() ? "batch-statistics" : "inference");
        extra.forEach(root::put);
        ArrayNode inits = root.putArray("inits");
        for (InitResult i : r.inits()) {
            ObjectNode n = inits.addObject();
            n.put("init", i.init());
            if (i.alpha() == null) {
                n.putNull("alpha");
            } else {
                n.put("alpha", i.alpha());
            }
            number(n, "log10E", i.log10E());
            number(n, "log10ERelative", i.log10ERelative());
            n.put("E", i.emergence().toString());
            n.put("ERelative", i.emergenceRelative().toString());
            n.put("parameters", i.parameters());
            number(n, "lossAtInit", i.lossAtInit());
            numbers(n.putArray("losses"), i.losses());
            ArrayNode layers = n.putArray("layers");
            for (LayerSignal l : i.layers()) {
                ObjectNode m = layers.addObject();
                m.put("name", l.name());
                m.put("type", l.type());
                m.put("measuredAt", l.measuredAt());
                m.put("width", l.width());
                number(m, "rampScale", l.rampScale());
                number(m, "activationMean", l.activationMean());
                number(m, "activationStd", l.activationStd());
                number(m, "deadFraction", l.deadFraction());
                m.put("activeAbsolute", l.activeAbsolute());
                m.put("activeRelative", l.activeRelative());
                number(m, "weightStd", l.weightStd());
                number(m, "gradientNorm", l.gradientNorm());
                number(m, "updateRatio", l.updateRatio());
                numbers(m.putArray("updateRatios"), l.updateRatios());
            }
        }
        return MAPPER.writeValueAsString(root) + "\n";
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the missing or malformed field
     */
    static InitReportResult read(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !KIND.equals(root.path("report").asText())) {
            throw new IllegalArgumentException("not an init-report report.json: its \"report\" field is not \""
                    + KIND + "\"");
        }
        List<InitResult> inits = new ArrayList<>();
        for (JsonNode n : array(root, "inits")) {
            List<LayerSignal> layers = new ArrayList<>();
            for (JsonNode m : array(n, "layers")) {
                layers.add(new LayerSignal(text(m, "name"), text(m, "type"), text(m, "measuredAt"), integer(m, "width"),
                        number(m, "rampScale"), number(m, "activationMean"), number(m, "activationStd"),
                        number(m, "deadFraction"), integer(m, "activeAbsolute"), integer(m, "activeRelative"),
                        number(m, "weightStd"), number(m, "gradientNorm"), number(m, "updateRatio"),
                        numbers(m, "updateRatios")));
            }
            JsonNode alpha = required(n, "alpha");
            inits.add(new InitResult(text(n, "init"), alpha.isNull() ? null : alpha.asDouble(),
                    new BigInteger(text(n, "E")), new BigInteger(text(n, "ERelative")), required(n, "parameters").asLong(),
                    number(n, "lossAtInit"), numbers(n, "losses"), layers));
        }
        return new InitReportResult(text(root, "network"), text(root, "data"), required(root, "seed").asLong(),
                required(root, "probeSamples").asLong(), integer(root, "steps"), integer(root, "batchSize"),
                number(root, "threshold"), number(root, "relativeFraction"),
                "batch-statistics".equals(text(root, "forward")), inits);
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static void numbers(ArrayNode array, List<Double> values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new IllegalArgumentException("report.json lacks the field \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        return required(node, field).asText();
    }

    private static int integer(JsonNode node, String field) {
        return required(node, field).asInt();
    }

    /** A number; {@code null} stands for a value that was not finite: NaN (log10 fields are not read). */
    private static double number(JsonNode node, String field) {
        JsonNode v = required(node, field);
        return v.isNull() ? Double.NaN : v.asDouble();
    }

    private static List<Double> numbers(JsonNode node, String field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode v : array(node, field)) {
            out.add(v.isNull() ? Double.NaN : v.asDouble());
        }
        return out;
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode v = required(node, field);
        if (!v.isArray()) {
            throw new IllegalArgumentException("report.json's field \"" + field + "\" is not a list");
        }
        return v;
    }
}
