package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.serde.JsonMappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmergenceWeightInitTest {

    private static double[] exponents(ExponentMode mode, int count) {
        double[] e = new double[count];
        for (int k = 0; k < count; k++) {
            e[k] = mode.exponent(k, count);
        }
        return e;
    }

    @Test
    void centredExponentsForOddAndEvenCounts() {
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, exponents(ExponentMode.CENTRED, 5));
        assertArrayEquals(new double[] {-1.5, -0.5, 0.5, 1.5}, exponents(ExponentMode.CENTRED, 4));
        assertArrayEquals(new double[] {0}, exponents(ExponentMode.CENTRED, 1));
    }

    @Test
    void integerExponentsSkipZeroForEvenCounts() {
        assertArrayEquals(new double[] {-2, -1, 1, 2}, exponents(ExponentMode.INTEGER, 4));
        assertArrayEquals(new double[] {-3, -2, -1, 1, 2, 3}, exponents(ExponentMode.INTEGER, 6));
        assertArrayEquals(exponents(ExponentMode.CENTRED, 7), exponents(ExponentMode.INTEGER, 7));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 9, 19, 20})
    void exponentsSumToZeroAndNeighboursDifferByOne(int count) {
        for (ExponentMode mode : ExponentMode.values()) {
            double[] e = exponents(mode, count);
            assertEquals(0.0, java.util.Arrays.stream(e).sum(), 1e-12, mode + " L=" + count);
            for (int k = 1; k < count; k++) {
                boolean middleGap = mode == ExponentMode.INTEGER && count % 2 == 0 && k == count / 2;
                assertEquals(middleGap ? 2.0 : 1.0, e[k] - e[k - 1], 0.0, mode + " L=" + count + " k=" + k);
            }
        }
    }

    @Test
    void scaleIsAlphaToTheExponent() {
        EmergenceWeightInit w = EmergenceWeightInit.kaiming(1.5).bind(0, 4);
        assertEquals(-1.5, w.exponent());
        assertEquals(Math.pow(1.5, -1.5), w.scale(), 0.0);
        assertEquals(1.0, EmergenceWeightInit.xavier(3.0).bind(2, 5).scale(), 0.0);
    }

    @Test
    void valueObjectEqualityAndToString() {
        EmergenceWeightInit a = EmergenceWeightInit.of(BaseScheme.XAVIER_UNIFORM, 1.2, ExponentMode.INTEGER).bind(1, 4);
        EmergenceWeightInit b = new EmergenceWeightInit("xavier_uniform", 1.2, "integer", 1, 4);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.bind(2, 4));
        assertNotEquals(a, a.withBase(BaseScheme.XAVIER));
        assertNotEquals(a, EmergenceWeightInit.of(BaseScheme.XAVIER_UNIFORM, 1.21, ExponentMode.INTEGER).bind(1, 4));
        assertNotEquals(a, EmergenceWeightInit.of(BaseScheme.XAVIER_UNIFORM, 1.2, ExponentMode.INTEGER));
        assertEquals("EmergenceWeightInit(base=XAVIER_UNIFORM, alpha=1.2, mode=INTEGER, layerIndex=1, layerCount=4)",
                a.toString());
    }

    @Test
    void jsonRoundTripThroughDl4jMapperKeepsEveryField() throws Exception {
        ObjectMapper mapper = JsonMappers.getMapper();
        for (IWeightInit w : new IWeightInit[] {EmergenceWeightInit.kaiming(1.3),
                EmergenceWeightInit.of(BaseScheme.XAVIER, 0.8, ExponentMode.INTEGER).bind(3, 6)}) {
            String json = mapper.writeValueAsString(w);
            assertTrue(json.matches("(?s).*\"@class\"\\s*:\\s*\"org.emergenceinit.weights.EmergenceWeightInit\".*"), json);
            assertFalse(json.contains("bound"), json);
            assertEquals(w, mapper.readValue(json, IWeightInit.class));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void badAlphaIsRejectedWithTheFix(double alpha) {
        for (org.junit.jupiter.api.function.Executable e : new org.junit.jupiter.api.function.Executable[] {
                () -> EmergenceWeightInit.xavier(alpha), () -> EmergenceRamp.kaiming(alpha),
                () -> SameDiffRamp.of(BaseScheme.XAVIER, alpha, 3)}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
            assertTrue(ex.getMessage().contains("alpha must be finite and > 0"), ex.getMessage());
            assertTrue(ex.getMessage().contains("got " + alpha), ex.getMessage());
        }
    }

    @Test
    void badPositionsAreRejected() {
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> EmergenceWeightInit.xavier(1.1).bind(5, 5));
        assertTrue(out.getMessage().contains("Layer index 5 is outside the ramp of 5 layers: it must be in [0, 4]"),
                out.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmergenceWeightInit.xavier(1.1).bind(-1, 5));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> EmergenceWeightInit.xavier(1.1).bind(0, 0));
        assertTrue(count.getMessage().contains("layer count of at least 1, got 0"), count.getMessage());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> new EmergenceWeightInit("XAVIER", 1.1, null, 2, null));
        assertTrue(half.getMessage().contains("needs both layerIndex and layerCount"), half.getMessage());
    }

    private static String dense2Json() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).weightInit(EmergenceWeightInit.xavier(1.1)).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).weightInit(EmergenceWeightInit.xavier(1.1)).build())
                .build();
        EmergenceRamp.bind(conf);
        return conf.toJson();
    }

    @Test
    void unknownBaseOrModeInJsonNamesTheAcceptedNames() {
        String json = dense2Json();
        assertTrue(json.contains("\"base\" : \"XAVIER\""), json);
        Throwable base = rootCause(assertThrows(RuntimeException.class,
                () -> MultiLayerConfiguration.fromJson(json.replace("\"base\" : \"XAVIER\"", "\"base\" : \"GLOROTISH\""))));
        assertTrue(base.getMessage().contains("Unknown base scheme 'GLOROTISH'"), base.getMessage());
        assertTrue(base.getMessage().contains("KAIMING_UNIFORM"), base.getMessage());
        Throwable mode = rootCause(assertThrows(RuntimeException.class,
                () -> MultiLayerConfiguration.fromJson(json.replace("\"CENTRED\"", "\"SPIRAL\""))));
        assertTrue(mode.getMessage().contains("Unknown exponent mode 'SPIRAL'"), mode.getMessage());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void unboundSchemeFailsAtInitWithHowToBind() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().weightInit(EmergenceWeightInit.xavier(1.2))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        IllegalStateException ex = assertThrows(IllegalStateException.class, net::init);
        assertTrue(ex.getMessage().contains("is not bound to a layer position"), ex.getMessage());
        assertTrue(ex.getMessage().contains("EmergenceRamp.bind(conf)"), ex.getMessage());
    }

    @Test
    void baseNamesAndAliases() {
        assertEquals(BaseScheme.KAIMING, BaseScheme.parse("relu"));
        assertEquals(BaseScheme.KAIMING, BaseScheme.parse("He"));
        assertEquals(BaseScheme.KAIMING_UNIFORM, BaseScheme.parse("kaiming-uniform"));
        assertEquals(BaseScheme.XAVIER, BaseScheme.parse("glorot"));
        assertEquals(WeightInit.RELU_UNIFORM, BaseScheme.KAIMING_UNIFORM.dl4jName());
        assertThrows(IllegalArgumentException.class, () -> BaseScheme.parse("lecun"));
    }

    private static void assertArrayEquals(double[] expected, double[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 0.0);
    }
}
