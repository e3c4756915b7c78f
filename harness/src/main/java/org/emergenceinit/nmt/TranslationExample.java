package org.emergenceinit.nmt;

import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.time.Instant;

/**
 * Trains a small SameDiff {@link Transformer} on Multi30k German to English with the emergence initialisation
 * (or stock Xavier), printing the loss and validation BLEU per epoch and sample translations, then scores
 * test_2016_flickr. Teacher forcing, label smoothing 0.1, Adam ({@code beta1 0.9, beta2 0.98}) with a linear
 * learning-rate warm-up, greedy decoding. BLEU is {@link Bleu} (sacreBLEU's 13a) on lower-cased, detokenised
 * output against the lower-cased raw references (signature {@link Bleu#SIGNATURE_LOWERCASE}).
 *
 * <pre>
 * bin/emergence translate --data-dir ../shared/datasets --epochs 1 \
 *     --init emergence-xavier --alpha 1.2 --out runs/nmt-em-1.2
 * </pre>
 * (or, from code, {@link #run(TranslationSpec)} with {@link TranslationSpec#builder()}).
 *
 * Options (defaults in brackets): {@code --data-dir DIR} [{@code EMERGENCE_DATA}, then the download cache],
 * {@code --epochs N} [1], {@code --max-batches N} per epoch [all], {@code --seed N} [42], {@code --out DIR}
 * [{@code runs/nmt}], {@code --init xavier|emergence-xavier} [{@code xavier}], {@code --alpha A} [1.2],
 * {@code --ff-only}, {@code --train-size N} [29000], {@code --val-size N} [1014], {@code --test-size N} [1000],
 * {@code --batch-size N} [64], {@code --d-model N} [128], {@code --heads N} [4], {@code --ff N} [256],
 * {@code --layers N} encoder and decoder blocks each [2], {@code --min-freq N} [2], {@code --lr X} [5e-4],
 * {@code --warmup N} steps [400], {@code --max-len N} tokens per sentence in training [50].
 *
 * <p>Memory: ND4J frees the off-heap arrays of each step only when the JVM collects their handles, so the run
 * collects every {@link #GC_EVERY} steps and after each epoch; give the JVM {@code -Xmx2g
 * -Dorg.bytedeco.javacpp.maxphysicalbytes=6g}. (Before the table gradients became scatter-adds, a native leak in
 * ND4J's {@code unsorted_segment_sum} grew every run by about 4 MB a step until it ran out of memory.)
 *
 * <p>Writes into {@code --out}: {@code manifest.json} ({@link RunManifest}'s schema, kind {@code translate}: the
 * envelope with the spec, options, data files and SHA-256, start and end, and the result: losses, BLEU, times; then
 * the configuration and ramp plan), {@code vocab.de.txt}, {@code vocab.en.txt}, {@code model.sd} (SameDiff
 * arrays) and {@code test.hyp.txt} (detokenised test translations, scorable with {@code bin/emergence bleu}), and
 * after every epoch a {@link Checkpoint} (folder {@code checkpoint/}): the same command on the same {@code --out}
 * resumes a killed run after its last finished epoch with the numbers of an uninterrupted run, and a raised
 * {@code --epochs} continues a finished one. {@code --patience N} stops when validation BLEU has not improved for N
 * epochs.
 */
public final class TranslationExample {

    /**
     * What a run produced.
     *
     * @param lossPerEpoch    mean training loss (label-smoothed cross-entropy per token) per epoch
     * @param valBleuPerEpoch validation BLEU after each epoch
     * @param testBleu        test_2016_flickr BLEU after training
     * @param plan            the ramp plan
     * @param trainSeconds    training time, decoding excluded
     * @param out             the output folder
     */
    public record Result(List<Double> lossPerEpoch, List<Double> valBleuPerEpoch, Bleu.Score testBleu, RampPlan plan,
                         double trainSeconds, Path out) {
    }

