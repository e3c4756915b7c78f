package org.emergenceinit.measure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * The emergence of a network on an evaluation batch: which hidden nodes are active, and the
 * resulting {@code E}, {@code log10 E} and relative emergence {@code E / P}.
 *
 * <p>{@code E} is the closed form of AlShinaifi et al. 2024 (arXiv 2409.01568, section 3.1.1;
 * general form Li et al. 2023, arXiv 2311.17403) computed by
 * {@link EmergenceMeasure#emergence(long[], long[])} over the layers in {@link #layers()}, in
 * that order. {@code P} is the number of non-zero parameters (weights and biases, BatchNorm
 * parameters included) of the whole network, so that pruning raises {@code E / P}.
 *
 * <p>Immutable. {@link #toString()} prints a table with one row per layer.
 *
 * @param layers     the measured hidden layers, input side first
 * @param rule       the activity rule used
 * @param threshold  the activation threshold used; under {@link ActivityRule#RELATIVE} the fraction of
 *                   the layer's mean activation
 * @param samples    number of samples in the evaluation batch
 * @param parameters number of non-zero parameters {@code P} of the network
 * @param emergence  {@code E}, exact
 */
public record EmergenceProfile(List<LayerActivity> layers, ActivityRule rule, double threshold, long samples,
                               long parameters, BigInteger emergence) {

    /** Copies the layer list and checks that {@code E} matches it. */
    public EmergenceProfile {
        layers = List.copyOf(layers);
        if (!emergence.equals(EmergenceMeasure.emergence(widthsOf(layers), activeOf(layers)))) {
            throw new IllegalArgumentException("E = " + emergence + " does not match the layer counts");
        }
    }

    /**
     * Builds a profile, computing {@code E} from the layers.
     *
     * @param layers     the measured layers, input side first
     * @param rule       the activity rule used
     * @param threshold  the threshold used
     * @param samples    the number of samples
     * @param parameters the number of non-zero parameters
     * @return the profile
     */
    public static EmergenceProfile of(List<LayerActivity> layers, ActivityRule rule, double threshold, long samples,
                                      long parameters) {
        return new EmergenceProfile(layers, rule, threshold, samples, parameters,
                EmergenceMeasure.emergence(widthsOf(layers), activeOf(layers)));
    }

    /** @return {@code n_i} of each layer */
    public long[] widths() {
        return widthsOf(layers);
    }

    /** @return {@code a_i} of each layer */
    public long[] activeCounts() {
        return activeOf(layers);
    }

    /** @return {@code a_i / n_i} of each layer */
    public double[] activeFractions() {
        return layers.stream().mapToDouble(LayerActivity::activeFraction).toArray();
    }

    /** @return {@code log10 E}; {@link Double#NEGATIVE_INFINITY} when {@code E = 0} */
    public double log10Emergence() {
        return EmergenceMeasure.log10(emergence);
    }

    /**
     * @return {@code E / P} to 16 significant digits (see
     *         {@link EmergenceMeasure#relative(BigInteger, long)}); 0 when the network has no
     *         non-zero parameter and {@code E = 0}
     */
    public BigDecimal relativeEmergence() {
        if (parameters == 0) {
            return BigDecimal.ZERO;
        }
        return EmergenceMeasure.relative(emergence, parameters);
    }

    /** @return {@code log10(E / P)}; {@link Double#NEGATIVE_INFINITY} when {@code E = 0} */
    public double log10RelativeEmergence() {
        if (parameters == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return EmergenceMeasure.log10Relative(emergence, parameters);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Emergence profile: rule %s, %s, %d samples, %d non-zero parameters%n",
                rule, rule == ActivityRule.RELATIVE ? "active above " + threshold + " x the layer's mean activation"
                        : "threshold " + threshold, samples, parameters));
        sb.append(String.format(Locale.ROOT, "%-6s %-20s %-24s %7s %7s %8s %10s %10s %10s%n", "index", "layer", "type",
                "width", "active", "fraction", "min mean", "avg mean", "max mean"));
        for (LayerActivity layer : layers) {
            double[] means = layer.meanActivation();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double m : means) {
                min = Math.min(min, m);
                max = Math.max(max, m);
                sum += m;
            }
            String name = layer.measuredAt().equals(layer.name()) ? layer.name() : layer.name() + "->" + layer.measuredAt();
            sb.append(String.format(Locale.ROOT, "%-6d %-20s %-24s %7d %7d %8.3f %10.4f %10.4f %10.4f%n", layer.index(),
                    name, layer.type(), layer.width(), layer.active(), layer.activeFraction(), min,
                    sum / means.length, max));
        }
        sb.append(String.format(Locale.ROOT, "E = %s (log10 E = %.4f), E/P = %s (log10 E/P = %.4f)", shortForm(emergence),
                log10Emergence(), relativeEmergence().round(new MathContext(6)).toString(),
                log10RelativeEmergence()));
        return sb.toString();
    }

    private static String shortForm(BigInteger value) {
        String digits = value.toString();
        if (digits.length() <= 30) {
            return digits;
        }
        return digits.charAt(0) + "." + digits.substring(1, 6) + "e" + (digits.length() - 1);
    }

    private static long[] widthsOf(List<LayerActivity> layers) {
        return layers.stream().mapToLong(LayerActivity::width).toArray();
    }

    private static long[] activeOf(List<LayerActivity> layers) {
        return layers.stream().mapToLong(LayerActivity::active).toArray();
    }
}
