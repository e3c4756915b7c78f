package org.emergenceinit.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmarks (also what {@code experiments/bench.sh} runs).
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.bench.Benchmarks measure [JMH options]
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.bench.Benchmarks listener [options]
 * </pre>
 *
 * <ul>
 *   <li>{@code measure}: the JMH benchmark {@link EmergenceMeasureBenchmark} (same as
 *       {@code org.openjdk.jmh.Main EmergenceMeasureBenchmark [JMH options]}).</li>
 *   <li>{@code listener}: {@link ListenerOverheadBenchmark}, epochs of the MNIST MLP with and without an
 *       {@code EmergenceListener}.</li>
 *   <li>{@code images}: {@link ImagePipelineBenchmark}, the {@code images:DIR} pipeline versus the IDX reader
 *       and an MLP epoch.</li>
 * </ul>
 *
 * Benchmarks are never run by {@code mvn verify}.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /**
     * @param args {@code measure}, {@code listener} or {@code images}, then that benchmark's options
     * @throws Exception from the benchmark
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "measure" -> {
                String[] jmh = new String[rest.length + 1];
                jmh[0] = EmergenceMeasureBenchmark.class.getSimpleName();
                System.arraycopy(rest, 0, jmh, 1, rest.length);
                org.openjdk.jmh.Main.main(jmh);
            }
            case "listener" -> ListenerOverheadBenchmark.main(rest);
            case "images" -> ImagePipelineBenchmark.main(rest);
            default -> {
                System.err.println("usage: Benchmarks measure [JMH options, e.g. -wi 3 -i 5 -f 1 -rf json -rff out.json]\n"
                        + "       Benchmarks listener [--data-dir DIR] [--blocks 3] [--warmup-epochs 2] [--probe 1000]"
                        + " [--batch 128] [--seed 42] [--max-batches 0] [--out DIR]\n"
                        + "       Benchmarks images [--repeats 3]");
                System.exit(command.isEmpty() || command.equals("-h") || command.equals("--help") ? 0 : 2);
            }
        }
    }
}
