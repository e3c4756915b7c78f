package org.emergenceinit.report;

import org.emergenceinit.measure.EmergenceMeasure;

import java.math.BigInteger;
import java.util.List;

/**
 * What one init does to a network: per hidden layer its {@link LayerSignal}, and the network's emergence at
 * initialization under both activity rules.
 *
 * @param init              the init's name, e.g. {@code emergence-kaiming@1.2}
 * @param alpha             the ramp's alpha, {@code null} for a stock or LSUV init
 * @param emergence         {@code E} under the papers' absolute rule (mean activation above the threshold), exact
 * @param emergenceRelative {@code E} under the scale-robust relative rule, exact
 * @param parameters        non-zero parameters {@code P} of the network at initialization
 * @param lossAtInit        the loss on the first training batch at initialization
 * @param losses            per training step, the loss on its batch before its update
 * @param layers            the hidden weight layers, input side first
 */
public record InitResult(String init, Double alpha, BigInteger emergence, BigInteger emergenceRelative,
                         long parameters, double lossAtInit, List<Double> losses, List<LayerSignal> layers) {

    /** Copies the lists. */
    public InitResult {
        losses = List.copyOf(losses);
        layers = List.copyOf(layers);
    }

    /** @return {@code log10 E} under the absolute rule; {@link Double#NEGATIVE_INFINITY} when {@code E = 0} */
    public double log10E() {
        return EmergenceMeasure.log10(emergence);
    }

    /** @return {@code log10 E} under the relative rule; {@link Double#NEGATIVE_INFINITY} when {@code E = 0} */
    public double log10ERelative() {
        return EmergenceMeasure.log10(emergenceRelative);
    }

    /**
     * @param name a layer name
     * @return that layer's signal
     * @throws IllegalArgumentException if the report has no such layer
     */
    public LayerSignal layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no layer '" + name + "' in the report; its layers are "
                        + layers.stream().map(LayerSignal::name).toList()));
    }
}
