package org.emergenceinit.harness;

import java.util.Locale;

/**
 * What {@code --alpha} asks for: a fixed alpha, or {@code auto}, chosen before training by a short multi-seed pilot
 * ({@link AutoAlpha}, which runs the library's {@code EmergenceRamp.auto}). A typed choice: no number stands for
 * "auto".
 */
public sealed interface AlphaChoice {

    /** A fixed alpha (checked to be finite and > 0 by {@link RunSpec.Init}). */
    record Fixed(double value) implements AlphaChoice {
        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /** Alpha chosen by a pilot before the run trains. */
    record Auto() implements AlphaChoice {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** The auto choice. */
    AlphaChoice AUTO = new Auto();

    /**
     * {@code auto} (any case) or a number.
     *
     * @throws IllegalArgumentException for anything else
     */
    static AlphaChoice parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.toLowerCase(Locale.ROOT).equals("auto")) {
            return AUTO;
        }
        try {
            return new Fixed(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--alpha takes a number > 0 or auto, got '" + text + "'.");
        }
    }
}
