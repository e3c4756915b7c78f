package org.emergenceinit.nmt;

import org.emergenceinit.weights.RampPlan;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerTest {

    private static final int D = 16;
    private static final int HEADS = 4;

    private static Transformer model(double alpha, boolean ffOnly) {
        Nd4j.getRandom().setSeed(7);
        return new Transformer(new Transformer.Config(12, 14, D, HEADS, 32, 2, 2, 0.1, alpha, ffOnly));
    }

    private static INDArray logits(Transformer m, Map<String, INDArray> ph) {
        return m.sameDiff().output(ph, Transformer.LOGITS).get(Transformer.LOGITS);
    }

    @Test
    void rampRunsOverEncoderDecoderAndOutputBlocks() {
        RampPlan plan = model(1.5, false).plan();
        // 2 encoder blocks x (Q, K, V, O, W1, W2) + 2 decoder blocks x (self Q, K, V, O, cross Q, K, V, O, W1, W2) + out.
        assertEquals(33, plan.entries().size());
        assertEquals("enc0_self_Wq", plan.entries().get(0).name());
        assertEquals("out_W", plan.entries().get(32).name());
        for (RampPlan.Entry e : plan.entries()) {
            double expected = e.name().startsWith("enc0") ? -2 : e.name().startsWith("enc1") ? -1
                    : e.name().startsWith("dec0") ? 0 : e.name().startsWith("dec1") ? 1 : 2;
            assertEquals(expected, e.exponent(), 1e-12, e.name());
            assertEquals(Math.pow(1.5, expected), e.scale(), 1e-12, e.name());
        }
    }

    @Test
    void feedForwardOnlyVariantRampsOnlyFeedForwardMatrices() {
        RampPlan plan = model(1.5, true).plan();
        assertEquals(8, plan.entries().size());
        assertTrue(plan.entries().stream().allMatch(e -> e.name().contains("_ff_W")));
        assertEquals(List.of(-1.5, -1.5, -0.5, -0.5, 0.5, 0.5, 1.5, 1.5),
                plan.entries().stream().map(RampPlan.Entry::exponent).toList());
    }

    /**
     * At alpha = 1 every weight array equals, bit for bit, the one ND4J's stock {@code XavierInitScheme} draws: the
     * feed-forward-only model creates its attention and output matrices with the stock scheme and everything else
     * alike, so the two models' arrays must be equal from the same seed.
     */
    @Test
    void alphaOneIsStockXavier() {
        Transformer ramped = model(1.0, false);
        assertTrue(ramped.plan().entries().stream().allMatch(e -> e.scale() == 1.0));
        Transformer stock = model(1.0, true);
        int compared = 0;
        for (org.nd4j.autodiff.samediff.SDVariable v : ramped.sameDiff().variables()) {
            if (v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                continue;
            }
            assertEquals(stock.sameDiff().getArrForVarName(v.name()), v.getArr(), v.name());
            compared++;
        }
        assertTrue(compared > 33, "compared " + compared + " variables");
    }

    @Test
    void decoderIsCausal() {
        Transformer m = model(1.2, false);
        List<int[]> src = List.of(new int[]{4, 5, 6});
        INDArray a = logits(m, Batch.decoding(src, List.of(new int[]{2, 7, 8, 9}), D, HEADS));
        INDArray b = logits(m, Batch.decoding(src, List.of(new int[]{2, 7, 8, 10}), D, HEADS));
        assertEquals(a.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()),
                b.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()));
        assertFalse(a.getRow(3).equalsWithEps(b.getRow(3), 1e-6));
    }

    @Test
    void paddingDoesNotChangeASentencesOutput() {
        Transformer m = model(1.2, false);
        int[] x = {4, 5};
        int[] y = {6, 7};
        INDArray alone = logits(m, Batch.training(List.of(x), List.of(y), D, HEADS));
        INDArray padded = logits(m, Batch.training(List.of(x, new int[]{4, 5, 6, 7, 8, 9}),
                List.of(y, new int[]{6, 7, 8, 9, 10}), D, HEADS));
        // The first sentence's 3 decoder positions are rows 0..2 of both (T = 3 alone, T = 6 padded).
        assertTrue(alone.equalsWithEps(padded.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()), 1e-4));
    }

    @Test
    void lossIsLabelSmoothedCrossEntropy() {
        Transformer m = model(1.0, false);
        Map<String, INDArray> ph = Batch.training(List.of(new int[]{4}), List.of(new int[]{5}), D, HEADS);
        Map<String, INDArray> out = m.sameDiff().output(ph, Transformer.LOGITS, Transformer.LOSS);
        INDArray logits = out.get(Transformer.LOGITS);
        int[] next = {5, Vocabulary.EOS_ID};
        double expected = 0;
        for (int t = 0; t < 2; t++) {
            double max = logits.getRow(t).maxNumber().doubleValue();
            double sumExp = 0;
            for (int v = 0; v < 14; v++) {
                sumExp += Math.exp(logits.getDouble(t, v) - max);
            }
            double lse = max + Math.log(sumExp);
            for (int v = 0; v < 14; v++) {
                double q = (v == next[t] ? 0.9 : 0) + 0.1 / 14;
                expected -= q * (logits.getDouble(t, v) - lse);
            }
        }
        assertEquals(expected / 2, out.get(Transformer.LOSS).getDouble(0), 1e-4);
    }

    /** A batch with padding (two sentence pairs of different lengths) and repeated source and target ids. */
    private static Map<String, INDArray> paddedBatch() {
        return Batch.training(List.of(new int[]{4, 5, 4, 9}, new int[]{6, 11}),
                List.of(new int[]{5, 7, 5}, new int[]{13, 8, 8, 8, 6}), D, HEADS);
    }

    /**
     * The fast graph (gather lookups with the scatter-add gradient added to the gradient function, the loss as
     * {@code lse - sum q z}) computes the same loss and the same gradient of every variable as the reference
     * formulation (one-hot matrix products, {@code log_softmax} with a dense target), to float rounding, on a
     * batch with padding and repeated ids (a lookup gradient that overwrote instead of adding would differ).
     */
    @Test
    void fastGraphHasTheReferenceLossAndGradients() {
        for (double eps : new double[]{0.1, 0.0}) {
            Transformer.Config c = new Transformer.Config(12, 14, D, HEADS, 32, 2, 2, eps, 1.3, false);
            Nd4j.getRandom().setSeed(11);
            Transformer fast = new Transformer(c);
            Nd4j.getRandom().setSeed(11);
            Transformer ref = new Transformer(c, true);
            Map<String, INDArray> ph = paddedBatch();
            double fastLoss = fast.sameDiff().output(ph, Transformer.LOSS).get(Transformer.LOSS).getDouble(0);
            double refLoss = ref.sameDiff().output(ph, Transformer.LOSS).get(Transformer.LOSS).getDouble(0);
            assertEquals(refLoss, fastLoss, 1e-5 * refLoss, "loss, eps " + eps);

            List<String> names = new java.util.ArrayList<>();
            for (org.nd4j.autodiff.samediff.SDVariable v : ref.sameDiff().variables()) {
                if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                    assertEquals(v.getArr(), fast.sameDiff().getArrForVarName(v.name()), v.name());
                    names.add(v.name());
                }
            }
            Map<String, INDArray> gFast = fast.sameDiff().calculateGradients(ph, names);
            Map<String, INDArray> gRef = ref.sameDiff().calculateGradients(ph, names);
            assertTrue(names.contains("src_embedding") && names.contains("tgt_embedding") && names.contains("out_W"));
            for (String n : names) {
                INDArray a = gRef.get(n);
                INDArray b = gFast.get(n);
                assertTrue(a != null && b != null, "gradient of " + n);
                double scale = Math.max(a.norm2Number().doubleValue(), 1e-3);
                double err = a.sub(b).norm2Number().doubleValue();
                assertTrue(err <= 1e-5 * scale, n + ": |ref - fast| " + err + " vs |ref| " + scale + ", eps " + eps);
            }
            // The rows of ids that do not occur get no gradient; repeated ids get their sum.
            assertEquals(0.0, gFast.get("src_embedding").getRow(10).norm2Number().doubleValue(), 0.0);
            assertTrue(gFast.get("src_embedding").getRow(4).norm2Number().doubleValue() > 0);
        }
    }

    private record Trained(double[] losses, Map<String, INDArray> variables) {
    }

    private static Trained train(Transformer.Config c, boolean reference, List<Map<String, INDArray>> batches) {
        Nd4j.getRandom().setSeed(5);
        Transformer m = new Transformer(c, reference);
        org.nd4j.autodiff.samediff.SameDiff sd = m.sameDiff();
        sd.setTrainingConfig(TransformerTraining.trainingConfig(3e-3, 1));
        double[] losses = new double[batches.size()];
        TransformerTraining.fit(sd, batches.iterator(), (step, loss) -> losses[step] = loss);
        Map<String, INDArray> vars = new java.util.HashMap<>();
        for (org.nd4j.autodiff.samediff.SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                vars.put(v.name(), v.getArr().dup());
            }
        }
        return new Trained(losses, vars);
    }

    /**
     * Training goes through the added lookup gradients: a few Adam steps of the fast graph give the reference
     * graph's losses and parameters (to float rounding), and the same again when repeated (deterministic).
     */
    @Test
    void trainingMatchesTheReferenceAndRepeats() {
        Transformer.Config c = new Transformer.Config(12, 14, D, HEADS, 32, 2, 2, 0.1, 1.0, false);
        List<Map<String, INDArray>> batches = List.of(paddedBatch(),
                Batch.training(List.of(new int[]{7, 7, 8}), List.of(new int[]{9, 10}), D, HEADS), paddedBatch(),
                Batch.training(List.of(new int[]{11, 5}, new int[]{4}), List.of(new int[]{12}, new int[]{5, 6}),
                        D, HEADS));
        Trained fast = train(c, false, batches);
        Trained again = train(c, false, batches);
        Trained ref = train(c, true, batches);
        assertTrue(java.util.Arrays.equals(fast.losses(), again.losses()), java.util.Arrays.toString(fast.losses())
                + " vs " + java.util.Arrays.toString(again.losses()));
        for (int i = 0; i < batches.size(); i++) {
            assertEquals(ref.losses()[i], fast.losses()[i], 1e-5 * ref.losses()[i], "loss of step " + i);
        }
        Nd4j.getRandom().setSeed(5);
        Transformer init = new Transformer(c);
        for (Map.Entry<String, INDArray> e : ref.variables().entrySet()) {
            INDArray f = fast.variables().get(e.getKey());
            assertEquals(again.variables().get(e.getKey()), f, e.getKey());
            double moved = e.getValue().sub(init.sameDiff().getArrForVarName(e.getKey())).norm2Number().doubleValue();
            double err = e.getValue().sub(f).norm2Number().doubleValue();
            assertTrue(moved > 0, e.getKey() + " was not trained");
            assertTrue(err <= 1e-3 * moved, e.getKey() + ": |ref - fast| " + err + " vs the update " + moved);
        }
    }

    /**
     * The two lookup gradients are scatter-adds. ND4J 1.0.0-M2.1's {@code unsorted_segment_sum}, which computes the
     * same sums, leaks native memory on every call (about 2 MB for an 8,000 x 128 table), and a translation run of
     * several epochs grew until it ran out of memory.
     */
    @Test
    void lookupGradientsAreScatterAddsNotTheLeakingSegmentSum() {
        org.nd4j.autodiff.samediff.SameDiff g = model(1.2, false).sameDiff().getFunction(CustomGradients.GRAD_FN);
        List<String> ops = g.getOps().values().stream().map(o -> o.getOp().opName()).toList();
        assertFalse(ops.contains("unsorted_segment_sum"), ops.toString());
        assertEquals(2, ops.stream().filter("scatter_add"::equals).count(), ops.toString());
    }

    @Test
    void widthMustDivideIntoHeads() {
        assertThrows(IllegalArgumentException.class,
                () -> new Transformer.Config(10, 10, 30, 4, 32, 1, 1, 0.0, 1.0, false));
    }
}
