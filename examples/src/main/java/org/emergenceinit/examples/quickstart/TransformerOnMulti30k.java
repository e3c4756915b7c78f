package org.emergenceinit.examples.quickstart;

import org.emergenceinit.nmt.Batch;
import org.emergenceinit.nmt.Bleu;
import org.emergenceinit.nmt.Multi30k;
import org.emergenceinit.nmt.Transformer;
import org.emergenceinit.nmt.TransformerTraining;
import org.emergenceinit.nmt.Vocabulary;
import org.emergenceinit.nmt.WordTokenizer;
import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.weights.RampPlan;
import org.emergenceinit.weights.SameDiffRamp;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The project's SameDiff encoder-decoder {@link Transformer} (pre-LayerNorm, 2+2 blocks) on Multi30k German to
 * English at a small budget: stock Xavier ({@code alpha = 1}) against emergence-Xavier ({@code alpha = 1.2}). A
 * SameDiff model has no DL4J layers, so the ramp is a {@link SameDiffRamp} over its blocks (encoder blocks, decoder
 * blocks, output projection), and every weight matrix is created through it, as {@code Transformer} does:
 * <pre>{@code
 * SameDiffRamp ramp = SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 5);
 * SDVariable wq = ramp.var(sd, "enc0_self_Wq", 0, d, d, DataType.FLOAT, d, d);   // block 0: scale 1.2^-2
 * }</pre>
 * Prints the block exponents, the plan (every ramped matrix), the training loss of both models side by side and test
 * BLEU (lower-cased, sacreBLEU's 13a) on the first test_2016_flickr sentences. Adam with a linear warm-up, label
 * smoothing 0.1, teacher forcing, greedy decoding. The EmergenceListener measures DL4J networks only, so this one
 * prints no {@code E}.
 *
 * <pre>
 * java -Xmx2g -cp "experiments/target/classes:experiments/target/lib/*" \
 *     org.emergenceinit.examples.quickstart.TransformerOnMulti30k \
 *     [DATA_DIR [STEPS]]
 * </pre>
 * {@code DATA_DIR} (or {@code $EMERGENCE_DATA}) holds {@code multi30k/}; else Multi30k's download cache is tried.
 * {@code STEPS} (default 300) batches of 32 pairs, one pass over the first {@code 32 * STEPS} training pairs.
 */
public final class TransformerOnMulti30k {

    /** One model: its init, the std of each ramped matrix at init, the loss of each step, test BLEU. */
    public record Arm(String init, Map<String, Double> weightStdAtInit, List<Double> loss, Bleu.Score testBleu,
                      List<String> testHypotheses) {
    }

    /** What {@link #run} returns: the emergence model's ramp plan, both arms and the data used. */
    public record Result(RampPlan plan, Arm stock, Arm emergence, int trainPairs, List<Multi30k.Pair> test) {
    }

    private TransformerOnMulti30k() {
    }

    /** Trains both models for {@code steps} batches of {@code batch} pairs and scores {@code testSize} sentences. */
    public static Result run(Multi30k data, double alpha, int steps, int batch, int testSize) {
        List<Multi30k.Pair> train = data.train().subList(0, Math.min(steps * batch, data.train().size()));
        List<List<String>> de = train.stream().map(p -> WordTokenizer.tokenize(p.source())).toList();
        List<List<String>> en = train.stream().map(p -> WordTokenizer.tokenize(p.target())).toList();
        Vocabulary srcVocab = Vocabulary.build(de, 2);
        Vocabulary tgtVocab = Vocabulary.build(en, 2);
        List<Multi30k.Pair> test = data.test().subList(0, Math.min(testSize, data.test().size()));
        Transformer stock = model(srcVocab, tgtVocab, 1.0);                  // alpha 1: plain Xavier
        Transformer emergence = model(srcVocab, tgtVocab, alpha);            // the ramp: alpha^(e_b) per block
        return new Result(emergence.plan(),
                train("xavier", stock, srcVocab, tgtVocab, de, en, batch, test),
                train("emergence-xavier(" + alpha + ")", emergence, srcVocab, tgtVocab, de, en, batch, test),
                train.size(), test);
    }

    /** d_model 64, 4 heads, feed-forward 128, 2 encoder and 2 decoder blocks; weights drawn from seed 42. */
    private static Transformer model(Vocabulary srcVocab, Vocabulary tgtVocab, double alpha) {
        Nd4j.getRandom().setSeed(42);                                        // same draws for both models
        return new Transformer(new Transformer.Config(srcVocab.size(), tgtVocab.size(), 64, 4, 128, 2, 2, 0.1,
                alpha, false));
    }

    private static Arm train(String init, Transformer model, Vocabulary srcVocab, Vocabulary tgtVocab,
                             List<List<String>> de, List<List<String>> en, int batch, List<Multi30k.Pair> test) {
        SameDiff sd = model.sameDiff();
        Map<String, Double> std = new LinkedHashMap<>();
        model.plan().entries().forEach(e -> std.put(e.name(), sd.getArrForVarName(e.name()).stdNumber()
                .doubleValue()));
        sd.setTrainingConfig(TransformerTraining.trainingConfig(1e-3, 100));   // Adam, lr 1e-3 after 100 steps
        Iterator<Map<String, INDArray>> batches = IntStream.range(0, de.size() / batch).mapToObj(i ->
                Batch.training(ids(srcVocab, de, i, batch), ids(tgtVocab, en, i, batch), 64, 4)).iterator();
        List<Double> loss = new ArrayList<>();
        long start = System.nanoTime();
        TransformerTraining.fit(sd, batches, (step, l) -> loss.add(l));
        System.out.printf(Locale.ROOT, "%s: %d steps in %.0f s%n", init, loss.size(),
                (System.nanoTime() - start) / 1e9);
        List<String> hyps = Batch.translate(model, srcVocab, tgtVocab,
                test.stream().map(Multi30k.Pair::source).toList(), 64, 1000);   // greedy, at most longest + 10 steps
        Bleu.Score bleu = Bleu.corpus(hyps, test.stream().map(Multi30k.Pair::target).toList(), true);
        return new Arm(init, std, loss, bleu, hyps);
    }

    private static List<int[]> ids(Vocabulary vocab, List<List<String>> sentences, int batchIndex, int batch) {
        return sentences.subList(batchIndex * batch, (batchIndex + 1) * batch).stream().map(vocab::encode).toList();
    }

    /** Runs the example; a bad argument or missing data prints one line and exits with status 2. */
    public static void main(String[] args) {
        Comparison.main(TransformerOnMulti30k.class, args, TransformerOnMulti30k::example);
    }

    private static void example(String[] args) throws Exception {
        Multi30k data = Multi30k.load(args.length > 0 ? Path.of(args[0]) : null);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        SameDiffRamp ramp = SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 5);
        System.out.print("SameDiffRamp.of(XAVIER, 1.2, 5) over enc0, enc1, dec0, dec1, output: exponents");
        IntStream.range(0, 5).forEach(b -> System.out.printf(Locale.ROOT, " %.0f", ramp.exponent(b)));
        System.out.println();
        Result r = run(data, 1.2, steps, 32, 200);
        System.out.print(r.plan());
        System.out.printf(Locale.ROOT, "Multi30k de-en, %d training pairs, %d steps of 32; mean loss per 50 steps:%n",
                r.trainPairs(), r.stock().loss().size());
        System.out.printf(Locale.ROOT, "%-12s %12s %24s%n", "steps", r.stock().init(), r.emergence().init());
        for (int from = 0; from < r.stock().loss().size(); from += 50) {
            int to = Math.min(from + 50, r.stock().loss().size());
            System.out.printf(Locale.ROOT, "%-12s %12.4f %24.4f%n", (from + 1) + "-" + to,
                    mean(r.stock().loss(), from, to), mean(r.emergence().loss(), from, to));
        }
        System.out.printf(Locale.ROOT, "test BLEU, first %d test_2016_flickr sentences (%s):%n", r.test().size(),
                Bleu.SIGNATURE_LOWERCASE);
        System.out.println("  " + r.stock().init() + ": " + r.stock().testBleu());
        System.out.println("  " + r.emergence().init() + ": " + r.emergence().testBleu());
        System.out.println("  de:  " + r.test().get(0).source() + "\n  ref: " + r.test().get(0).target());
        System.out.println("  " + r.stock().init() + ": " + r.stock().testHypotheses().get(0));
        System.out.println("  " + r.emergence().init() + ": " + r.emergence().testHypotheses().get(0));
    }

    private static double mean(List<Double> values, int from, int to) {
        return values.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
