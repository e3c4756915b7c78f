package org.emergenceinit.weights;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The emergence ramp over the blocks of a SameDiff model: block {@code b} of {@code B} gets the exponent
 * {@code e_b} of {@link ExponentMode}, and every weight variable of the block (attention Q, K, V, O,
 * cross-attention, feed-forward) is created with {@code alpha^(e_b)} times the base scheme. For a transformer
 * (docs/METHOD.md section 2) the blocks are the encoder blocks, then the decoder blocks, then the output projection;
 * embeddings, positional encodings and LayerNorm parameters stay out of the ramp.
 *
 * <pre>{@code
 * SameDiffRamp ramp = SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 5);   // 2 encoder + 2 decoder blocks + output
 * SDVariable wq = ramp.var(sd, "enc0_Wq", 0, 128, 128, DataType.FLOAT, 128, 128);
 * System.out.println(ramp.plan());
 * }</pre>
 *
 * Not thread-safe: it records the variables it creates.
 */
public final class SameDiffRamp {
    private final BaseScheme base;
    private final double alpha;
    private final ExponentMode mode;
    private final int blockCount;
    private final List<RampPlan.Entry> created = new ArrayList<>();

    private SameDiffRamp(BaseScheme base, double alpha, ExponentMode mode, int blockCount) {
        this.base = Objects.requireNonNull(base, "base");
        this.alpha = EmergenceWeightInit.checkAlpha(alpha);
        this.mode = Objects.requireNonNull(mode, "mode");
        EmergenceWeightInit.checkPosition(0, blockCount);
        this.blockCount = blockCount;
    }

    /** A ramp over {@code blockCount} blocks with centred exponents. */
    public static SameDiffRamp of(BaseScheme base, double alpha, int blockCount) {
        return new SameDiffRamp(base, alpha, ExponentMode.CENTRED, blockCount);
    }

    /** A ramp over {@code blockCount} blocks. */
    public static SameDiffRamp of(BaseScheme base, double alpha, ExponentMode mode, int blockCount) {
        return new SameDiffRamp(base, alpha, mode, blockCount);
    }

    public int getBlockCount() {
        return blockCount;
    }

    /** The exponent of block {@code block}. */
    public double exponent(int block) {
        return mode.exponent(block, blockCount);
    }

    /** The scheme for a weight of block {@code block} ('c' order). */
    public EmergenceInitScheme scheme(int block, double fanIn, double fanOut) {
        return new EmergenceInitScheme(base, alpha, exponent(block), 'c', fanIn, fanOut);
    }

    /** Creates the variable with {@link #scheme} and records it in the {@link #plan()}. */
    public SDVariable var(SameDiff sd, String name, int block, double fanIn, double fanOut, DataType type,
                          long... shape) {
        EmergenceInitScheme s = scheme(block, fanIn, fanOut);
        SDVariable v = sd.var(name, s, type, shape);
        created.add(RampPlan.Entry.ramped(block, name, "SameDiff variable", SDVariable.class, fanIn, fanOut, base,
                alpha, s.getExponent()));
        return v;
    }

    /**
     * The variables created so far, with their block, fans, exponent and scale; its {@link RampPlan#blockCount()}
     * is this ramp's block count.
     */
    public RampPlan plan() {
        return new RampPlan(RampPlan.Target.SAMEDIFF, created, List.of(), blockCount);
    }
}
