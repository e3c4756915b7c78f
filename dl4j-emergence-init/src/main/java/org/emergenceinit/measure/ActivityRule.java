package org.emergenceinit.measure;

/**
 * When a hidden node counts as active for the emergence measure.
 *
 * <p>AlShinaifi et al. 2024 (arXiv 2409.01568) call a node active when its "activation is greater
 * than 0.05" without saying over which inputs. A node's activation is its post-nonlinearity
 * output; for a convolution channel or a recurrent unit it is first averaged over the spatial or
 * time positions of each sample.
 */
public enum ActivityRule {
    /**
     * Default (project decision): active when the activation averaged over all samples of the
     * evaluation batch exceeds the threshold.
     */
    MEAN,
    /** Active when at least half of the samples give an activation above the threshold. */
    MAJORITY
}
