package org.emergenceinit.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a user's own data ({@code images:DIR}, {@code csv:FILE}) is read and split; ignored by the named datasets.
 * Immutable and checked when built: the command line ({@code --image-size}, {@code --channels}, ... in the
 * experiments module) only parses into it.
 *
 * <pre>{@code
 * OwnDataSpec o = OwnDataSpec.DEFAULTS.withImageSize("28x28");
 * DatasetSource data = Datasets.load("images:/data/digits", null, o);
 * }</pre>
 *
 * @param imageSize    {@code HxW}: images are resized to this; null: the first image's size
 * @param channels     1 reads grey, 3 colour (OpenCV's BGR order); null: from the first image
 * @param standardize  after scaling by 1/255, standardise each channel with the training split's mean and std (as
 *                     for CIFAR-10); false: only scaled, as by DL4J's {@code ImagePreProcessingScaler}
 * @param testFraction share of each class held out for testing, in (0, 1); default {@value #DEFAULT_TEST_FRACTION}
 * @param labelColumn  0-based column holding the class index or name; null: the last column
 * @param skipLines    lines skipped at the top of the CSV; null: 1 if the first line is a header
 * @param classes      the number of classes; null: the largest label seen plus one
 */
public record OwnDataSpec(String imageSize, Integer channels, boolean standardize, double testFraction,
                          Integer labelColumn, Integer skipLines, Integer classes) {

    /** Default {@link #testFraction}. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    /** Seed of the per-class shuffle that splits a user's data into train and test. */
    public static final long SPLIT_SEED = 42L;

    /** Every option at its default. */
    public static final OwnDataSpec DEFAULTS = new OwnDataSpec(null, null, false, DEFAULT_TEST_FRACTION, null, null,
            null);

    /**
     * Checks the options that do not need the data.
     *
     * @throws IllegalArgumentException with one line naming the option and the value
     */
    public OwnDataSpec {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be between 0 and 1 (exclusive), got "
                    + testFraction + ".");
        }
        if (channels != null && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels + ".");
        }
        if (imageSize != null) {
            heightWidth(imageSize);
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

    /** A copy with {@link #imageSize} set. */
    public OwnDataSpec withImageSize(String size) {
        return new OwnDataSpec(size, channels, standardize, testFraction, labelColumn, skipLines, classes);
    }

    /** A copy with {@link #channels} set. */
    public OwnDataSpec withChannels(Integer c) {
        return new OwnDataSpec(imageSize, c, standardize, testFraction, labelColumn, skipLines, classes);
    }

    /** A copy with {@link #standardize} set. */
    public OwnDataSpec withStandardize(boolean s) {
        return new OwnDataSpec(imageSize, channels, s, testFraction, labelColumn, skipLines, classes);
    }

    /** A copy with {@link #testFraction} set. */
    public OwnDataSpec withTestFraction(double f) {
        return new OwnDataSpec(imageSize, channels, standardize, f, labelColumn, skipLines, classes);
    }

    /** A copy with {@link #labelColumn} set. */
    public OwnDataSpec withLabelColumn(Integer column) {
        return new OwnDataSpec(imageSize, channels, standardize, testFraction, column, skipLines, classes);
    }

    /** A copy with {@link #skipLines} set. */
    public OwnDataSpec withSkipLines(Integer lines) {
        return new OwnDataSpec(imageSize, channels, standardize, testFraction, labelColumn, lines, classes);
    }

    /** A copy with {@link #classes} set. */
    public OwnDataSpec withClasses(Integer k) {
        return new OwnDataSpec(imageSize, channels, standardize, testFraction, labelColumn, skipLines, k);
    }

    /** @return {@code {height, width}} parsed from {@link #imageSize}, or null if not given */
    int[] imageHeightWidth() {
        return imageSize == null ? null : heightWidth(imageSize);
    }

    private static int[] heightWidth(String imageSize) {
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
            int[] hw = imageHeightWidth();
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
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imageSize", imageSize == null ? null : imageSize.trim().toLowerCase(Locale.ROOT));
        m.put("channels", channels);
        m.put("standardize", standardize);
        m.put("testFraction", testFraction);
        m.put("labelColumn", labelColumn);
        m.put("skipLines", skipLines);
        m.put("classes", classes);
        return m;
    }
}
