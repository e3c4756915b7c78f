package org.emergenceinit.harness;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Locale;
import java.util.Objects;

/**
 * Linear learning-rate warm-up: {@code value * (i + 1) / iterations} at iteration {@code i < iterations - 1}, then
 * {@code value} (as ND4J's {@code RampSchedule} over a fixed rate, which cannot be read back from configuration
 * JSON; this one can). The warm-up baseline of {@link InitSpec} ({@code +warmup}) uses one epoch's iterations.
 *
 * <pre>{@code
 * new Nesterovs(new WarmupSchedule(0.01, 469), 0.9)   // MNIST, batch 128: warm up over epoch 1
 * }</pre>
 */
public final class WarmupSchedule implements ISchedule {

    private final double value;
    private final int iterations;

    /**
     * @param value      the rate reached, above 0
     * @param iterations the iterations of the ramp, at least 1
     * @throws IllegalArgumentException for a bad value or count
     */
    public WarmupSchedule(@JsonProperty("value") double value, @JsonProperty("iterations") int iterations) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Warm-up learning rate must be a finite number > 0, got " + value + ".");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("Warm-up iterations must be at least 1, got " + iterations + ".");
        }
        this.value = value;
        this.iterations = iterations;
    }

    /** The rate reached at the end of the ramp. */
    @JsonProperty("value")
    public double value() {
        return value;
    }

    /** The iterations of the ramp. */
    @JsonProperty("iterations")
    public int iterations() {
        return iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return iteration >= iterations - 1 ? value : value * (iteration + 1) / iterations;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(value, iterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupSchedule w && w.value == value && w.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, iterations);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "WarmupSchedule(value %s over %d iterations)", value, iterations);
    }
}
