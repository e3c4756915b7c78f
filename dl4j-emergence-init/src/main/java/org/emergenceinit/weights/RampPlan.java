package org.emergenceinit.weights;

import java.util.List;
import java.util.Locale;

/**
 * What the emergence ramp does to a network, layer by layer: print it, record it in a run manifest.
 *
 * @param target  what was ramped: {@code configuration} (weights drawn scaled at {@code init()}) or
 *                {@code network} (initialised weights rescaled in place)
 * @param entries the ramp layers in ramp order
 * @param skipped layers with weights that are not in the ramp, with the reason
 */
public record RampPlan(String target, List<Entry> entries, List<Skipped> skipped) {
    /** Scales below this are reported by {@link #warnings()}. */
    public static final double SCALE_WARN_LOW = 1e-6;
    /** Scales above this are reported by {@link #warnings()}. */
    public static final double SCALE_WARN_HIGH = 1e6;

    /**
     * One ramp layer.
     *
     * @param index    position {@code k} in the ramp
     * @param name     layer name (the index for unnamed MultiLayerNetwork layers)
     * @param type     layer type, wrappers included, e.g. {@code Bidirectional(LSTM)}
     * @param fanIn    fan-in DL4J passes for the first weight matrix (NaN when unknown)
     * @param fanOut   fan-out DL4J passes for the first weight matrix (NaN when unknown)
     * @param base     the base scheme, or {@code as initialised} when a network was rescaled
     * @param alpha    the ratio between neighbouring layers
     * @param exponent {@code e_k}
     * @param scale    {@code alpha^(e_k)}
     */
    public record Entry(int index, String name, String type, double fanIn, double fanOut, String base,
                        double alpha, double exponent, double scale) {
    }

    /** A layer with weights that is not in the ramp, and why. */
    public record Skipped(String name, String type, String reason) {
    }

    public RampPlan {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    /** The number {@code L} of layers in the ramp. */
    public int layerCount() {
        return entries.size();
    }

    /**
     * One message per layer whose scale leaves {@code [1e-6, 1e6]}: its activations or gradients may vanish or
     * explode. {@link EmergenceRamp} logs them at WARN level.
     */
    public List<String> warnings() {
        return entries.stream().filter(e -> e.scale < SCALE_WARN_LOW || e.scale > SCALE_WARN_HIGH)
                .map(e -> String.format(Locale.ROOT, "Emergence ramp: layer '%s' (%s) gets scale %.3g = %s^%s,"
                        + " outside [1e-6, 1e6]: its activations or gradients may vanish or explode; consider an"
                        + " alpha closer to 1.", e.name, e.type, e.scale, num(e.alpha), num(e.exponent)))
                .toList();
    }

    /** A fixed-width table, one line per ramp layer, then the skipped layers. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Emergence ramp over %d layers (%s)%n", entries.size(), target));
        sb.append(String.format(Locale.ROOT, "%3s  %-14s %-22s %9s %9s %-16s %6s %8s %12s%n",
                "k", "name", "type", "fanIn", "fanOut", "base", "alpha", "exponent", "scale"));
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, "%3d  %-14s %-22s %9s %9s %-16s %6s %8s %12.6g%n", e.index,
                    e.name, e.type, fan(e.fanIn), fan(e.fanOut), e.base, num(e.alpha), num(e.exponent), e.scale));
        }
        for (Skipped s : skipped) {
            sb.append(String.format(Locale.ROOT, "  -  %-14s %-22s not ramped: %s%n", s.name, s.type, s.reason));
        }
        for (String w : warnings()) {
            sb.append("warning: ").append(w).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String fan(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
