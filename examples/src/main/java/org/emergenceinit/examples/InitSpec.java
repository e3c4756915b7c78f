package org.emergenceinit.examples;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.ExponentMode;
import org.emergenceinit.weights.RampPlan;

import java.util.Locale;

/**
 * An initialization by name, as on the command line: {@code xavier}, {@code xavier-uniform}, {@code kaiming},
 * {@code kaiming-uniform} (DL4J's stock schemes), or {@code emergence-} followed by one of those (the emergence ramp
 * over that base).
 *
 * @param base      the stock scheme
 * @param emergence whether the emergence ramp is applied
 */
public record InitSpec(BaseScheme base, boolean emergence) {

    /** @throws IllegalArgumentException naming the accepted names */
    public static InitSpec parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        boolean emergence = s.startsWith("emergence-");
        String rest = emergence ? s.substring("emergence-".length()) : s;
        for (BaseScheme b : BaseScheme.values()) {
            if (b.cliName().equals(rest)) {
                return new InitSpec(b, emergence);
            }
        }
        throw new IllegalArgumentException("Unknown init '" + name + "': use xavier, xavier-uniform, kaiming,"
                + " kaiming-uniform, or emergence- followed by one of those (e.g. emergence-kaiming).");
    }

    /**
     * Sets the init on every weight layer of a configuration: the ramp with {@code alpha} for an emergence init, the
     * ramp with {@code alpha = 1} (bit for bit the stock scheme) for a stock init.
     *
     * @return the plan (scale 1 everywhere for a stock init)
     */
    public RampPlan apply(MultiLayerConfiguration conf, double alpha, ExponentMode mode) {
        return ramp(alpha, mode).apply(conf);
    }

    /** As {@link #apply(MultiLayerConfiguration, double, ExponentMode)} for a ComputationGraph configuration. */
    public RampPlan apply(ComputationGraphConfiguration conf, double alpha, ExponentMode mode) {
        return ramp(alpha, mode).apply(conf);
    }

    private EmergenceRamp ramp(double alpha, ExponentMode mode) {
        return EmergenceRamp.of(base, emergence ? alpha : 1.0).withMode(mode);
    }

    /** The name as parsed: {@code emergence-kaiming}, {@code xavier}, ... */
    public String name() {
        return (emergence ? "emergence-" : "") + base.cliName();
    }

    @Override
    public String toString() {
        return name();
    }
}
