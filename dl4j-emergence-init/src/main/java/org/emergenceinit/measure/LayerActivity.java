package org.emergenceinit.measure;

import java.util.Arrays;
import java.util.Objects;

/**
 * Activity of one hidden weight layer on an evaluation batch: the {@code n_i} and {@code a_i} of
 * the emergence measure plus the per-node statistics they were derived from.
 *
 * @param name                   layer name (vertex name in a {@code ComputationGraph})
 * @param index                  layer index in a {@code MultiLayerNetwork}, vertex index in a
 *                               {@code ComputationGraph}
 * @param type                   simple class name of the layer configuration, e.g. {@code DenseLayer}
 * @param measuredAt             name of the layer whose output was measured: the weight layer
 *                               itself or the last BatchNorm/activation/pooling/dropout layer
 *                               folded into it
 * @param width                  number of nodes (units, or channels of a convolution)
 * @param active                 number of active nodes
 * @param meanActivation         per node, the activation averaged over the batch (and positions)
 * @param fractionAboveThreshold per node, the fraction of samples whose activation exceeds the
 *                               threshold; under {@link ActivityRule#RELATIVE}, the fraction of samples
 *                               on which it exceeds the rule's fraction of that sample's layer mean
 */
public record LayerActivity(String name, int index, String type, String measuredAt, int width, int active,
                            double[] meanActivation, double[] fractionAboveThreshold) {

    /** Validates the counts and copies the arrays. */
    public LayerActivity {
        if (width < 1 || active < 0 || active > width) {
            throw new IllegalArgumentException("layer " + name + ": active count " + active
                    + " must lie in [0, width] with width >= 1, got width " + width);
        }
        if (meanActivation.length != width || fractionAboveThreshold.length != width) {
            throw new IllegalArgumentException("layer " + name + ": per-node arrays must have " + width
                    + " entries, got " + meanActivation.length + " and " + fractionAboveThreshold.length);
        }
        meanActivation = meanActivation.clone();
        fractionAboveThreshold = fractionAboveThreshold.clone();
    }

    /** @return a copy of the per-node mean activations */
    @Override
    public double[] meanActivation() {
        return meanActivation.clone();
    }

    /** @return a copy of the per-node fractions of samples above the threshold */
    @Override
    public double[] fractionAboveThreshold() {
        return fractionAboveThreshold.clone();
    }

    /** @return {@code active / width} */
    public double activeFraction() {
        return (double) active / width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerActivity other && name.equals(other.name) && index == other.index
                && type.equals(other.type) && measuredAt.equals(other.measuredAt) && width == other.width
                && active == other.active && Arrays.equals(meanActivation, other.meanActivation)
                && Arrays.equals(fractionAboveThreshold, other.fractionAboveThreshold);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hash(name, index, type, measuredAt, width, active)
                + Arrays.hashCode(meanActivation)) + Arrays.hashCode(fractionAboveThreshold);
    }

    @Override
    public String toString() {
        return "LayerActivity{" + name + " #" + index + " " + type + " measured at " + measuredAt + ", " + active
                + "/" + width + " active}";
    }
}