    /**
     * Training steps between explicit garbage collections. ND4J frees an array's off-heap memory only when the JVM
     * collects its handle, and the handles are so small that a 2 GB heap hardly ever fills: without these
     * collections the resident size climbs until JavaCPP's {@code maxPhysicalBytes} check forces one, and every
     * epoch's training session leaves its array cache (a quarter of JavaCPP's {@code maxBytes}) behind until then.
     * Measured with a collection every 20 steps: five epochs of 60 steps stayed at 1.8-3.1 GB resident. A
     * collection of the small heap takes tens of milliseconds, against 0.6-0.8 s a step.
     */
    static final int GC_EVERY = 20;

    private TranslationExample() {
    }

    /** Runs the example with a spec (which the command line, {@code bin/emergence translate}, parses into). */
    public static Result run(TranslationSpec o) throws IOException {
        return run(o, Multi30k.load(o.dataDir()));
    }

    /** Runs the example on data already loaded (a sweep loads them once), printing to standard output. */
    public static Result run(TranslationSpec o, Multi30k data) throws IOException {
        return run(o, data, System.out);
    }

    /**
     * Runs the example on data already loaded, printing its progress (plan, batches, epochs, sample translations,
     * test BLEU) to {@code print}; a sweep running several at once gives each run its own prefixed stream.
     */
    public static Result run(TranslationSpec o, Multi30k data, PrintStream print) throws IOException {
        Instant started = Instant.now();
        List<Multi30k.Pair> train = data.train().subList(0, Math.min(o.trainSize(), data.train().size()));
        List<Multi30k.Pair> val = data.val().subList(0, Math.min(o.valSize(), data.val().size()));
        List<Multi30k.Pair> test = data.test().subList(0, Math.min(o.testSize(), data.test().size()));

        List<List<String>> srcTok = train.stream().map(p -> WordTokenizer.tokenize(p.source())).toList();
        List<List<String>> tgtTok = train.stream().map(p -> WordTokenizer.tokenize(p.target())).toList();
        Vocabulary srcVocab = Vocabulary.build(srcTok, o.minFreq());
        Vocabulary tgtVocab = Vocabulary.build(tgtTok, o.minFreq());
        List<int[]> srcIds = new ArrayList<>();
        List<int[]> tgtIds = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            srcIds.add(truncate(srcVocab.encode(srcTok.get(i)), o.maxLen()));
            tgtIds.add(truncate(tgtVocab.encode(tgtTok.get(i)), o.maxLen()));
        }

        Nd4j.getRandom().setSeed(o.seed());
        Transformer.Config config = new Transformer.Config(srcVocab.size(), tgtVocab.size(), o.dModel(), o.heads(), o.ff(),
                o.layers(), o.layers(), 0.1, o.effectiveAlpha(), o.ffOnly());
        Transformer model = new Transformer(config);
        SameDiff sd = model.sameDiff();
        String rampRule = o.ffOnly()
                ? "feed-forward matrices only, blocks: encoder 0.." + (o.layers() - 1) + ", decoder 0.." + (o.layers() - 1)
                : "blocks: encoder 0.." + (o.layers() - 1) + ", decoder 0.." + (o.layers() - 1) + ", output projection;"
                        + " attention Q,K,V,O (and cross-attention) and feed-forward of a block share its exponent";
        print.printf(Locale.ROOT, "Multi30k de-en: %d train / %d val / %d test pairs; vocab de %d, en %d (min freq %d)%n",
                train.size(), val.size(), test.size(), srcVocab.size(), tgtVocab.size(), o.minFreq());
        print.printf(Locale.ROOT, "Transformer %d+%d layers, d_model %d, %d heads, ff %d; init %s, alpha %s (%s)%n",
                o.layers(), o.layers(), o.dModel(), o.heads(), o.ff(), o.init(), o.effectiveAlpha(), rampRule);
        print.print(model.plan());

        sd.setTrainingConfig(TransformerTraining.trainingConfig(o.lr(), o.warmup()));

