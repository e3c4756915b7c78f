package org.emergenceinit.measure;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmergenceListenerTest {

    private static MultiLayerNetwork mlp(double dropout) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).dropOut(dropout).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ListDataSetIterator<DataSet> data() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(24, 6);
        INDArray y = Nd4j.zeros(24, 3);
        for (int i = 0; i < 24; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new ListDataSetIterator<>(new DataSet(x, y).asList(), 8);
    }

    @Test
    void recordsAtStartAndEachEpochEndAndWritesFiles(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = mlp(0);
        ListDataSetIterator<DataSet> train = data();
        INDArray probe = Nd4j.randn(20, 6);
        Path csv = dir.resolve("out/emergence.csv");
        Path json = dir.resolve("emergence.json");
        EmergenceListener listener = EmergenceListener.builder(probe).everyIterations(3).csv(csv).json(json).build();
        EmergenceProfile before = ActivityProbe.defaults().measure(net, probe);
        net.setListeners(listener);
        net.fit(train, 2);

        List<EmergenceListener.Record> records = listener.records();
        List<String> events = records.stream().map(EmergenceListener.Record::event).toList();
        assertEquals(List.of("start", "iteration", "epoch_end", "iteration", "epoch_end"), events);
        assertEquals(0, records.get(0).iteration());
        assertEquals(2, records.get(1).iteration(), "the third iteration (index 2) is recorded before the count is incremented");
        assertEquals(3, records.get(2).iteration());
        assertEquals(6, records.get(4).iteration());
        assertEquals(1, records.get(4).epoch(), "epoch count is incremented after onEpochEnd");
        assertNotEquals(before.layers().get(0).meanActivation()[0],
                listener.lastProfile().layers().get(0).meanActivation()[0], "training changed the activations");

        EmergenceProfile now = ActivityProbe.defaults().measure(net, probe);
        EmergenceListener.Record last = records.get(4);
        assertEquals(now.emergence(), last.emergence());
        assertArrayEquals(now.activeCounts(), last.active());
        assertArrayEquals(new long[]{16, 12}, last.widths());

        List<String> lines = Files.readAllLines(csv);
        assertEquals(6, lines.size());
        assertEquals("event,epoch,iteration,parameters,E,log10_E,relative_E,log10_relative_E,"
                + "active_fraction_layer0,active_fraction_layer1", lines.get(0));
        String[] cells = lines.get(5).split(",");
        assertEquals("epoch_end", cells[0]);
        assertEquals(last.emergence(), new BigInteger(cells[4]));
        assertEquals(last.log10Emergence(), Double.parseDouble(cells[5]));
        assertEquals(last.parameters(), Long.parseLong(cells[3]));
        assertEquals((double) last.active()[1] / 12, Double.parseDouble(cells[9]));

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(0.05, root.get("threshold").asDouble());
        assertEquals("MEAN", root.get("rule").asText());
        assertEquals(20, root.get("samples").asLong());
        assertEquals(5, root.get("records").size());
        JsonNode lastJson = root.get("records").get(4);
        assertEquals(last.emergence(), new BigInteger(lastJson.get("E").asText()));
        assertEquals(last.active()[0], lastJson.get("active").get(0).asLong());
        assertEquals("layer1", lastJson.get("layers").get(1).asText());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "temporary files are moved away");
        }
    }

    @Test
    void probingDoesNotChangeTraining() {
        MultiLayerNetwork plain = mlp(0.5);
        MultiLayerNetwork probed = mlp(0.5);
        assertEquals(plain.params(), probed.params());

        Nd4j.getRandom().setSeed(99);
        plain.fit(data(), 2);

        EmergenceListener listener = EmergenceListener.builder(Nd4j.randn(10, 6)).everyIterations(1).build();
        probed.setListeners(listener);
        Nd4j.getRandom().setSeed(99);
        probed.fit(data(), 2);

        assertEquals(1 + 6 + 2, listener.records().size());
        assertEquals(plain.params(), probed.params(), "dropout masks and updates are identical with the probe");
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> EmergenceListener.builder(Nd4j.zeros(0, 3)));
        assertThrows(IllegalArgumentException.class, () -> EmergenceListener.builder(Nd4j.ones(3, 2)).everyIterations(-1));
        EmergenceListener listener = EmergenceListener.builder(Nd4j.ones(3, 2)).build();
        assertThrows(IllegalArgumentException.class, () -> listener.record(null, "start"));
    }
}
