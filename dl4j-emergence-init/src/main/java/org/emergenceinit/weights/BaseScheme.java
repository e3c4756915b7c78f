package org.emergenceinit.weights;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitReluUniform;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.weightinit.WeightInitScheme;
import org.nd4j.weightinit.impl.ReluInitScheme;
import org.nd4j.weightinit.impl.ReluUniformInitScheme;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.nd4j.weightinit.impl.XavierUniformInitScheme;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The standard scheme that the emergence ramp scales: each one delegates to DL4J's stock implementation,
 * with the fan values DL4J passes, so that {@code alpha = 1} reproduces the stock scheme bit for bit.
 *
 * <table>
 *   <caption>Base schemes and their names</caption>
 *   <tr><th>constant</th><th>DL4J</th><th>also known as</th><th>distribution</th><th>std</th></tr>
 *   <tr><td>{@link #XAVIER}</td><td>{@code WeightInit.XAVIER}</td><td>Glorot normal</td>
 *       <td>N(0, std^2)</td><td>sqrt(2 / (fanIn + fanOut))</td></tr>
 *   <tr><td>{@link #XAVIER_UNIFORM}</td><td>{@code WeightInit.XAVIER_UNIFORM}</td><td>Glorot uniform</td>
 *       <td>U(-b, b), b = sqrt(6 / (fanIn + fanOut))</td><td>sqrt(2 / (fanIn + fanOut))</td></tr>
 *   <tr><td>{@link #KAIMING}</td><td>{@code WeightInit.RELU}</td><td>He normal, Kaiming normal (fan_in)</td>
 *       <td>N(0, std^2)</td><td>sqrt(2 / fanIn)</td></tr>
 *   <tr><td>{@link #KAIMING_UNIFORM}</td><td>{@code WeightInit.RELU_UNIFORM}</td><td>He uniform</td>
 *       <td>U(-b, b), b = sqrt(6 / fanIn)</td><td>sqrt(2 / fanIn)</td></tr>
 * </table>
 *
 * <p>Glorot and Bengio, <i>Understanding the difficulty of training deep feedforward neural networks</i>
 * (AISTATS 2010); He, Zhang, Ren and Sun, <i>Delving Deep into Rectifiers</i> (ICCV 2015).
 *
 * <p>DL4J's fan conventions (what {@link IWeightInit#init} receives): dense and output layers
 * {@code fanIn = nIn, fanOut = nOut}; 2D convolution {@code fanIn = inChannels*kH*kW},
 * {@code fanOut = outChannels*kH*kW / (strideH*strideW)}; LSTM {@code fanIn = nOut, fanOut = nIn + nOut}
 * for both the input and the recurrent weights.
 */
public enum BaseScheme {
    /** Glorot/Xavier normal, DL4J {@code WeightInit.XAVIER}. */
    XAVIER(WeightInit.XAVIER, "glorot", "glorot-normal", "xavier-normal"),
    /** Glorot/Xavier uniform, DL4J {@code WeightInit.XAVIER_UNIFORM}. */
    XAVIER_UNIFORM(WeightInit.XAVIER_UNIFORM, "glorot-uniform"),
    /** He/Kaiming normal with fan-in, DL4J {@code WeightInit.RELU}. */
    KAIMING(WeightInit.RELU, "relu", "he", "he-normal", "kaiming-normal"),
    /** He/Kaiming uniform with fan-in, DL4J {@code WeightInit.RELU_UNIFORM}. */
    KAIMING_UNIFORM(WeightInit.RELU_UNIFORM, "relu-uniform", "he-uniform");

    private final WeightInit dl4jName;
    private final String[] aliases;

    BaseScheme(WeightInit dl4jName, String... aliases) {
        this.dl4jName = dl4jName;
        this.aliases = aliases;
    }

    /** The DL4J enum constant of the stock scheme ({@code RELU} for {@link #KAIMING}). */
    public WeightInit dl4jName() {
        return dl4jName;
    }

    /** A new instance of DL4J's stock implementation of this scheme. */
    public IWeightInit stock() {
        switch (this) {
            case XAVIER: return new WeightInitXavier();
            case XAVIER_UNIFORM: return new WeightInitXavierUniform();
            case KAIMING: return new WeightInitRelu();
            default: return new WeightInitReluUniform();
        }
    }

    /** The standard deviation of the weights this scheme draws; the uniform variants have the same std as the normal ones. */
    public double std(double fanIn, double fanOut) {
        return isXavier() ? Math.sqrt(2.0 / (fanIn + fanOut)) : Math.sqrt(2.0 / fanIn);
    }

    /** ND4J's stock scheme for SameDiff variables ({@code sd.var(name, scheme, type, shape)}). */
    public WeightInitScheme sameDiff(char order, double fanIn, double fanOut) {
        switch (this) {
            case XAVIER: return new XavierInitScheme(order, fanIn, fanOut);
            case XAVIER_UNIFORM: return new XavierUniformInitScheme(order, fanIn, fanOut);
            case KAIMING: return new ReluInitScheme(order, fanIn);
            default: return new ReluUniformInitScheme(order, fanIn);
        }
    }

    private boolean isXavier() {
        return this == XAVIER || this == XAVIER_UNIFORM;
    }

    /** The lower-case, dash-separated name used on the command line: {@code xavier}, {@code kaiming-uniform}, ... */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The base scheme of a DL4J stock weight init, if it is one of the four bases.
     *
     * @param init a layer's weight init
     * @return the base, or empty for any other scheme (including {@code null})
     */
    public static Optional<BaseScheme> ofStock(IWeightInit init) {
        if (init == null) {
            return Optional.empty();
        }
        for (BaseScheme b : values()) {
            if (init.getClass() == b.stock().getClass()) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a name case-insensitively, with {@code -} or {@code _}: the constant names, DL4J's names
     * ({@code relu}, {@code relu_uniform}) and the usual aliases ({@code glorot}, {@code he}, ...).
     *
     * @throws IllegalArgumentException naming the accepted names when {@code name} is none of them
     */
    public static BaseScheme parse(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (BaseScheme b : values()) {
                if (b.cliName().equals(key) || Arrays.asList(b.aliases).contains(key)) {
                    return b;
                }
            }
        }
        throw new IllegalArgumentException("Unknown base scheme '" + name + "' for the emergence init: use one of "
                + accepted() + ".");
    }

    static String accepted() {
        return Arrays.stream(values())
                .map(b -> b.name() + " (" + String.join(", ", b.aliases) + ")")
                .collect(Collectors.joining(", "));
    }
}
