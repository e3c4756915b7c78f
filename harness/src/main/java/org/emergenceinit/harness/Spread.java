package org.emergenceinit.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Mean, sample standard deviation, minimum and maximum of the finite values of a series; {@code n} counts them.
 *
 * @param n    finite values
 * @param mean their mean (NaN if none)
 * @param sd   their sample standard deviation (0 for one value, NaN for none)
 * @param min  their minimum
 * @param max  their maximum
 */
public record Spread(int n, double mean, double sd, double min, double max) {

    /** The spread of the finite {@code values}. */
    public static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        return new Spread(v.length, mean, sd, Arrays.stream(v).min().orElseThrow(),
                Arrays.stream(v).max().orElseThrow());
    }

    /** The spread of {@code value} at {@code epoch} over the runs that reached that epoch. */
    public static Spread at(List<RunResult> runs, int epoch, ToDoubleFunction<EpochStats> value) {
        return of(runs.stream().filter(r -> r.epochs().size() > epoch)
                .mapToDouble(r -> value.applyAsDouble(r.epochs().get(epoch))).toArray());
    }

    /** {@code mean ± sd [min, max]} with the given decimals. */
    public String format(int decimals) {
        if (n == 0) {
            return "n/a";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f + " [" + f + ", " + f + "]", mean, sd, min, max);
    }

    /**
     * Welch's unequal-variance t test of {@code a - b}.
     *
     * @param diff the difference of the means
     * @param t    {@code diff / sqrt(sa^2/na + sb^2/nb)}; NaN with fewer than 2 values on a side or no spread at all
     * @param df   the Welch-Satterthwaite degrees of freedom
     */
    public record Welch(double diff, double t, double df) {
    }

    /** Welch's t of this spread's mean minus {@code other}'s. */
    public Welch welch(Spread other) {
        double diff = mean - other.mean;
        double va = sd * sd / n;
        double vb = other.sd * other.sd / other.n;
        if (n < 2 || other.n < 2 || va + vb == 0) {
            return new Welch(diff, Double.NaN, Double.NaN);
        }
        double se2 = va + vb;
        return new Welch(diff, diff / Math.sqrt(se2), se2 * se2 / (va * va / (n - 1) + vb * vb / (other.n - 1)));
    }
}
