package org.emergenceinit.cli.options;

import org.emergenceinit.data.OwnDataSpec;

import picocli.CommandLine.Option;

/**
 * How a user's own data ({@code images:DIR}, {@code csv:FILE}) is read and split; ignored by the named datasets.
 * A picocli mixin: every command and example that takes {@code --dataset} takes these options too. It only parses:
 * {@link #toSpec()} gives the harness's immutable {@link OwnDataSpec}, which checks the values.
 */
public class DataOptions {

    /** Default {@link #testFraction}. */
    public static final double DEFAULT_TEST_FRACTION = OwnDataSpec.DEFAULT_TEST_FRACTION;

    /** {@code --image-size HxW}: images are resized to this; default: the first image's size. */
    @Option(names = "--image-size", paramLabel = "HxW",
            description = "images:DIR: resize every image to H rows by W columns (default: the first image's size).")
    public String imageSize;

    /** {@code --channels 1|3}: 1 reads grey, 3 colour (OpenCV's BGR order); default: from the first image. */
    @Option(names = "--channels", paramLabel = "1|3",
            description = "images:DIR: 1 = grey, 3 = colour (default: from the first image).")
    public Integer channels;

    /**
     * {@code --standardize}: after scaling by 1/255, standardise each channel with the mean and std of the
     * training split (as for CIFAR-10); default off: only scaled, as by DL4J's {@code ImagePreProcessingScaler}.
     */
    @Option(names = "--standardize", description = "images:DIR: standardise each channel with the training"
            + " split's mean and std (as for CIFAR-10) instead of only scaling pixels to [0, 1].")
    public boolean standardize;

    /** {@code --test-fraction F}: share of each class held out for testing, in (0, 1); default 0.2. */
    @Option(names = "--test-fraction", paramLabel = "F",
            description = "images:DIR and csv:FILE: share of each class held out for testing, seeded and"
                    + " stratified (default: ${DEFAULT-VALUE}).")
    public double testFraction = DEFAULT_TEST_FRACTION;

    /** {@code --label-column N}: 0-based column holding the class index or name; default: the last column. */
    @Option(names = "--label-column", paramLabel = "N",
            description = "csv:FILE: 0-based column holding the class index 0..K-1, or a class name on every line"
                    + " (default: the last column).")
    public Integer labelColumn;

    /** {@code --skip-lines N}: lines skipped at the top of the CSV; default: 1 if the first line is a header. */
    @Option(names = "--skip-lines", paramLabel = "N",
            description = "csv:FILE: lines to skip at the top (default: 1 if the first line is not numeric, else 0).")
    public Integer skipLines;

    /** {@code --classes K}: the number of classes; default: the largest label seen plus one. */
    @Option(names = "--classes", paramLabel = "K",
            description = "csv:FILE: number of classes (default: the largest label seen + 1, or the names seen).")
    public Integer classes;

    /** Options with the defaults above. */
    public DataOptions() {
    }

    /** A copy of {@code other}. */
    public DataOptions(DataOptions other) {
        imageSize = other.imageSize;
        channels = other.channels;
        standardize = other.standardize;
        testFraction = other.testFraction;
        labelColumn = other.labelColumn;
        skipLines = other.skipLines;
        classes = other.classes;
    }

    /**
     * The options as the harness takes them.
     *
     * @throws IllegalArgumentException with one line naming the option and the value
     */
    public OwnDataSpec toSpec() {
        return new OwnDataSpec(imageSize, channels, standardize, testFraction, labelColumn, skipLines, classes);
    }

    /**
     * Checks the options that do not need the data.
     *
     * @throws IllegalArgumentException with one line naming the option and the value
     */
    public void validate() {
        toSpec();
    }

    @Override
    public String toString() {
        return "DataOptions[imageSize=" + imageSize + ", channels=" + channels + ", standardize=" + standardize
                + ", testFraction=" + testFraction
                + ", labelColumn=" + labelColumn + ", skipLines=" + skipLines + ", classes=" + classes + "]";
    }
}
