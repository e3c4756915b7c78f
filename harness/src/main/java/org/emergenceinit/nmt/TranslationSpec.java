package org.emergenceinit.nmt;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one translation run ({@link TranslationExample}) needs, immutable and checked when built (one-line
 * {@link IllegalArgumentException}s naming the command-line option). The command line ({@code bin/emergence
 * translate}, module {@code experiments}) only parses into it; code builds one with {@link #builder()}.
 *
 * @param dataDir    the folder holding multi30k/ (null: {@code $EMERGENCE_DATA}, then the download cache)
 * @param epochs     training epochs
 * @param maxBatches at most this many batches per epoch ({@link Integer#MAX_VALUE}: all)
 * @param seed       seed of the weights and the batch order
 * @param out        output folder
 * @param init       xavier or emergence-xavier
 * @param alpha      ramp ratio between consecutive blocks for emergence-xavier
 * @param ffOnly     ramp only the feed-forward matrices
 * @param trainSize  training pairs used, from the start
 * @param valSize    validation pairs used
 * @param testSize   test_2016_flickr pairs scored
 * @param batchSize  sentence pairs per batch
 * @param dModel     model width
 * @param heads      attention heads
 * @param ff         feed-forward width
 * @param layers     encoder blocks and decoder blocks, each
 * @param minFreq    minimum count of a word in the vocabulary
 * @param lr         Adam learning rate after the warm-up
 * @param warmup     linear warm-up steps, 0 = none
 * @param maxLen     tokens kept per training sentence
 * @param patience   stop when validation BLEU has not improved for this many epochs; 0 = train all epochs
 */
public record TranslationSpec(Path dataDir, int epochs, int maxBatches, long seed, Path out, String init, double alpha,
                              boolean ffOnly, int trainSize, int valSize, int testSize, int batchSize, int dModel,
                              int heads, int ff, int layers, int minFreq, double lr, int warmup, int maxLen,
                              int patience) {

    /** The default output folder. */
    public static final Path DEFAULT_OUT = Paths.get("runs", "nmt");

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the option and the value for a count below 1, an unknown init, a bad
     *                                  {@code --alpha} or {@code --lr}, or {@code --ff-only} with xavier
     */
    public TranslationSpec {
        positive("--epochs", epochs);
        positive("--max-batches", maxBatches);
        positive("--train-size", trainSize);
        positive("--val-size", valSize);
        positive("--test-size", testSize);
        positive("--batch-size", batchSize);
        positive("--d-model", dModel);
        positive("--heads", heads);
        positive("--ff", ff);
        positive("--layers", layers);
        positive("--min-freq", minFreq);
        if (warmup < 0) {
            throw new IllegalArgumentException("Option --warmup must be >= 0 (0 = no warm-up), got " + warmup + ".");
        }
        positive("--max-len", maxLen);
        if (patience < 0) {
            throw new IllegalArgumentException("Option --patience must be >= 0 (0 = off), got " + patience + ".");
        }
        if (init == null || !init.equals("xavier") && !init.equals("emergence-xavier")) {
            throw new IllegalArgumentException("--init must be xavier or emergence-xavier, got '" + init + "'.");
        }
        if (ffOnly && init.equals("xavier")) {
            throw new IllegalArgumentException("--ff-only needs --init emergence-xavier.");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("--alpha must be a finite number > 0, got " + alpha + ".");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr + ".");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required.");
        }
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Option " + option + " must be >= 1, got " + value + ".");
        }
    }

    /**
     * Every option by its command-line name ({@code --epochs} to its value), in the command's order; recorded in the
     * manifest so that a sweep can tell whether a finished run had the same settings. {@code --patience} only when
     * it is on, as in the manifests written before the option existed.
     */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("--data-dir", dataDir == null ? null : dataDir.toString());
        m.put("--epochs", epochs);
        m.put("--max-batches", maxBatches);
        m.put("--seed", seed);
        m.put("--out", out.toString());
        m.put("--init", init);
        m.put("--alpha", alpha);
        m.put("--ff-only", ffOnly);
        m.put("--train-size", trainSize);
        m.put("--val-size", valSize);
        m.put("--test-size", testSize);
        m.put("--batch-size", batchSize);
        m.put("--d-model", dModel);
        m.put("--heads", heads);
        m.put("--ff", ff);
        m.put("--layers", layers);
        m.put("--min-freq", minFreq);
        m.put("--lr", lr);
        m.put("--warmup", warmup);
        m.put("--max-len", maxLen);
        if (patience != 0) {
            m.put("--patience", patience);
        }
        return m;
    }

    /**
     * What a checkpoint must match to be continued: every option but {@code --out}, {@code --epochs} and
     * {@code --patience} (a run of N epochs is the start of the same run with more, and stopping early only cuts
     * it short).
     */
    Map<String, Object> identity() {
        Map<String, Object> m = asMap();
        m.remove("--out");
        m.remove("--epochs");
        m.remove("--patience");
        return m;
    }

    /** The alpha in effect: 1 for xavier. */
    double effectiveAlpha() {
        return init.equals("xavier") ? 1.0 : alpha;
    }

    /** A builder with the defaults of {@code bin/emergence translate}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.epochs = epochs;
        b.maxBatches = maxBatches;
        b.seed = seed;
        b.out = out;
        b.init = init;
        b.alpha = alpha;
        b.ffOnly = ffOnly;
        b.trainSize = trainSize;
        b.valSize = valSize;
        b.testSize = testSize;
        b.batchSize = batchSize;
        b.dModel = dModel;
        b.heads = heads;
        b.ff = ff;
        b.layers = layers;
        b.minFreq = minFreq;
        b.lr = lr;
        b.warmup = warmup;
        b.maxLen = maxLen;
        b.patience = patience;
        return b;
    }

    /** Collects a spec's values, with the command's defaults; {@link #build()} checks them. */
    public static final class Builder {
        private Path dataDir;
        private int epochs = 1;
        private int maxBatches = Integer.MAX_VALUE;
        private long seed = 42;
        private Path out = DEFAULT_OUT;
        private String init = "xavier";
        private double alpha = 1.2;
        private boolean ffOnly;
        private int trainSize = 29_000;
        private int valSize = 1_014;
        private int testSize = 1_000;
        private int batchSize = 64;
        private int dModel = 128;
        private int heads = 4;
        private int ff = 256;
        private int layers = 2;
        private int minFreq = 2;
        private double lr = 5e-4;
        private int warmup = 400;
        private int maxLen = 50;
        private int patience;

        private Builder() {
        }

        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder maxBatches(int v) { maxBatches = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder init(String v) { init = v; return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder ffOnly(boolean v) { ffOnly = v; return this; }
        public Builder trainSize(int v) { trainSize = v; return this; }
        public Builder valSize(int v) { valSize = v; return this; }
        public Builder testSize(int v) { testSize = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder dModel(int v) { dModel = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder ff(int v) { ff = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder minFreq(int v) { minFreq = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder warmup(int v) { warmup = v; return this; }
        public Builder maxLen(int v) { maxLen = v; return this; }
        public Builder patience(int v) { patience = v; return this; }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException naming the first bad option
         */
        public TranslationSpec build() {
            return new TranslationSpec(dataDir, epochs, maxBatches, seed, out, init, alpha, ffOnly, trainSize,
                    valSize, testSize, batchSize, dModel, heads, ff, layers, minFreq, lr, warmup, maxLen, patience);
        }
    }
}
