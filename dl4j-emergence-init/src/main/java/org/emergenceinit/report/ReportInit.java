package org.emergenceinit.report;

import org.emergenceinit.weights.BaseScheme;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One initialization compared by an {@link InitReport}, as named on the command line:
 * {@code xavier}, {@code xavier-uniform}, {@code kaiming}, {@code kaiming-uniform} (DL4J's stock schemes),
 * {@code emergence-<base>@<alpha>} (the emergence ramp over that base; {@code emergence-<base>} alone takes
 * alpha {@value #DEFAULT_ALPHA}) and {@code lsuv-<base>} (the stock scheme, then LSUV on the first training batch,
 * Mishkin and Matas 2016).
 *
 * @param base  the stock scheme
 * @param alpha the ramp's alpha for an emergence init, {@code null} otherwise
 * @param lsuv  whether LSUV rescales the weights after {@code init()}
 */
public record ReportInit(BaseScheme base, Double alpha, boolean lsuv) {

    /** Alpha of an emergence init named without {@code @alpha}. */
    public static final double DEFAULT_ALPHA = 1.2;

    /** Checks the combination. */
    public ReportInit {
        if (base == null) {
            throw new IllegalArgumentException("an init needs a base scheme: xavier, xavier-uniform, kaiming or"
                    + " kaiming-uniform");
        }
        if (alpha != null && (!Double.isFinite(alpha) || alpha <= 0)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
        if (alpha != null && lsuv) {
            throw new IllegalArgumentException("an init cannot be both emergence- and lsuv-: LSUV rescales every"
                    + " layer to unit output variance, which undoes the ramp");
        }
    }

    /** @return DL4J's stock scheme */
    public static ReportInit stock(BaseScheme base) {
        return new ReportInit(base, null, false);
    }

    /** @return the emergence ramp over {@code base} with {@code alpha} */
    public static ReportInit emergence(BaseScheme base, double alpha) {
        return new ReportInit(base, alpha, false);
    }

    /** @return the stock scheme followed by LSUV */
    public static ReportInit lsuv(BaseScheme base) {
        return new ReportInit(base, null, true);
    }

    /**
     * Parses a name.
     *
     * @param name e.g. {@code kaiming}, {@code emergence-xavier@1.5}, {@code lsuv-kaiming}
     * @return the init
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ReportInit parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("+warmup")) {
            throw new IllegalArgumentException("init '" + name + "': warm-up is a learning-rate schedule over the first"
                    + " epoch, not an init; give the init without +warmup");
        }
        Double alpha = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            String a = s.substring(at + 1);
            try {
                alpha = Double.parseDouble(a);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("init '" + name + "': '" + a + "' after @ is not a number; write"
                        + " e.g. emergence-kaiming@1.2");
            }
            s = s.substring(0, at);
            if (!s.startsWith("emergence-")) {
                throw new IllegalArgumentException("init '" + name + "': only an emergence- init takes @alpha, e.g."
                        + " emergence-kaiming@1.2");
            }
            if (!Double.isFinite(alpha) || alpha <= 0) {
                throw new IllegalArgumentException("init '" + name + "': alpha must be finite and > 0");
            }
        }
        boolean emergence = s.startsWith("emergence-");
        boolean lsuv = s.startsWith("lsuv-");
        String rest = emergence ? s.substring("emergence-".length()) : lsuv ? s.substring("lsuv-".length()) : s;
        for (BaseScheme b : BaseScheme.values()) {
            if (b.cliName().equals(rest)) {
                return new ReportInit(b, emergence ? (alpha == null ? DEFAULT_ALPHA : alpha) : null, lsuv);
            }
        }
        throw new IllegalArgumentException("unknown init '" + name + "': use xavier, xavier-uniform, kaiming,"
                + " kaiming-uniform, emergence-<one of those>@<alpha> (e.g. emergence-kaiming@1.2) or lsuv-<one of"
                + " those>");
    }

    /** @return whether the emergence ramp is applied */
    public boolean emergence() {
        return alpha != null;
    }

    /** @return the canonical name: {@code kaiming}, {@code emergence-kaiming@1.2}, {@code lsuv-xavier} */
    public String name() {
        if (alpha != null) {
            return "emergence-" + base.cliName() + "@" + BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
        }
        return (lsuv ? "lsuv-" : "") + base.cliName();
    }

    @Override
    public String toString() {
        return name();
    }
}
