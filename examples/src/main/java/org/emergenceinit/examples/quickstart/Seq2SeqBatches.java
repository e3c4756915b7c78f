package org.emergenceinit.examples.quickstart;

import org.emergenceinit.nmt.Transformer;
import org.emergenceinit.nmt.Vocabulary;
import org.emergenceinit.nmt.WordTokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The placeholder plumbing of {@link TransformerOnMulti30k}: the arrays the SameDiff {@link Transformer} is fed for a
 * batch of sentence pairs (teacher forcing) or one step of greedy decoding, and greedy translation. The same values
 * as {@code org.emergenceinit.nmt.Batch} (package-private there; a test checks that the two agree): sources end with
 * EOS, the decoder input starts with BOS, the expected output is the target followed by EOS, sequences are padded to
 * the longest in the batch, padded keys get {@code -1e9} in the additive masks and padded target positions weight 0.
 */
final class Seq2SeqBatches {

    private static final float MASKED = -1e9f;

    private Seq2SeqBatches() {
    }

    /** Placeholders of one training batch ({@link org.emergenceinit.nmt.TransformerTraining#FEATURES}). */
    static Map<String, INDArray> training(List<int[]> sources, List<int[]> targets, int dModel, int heads) {
        int b = sources.size();
        int t = targets.stream().mapToInt(a -> a.length).max().orElse(0) + 1;
        int[] tgtIn = new int[b * t];
        int[] tgtOut = new int[b * t];
        float[] weight = new float[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            int[] y = targets.get(i);
            lengths[i] = y.length + 1;
            tgtIn[i * t] = Vocabulary.BOS_ID;
            System.arraycopy(y, 0, tgtIn, i * t + 1, y.length);
            System.arraycopy(y, 0, tgtOut, i * t, y.length);
            tgtOut[i * t + y.length] = Vocabulary.EOS_ID;
            Arrays.fill(weight, i * t, i * t + y.length + 1, 1f);
        }
        Map<String, INDArray> ph = encoder(sources, dModel, heads);
        decoder(ph, tgtIn, lengths, b, t, dModel, heads);
        ph.put("tgtOut", Nd4j.createFromArray(tgtOut));
        ph.put("tokenWeight", Nd4j.createFromArray(weight));
        return ph;
    }

    /** Placeholders of one greedy decoding step: every prefix starts with BOS and has the same length. */
    static Map<String, INDArray> decoding(List<int[]> sources, List<int[]> prefixes, int dModel, int heads) {
        int b = sources.size();
        int t = prefixes.get(0).length;
        int[] tgtIn = new int[b * t];
        int[] lengths = new int[b];
        int[] last = new int[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(prefixes.get(i), 0, tgtIn, i * t, t);
            lengths[i] = t;
            last[i] = i * t + t - 1;
        }
        Map<String, INDArray> ph = encoder(sources, dModel, heads);
        decoder(ph, tgtIn, lengths, b, t, dModel, heads);
        ph.put("lastIdx", Nd4j.createFromArray(last));
        return ph;
    }

    /** Greedy translation of {@code sources} (raw German sentences), {@code batch} at a time; detokenised English. */
    static List<String> translate(Transformer model, Vocabulary srcVocab, Vocabulary tgtVocab, List<String> sources,
                                  int batch) {
        int d = model.config().dModel();
        int heads = model.config().heads();
        List<String> out = new ArrayList<>();
        for (int from = 0; from < sources.size(); from += batch) {
            List<int[]> xs = sources.subList(from, Math.min(from + batch, sources.size())).stream()
                    .map(s -> srcVocab.encode(WordTokenizer.tokenize(s))).toList();
            int maxSteps = xs.stream().mapToInt(x -> x.length).max().orElse(0) + 10;
            List<int[]> prefixes = new ArrayList<>();
            xs.forEach(x -> prefixes.add(new int[] {Vocabulary.BOS_ID}));
            boolean[] done = new boolean[xs.size()];
            for (int step = 1; step <= maxSteps; step++) {
                INDArray next = model.sameDiff().output(decoding(xs, prefixes, d, heads), Transformer.LAST_LOGITS)
                        .get(Transformer.LAST_LOGITS).argMax(1);
                boolean allDone = true;
                for (int i = 0; i < xs.size(); i++) {
                    int token = done[i] ? Vocabulary.PAD_ID : next.getInt(i);
                    int[] p = Arrays.copyOf(prefixes.get(i), step + 1);
                    p[step] = token;
                    prefixes.set(i, p);
                    done[i] |= token == Vocabulary.EOS_ID;
                    allDone &= done[i];
                }
                if (allDone) {
                    break;
                }
            }
            prefixes.forEach(p -> out.add(WordTokenizer.detokenize(tgtVocab.decode(p))));
        }
        return out;
    }

    private static Map<String, INDArray> encoder(List<int[]> sources, int dModel, int heads) {
        int b = sources.size();
        int s = sources.stream().mapToInt(a -> a.length).max().orElse(0) + 1;
        int[] src = new int[b * s];
        float[] mask = new float[b * s];
        for (int i = 0; i < b; i++) {
            int[] x = sources.get(i);
            System.arraycopy(x, 0, src, i * s, x.length);
            src[i * s + x.length] = Vocabulary.EOS_ID;
            Arrays.fill(mask, i * s + x.length + 1, (i + 1) * s, MASKED);
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("src", Nd4j.createFromArray(src));
        ph.put("srcPos", positions(b, s, dModel));
        ph.put("srcShape", Nd4j.createFromArray((long) b, s, heads, dModel / heads));
        ph.put("srcMask", Nd4j.createFromArray(mask).reshape(b, 1, 1, s));
        return ph;
    }

    private static void decoder(Map<String, INDArray> ph, int[] tgtIn, int[] lengths, int b, int t, int dModel,
                                int heads) {
        float[] mask = new float[b * t * t];
        for (int i = 0; i < b; i++) {
            for (int q = 0; q < t; q++) {
                for (int k = 0; k < t; k++) {
                    if (k > q || k >= lengths[i]) {
                        mask[(i * t + q) * t + k] = MASKED;
                    }
                }
            }
        }
        ph.put("tgtIn", Nd4j.createFromArray(tgtIn));
        ph.put("tgtPos", positions(b, t, dModel));
        ph.put("tgtShape", Nd4j.createFromArray((long) b, t, heads, dModel / heads));
        ph.put("tgtMask", Nd4j.createFromArray(mask).reshape(b, 1, t, t));
    }

    private static INDArray positions(int b, int length, int dModel) {
        float[][] pe = Transformer.positions(length, dModel);
        float[] flat = new float[b * length * dModel];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < length; p++) {
                System.arraycopy(pe[p], 0, flat, (i * length + p) * dModel, dModel);
            }
        }
        return Nd4j.createFromArray(flat).reshape(b * length, dModel);
    }
}
