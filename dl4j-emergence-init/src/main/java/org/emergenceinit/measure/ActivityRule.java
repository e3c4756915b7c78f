package org.emergenceinit.measure;

/**
 * When a hidden node counts as active for the emergence measure.
 *
 * <p>AlShinaifi et al. 2024 (arXiv 2409.01568) call a node active when its "activation is greater
 * than 0.05" without saying over which inputs. A node's activation is its post-nonlinearity
 * output; for a convolution channel or a recurrent unit it is first averaged over the spatial or
 * time positions of each sample.
 *
 * <p>{@link #MEAN} and {@link #MAJORITY} compare with an absolute threshold, so in a ReLU network
 * they move with the weight scale alone (multiply a layer's weights by 10 and more of its units
 * pass 0.05). {@link #RELATIVE} compares each node with its own layer and does not: it is the
 * scale-robust rule of docs/METHOD.md section 3. The papers' rule, {@link #MEAN}, stays the default.
 */
public enum ActivityRule {
    /**
     * Default (project decision): active when the activation averaged over all samples of the
     * evaluation batch exceeds the threshold.
     */
    MEAN,
    /** Active when at least half of the samples give an activation above the threshold. */
    MAJORITY,
    /**
     * Scale-robust: active when the node's activation averaged over the batch exceeds a fraction
     * (default {@value ActivityProbe#DEFAULT_RELATIVE_FRACTION}) of its layer's mean activation, the
     * average of those node means over the layer (see
     * {@link EmergenceMeasure#relativeActive(double[], double)}). Multiplying a layer's weights by a
     * positive constant multiplies every later activation of a ReLU network without BatchNorm and
     * with zero biases by that constant, node means and layer mean alike, so the active set does
     * not change. The absolute threshold is not used.
     */
    RELATIVE
}
