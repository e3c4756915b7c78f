package org.emergenceinit.weights;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * Emergence-promoting initialization: a standard scheme whose weights are scaled by a power of
 * {@code alpha} that grows with depth.
 *
 * <p>From Li, George and Silva, <i>Advancing Neural Network Performance through Emergence-Promoting
 * Initialization Scheme</i>, arXiv:2407.19044 (2024), also published as <i>Layer-Scaled Weight
 * Initialization for Efficient Deep Neural Network Optimization</i> (LPVS). The weights of weight layer
 * {@code k} of the {@code L} layers in the ramp are
 *
 * <pre>
 *   W_k = alpha^(e_k) * base(W_k),      e_k = k - (L - 1) / 2,   k = 0 .. L-1
 * </pre>
 *
 * so that their standard deviation is {@code alpha^(e_k) * std_base(fanIn, fanOut)} (the weights are
 * scaled, not the variance). Biases, BatchNorm/LayerNorm parameters and embeddings are not scaled. For
 * {@code L = 2n+1} this is the paper's {@code W_-n / alpha^n, ..., W_0, ..., W_n * alpha^n}; see
 * {@link ExponentMode} for even {@code L}. With {@code alpha = 1} the arrays equal the base scheme's bit for
 * bit. In a ReLU network with zero biases and no normalisation the output at initialization is unchanged
 * (the scales multiply to 1); only the hidden activation magnitudes change.
 *
 * <p>Also known as: LPVS, layer-scaled initialization. An instance must be <em>bound</em> to its layer
 * position (index and count) before {@code net.init()}; {@link EmergenceRamp} does that for a whole
 * configuration.
 *
 * <p>Arguments:
 * <ul>
 *   <li>{@code base}: the scheme that is scaled, one of {@link BaseScheme} (Xavier/Glorot, Kaiming/He,
 *       normal or uniform).</li>
 *   <li>{@code alpha}: the ratio between the weight scales of neighbouring layers; finite and {@code > 0}.
 *       Sensible values: 1.05 to 1.2 without BatchNorm, 1.2 to 2 with BatchNorm.</li>
 *   <li>{@code mode}: how exponents are assigned, {@link ExponentMode#CENTRED} by default.</li>
 *   <li>{@code layerIndex}, {@code layerCount}: the layer's position {@code k} in the ramp and {@code L};
 *       both absent while unbound.</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42)
 *         .weightInit(EmergenceWeightInit.xavier(1.2)).list() ... .build();
 * EmergenceRamp.bind(conf);   // gives every layer its position
 * }</pre>
 *
 * <p>The class name is stored in saved models: it is public API and must not move.
 */
public final class EmergenceWeightInit implements IWeightInit {
    private static final long serialVersionUID = 1L;

    private final BaseScheme base;
    private final double alpha;
    private final ExponentMode mode;
    private final Integer layerIndex;
    private final Integer layerCount;

    /**
     * The full constructor, also used by JSON deserialization (names given as strings so that an unknown
     * name fails with a message that lists the accepted ones).
     *
     * @throws IllegalArgumentException for an unknown base or mode, {@code alpha} not finite and {@code > 0},
     *         only one of index and count given, a count below 1 or an index outside {@code [0, count)}
     */
    @JsonCreator
    public EmergenceWeightInit(@JsonProperty("base") String base, @JsonProperty("alpha") double alpha,
                               @JsonProperty("mode") String mode, @JsonProperty("layerIndex") Integer layerIndex,
                               @JsonProperty("layerCount") Integer layerCount) {
        this(BaseScheme.parse(base), alpha, mode == null ? ExponentMode.CENTRED : ExponentMode.parse(mode),
                layerIndex, layerCount);
    }

    private EmergenceWeightInit(BaseScheme base, double alpha, ExponentMode mode, Integer layerIndex,
                                Integer layerCount) {
        this.base = Objects.requireNonNull(base, "base scheme");
        this.alpha = checkAlpha(alpha);
        this.mode = Objects.requireNonNull(mode, "exponent mode");
        if ((layerIndex == null) != (layerCount == null)) {
            throw new IllegalArgumentException("EmergenceWeightInit needs both layerIndex and layerCount, or neither"
                    + " (unbound); got layerIndex=" + layerIndex + ", layerCount=" + layerCount + ".");
        }
        if (layerIndex != null) {
            checkPosition(layerIndex, layerCount);
        }
        this.layerIndex = layerIndex;
        this.layerCount = layerCount;
    }

    /** An unbound scheme with the centred exponents; bind it with {@link #bind} or {@link EmergenceRamp}. */
    public static EmergenceWeightInit of(BaseScheme base, double alpha) {
        return of(base, alpha, ExponentMode.CENTRED);
    }

    /** An unbound scheme. */
    public static EmergenceWeightInit of(BaseScheme base, double alpha, ExponentMode mode) {
        return new EmergenceWeightInit(base, alpha, mode, null, null);
    }

