package org.emergenceinit.weights;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the emergence ramp does to a network, layer by layer: print it ({@link #toString()}, a fixed-width table),
 * or read its typed entries, e.g. to record them in a run manifest.
 *
 * @param target     what was ramped: a configuration (weights drawn scaled at {@code init()}), an initialised
 *                   network (weights rescaled in place), or SameDiff variables created block by block
 * @param entries    the ramp layers (for SameDiff: the variables created) in ramp order
 * @param skipped    layers with weights that are not in the ramp, each with {@link Entry#skipped()} set and the
 *                   reason in {@link Entry#reason()}
 * @param blockCount the number {@code L} of ramp positions the exponents are computed over: the number of ramp
 *                   layers of a configuration or network, the number of blocks of a {@link SameDiffRamp} (several
 *                   variables share a block)
 */
public record RampPlan(Target target, List<Entry> entries, List<Entry> skipped, int blockCount) {
    /** Scales below this are reported by {@link #warnings()}. */
    public static final double SCALE_WARN_LOW = 1e-6;
    /** Scales above this are reported by {@link #warnings()}. */
    public static final double SCALE_WARN_HIGH = 1e6;

    /** What a plan was made for. */
    public enum Target {
        /** A MultiLayer- or ComputationGraphConfiguration: bound inits draw the scaled weights at {@code init()}. */
        CONFIGURATION("configuration"),
        /** An initialised network whose weights were rescaled in place. */
        NETWORK("network"),
        /** SameDiff variables created by a {@link SameDiffRamp}. */
        SAMEDIFF("SameDiff blocks");

        private final String label;

        Target(String label) {
            this.label = label;
        }

        /** The lower-case label printed in the table's header: {@code configuration}, {@code network}, ... */
        public String label() {
            return label;
        }
    }

    /**
     * One layer (or SameDiff variable) of the plan, ramped or skipped.
     *
     * @param index      position {@code k} in the ramp (the block for a SameDiff variable); -1 when skipped
     * @param name       layer name (the index for unnamed MultiLayerNetwork layers), vertex or variable name
     * @param type       readable layer type, wrappers included, e.g. {@code Bidirectional(LSTM)}
     * @param layerClass the configuration class of the layer (the outer one for a wrapper), e.g.
     *                   {@code DenseLayer.class}; {@code SDVariable.class} for a SameDiff variable
     * @param fanIn      fan-in DL4J passes for the first weight matrix (NaN when unknown)
     * @param fanOut     fan-out DL4J passes for the first weight matrix (NaN when unknown)
     * @param base       the base scheme; null when a network was rescaled in place over weights drawn by another
     *                   scheme ("as initialised"), and for skipped layers
     * @param alpha      the ratio between neighbouring positions
     * @param exponent   {@code e_k}; 0 for skipped layers
     * @param scale      {@code alpha^(e_k)}; 1 for skipped layers (their weights are not scaled)
     * @param skipped    whether the layer is left out of the ramp
     * @param reason     why it is left out; null for ramp layers
     */
    public record Entry(int index, String name, String type, Class<?> layerClass, double fanIn, double fanOut,
                        BaseScheme base, double alpha, double exponent, double scale, boolean skipped,
                        String reason) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (skipped != (reason != null)) {
                throw new IllegalArgumentException("a skipped entry has a reason, a ramp entry has none");
            }
        }

        /** A ramp entry. */
        static Entry ramped(int index, String name, String type, Class<?> layerClass, double fanIn, double fanOut,
                            BaseScheme base, double alpha, double exponent) {
            return new Entry(index, name, type, layerClass, fanIn, fanOut, base, alpha, exponent,
                    Math.pow(alpha, exponent), false, null);
        }

        /** A layer left out of the ramp, for {@code reason}; its weights keep their scale 1. */
        static Entry skipped(String name, String type, Class<?> layerClass, double fanIn, double fanOut, double alpha,
                             String reason) {
            return new Entry(-1, name, type, layerClass, fanIn, fanOut, null, alpha, 0, 1, true,
                    Objects.requireNonNull(reason, "reason"));
        }

        /** The base as printed: its name, or {@code as initialised}. */
        public String baseLabel() {
            return base == null ? "as initialised" : base.name();
        }
    }

    public RampPlan {
        Objects.requireNonNull(target, "target");
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
        if (entries.stream().anyMatch(Entry::skipped) || skipped.stream().anyMatch(e -> !e.skipped())) {
            throw new IllegalArgumentException("ramp entries and skipped entries are mixed up");
        }
        if (blockCount < 1) {
            throw new IllegalArgumentException("a ramp has at least one position, got " + blockCount);
        }
    }

    /** A plan over the ramp layers of a configuration or network: as many positions as entries. */
    static RampPlan of(Target target, List<Entry> entries, List<Entry> skipped) {
        return new RampPlan(target, entries, skipped, Math.max(1, entries.size()));
    }

    /** The number of entries in the ramp: {@code L} for a configuration or network, the variables for SameDiff. */
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
        String label = target == Target.SAMEDIFF ? target.label() + " (" + blockCount + ")" : target.label();
        sb.append(String.format(Locale.ROOT, "Emergence ramp over %d layers (%s)%n", entries.size(), label));
        sb.append(String.format(Locale.ROOT, "%3s  %-14s %-22s %9s %9s %-16s %6s %8s %12s%n",
                "k", "name", "type", "fanIn", "fanOut", "base", "alpha", "exponent", "scale"));
        for (Entry e : entries) {
            sb.append(String.format(Locale.ROOT, "%3d  %-14s %-22s %9s %9s %-16s %6s %8s %12.6g%n", e.index,
                    e.name, e.type, fan(e.fanIn), fan(e.fanOut), e.baseLabel(), num(e.alpha), num(e.exponent),
                    e.scale));
        }
        for (Entry s : skipped) {
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
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : String.format(Locale.ROOT, Math.abs(v) < 1e15 ? "%.2f" : "%.3g", v);
    }

    private static String num(double v) {
        // below 1e15 an integral double is printed as the integer it is; above, (long) would overflow
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
