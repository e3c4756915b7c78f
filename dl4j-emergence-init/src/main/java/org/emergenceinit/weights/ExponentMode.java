package org.emergenceinit.weights;

import java.util.Locale;

/**
 * How the ramp assigns exponents {@code e_k} to the {@code L} layers {@code k = 0 .. L-1}.
 *
 * <ul>
 *   <li>{@link #CENTRED} (default): {@code e_k = k - (L - 1) / 2}. For odd {@code L = 2n+1} this is the paper's
 *       {@code -n .. n} with the middle layer unscaled; for even {@code L} the exponents are half-integers,
 *       neighbours differ by exactly {@code alpha} and the scales multiply to 1.</li>
 *   <li>{@link #INTEGER}: for odd {@code L} as {@code CENTRED}; for even {@code L = 2n} the exponents are
 *       {@code -n .. -1, 1 .. n}: integer powers, the scales still multiply to 1, and the ratio across the
 *       middle is {@code alpha^2}.</li>
 * </ul>
 */
public enum ExponentMode {
    /** {@code e_k = k - (L - 1) / 2}. */
    CENTRED,
    /** Integer exponents {@code -n .. -1, 1 .. n} for even {@code L}; same as {@link #CENTRED} for odd {@code L}. */
    INTEGER;

    /**
     * The exponent of layer {@code k} of {@code count}.
     *
     * @throws IllegalArgumentException when {@code count < 1} or {@code k} is outside {@code [0, count)}
     */
    public double exponent(int k, int count) {
        EmergenceWeightInit.checkPosition(k, count);
        double centred = k - (count - 1) / 2.0;
        if (this == CENTRED || count % 2 == 1) {
            return centred;
        }
        return centred < 0 ? centred - 0.5 : centred + 0.5;
    }

    /** Parses {@code centred}/{@code centered}/{@code integer}, case-insensitively. */
    public static ExponentMode parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "centred":
            case "centered":
                return CENTRED;
            case "integer":
                return INTEGER;
            default:
                throw new IllegalArgumentException("Unknown exponent mode '" + name
                        + "' for the emergence init: use CENTRED (default) or INTEGER.");
        }
    }
}
