package org.emergenceinit.weights;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.weightinit.BaseWeightInitScheme;
import org.nd4j.weightinit.WeightInit;

import java.util.Objects;

/**
 * The emergence ramp for a SameDiff variable: ND4J's stock base scheme ({@code XavierInitScheme},
 * {@code ReluInitScheme}, ...) times {@code alpha^(e)}, where {@code e} is the exponent of the variable's ramp
 * position. Usually made by {@link SameDiffRamp}, which assigns positions to blocks.
 *
 * <pre>{@code
 * SDVariable w = sd.var("enc0_ff1", new EmergenceInitScheme(BaseScheme.XAVIER, 1.2, -1.5, 'c', 256, 1024),
 *         DataType.FLOAT, 256, 1024);
 * }</pre>
 *
 * With {@code alpha = 1} (or {@code exponent = 0}) the array equals the base scheme's bit for bit. SameDiff does not
 * save the scheme (it stores arrays): record the ramp plan with the model.
 */
public final class EmergenceInitScheme extends BaseWeightInitScheme {
    private final BaseScheme base;
    private final double alpha;
    private final double exponent;
    private final double fanIn;
    private final double fanOut;

    /**
     * @param base     the base scheme
     * @param alpha    the ratio between neighbouring ramp positions, finite and {@code > 0}
     * @param exponent the exponent {@code e} of this variable's position (see {@link ExponentMode})
     * @param order    array order, {@code 'c'} or {@code 'f'}
     * @param fanIn    fan-in of the base scheme
     * @param fanOut   fan-out of the base scheme (unused by the Kaiming bases)
     */
    public EmergenceInitScheme(BaseScheme base, double alpha, double exponent, char order, double fanIn,
                               double fanOut) {
        super(order);
        this.base = Objects.requireNonNull(base, "base");
        this.alpha = EmergenceWeightInit.checkAlpha(alpha);
        if (!Double.isFinite(exponent)) {
            throw new IllegalArgumentException("The exponent must be finite, got " + exponent + ".");
        }
        if (!(fanIn > 0) || !(fanOut > 0) || Double.isInfinite(fanIn) || Double.isInfinite(fanOut)) {
            throw new IllegalArgumentException("fanIn and fanOut must be finite and > 0, got fanIn=" + fanIn
                    + ", fanOut=" + fanOut + ".");
        }
        this.exponent = exponent;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
    }

    /** {@code alpha^exponent}. */
    public double scale() {
        return Math.pow(alpha, exponent);
    }

    public BaseScheme getBase() {
        return base;
    }

    public double getAlpha() {
        return alpha;
    }

    public double getExponent() {
        return exponent;
    }

    public double getFanIn() {
        return fanIn;
    }

    public double getFanOut() {
        return fanOut;
    }

    @Override
    public INDArray doCreate(DataType dataType, long[] shape, INDArray paramsView) {
        INDArray arr = base.sameDiff(order(), fanIn, fanOut).create(dataType, shape);
        double s = scale();
        return s == 1.0 ? arr : arr.muli(s);
    }

    /** The ND4J type of the base scheme. */
    @Override
    public WeightInit type() {
        return WeightInit.valueOf(base.dl4jName().name());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EmergenceInitScheme)) {
            return false;
        }
        EmergenceInitScheme that = (EmergenceInitScheme) o;
        return base == that.base && Double.compare(alpha, that.alpha) == 0
                && Double.compare(exponent, that.exponent) == 0 && Double.compare(fanIn, that.fanIn) == 0
                && Double.compare(fanOut, that.fanOut) == 0 && order() == that.order();
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, alpha, exponent, fanIn, fanOut, order());
    }

    @Override
    public String toString() {
        return "EmergenceInitScheme(base=" + base + ", alpha=" + alpha + ", exponent=" + exponent + ", scale="
                + scale() + ", order=" + order() + ", fanIn=" + fanIn + ", fanOut=" + fanOut + ")";
    }
}
