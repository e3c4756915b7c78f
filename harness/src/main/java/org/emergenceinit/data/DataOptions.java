package org.emergenceinit.data;

import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * How a user's own data ({@code images:DIR}, {@code csv:FILE}) is read and split; ignored by the named datasets.
 * A picocli mixin: every command and example that takes {@code --dataset} takes these options too.
 *
 * <pre>{@code
 * DataOptions o = new DataOptions();
 * o.imageSize = "28x28";
 * DatasetSource data = Datasets.load("images:/data/digits", null, o);
 * }</pre>
 */
public class DataOptions {

    /** Default {@link #testFraction}. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    /** Seed of the per-class shuffle that splits a user's data into train and test. */
    public static final long SPLIT_SEED = 42L;

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
     * Checks the options that do not need the data.
     *
     * @throws IllegalArgumentException with one line naming the option and the value
     */
    public void validate() {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be between 0 and 1 (exclusive), got "
                    + testFraction + ".");
        }
        if (channels != null && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels + ".");
        }
        if (imageSize != null) {
            imageSize();
        }
        if (labelColumn != null && labelColumn < 0) {
            throw new IllegalArgumentException("--label-column must be >= 0, got " + labelColumn + ".");
        }
        if (skipLines != null && skipLines < 0) {
            throw new IllegalArgumentException("--skip-lines must be >= 0, got " + skipLines + ".");
        }
        if (classes != null && (classes < 2 || classes > 256)) {
            throw new IllegalArgumentException("--classes must be between 2 and 256, got " + classes + ".");
        }
    }

    /** @return {@code {height, width}} parsed from {@link #imageSize}, or null if not given */
    int[] imageSize() {
        if (imageSize == null) {
            return null;
        }
        String[] parts = imageSize.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = Integer.parseInt(parts[1].trim());
                if (h > 0 && w > 0) {
                    return new int[] {h, w};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--image-size must be HxW with positive integers, e.g. 28x28, got '"
                + imageSize + "'.");
    }

    /**
     * The options that differ from their defaults, as a run-name suffix: {@code _size32x32}, {@code _c3},
     * {@code _std}, {@code _tf0.3}, {@code _label2}, {@code _skip1}, {@code _k5}, in that order; empty when every
     * option is at its default.
     */
    public String nameSuffix() {
        StringBuilder b = new StringBuilder();
        if (imageSize != null) {
            int[] hw = imageSize();
            b.append("_size").append(hw[0]).append('x').append(hw[1]);
        }
        if (channels != null) {
            b.append("_c").append(channels);
        }
        if (standardize) {
            b.append("_std");
        }
        if (testFraction != DEFAULT_TEST_FRACTION) {
            b.append("_tf").append(testFraction);
        }
        if (labelColumn != null) {
            b.append("_label").append(labelColumn);
        }
        if (skipLines != null) {
            b.append("_skip").append(skipLines);
        }
        if (classes != null) {
            b.append("_k").append(classes);
        }
        return b.toString();
    }

    /** The options by name ({@code imageSize}, {@code channels}, ...; null where not given), as manifests record them. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("imageSize", imageSize == null ? null : imageSize.trim().toLowerCase(Locale.ROOT));
        m.put("channels", channels);
        m.put("standardize", standardize);
        m.put("testFraction", testFraction);
        m.put("labelColumn", labelColumn);
        m.put("skipLines", skipLines);
        m.put("classes", classes);
        return m;
    }

    @Override
    public String toString() {
        return "DataOptions[imageSize=" + imageSize + ", channels=" + channels + ", standardize=" + standardize
                + ", testFraction=" + testFraction
                + ", labelColumn=" + labelColumn + ", skipLines=" + skipLines + ", classes=" + classes + "]";
    }
}