    /** Unbound, base {@link BaseScheme#XAVIER}. */
    public static EmergenceWeightInit xavier(double alpha) {
        return of(BaseScheme.XAVIER, alpha);
    }

    /** Unbound, base {@link BaseScheme#XAVIER_UNIFORM}. */
    public static EmergenceWeightInit xavierUniform(double alpha) {
        return of(BaseScheme.XAVIER_UNIFORM, alpha);
    }

    /** Unbound, base {@link BaseScheme#KAIMING} (DL4J {@code RELU}). */
    public static EmergenceWeightInit kaiming(double alpha) {
        return of(BaseScheme.KAIMING, alpha);
    }

    /** Unbound, base {@link BaseScheme#KAIMING_UNIFORM} (DL4J {@code RELU_UNIFORM}). */
    public static EmergenceWeightInit kaimingUniform(double alpha) {
        return of(BaseScheme.KAIMING_UNIFORM, alpha);
    }

    /**
     * A copy bound to position {@code layerIndex} of {@code layerCount} ramp layers.
     *
     * @throws IllegalArgumentException when {@code layerCount < 1} or the index is outside {@code [0, layerCount)}
     */
    public EmergenceWeightInit bind(int layerIndex, int layerCount) {
        return new EmergenceWeightInit(base, alpha, mode, layerIndex, layerCount);
    }

    /** A copy with another base scheme and the same alpha, mode and position. */
    public EmergenceWeightInit withBase(BaseScheme newBase) {
        return new EmergenceWeightInit(newBase, alpha, mode, layerIndex, layerCount);
    }

    public BaseScheme getBase() {
        return base;
    }

    public double getAlpha() {
        return alpha;
    }

    public ExponentMode getMode() {
        return mode;
    }

    /** The position {@code k} in the ramp, or {@code null} while unbound. */
    public Integer getLayerIndex() {
        return layerIndex;
    }

    /** The number {@code L} of layers in the ramp, or {@code null} while unbound. */
    public Integer getLayerCount() {
        return layerCount;
    }

    /** Whether the instance knows its layer position. */
    @JsonIgnore
    public boolean isBound() {
        return layerIndex != null;
    }

    /** The exponent {@code e_k}. @throws IllegalStateException while unbound */
    public double exponent() {
        requireBound();
        return mode.exponent(layerIndex, layerCount);
    }

    /** The factor {@code alpha^(e_k)} applied to the base scheme's weights. @throws IllegalStateException while unbound */
    public double scale() {
        return Math.pow(alpha, exponent());
    }

    /**
     * Fills {@code paramView} with the base scheme's draw (same random stream as DL4J's stock scheme) times
     * {@link #scale()}, in place.
     *
     * @throws IllegalStateException when the instance is not bound to a layer position
     */
    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double s = scale();
        base.stock().init(fanIn, fanOut, shape, order, paramView);
        if (s != 1.0) {
            paramView.muli(s);
        }
        return paramView.reshape(order, shape);
    }

    private void requireBound() {
        if (!isBound()) {
            throw new IllegalStateException(this + " is not bound to a layer position, so its exponent is unknown."
                    + " Bind the configuration before net.init(): EmergenceRamp.bind(conf) binds the emergence inits"
                    + " already set on layers, EmergenceRamp.of(" + base + ", " + alpha + ").apply(conf) sets and"
                    + " binds them on every weight layer; or set a bound instance per layer with .bind(index, count).");
        }
    }

    static double checkAlpha(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0 (alpha = 1 gives the base scheme"
                    + " unchanged; 1.05 to 1.2 is usual without BatchNorm, 1.2 to 2 with it), got " + alpha + ".");
        }
        return alpha;
    }

    static void checkPosition(int layerIndex, int layerCount) {
        if (layerCount < 1) {
            throw new IllegalArgumentException("The emergence ramp needs a layer count of at least 1, got "
                    + layerCount + ": it counts the weight layers in the ramp, output layer included.");
        }
        if (layerIndex < 0 || layerIndex >= layerCount) {
            throw new IllegalArgumentException("Layer index " + layerIndex + " is outside the ramp of " + layerCount
                    + " layers: it must be in [0, " + (layerCount - 1) + "], counted from the input.");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EmergenceWeightInit)) {
            return false;
        }
        EmergenceWeightInit that = (EmergenceWeightInit) o;
        return Double.compare(alpha, that.alpha) == 0 && base == that.base && mode == that.mode
                && Objects.equals(layerIndex, that.layerIndex) && Objects.equals(layerCount, that.layerCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, alpha, mode, layerIndex, layerCount);
    }

    @Override
    public String toString() {
        return "EmergenceWeightInit(base=" + base + ", alpha=" + alpha + ", mode=" + mode + ", layerIndex="
                + layerIndex + ", layerCount=" + layerCount + ")";
    }
}
