package org.emergenceinit.nmt;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Placeholder values of {@link Transformer} for one batch of sentence pairs (teacher forcing) or for one step of
 * greedy decoding (with {@code lastIdx}, the row of each sentence's last position). Sources end with EOS; the
 * decoder input starts with BOS; the expected output is the target
 * followed by EOS. Sequences are padded with PAD to the longest in the batch; padded keys get {@code -1e9} in the
 * additive masks and padded target positions weight 0 in the loss. {@link #translate} decodes greedily with them.
 */
public final class Batch {

    private static final float MASKED = -1e9f;

    private Batch() {
    }

    /**
     * The placeholders of one training batch (teacher forcing), as {@link TransformerTraining#fit} takes them.
     *
     * @param sources source ids without EOS
     * @param targets target ids without BOS or EOS
     */
    public static Map<String, INDArray> training(List<int[]> sources, List<int[]> targets, int dModel, int heads) {
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
            for (int j = 0; j <= y.length; j++) {
                weight[i * t + j] = 1f;
            }
        }
        Map<String, INDArray> ph = encoder(sources, dModel, heads);
        decoder(ph, tgtIn, lengths, b, t, dModel, heads);
        ph.put("tgtOut", Nd4j.createFromArray(tgtOut));
        ph.put("tokenWeight", Nd4j.createFromArray(weight));
        return ph;
    }

    /**
     * The placeholders of one greedy decoding step, with {@code lastIdx}.
     *
     * @param sources  source ids without EOS
     * @param prefixes decoder inputs so far, each starting with BOS, all of the same length
     */
    public static Map<String, INDArray> decoding(List<int[]> sources, List<int[]> prefixes, int dModel, int heads) {
        int b = sources.size();
        int t = prefixes.get(0).length;
        int[] tgtIn = new int[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(prefixes.get(i), 0, tgtIn, i * t, t);
            lengths[i] = t;
        }
        Map<String, INDArray> ph = encoder(sources, dModel, heads);
        decoder(ph, tgtIn, lengths, b, t, dModel, heads);
        int[] last = new int[b];
        for (int i = 0; i < b; i++) {
            last[i] = i * t + t - 1;
        }
        ph.put("lastIdx", Nd4j.createFromArray(last));
        return ph;
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
            for (int j = x.length + 1; j < s; j++) {
                mask[i * s + j] = MASKED;
            }
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

    /**
     * Greedy translation, {@code batch} sentences at a time: each source is tokenised, encoded and cut to
     * {@code maxLen} ids; decoding runs until every sentence has produced EOS, at most {@code min(longest + 10,
     * 2 maxLen)} steps.
     *
     * @return the detokenised hypotheses, in the order of {@code sources}
     */
    public static List<String> translate(Transformer model, Vocabulary srcVocab, Vocabulary tgtVocab,
                                         List<String> sources, int batch, int maxLen) {
        int dModel = model.config().dModel();
        int heads = model.config().heads();
        List<String> hyps = new java.util.ArrayList<>();
        for (int from = 0; from < sources.size(); from += batch) {
            List<int[]> xs = new java.util.ArrayList<>();
            int longest = 0;
            for (String source : sources.subList(from, Math.min(from + batch, sources.size()))) {
                int[] ids = srcVocab.encode(WordTokenizer.tokenize(source));
                ids = ids.length <= maxLen ? ids : java.util.Arrays.copyOf(ids, maxLen);
                xs.add(ids);
                longest = Math.max(longest, ids.length);
            }
            int b = xs.size();
            int maxSteps = Math.min(longest + 10, 2 * maxLen);
            List<int[]> prefixes = new java.util.ArrayList<>();
            for (int i = 0; i < b; i++) {
                prefixes.add(new int[]{Vocabulary.BOS_ID});
            }
            boolean[] done = new boolean[b];
            for (int step = 1; step <= maxSteps; step++) {
                Map<String, INDArray> ph = decoding(xs, prefixes, dModel, heads);
                INDArray next = model.sameDiff().output(ph, Transformer.LAST_LOGITS).get(Transformer.LAST_LOGITS)
                        .argMax(1);
                boolean allDone = true;
                for (int i = 0; i < b; i++) {
                    int token = done[i] ? Vocabulary.PAD_ID : next.getInt(i);
                    int[] p = java.util.Arrays.copyOf(prefixes.get(i), step + 1);
                    p[step] = token;
                    prefixes.set(i, p);
                    done[i] |= token == Vocabulary.EOS_ID;
                    allDone &= done[i];
                }
                if (allDone) {
                    break;
                }
            }
            for (int[] p : prefixes) {
                hyps.add(WordTokenizer.detokenize(tgtVocab.decode(p)));
            }
        }
        return hyps;
    }
}
