package org.emergenceinit.harness;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.weights.EmergenceRamp;
import org.emergenceinit.weights.ExponentMode;
import org.emergenceinit.baselines.Lsuv;
import org.emergenceinit.weights.RampPlan;

import java.util.Locale;

/**
 * An initialization by name, as on the command line: {@code xavier}, {@code xavier-uniform}, {@code kaiming},
 * {@code kaiming-uniform} (DL4J's stock schemes), {@code emergence-} followed by one of those (the emergence ramp
 * over that base), {@code lsuv-} followed by one of those (the stock scheme, then LSUV's data-dependent rescaling,
 * see {@link Lsuv}), and any of these followed by {@code +warmup} (the learning rate ramped linearly from
 * {@code lr / n} to {@code lr} over the first epoch's {@code n} iterations, see {@link TrainingOptions#updater(long)}).
 * The last two are the baselines docs/METHOD.md asks every comparison to include.
 *
 * @param base      the stock scheme
 * @param emergence whether the emergence ramp is applied
 * @param lsuv      whether LSUV rescales the weights after {@code init()}
 * @param warmup    whether the learning rate is warmed up linearly over the first epoch
 */
public record InitSpec(BaseScheme base, boolean emergence, boolean lsuv, boolean warmup) {

    private static final String WARMUP = "+warmup";

    /** A stock or emergence init without LSUV or warm-up. */
    public InitSpec(BaseScheme base, boolean emergence) {
        this(base, emergence, false, false);
    }

    /** Checks that the ramp and LSUV are not combined (LSUV would undo the ramp). */
    public InitSpec {
        if (emergence && lsuv) {
            throw new IllegalArgumentException("An init cannot be both emergence- and lsuv-: LSUV rescales every"
                    + " layer to unit output variance, which undoes the ramp.");
        }
    }

    /** @throws IllegalArgumentException naming the accepted names */
    public static InitSpec parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        boolean warmup = s.endsWith(WARMUP);
        String rest = warmup ? s.substring(0, s.length() - WARMUP.length()) : s;
        boolean emergence = rest.startsWith("emergence-");
        boolean lsuv = rest.startsWith("lsuv-");
        rest = emergence ? rest.substring("emergence-".length()) : lsuv ? rest.substring("lsuv-".length()) : rest;
        for (BaseScheme b : BaseScheme.values()) {
            if (b.cliName().equals(rest)) {
                return new InitSpec(b, emergence, lsuv, warmup);
            }
        }
        throw new IllegalArgumentException("Unknown init '" + name + "': use xavier, xavier-uniform, kaiming,"
                + " kaiming-uniform, or emergence- or lsuv- followed by one of those, optionally followed by +warmup"
                + " (e.g. emergence-kaiming, lsuv-xavier, kaiming+warmup).");
    }

    /**
     * Sets the init on every weight layer of a configuration: the ramp with {@code alpha} for an emergence init, the
     * ramp with {@code alpha = 1} (bit for bit the stock scheme) otherwise. LSUV and warm-up are applied elsewhere
     * ({@link Lsuv#apply}, {@link TrainingOptions#updater(long)}).
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

    /** The stock init this one is compared against: the same base, no ramp, LSUV or warm-up. */
    public InitSpec stock() {
        return new InitSpec(base, false);
    }

    /** The name as parsed: {@code emergence-kaiming}, {@code xavier}, {@code lsuv-xavier}, {@code kaiming+warmup}... */
    public String name() {
        return (emergence ? "emergence-" : lsuv ? "lsuv-" : "") + base.cliName() + (warmup ? WARMUP : "");
    }

    @Override
    public String toString() {
        return name();
    }
}
