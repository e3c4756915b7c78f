package org.emergenceinit.report;

import java.util.List;
import java.util.Locale;

/**
 * The result of an {@link InitReport}: the settings it ran with and, per init, what that init does to the network.
 *
 * @param network          a label for the network (e.g. {@code mlp:784-256-256-10})
 * @param data             a label for the data (e.g. the dataset's name)
 * @param seed             the seed every init's network was built with (the configuration's seed unless overridden)
 * @param probeSamples     samples in the probe batch the activations and {@code E} were measured on
 * @param steps            training steps taken per init ({@code K})
 * @param batchSize        examples in the first training batch
 * @param threshold        the absolute rule's threshold
 * @param relativeFraction the relative rule's fraction of the layer mean
 * @param batchStatistics  whether activations were measured in training mode (BatchNorm on batch statistics,
 *                         dropout on) rather than inference mode
 * @param inits            one result per init, in the order asked
 */
public record InitReportResult(String network, String data, long seed, long probeSamples, int steps, int batchSize,
                               double threshold, double relativeFraction, boolean batchStatistics,
                               List<InitResult> inits) {

    /** Copies the list. */
    public InitReportResult {
        inits = List.copyOf(inits);
    }

    /**
     * @param name an init's name as in {@link InitResult#init()}
     * @return that init's result
     * @throws IllegalArgumentException if the report has no such init
     */
    public InitResult init(String name) {
        return inits.stream().filter(i -> i.init().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no init '" + name + "' in the report; its inits are "
                        + inits.stream().map(InitResult::init).toList()));
    }

    /** @return a plain-text table: one block per init, one row per layer */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s: probe %d samples (%s), %d training steps of %d; active: mean"
                        + " activation > %s (absolute) or > %s x the layer mean (relative)%n", network, data,
                probeSamples, batchStatistics ? "batch statistics" : "inference mode", steps, batchSize, threshold,
                relativeFraction));
        for (InitResult r : inits) {
            sb.append(String.format(Locale.ROOT, "%n%s: log10 E %s (absolute rule), %s (relative rule); loss %.4f"
                    + " at init, %.4f at step %d%n", r.init(), log(r.log10E()), log(r.log10ERelative()), r.lossAtInit(),
                    r.losses().isEmpty() ? Double.NaN : r.losses().get(r.losses().size() - 1), steps));
            sb.append(String.format(Locale.ROOT, "  %-14s %6s %11s %11s %6s %7s %7s %10s %10s %10s%n", "layer", "width",
                    "act mean", "act std", "dead", "active", "active", "weight std", "grad norm", "upd/param"));
            sb.append(String.format(Locale.ROOT, "  %-14s %6s %11s %11s %6s %7s %7s %10s %10s %10s%n", "", "", "", "",
                    "", "abs", "rel", "", "", ""));
            for (LayerSignal l : r.layers()) {
                sb.append(String.format(Locale.ROOT, "  %-14s %6d %11.4g %11.4g %6.3f %7d %7d %10.4g %10.4g %10.3g%n",
                        l.name(), l.width(), l.activationMean(), l.activationStd(), l.deadFraction(),
                        l.activeAbsolute(), l.activeRelative(), l.weightStd(), l.gradientNorm(), l.updateRatio()));
            }
        }
        return sb.toString();
    }

    private static String log(double log10) {
        return Double.isInfinite(log10) && log10 < 0 ? "-inf (E = 0)" : String.format(Locale.ROOT, "%.3f", log10);
    }
}
