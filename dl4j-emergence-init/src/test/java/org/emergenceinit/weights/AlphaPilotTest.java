package org.emergenceinit.weights;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alpha pilot: its statistics on known numbers, its rule, and real (tiny) pilots. */
class AlphaPilotTest {

    static MultiLayerConfiguration conf(int nIn) {
        return new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.RELU)
                .updater(new Nesterovs(0.05, 0.9)).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
    }

    /** Three classes, 8 features, separable by the sign pattern of two features; {@code n} examples. */
    static ListDataSetIterator<DataSet> data(int n, long seed, int batch) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(n, 8);
        INDArray y = Nd4j.zeros(n, 3);
        for (int i = 0; i < n; i++) {
            double a = x.getDouble(i, 0) + 0.5 * x.getDouble(i, 1);
            y.putScalar(i, a < -0.4 ? 0 : a < 0.4 ? 1 : 2, 1.0);
        }
        List<DataSet> list = new ArrayList<>(new DataSet(x, y).asList());
        return new ListDataSetIterator<>(list, batch);
    }

    private static AlphaPilot.Run run(double alpha, long seed, double endLoss, double acc) {
        return new AlphaPilot.Run(alpha, seed, new double[] {endLoss}, endLoss, acc, Double.NaN, !Double.isFinite(
                endLoss), 0);
    }

    @Test
    void welchIsTheHandComputation() {
        // a: mean 2, var 1, n 3; b: mean 5.5, var 5/3, n 4; se^2 = 1/3 + 5/12 = 0.75
        double[] w = AlphaPilot.welch(new double[] {1, 2, 3}, new double[] {4, 5, 6, 7});
        assertEquals(-3.5 / Math.sqrt(0.75), w[0], 1e-12);
        assertEquals(0.5625 / ((1.0 / 9) / 2 + (25.0 / 144) / 3), w[1], 1e-12);
        assertTrue(Double.isNaN(AlphaPilot.welch(new double[] {1}, new double[] {2, 3})[0]));
        assertTrue(Double.isNaN(AlphaPilot.welch(new double[] {1, 1}, new double[] {2, 2})[0]), "no spread");
    }

    @Test
    void theRuleOnConstructedNumbers() {
        List<AlphaPilot.Run> stock = List.of(run(1, 1, 1.00, 0.80), run(1, 2, 1.02, 0.81), run(1, 3, 0.98, 0.79));
        // clearly lower: -0.10 on every seed
        AlphaPilot.Candidate good = AlphaPilot.candidate(1.1, stock, List.of(run(1.1, 1, 0.90, 0.83),
                run(1.1, 2, 0.93, 0.84), run(1.1, 3, 0.87, 0.82)), 2.0);
        assertEquals(-0.10, good.lossDiffMean(), 1e-12);
        assertEquals(0.01, good.lossDiffSd(), 1e-12);
        assertEquals(0.03, good.accuracyDiffMean(), 1e-12);
        assertEquals(AlphaPilot.welch(new double[] {0.90, 0.93, 0.87}, new double[] {1.00, 1.02, 0.98})[0],
                good.t(), 1e-12);
        assertTrue(good.t() < -2 && good.beatsStock());
        // lower on average but within the noise
        AlphaPilot.Candidate noisy = AlphaPilot.candidate(1.05, stock, List.of(run(1.05, 1, 0.90, 0.8),
                run(1.05, 2, 1.10, 0.8), run(1.05, 3, 0.97, 0.8)), 2.0);
        assertTrue(noisy.lossDiffMean() < 0 && noisy.t() > -2 && !noisy.beatsStock());
        // one diverged run disqualifies, however good the others
        AlphaPilot.Candidate wild = AlphaPilot.candidate(1.5, stock, List.of(run(1.5, 1, 0.5, 0.9),
                run(1.5, 2, 0.5, 0.9), run(1.5, 3, Double.NaN, 0.1)), 2.0);
        assertEquals(1, wild.diverged());
        assertFalse(wild.beatsStock());
        assertEquals(1.1, AlphaPilot.best(List.of(noisy, good, wild)));
        String v = AlphaPilot.verdict("emergence-kaiming", List.of(noisy, good, wild), 1.1, 200, 20);
        assertTrue(v.startsWith("emergence-kaiming alpha 1.1: -0.100 ± 0.010 training loss"), v);
        assertTrue(v.endsWith("likely to help the start of training"), v);
        assertNull(AlphaPilot.best(List.of(noisy, wild)));
        String none = AlphaPilot.verdict("emergence-kaiming", List.of(noisy, wild), null, 200, 20);
        assertTrue(none.startsWith("no alpha beat stock") && none.endsWith("keep your init"), none);
    }

    @Test
    void badBudgetsAndAlphasAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AlphaPilot.Budget(9, 3));
        assertThrows(IllegalArgumentException.class, () -> new AlphaPilot.Budget(50, 1));
        assertThrows(IllegalArgumentException.class, () -> AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of()));
        assertThrows(IllegalArgumentException.class, () -> AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(
                1.1, 0.0)));
        assertEquals(50, AlphaPilot.Budget.forEpoch(47, 3).steps());
        assertEquals(94, AlphaPilot.Budget.forEpoch(1875, 3).steps());
    }

    @Test
    void aNetworkThatCannotTakeTheDataIsOneError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlphaPilot
                .of(BaseScheme.KAIMING).run(conf(5), data(64, 1, 16), null, new AlphaPilot.Budget(10, 2)));
        assertTrue(e.getMessage().startsWith("The network cannot take the data"), e.getMessage());
    }

    @Test
    void aCandidateEqualToStockCannotWinSoAutoAppliesAlphaOne() {
        MultiLayerConfiguration c = conf(8);
        AutoRamp auto = EmergenceRamp.auto(AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.0)), c,
                data(256, 1, 32), data(96, 2, 32), new AlphaPilot.Budget(12, 2));
        assertNull(auto.pilot().best());
        assertEquals(1.0, auto.alpha());
        assertFalse(auto.helped());
        assertEquals(0.0, auto.pilot().candidates().get(0).lossDiffMean(), 0.0);
        assertTrue(auto.plan().entries().stream().allMatch(e -> e.scale() == 1.0));
        assertTrue(auto.pilot().verdict().startsWith("no alpha beat stock"), auto.pilot().verdict());
        // the configuration now carries the bound ramp
        assertEquals(4, EmergenceRamp.validate(c).layerCount());
    }

    @Test
    void aPilotIsDeterministicFromItsSeedsWhateverTheJobs() {
        AlphaPilot p = AlphaPilot.of(BaseScheme.KAIMING).withAlphas(List.of(1.1, 1.5)).withFirstSeed(5);
        AlphaPilot.Budget b = new AlphaPilot.Budget(15, 2);
        AlphaPilot.Result one = p.run(conf(8), data(256, 1, 32), data(96, 2, 32), b);
        java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
        AlphaPilot.Result two = p.withJobs(2).withProgress(r -> reported.incrementAndGet())
                .run(conf(8), data(256, 1, 32), data(96, 2, 32), b);
        assertEquals(3 * 2, reported.get(), "every run is reported once");
        assertEquals(15, one.steps());
        assertEquals(1, one.lastSteps());
        assertEquals(5, one.stockRuns().get(0).seed());
        assertEquals(6, one.stockRuns().get(1).seed());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(one.stockRuns().get(i).losses(), two.stockRuns().get(i).losses());
            for (int a = 0; a < 2; a++) {
                assertArrayEquals(one.runs().get(a).get(i).losses(), two.runs().get(a).get(i).losses());
            }
        }
        assertEquals(one.candidates(), two.candidates());
        assertEquals(one.verdict(), two.verdict());
        // the seeds differ from each other, and the ramp changes the losses
        assertFalse(one.stockRuns().get(0).losses()[3] == one.stockRuns().get(1).losses()[3]);
        assertFalse(one.stockRuns().get(0).losses()[3] == one.runs().get(1).get(0).losses()[3]);
        // the first step's loss is the same at every alpha: a ReLU net with zero biases has the stock output at init
        assertEquals(one.stockRuns().get(0).losses()[0], one.runs().get(1).get(0).losses()[0], 1e-4);
        assertTrue(one.stockRuns().get(0).heldOutAccuracy() > 0.3);
    }
}
