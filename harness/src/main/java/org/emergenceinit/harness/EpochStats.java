package org.emergenceinit.harness;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a run's record: the network after {@code epoch} epochs ({@code 0}: at initialization).
 *
 * @param epoch        epochs done, 0 for the network at initialization
 * @param lr           the mean learning rate of this epoch's steps, as the updater's schedule gave it (so a warm-up
 *                     epoch shows the mean of its ramp); for epoch 0 the rate of the first step
 * @param trainLoss    mean minibatch loss over the epoch as seen during training (NaN for epoch 0, and when the
 *                     loss diverged)
 * @param testLoss     mean loss over the test batches evaluated
 * @param testAccuracy accuracy over the test batches evaluated
 * @param emergence    {@code E} on the probe batch
 * @param log10E       {@code log10 E} ({@code -Infinity} when {@code E = 0})
 * @param relativeE    {@code E / P}, {@code P} the non-zero parameters
 * @param seconds      wall-clock seconds of the epoch's training steps only (no evaluation); 0 for epoch 0
 */
public record EpochStats(int epoch, double lr, double trainLoss, double testLoss, double testAccuracy,
                         BigInteger emergence, double log10E, double relativeE, double seconds) {

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("epoch", "lr", "trainLoss", "testLoss", "testAccuracy",
            "E", "log10E", "relativeE", "seconds");

    /**
     * One CSV line for {@link #CSV_COLUMNS}, as {@code epochs.csv} holds it: no quoting, a NaN (epoch 0's train
     * loss, a diverged loss) as an empty cell, the learning rate rounded to 12 significant digits (the updater keeps
     * its exact value; {@code 0.010000000000000005} is written {@code 0.01}), other numbers as Java prints them.
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
                + emergence + "," + cell(log10E) + "," + cell(relativeE) + "," + cell(seconds);
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

    /** Parses a {@link #csvRow()} or {@link #exactCsvRow()} line; empty number cells are NaN. */
    public static EpochStats parseCsvRow(String line) {
        String[] c = line.split(",", -1);
        if (c.length != CSV_COLUMNS.size()) {
            throw new IllegalArgumentException("an epoch row has " + CSV_COLUMNS.size() + " cells, got " + c.length
                    + ": " + line);
        }
        return new EpochStats(Integer.parseInt(c[0].trim()), parseCell(c[1]), parseCell(c[2]), parseCell(c[3]),
                parseCell(c[4]), new BigInteger(c[5].trim()), parseCell(c[6]), parseCell(c[7]), parseCell(c[8]));
    }

    /**
     * The row for JSON, keyed like {@link #CSV_COLUMNS}: {@code E} as an exact decimal string (as
     * {@code bin/emergence inspect --json} writes it), non-finite numbers as {@code null}.
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
        m.put("seconds", seconds);
        return m;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
