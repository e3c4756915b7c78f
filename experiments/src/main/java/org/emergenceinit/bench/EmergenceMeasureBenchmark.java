package org.emergenceinit.bench;

import org.emergenceinit.measure.EmergenceMeasure;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmark of the closed-form emergence measure {@link EmergenceMeasure#emergence(long[], long[])}
 * (docs/METHOD.md section 3: "it must stay fast for 1,000 layers of width 4,096").
 *
 * <p>Shapes: {@code 1000x4096} (the requirement) and {@code 10x256} (a typical MLP, for contrast). Active
 * counts are drawn uniformly from {@code [0, width]} with a fixed seed, once per trial. The benchmarks
 * time {@code E} alone and {@code E} followed by {@code log10 E} (what a probe reports).
 *
 * <p>Run: {@code java -cp "experiments/target/classes:experiments/target/lib/*" org.openjdk.jmh.Main
 * EmergenceMeasureBenchmark} (or {@code experiments/bench.sh}). The defaults below (1 fork, 3 warm-up and
 * 5 measurement iterations of 1 s) are modest so that a run fits a few minutes on 2 cores; JMH's
 * command-line options ({@code -f -wi -i -w -r -p shape=...}) override them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EmergenceMeasureBenchmark {

    /** {@code <layers>x<width>}. */
    @Param({"1000x4096", "10x256"})
    public String shape;

    private long[] widths;
    private long[] active;

    /** Builds the widths and the random active counts (seed 42). */
    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        int layers = Integer.parseInt(parts[0]);
        long width = Long.parseLong(parts[1]);
        widths = new long[layers];
        active = new long[layers];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < layers; i++) {
            widths[i] = width;
            active[i] = random.nextLong(width + 1);
        }
    }

    /** @return {@code E}, exact (returned so that JMH consumes it) */
    @Benchmark
    public BigInteger emergence() {
        return EmergenceMeasure.emergence(widths, active);
    }

    /** @return {@code log10 E} of a freshly computed {@code E} */
    @Benchmark
    public double emergenceAndLog10() {
        return EmergenceMeasure.log10(EmergenceMeasure.emergence(widths, active));
    }
}