        List<Double> losses = new ArrayList<>();
        List<Double> valBleu = new ArrayList<>();
        double trainSeconds = 0;
        Random shuffle = new Random(o.seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        Map<String, INDArray> best = null; // the weights of the best validation BLEU so far, scored on test at the end
        int bestEpoch = 0;
        Checkpoint resumed = Checkpoint.read(o);
        if (resumed == null && Files.isRegularFile(o.out().resolve("manifest.json"))) {
            throw new IllegalStateException(o.out() + " holds a finished translation run (manifest.json) without a"
                    + " checkpoint to continue: use another --out, or delete that folder.");
        }
        if (resumed != null) {
            resumed.restore(sd);
            losses.addAll(resumed.losses());
            valBleu.addAll(resumed.valBleu());
            trainSeconds = resumed.trainSeconds();
            best = resumed.best();
            bestEpoch = resumed.bestEpoch();
            for (int k = 0; k < losses.size(); k++) {
                Collections.shuffle(order, shuffle); // the shuffles of the epochs done, so the next one is the same
            }
            print.printf(Locale.ROOT, "resuming after epoch %d of %d from %s%n", losses.size(), o.epochs(),
                    resumed.model());
        }
        for (int epoch = losses.size() + 1; epoch <= o.epochs() && !Checkpoint.patienceRunOut(valBleu, o.patience());
             epoch++) {
            Collections.shuffle(order, shuffle);
            long start = System.nanoTime();
            double[] sum = {0};
            int epochBatches = Math.min(o.maxBatches(), (order.size() + o.batchSize() - 1) / o.batchSize());
            Iterator<Map<String, INDArray>> batchIt = new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < epochBatches;
                }

                @Override
                public Map<String, INDArray> next() {
                    int from = next++ * o.batchSize();
                    List<int[]> xs = new ArrayList<>();
                    List<int[]> ys = new ArrayList<>();
                    for (int i : order.subList(from, Math.min(from + o.batchSize(), order.size()))) {
                        xs.add(srcIds.get(i));
                        ys.add(tgtIds.get(i));
                    }
                    return Batch.training(xs, ys, o.dModel(), o.heads());
                }
            };
            // One fit call per epoch (one training session, whose array cache then serves every step); the loss of
            // each batch (before its update) comes from the training pass itself.
            int batches = TransformerTraining.fit(sd, batchIt, (step, loss) -> {
                sum[0] += loss;
                if ((step + 1) % GC_EVERY == 0) {
                    System.gc();
                }
                if ((step + 1) % 50 == 0) {
                    print.printf(Locale.ROOT, "  batch %d: mean loss %.4f (%.0f s)%n", step + 1,
                            sum[0] / (step + 1), (System.nanoTime() - start) / 1e9);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            System.gc(); // the epoch's training session and its array cache are garbage now
            losses.add(sum[0] / batches);
            Translations t = translate(model, srcVocab, tgtVocab, val, o);
            valBleu.add(t.bleu.score());
            print.printf(Locale.ROOT, "epoch %d: loss %.4f over %d batches (%.1f s); val BLEU %.2f  %s%n",
                    epoch, sum[0] / batches, batches, seconds, t.bleu.score(), t.bleu);
            for (int i = 0; i < Math.min(3, val.size()); i++) {
                print.println("  de:  " + val.get(i).source());
                print.println("  ref: " + val.get(i).target());
                print.println("  hyp: " + t.hypotheses.get(i));
            }
            if (bestEpoch == 0 || t.bleu.score() > valBleu.get(bestEpoch - 1)) {
                best = Checkpoint.variables(sd, true);
                bestEpoch = epoch;
            }
            Checkpoint.write(o, sd, losses, valBleu, trainSeconds, best, bestEpoch);
        }
        if (best != null && bestEpoch != losses.size()) {
            print.printf(Locale.ROOT, "test with the weights of epoch %d (best validation BLEU %.2f)%n",
                    bestEpoch, valBleu.get(bestEpoch - 1));
            Checkpoint.assign(sd, best);
        }
        if (Checkpoint.patienceRunOut(valBleu, o.patience()) && losses.size() < o.epochs()) {
            print.printf(Locale.ROOT, "stopped after epoch %d: validation BLEU has not improved for %d epoch(s)"
                    + " (--patience %d)%n", losses.size(), o.patience(), o.patience());
        }
        Translations testOut = translate(model, srcVocab, tgtVocab, test, o);
        print.printf(Locale.ROOT, "test_2016_flickr (%d sentences): %s%n  %s%n", test.size(), testOut.bleu,
                Bleu.SIGNATURE_LOWERCASE);

        Files.createDirectories(o.out());
        srcVocab.save(o.out().resolve("vocab.de.txt"));
        tgtVocab.save(o.out().resolve("vocab.en.txt"));
        sd.save(o.out().resolve("model.sd").toFile(), false);
        Files.write(o.out().resolve("test.hyp.txt"), testOut.hypotheses, StandardCharsets.UTF_8);
        writeManifest(o, config, model.plan(), rampRule, data, losses, valBleu, testOut.bleu, trainSeconds, bestEpoch,
                started);
        return new Result(List.copyOf(losses), List.copyOf(valBleu), testOut.bleu, model.plan(), trainSeconds, o.out());
    }

    private static int[] truncate(int[] ids, int maxLen) {
        return ids.length <= maxLen ? ids : Arrays.copyOf(ids, maxLen);
    }

    private record Translations(List<String> hypotheses, Bleu.Score bleu) {
    }

    /** Greedy decoding in batches ({@link Batch#translate}); BLEU against the lower-cased references. */
    private static Translations translate(Transformer model, Vocabulary srcVocab, Vocabulary tgtVocab,
                                          List<Multi30k.Pair> pairs, TranslationSpec o) {
        List<String> hyps = Batch.translate(model, srcVocab, tgtVocab,
                pairs.stream().map(Multi30k.Pair::source).toList(), o.batchSize(), o.maxLen());
        List<String> refs = pairs.stream().map(Multi30k.Pair::target).toList();
        return new Translations(hyps, Bleu.corpus(hyps, refs, true));
    }

    private static void writeManifest(TranslationSpec o, Transformer.Config config, RampPlan plan, String rampRule,
                                      Multi30k data, List<Double> losses, List<Double> valBleu, Bleu.Score test,
                                      double trainSeconds, int bestEpoch, Instant start) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(RunManifest.Envelope.current(
                o.out().toAbsolutePath().normalize().getFileName().toString(), RunManifest.TRANSLATE, o.seed(), o)
                .toMap());
        m.put("options", o.asMap());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "multi30k task 1 de-en");
        d.put("files", data.files());
        d.put("sha256", data.sha256());
        d.put("trainPairs", Math.min(o.trainSize(), data.train().size()));
        d.put("valPairs", Math.min(o.valSize(), data.val().size()));
        d.put("testPairs", Math.min(o.testSize(), data.test().size()));
        m.put("dataset", d);
        m.put("start", start.toString());
        m.put("end", Instant.now().toString());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("epochsRun", losses.size());
        result.put("lossPerEpoch", losses);
        result.put("valBleuPerEpoch", valBleu);
        result.put("testBleu", test.score());
        result.put("testWeightsFromEpoch", bestEpoch); // the epoch of the best validation BLEU, whose weights were scored
        result.put("testBleuDetail", test.toString());
        result.put("bleuSignature", Bleu.SIGNATURE_LOWERCASE);
        result.put("trainSeconds", trainSeconds);
        m.put("result", result);
        m.put("example", TranslationExample.class.getName());
        m.put("init", o.init());
        m.put("alpha", o.effectiveAlpha());
        m.put("ffOnly", o.ffOnly());
        m.put("rampRule", rampRule);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", o.epochs());
        training.put("maxBatches", o.maxBatches() == Integer.MAX_VALUE ? null : o.maxBatches());
        training.put("batchSize", o.batchSize());
        training.put("optimizer", "Adam(beta1 0.9, beta2 0.98, eps 1e-9), lr " + o.lr() + " after a linear warm-up of "
                + o.warmup() + " steps");
        training.put("labelSmoothing", config.labelSmoothing());
        training.put("maxLen", o.maxLen());
        training.put("minFreq", o.minFreq());
        m.put("training", training);
        m.put("model", config);
        m.put("plan", plan.entries());
        m.put("nd4jJar", jarOf(SameDiff.class));
        RunManifest.writeAtomically(o.out().resolve(RunManifest.FILE), RunManifest.JSON.writeValueAsString(m) + "\n");
    }

    private static String jarOf(Class<?> c) {
        var source = c.getProtectionDomain().getCodeSource();
        return source == null ? "unknown" : Paths.get(source.getLocation().getPath()).getFileName().toString();
    }
}
