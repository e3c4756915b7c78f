package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alpha pilot and the automatic ramp on ComputationGraphs: a residual graph, and a two-input graph. */
class GraphAlphaPilotTest {

    /**
     * {@code in(8) -> d0 -> d1 -> add(d0, d1) -> d2 -> add2(add, d2) -> out (softmax, 3 classes)}: two residual
     * blocks, ReLU dense layers of {@code width}, vertices defined out of order.
     */
    static ComputationGraphConfiguration residual(long seed, int width) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .updater(new Nesterovs(0.05, 0.9)).activation(Activation.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "add2")
                .addVertex("add2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "add", "d2")
                .addLayer("d2", new DenseLayer.Builder().nOut(width).build(), "add")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d0", "d1")
                .addLayer("d1", new DenseLayer.Builder().nOut(width).build(), "d0")
                .addLayer("d0", new DenseLayer.Builder().nOut(width).build(), "in")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(8))
                .build();
    }

    /** {@code a(4) -> da, b(4) -> db, merge -> out}: two inputs, fed from the halves of the 8 features. */
    static ComputationGraphConfiguration twoInputs(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU)
                .updater(new Nesterovs(0.05, 0.9)).activation(Activation.RELU).graphBuilder()
                .addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nOut(12).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nOut(12).build(), "b")
                .addVertex("m", new MergeVertex(), "da", "db")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build(), "m")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(4), InputType.feedForward(4))
                .build();
    }

    /** The graph's configuration seed set as the pilot sets it: default configuration and every layer vertex. */
    private static ComputationGraphConfiguration seeded(ComputationGraphConfiguration c, long seed) {
        c.getDefaultConfiguration().setSeed(seed);
        c.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv) {
                lv.getLayerConf().setSeed(seed);
            }
        });
        return c;
    }

    /** Every batch of the iterator from its start. */
    private static List<DataSet> all(DataSetIterator it) {
        it.reset();
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        it.reset();
        return out;
    }

    /** The stock graph (no ramp) trained by hand on batch {@code i % n} for {@code steps} steps: its losses. */
    private static double[] byHand(ComputationGraphConfiguration conf, List<DataSet> batches, int steps) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) {
            g.fit(batches.get(i % batches.size()).copy());
            losses[i] = g.score();
        }
        return losses;
    }

    @Test
    void atAlphaOneThePilotTrainsTheStockGraphBitForBit() {
        AlphaPilot p = AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.0, 1.3)).withFirstSeed(3);
        AlphaPilot.Result r = p.run(residual(1, 16), AlphaPilotTest.data(256, 1, 32), null,
                new AlphaPilot.Budget(12, 2));
        List<DataSet> batches = all(AlphaPilotTest.data(256, 1, 32));
        for (int s = 0; s < 2; s++) {
            double[] stock = byHand(seeded(residual(1, 16), 3 + s), batches, 12);
            assertArrayEquals(stock, r.stockRuns().get(s).losses(), 0.0, "seed " + (3 + s) + ": stock as DL4J trains it");
            assertArrayEquals(stock, r.runs().get(0).get(s).losses(), 0.0, "alpha 1 is the stock init");
            assertFalse(java.util.Arrays.equals(stock, r.runs().get(1).get(s).losses()), "alpha 1.3 is not");
        }
        assertEquals(0.0, r.candidates().get(0).lossDiffMean(), 0.0);
        assertFalse(r.candidates().get(0).beatsStock());
        assertFalse(java.util.Arrays.equals(r.stockRuns().get(0).losses(), r.stockRuns().get(1).losses()),
                "the seeds differ");
        assertTrue(Double.isNaN(r.stockRuns().get(0).heldOutAccuracy()), "no held-out data");
    }

    @Test
    void aGraphPilotIsDeterministicFromItsSeedsWhateverTheJobs() {
        AlphaPilot p = AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.1, 1.5)).withFirstSeed(5);
        AlphaPilot.Budget b = new AlphaPilot.Budget(12, 2);
        AlphaPilot.Result one = p.run(residual(1, 16), AlphaPilotTest.data(256, 1, 32),
                AlphaPilotTest.data(96, 2, 32), b);
        AlphaPilot.Result again = p.run(residual(1, 16), AlphaPilotTest.data(256, 1, 32),
                AlphaPilotTest.data(96, 2, 32), b);
        java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
        AlphaPilot.Result two = p.withJobs(2).withProgress(x -> reported.incrementAndGet())
                .run(residual(1, 16), AlphaPilotTest.data(256, 1, 32), AlphaPilotTest.data(96, 2, 32), b);
        assertEquals(3 * 2, reported.get(), "every run is reported once");
        for (AlphaPilot.Result other : List.of(again, two)) {
            for (int i = 0; i < 2; i++) {
                assertRunEquals(one.stockRuns().get(i), other.stockRuns().get(i));
                for (int a = 0; a < 2; a++) {
                    assertRunEquals(one.runs().get(a).get(i), other.runs().get(a).get(i));
                }
            }
            assertEquals(one.candidates(), other.candidates());
            assertEquals(one.best(), other.best());
            assertEquals(one.verdict(), other.verdict());
        }
        assertEquals(5, one.stockRuns().get(0).seed());
        assertEquals(6, one.stockRuns().get(1).seed());
        assertNotEquals(one.stockRuns().get(0).losses()[3], one.runs().get(1).get(0).losses()[3], "the ramp changes"
                + " the losses");
        assertTrue(one.stockRuns().get(0).heldOutAccuracy() > 0.3, "it learns: " + one.stockRuns().get(0));
        assertTrue(Double.isFinite(one.stockRuns().get(0).heldOutLoss()));
    }

    private static void assertRunEquals(AlphaPilot.Run x, AlphaPilot.Run y) {
        assertEquals(x.alpha(), y.alpha());
        assertEquals(x.seed(), y.seed());
        assertArrayEquals(x.losses(), y.losses(), 0.0);
        assertEquals(x.endLoss(), y.endLoss(), 0.0);
        assertEquals(x.heldOutAccuracy(), y.heldOutAccuracy(), 0.0);
        assertEquals(x.heldOutLoss(), y.heldOutLoss(), 0.0);
        assertEquals(x.diverged(), y.diverged());
    }

    @Test
    void theRampOnTheGraphHasStdRatiosOfAlphaInTopologicalOrder() {
        double alpha = 1.3;
        ComputationGraphConfiguration conf = residual(7, 64);
        RampPlan plan = EmergenceRamp.kaiming(alpha).apply(conf);
        ComputationGraph ramped = new ComputationGraph(conf);
        ramped.init();
        ComputationGraph stock = new ComputationGraph(residual(7, 64));
        stock.init();
        List<String> order = new ArrayList<>();
        for (int idx : ramped.topologicalSortOrder()) {
            String name = ramped.getVertices()[idx].getVertexName();
            if (ramped.getVertices()[idx].hasLayer() && ramped.getLayer(name).numParams() > 0) {
                order.add(name);
            }
        }
        assertEquals(List.of("d0", "d1", "d2", "out"), order, "DL4J's forward order");
        assertEquals(order, plan.entries().stream().map(RampPlan.Entry::name).toList());
        double previous = Double.NaN;
        double previousScale = Double.NaN;
        int rawChecked = 0;
        for (int k = 0; k < order.size(); k++) {
            INDArray w = ramped.getLayer(order.get(k)).getParam("W");
            INDArray w0 = stock.getLayer(order.get(k)).getParam("W");
            double sd = Nets.std(w);
            // the std the ramp promises: Kaiming's sqrt(2 / fanIn), times alpha^(e_k)
            double fanIn = w.size(0);
            double promised = Math.sqrt(2.0 / fanIn) * plan.entries().get(k).scale();
            assertEquals(promised, sd, promised * Nets.stdTolerance(w.length(), false), order.get(k));
            // the same draws as stock, scaled: the ratio to stock is exact
            double scale = sd / Nets.std(w0);
            assertEquals(plan.entries().get(k).scale(), scale, 1e-5 * scale, order.get(k));
            if (k > 0) {
                assertEquals(alpha, scale / previousScale, 1e-5, order.get(k - 1) + " -> " + order.get(k));
                INDArray before = ramped.getLayer(order.get(k - 1)).getParam("W");
                if (fanIn == before.size(0) && Math.min(w.length(), before.length()) >= 1000) {
                    // d1 -> d2: both 64 x 64, so the std ratio itself is alpha (up to the sampling error)
                    assertEquals(alpha, sd / previous, alpha * 2 * Nets.stdTolerance(Math.min(w.length(),
                            before.length()), false), "equal fan-in, " + order.get(k - 1) + " -> " + order.get(k));
                    rawChecked++;
                }
            }
            previous = sd;
            previousScale = scale;
        }
        assertEquals(1, rawChecked, "d1 -> d2");
        // biases are not scaled
        assertArrayEquals(Nets.floats(stock.getLayer("d1").getParam("b")), Nets.floats(ramped.getLayer("d1")
                .getParam("b")), 0f);
    }

    @Test
    void autoOnAGraphAppliesTheChosenAlphaAndRecordsThePilot() {
        ComputationGraphConfiguration c = residual(1, 16);
        AutoRamp auto = EmergenceRamp.auto(AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.0)), c,
                AlphaPilotTest.data(256, 1, 32), AlphaPilotTest.data(96, 2, 32), new AlphaPilot.Budget(10, 2));
        assertEquals(1.0, auto.alpha(), "a candidate equal to stock cannot win");
        assertFalse(auto.helped());
        assertEquals(10, auto.pilot().steps());
        assertEquals(1, auto.pilot().candidates().size());
        assertTrue(auto.pilot().verdict().startsWith("no alpha beat stock"), auto.pilot().verdict());
        assertEquals(List.of("d0", "d1", "d2", "out"), auto.plan().entries().stream().map(RampPlan.Entry::name)
                .toList());
        assertEquals(4, EmergenceRamp.validate(c).layerCount(), "the configuration carries the bound ramp");
        // the five-argument form on a graph: the pilot runs and its alpha is applied
        ComputationGraphConfiguration d = residual(2, 16);
        AutoRamp quick = EmergenceRamp.auto(BaseScheme.KAIMING, d, AlphaPilotTest.data(128, 1, 32), 10, 2);
        assertEquals(4, quick.pilot().candidates().size());
        assertEquals(quick.pilot().chosenAlpha(), quick.alpha());
        assertEquals(quick.alpha(), EmergenceRamp.validate(d).entries().get(0).alpha());
    }

    @Test
    void aGraphWithTwoInputsNeedsMultiDataSets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlphaPilot
                .of(BaseScheme.KAIMING).run(twoInputs(1), AlphaPilotTest.data(64, 1, 16), null,
                        new AlphaPilot.Budget(10, 2)));
        assertTrue(e.getMessage().startsWith("The graph has 2 inputs (a, b) and 1 output (out): a DataSetIterator"
                + " feeds one input and one output"), e.getMessage());
        // fed MultiDataSets it runs, and its stock is the stock graph's training, bit for bit
        AlphaPilot.Result r = AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.2)).withFirstSeed(2)
                .run(twoInputs(1), split(AlphaPilotTest.data(192, 1, 32)), split(AlphaPilotTest.data(64, 2, 32)),
                        new AlphaPilot.Budget(10, 2));
        List<MultiDataSet> batches = new ArrayList<>();
        split(AlphaPilotTest.data(192, 1, 32)).forEachRemaining(batches::add);
        ComputationGraph g = new ComputationGraph(seeded(twoInputs(1), 2));
        g.init();
        double[] losses = new double[10];
        for (int i = 0; i < 10; i++) {
            g.fit(batches.get(i % batches.size()).copy());
            losses[i] = g.score();
        }
        assertArrayEquals(losses, r.stockRuns().get(0).losses(), 0.0);
        assertTrue(r.stockRuns().get(0).heldOutAccuracy() >= 0 && r.stockRuns().get(0).heldOutAccuracy() <= 1,
                "one output of [examples, classes]: an accuracy");
        // data the graph cannot take is one error
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AlphaPilot
                .of(BaseScheme.KAIMING).run(residual(1, 16), split(AlphaPilotTest.data(64, 1, 16)), null,
                        new AlphaPilot.Budget(10, 2)));
        assertTrue(bad.getMessage().startsWith("The network cannot take the data"), bad.getMessage());
    }

    /** The iterator's batches as MultiDataSets of two inputs: features 0-3 and 4-7. */
    static MultiDataSetIterator split(DataSetIterator it) {
        List<MultiDataSet> list = new ArrayList<>();
        for (DataSet d : all(it)) {
            INDArray x = d.getFeatures();
            list.add(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {
                    x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup(),
                    x.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 8)).dup()}, new INDArray[] {d.getLabels()}));
        }
        return new ListMultiDataSetIterator(list);
    }

    /** A resettable iterator over a list of MultiDataSets. */
    private static final class ListMultiDataSetIterator implements MultiDataSetIterator {
        private final List<MultiDataSet> list;
        private int next;

        ListMultiDataSetIterator(List<MultiDataSet> list) {
            this.list = list;
        }

        @Override
        public MultiDataSet next(int num) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public boolean hasNext() {
            return next < list.size();
        }

        @Override
        public MultiDataSet next() {
            return list.get(next++);
        }
    }
}
