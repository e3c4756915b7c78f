package org.emergenceinit.harness;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a run's record: the network after {@code epoch} epochs ({@code 0}: at initialization). (In the CSV
 * {@code trainAccuracy}, added last here, comes before {@code seconds}: see {@link #CSV_COLUMNS}.)
 *
 * @param epoch         epochs done, 0 for the network at initialization
 * @param lr            the mean learning rate of this epoch's steps, as the updater's schedule gave it (so a warm-up
 *                      epoch shows the mean of its ramp); for epoch 0 the rate of the first step
 * @param trainLoss     mean minibatch loss over the epoch as seen during training (NaN for epoch 0, and when the
 *                      loss diverged)
 * @param testLoss      mean loss over the test batches evaluated
 * @param testAccuracy  accuracy over the test batches evaluated
 * @param emergence     {@code E} on the probe batch
 * @param log10E        {@code log10 E} ({@code -Infinity} when {@code E = 0})
 * @param relativeE     {@code E / P}, {@code P} the non-zero parameters
 * @param seconds       wall-clock seconds of the epoch's training steps only (no evaluation: neither the test pass
 *                      nor the training-set accuracy's pass); 0 for epoch 0
 * @param trainAccuracy accuracy over the training set, measured after the epoch in a separate pass in inference mode
 *                      ({@link RunSpec.Evaluation#trainAccuracy()}); NaN when not measured (the default, and every row
 *                      written before the column existed)
 */
public record EpochStats(int epoch, double lr, double trainLoss, double testLoss, double testAccuracy,
                         BigInteger emergence, double log10E, double relativeE, double seconds,
                         double trainAccuracy) {

    /**
     * The CSV columns, in order. {@code trainAccuracy}, added later, comes before {@code seconds}: the columns before
     * it keep their places and {@code seconds} stays the last one, as in the rows written before it
     * ({@link #CSV_COLUMNS_BEFORE_TRAIN_ACCURACY}).
     */
    public static final List<String> CSV_COLUMNS = List.of("epoch", "lr", "trainLoss", "testLoss", "testAccuracy",
            "E", "log10E", "relativeE", "trainAccuracy", "seconds");

    /**
     * The columns of the rows written before {@code trainAccuracy} existed (old {@code epochs.csv} files and
     * checkpoints): {@link #CSV_COLUMNS} without it.
     */
    public static final List<String> CSV_COLUMNS_BEFORE_TRAIN_ACCURACY = List.of("epoch", "lr", "trainLoss",
            "testLoss", "testAccuracy", "E", "log10E", "relativeE", "seconds");

    /** A row without the training-set accuracy (not measured: NaN). */
    public EpochStats(int epoch, double lr, double trainLoss, double testLoss, double testAccuracy,
                      BigInteger emergence, double log10E, double relativeE, double seconds) {
        this(epoch, lr, trainLoss, testLoss, testAccuracy, emergence, log10E, relativeE, seconds, Double.NaN);
    }

    /** Whether the training-set accuracy was measured for this row. */
    public boolean hasTrainAccuracy() {
        return !Double.isNaN(trainAccuracy);
    }

    /**
     * One CSV line for {@link #CSV_COLUMNS}, as {@code epochs.csv} holds it: no quoting, a NaN (epoch 0's train
     * loss, a diverged loss, a training accuracy not measured) as an empty cell, the learning rate rounded to 12
     * significant digits (the updater keeps its exact value; {@code 0.010000000000000005} is written {@code 0.01}),
     * other numbers as Java prints them.
     */
    public String csvRow() {
        return row(roundedRate(lr));
    }

    /**
     * As {@link #csvRow()} with the learning rate exactly as computed, for a checkpoint that must give back the very
     * numbers of the run.
     */
    public String exactCsvRow() {
        return row(cell(lr));
    }

    private String row(String rate) {
        return epoch + "," + rate + "," + cell(trainLoss) + "," + cell(testLoss) + "," + cell(testAccuracy) + ","
                + emergence + "," + cell(log10E) + "," + cell(relativeE) + "," + cell(trainAccuracy) + ","
                + cell(seconds);
    }

    /** A number as a CSV cell: empty for NaN, otherwise as Java prints it ({@code -Infinity} included). */
    public static String cell(double value) {
        return Double.isNaN(value) ? "" : String.valueOf(value);
    }

    /** A learning rate as a CSV cell: at most 12 significant digits, no trailing zeros. */
    public static String roundedRate(double value) {
        if (!Double.isFinite(value)) {
            return cell(value);
        }
        if (value == 0) {
            return "0";
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(12)).stripTrailingZeros()
                .toString();
    }

    /** Reads a number cell written by {@link #cell}: an empty cell (or {@code NaN}) is NaN. */
    public static double parseCell(String cell) {
        String s = cell.trim();
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /**
     * Parses a {@link #csvRow()} or {@link #exactCsvRow()} line; empty number cells are NaN. A row of the nine cells
     * written before {@code trainAccuracy} existed ({@link #CSV_COLUMNS_BEFORE_TRAIN_ACCURACY}: old {@code epochs.csv}
     * files and checkpoints) reads with a NaN training accuracy.
     */
    public static EpochStats parseCsvRow(String line) {
        String[] c = line.split(",", -1);
        if (c.length != CSV_COLUMNS.size() && c.length != CSV_COLUMNS_BEFORE_TRAIN_ACCURACY.size()) {
            throw new IllegalArgumentException("an epoch row has " + CSV_COLUMNS.size() + " cells (or "
                    + CSV_COLUMNS_BEFORE_TRAIN_ACCURACY.size() + " before trainAccuracy existed), got " + c.length
                    + ": " + line);
        }
        boolean old = c.length == CSV_COLUMNS_BEFORE_TRAIN_ACCURACY.size();
        return new EpochStats(Integer.parseInt(c[0].trim()), parseCell(c[1]), parseCell(c[2]), parseCell(c[3]),
                parseCell(c[4]), new BigInteger(c[5].trim()), parseCell(c[6]), parseCell(c[7]),
                parseCell(old ? c[8] : c[9]), old ? Double.NaN : parseCell(c[8]));
    }

    /**
     * The row for JSON, keyed like {@link #CSV_COLUMNS}: {@code E} as an exact decimal string (as
     * {@code bin/emergence inspect --json} writes it), non-finite numbers (a training accuracy not measured) as
     * {@code null}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("lr", lr);
        m.put("trainLoss", finite(trainLoss));
        m.put("testLoss", finite(testLoss));
        m.put("testAccuracy", finite(testAccuracy));
        m.put("E", emergence.toString());
        m.put("log10E", finite(log10E));
        m.put("relativeE", finite(relativeE));
        m.put("trainAccuracy", finite(trainAccuracy));
        m.put("seconds", seconds);
        return m;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
