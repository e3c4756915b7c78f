package org.emergenceinit.report;

import java.util.List;

/**
 * Signal propagation through one hidden weight layer of a network under one init, as an {@link InitReport}
 * measures it: the layer's activations on the probe batch, its weights and gradient at initialization, and the
 * size of its first training updates.
 *
 * <p>The layers are the hidden weight layers of the emergence measure ({@code ActivityProbe}): the output layer is
 * excluded, and a layer's activation is read after the BatchNorm, activation, pooling and dropout layers that follow
 * it. A value that is not finite (a network whose loss turned NaN) is {@code NaN}.
 *
 * @param name           layer name (vertex name in a ComputationGraph)
 * @param type           the layer's type, e.g. {@code DenseLayer}, {@code LastTimeStep(LSTM)}
 * @param measuredAt     the layer whose output was read (the weight layer or the last layer folded into it)
 * @param width          number of nodes (units, or channels of a convolution)
 * @param rampScale      the factor the emergence ramp put on the layer's weights (1 for a stock or LSUV init)
 * @param activationMean mean of the layer's activation over the probe batch, all nodes and positions
 * @param activationStd  standard deviation of the same values
 * @param deadFraction   fraction of nodes whose activation is never above 0 on the probe batch (at no sample and no
 *                       position: a ReLU unit that never fires and so passes no gradient)
 * @param activeAbsolute active nodes under the papers' rule: mean activation above the absolute threshold
 * @param activeRelative active nodes under the scale-robust rule: mean activation above a fraction of the layer's
 *                       mean activation
 * @param weightStd      standard deviation of the layer's weights at initialization (all its weight matrices, no
 *                       biases), after LSUV for an LSUV init
 * @param gradientNorm   L2 norm of the loss gradient with respect to those weights at initialization, on the first
 *                       training batch, averaged over its examples (what the updater receives)
 * @param updateRatio    mean over the training steps of {@link #updateRatios()}
 * @param updateRatios   per training step, mean |update| / mean |weight| of the layer's weights (DL4J's training UI
 *                       shows this ratio, and a common rule of thumb puts it near 1e-3)
 */
public record LayerSignal(String name, String type, String measuredAt, int width, double rampScale,
                          double activationMean, double activationStd, double deadFraction, int activeAbsolute,
                          int activeRelative, double weightStd, double gradientNorm, double updateRatio,
                          List<Double> updateRatios) {

    /** Copies the list and checks the counts. */
    public LayerSignal {
        if (width < 1 || activeAbsolute < 0 || activeAbsolute > width || activeRelative < 0 || activeRelative > width) {
            throw new IllegalArgumentException("layer " + name + ": active counts must lie in [0, width " + width
                    + "], got " + activeAbsolute + " and " + activeRelative);
        }
        updateRatios = List.copyOf(updateRatios);
    }

    /** @return {@code activeAbsolute / width} */
    public double activeFractionAbsolute() {
        return (double) activeAbsolute / width;
    }

    /** @return {@code activeRelative / width} */
    public double activeFractionRelative() {
        return (double) activeRelative / width;
    }
}
