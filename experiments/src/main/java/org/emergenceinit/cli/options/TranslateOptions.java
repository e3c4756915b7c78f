package org.emergenceinit.cli.options;

import org.emergenceinit.nmt.TranslationSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The options of {@code bin/emergence translate} (and of every run of the {@code multi30k-transformer} sweep), a
 * picocli mixin; it only parses: {@link #toSpec()} gives the harness's {@link TranslationSpec}, which checks the
 * values. The defaults are {@link TranslationSpec#builder()}'s.
 */
public final class TranslateOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding multi30k/ (default: $EMERGENCE_DATA, then the download cache).")
    public Path dataDir;
    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    public int epochs = 1;
    @Option(names = "--max-batches", paramLabel = "N", description = "At most N batches per epoch (default: all).")
    public int maxBatches = Integer.MAX_VALUE;
    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the weights and the batch order (default: ${DEFAULT-VALUE}).")
    public long seed = 42;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    public Path out = Paths.get("runs", "nmt");
    @Option(names = "--init", paramLabel = "NAME",
            description = "xavier or emergence-xavier (default: ${DEFAULT-VALUE}).")
    public String init = "xavier";
    @Option(names = "--alpha", paramLabel = "A",
            description = "Ramp ratio between consecutive blocks for emergence-xavier, > 0 (default:"
                    + " ${DEFAULT-VALUE}).")
    public double alpha = 1.2;
    @Option(names = "--ff-only",
            description = "Ramp only the feed-forward matrices (needs --init emergence-xavier).")
    public boolean ffOnly;
    @Option(names = "--train-size", paramLabel = "N",
            description = "Training pairs used, from the start (default: ${DEFAULT-VALUE}).")
    public int trainSize = 29_000;
    @Option(names = "--val-size", paramLabel = "N",
            description = "Validation pairs used (default: ${DEFAULT-VALUE}).")
    public int valSize = 1_014;
    @Option(names = "--test-size", paramLabel = "N",
            description = "test_2016_flickr pairs scored (default: ${DEFAULT-VALUE}).")
    public int testSize = 1_000;
    @Option(names = "--batch-size", paramLabel = "N",
            description = "Sentence pairs per batch (default: ${DEFAULT-VALUE}).")
    public int batchSize = 64;
    @Option(names = "--d-model", paramLabel = "N", description = "Model width (default: ${DEFAULT-VALUE}).")
    public int dModel = 128;
    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    public int heads = 4;
    @Option(names = "--ff", paramLabel = "N", description = "Feed-forward width (default: ${DEFAULT-VALUE}).")
    public int ff = 256;
    @Option(names = "--layers", paramLabel = "N",
            description = "Encoder blocks and decoder blocks, each (default: ${DEFAULT-VALUE}).")
    public int layers = 2;
    @Option(names = "--min-freq", paramLabel = "N",
            description = "Minimum count of a word in the vocabulary (default: ${DEFAULT-VALUE}).")
    public int minFreq = 2;
    @Option(names = "--lr", paramLabel = "X",
            description = "Adam learning rate after the warm-up (default: ${DEFAULT-VALUE}).")
    public double lr = 5e-4;
    @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up steps, 0 = none (default:"
            + " ${DEFAULT-VALUE}).")
    public int warmup = 400;
    @Option(names = "--max-len", paramLabel = "N",
            description = "Tokens kept per training sentence (default: ${DEFAULT-VALUE}).")
    public int maxLen = 50;
    @Option(names = "--patience", paramLabel = "N", description = "Stop when validation BLEU has not improved for"
            + " N epochs; 0 = train all --epochs (default: ${DEFAULT-VALUE}).")
    public int patience;

    /**
     * The spec.
     *
     * @throws IllegalArgumentException naming the first bad option
     */
    public TranslationSpec toSpec() {
        return TranslationSpec.builder().dataDir(dataDir).epochs(epochs).maxBatches(maxBatches).seed(seed).out(out)
                .init(init).alpha(alpha).ffOnly(ffOnly).trainSize(trainSize).valSize(valSize).testSize(testSize)
                .batchSize(batchSize).dModel(dModel).heads(heads).ff(ff).layers(layers).minFreq(minFreq).lr(lr)
                .warmup(warmup).maxLen(maxLen).patience(patience).build();
    }

    /**
     * Parses command-line style options into a spec.
     *
     * @throws IllegalArgumentException for an unknown or malformed option, or a bad value
     */
    public static TranslationSpec parse(String... args) {
        TranslateOptions o = new TranslateOptions();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "; see translate --help for the options.");
        }
        return o.toSpec();
    }
}
