package org.emergenceinit.nmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sweep preset {@value #PRESET}: {@link TranslationExample} for {@code xavier} and {@code emergence-xavier}
 * (same {@code --alpha}) over several seeds, each run in {@code OUT/<init>-s<seed>/} with its manifest, and a
 * summary {@code OUT/summary.csv} (init, alpha, seed, final loss, final validation BLEU, test BLEU, training
 * seconds) plus the mean and standard deviation of test BLEU per init on standard output.
 *
 * <pre>
 * java ... org.emergenceinit.nmt.TranslationSweep --seeds 1,2,3 --out runs/multi30k-transformer \
 *     --data-dir ../shared/datasets --epochs 10 --alpha 1.2
 * </pre>
 * Options: {@code --seeds LIST} [1,2,3], {@code --inits LIST} [xavier,emergence-xavier], {@code --out DIR}
 * [{@code runs/multi30k-transformer}]; every other option is passed to each {@link TranslationExample} run.
 */
public final class TranslationSweep {

    /** The preset's name. */
    public static final String PRESET = "multi30k-transformer";

    /**
     * One run of the sweep.
     *
     * @param init   the init name
     * @param seed   the seed
     * @param result what the run produced
     */
    public record Run(String init, long seed, TranslationExample.Result result) {
    }

    private TranslationSweep() {
    }

    public static void main(String[] args) throws IOException {
        try {
            runSweep(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TranslationSweep: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the sweep; see the class documentation. */
    public static List<Run> runSweep(String... args) throws IOException {
        List<Long> seeds = List.of(1L, 2L, 3L);
        List<String> inits = List.of("xavier", "emergence-xavier");
        Path out = Paths.get("runs", PRESET);
        List<String> passOn = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Arrays.stream(value(args, ++i).split(",")).map(s -> {
                    try {
                        return Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seeds: '" + s + "' is not a number.");
                    }
                }).toList();
                case "--inits" -> inits = List.of(value(args, ++i).split(","));
                case "--out" -> out = Paths.get(value(args, ++i));
                case "--seed", "--init" -> throw new IllegalArgumentException(args[i]
                        + " is set by the sweep; use --seeds and --inits.");
                default -> passOn.add(args[i]);
            }
        }
        List<Run> runs = new ArrayList<>();
        List<String> csv = new ArrayList<>(List.of("init,alpha,seed,final_loss,final_val_bleu,test_bleu,train_seconds"));
        for (String init : inits) {
            for (long seed : seeds) {
                List<String> a = new ArrayList<>(passOn);
                a.addAll(List.of("--init", init.trim(), "--seed", Long.toString(seed), "--out",
                        out.resolve(init.trim() + "-s" + seed).toString()));
                System.out.println("== " + PRESET + ": " + init.trim() + ", seed " + seed);
                TranslationExample.Result r = TranslationExample.runExample(a.toArray(String[]::new));
                runs.add(new Run(init.trim(), seed, r));
                double alpha = r.plan().entries().isEmpty() ? 1.0 : r.plan().entries().get(0).alpha();
                csv.add(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.2f,%.2f,%.1f", init.trim(), alpha, seed,
                        last(r.lossPerEpoch()), last(r.valBleuPerEpoch()), r.testBleu().score(), r.trainSeconds()));
            }
        }
        Files.createDirectories(out);
        Files.write(out.resolve("summary.csv"), csv, StandardCharsets.UTF_8);
        System.out.println("== " + PRESET + " summary (test_2016_flickr BLEU, " + Bleu.SIGNATURE_LOWERCASE + ")");
        for (String init : inits) {
            double[] bleu = runs.stream().filter(r -> r.init().equals(init.trim()))
                    .mapToDouble(r -> r.result().testBleu().score()).toArray();
            double mean = Arrays.stream(bleu).average().orElse(Double.NaN);
            double sd = Math.sqrt(Arrays.stream(bleu).map(b -> (b - mean) * (b - mean)).sum() / Math.max(1, bleu.length - 1));
            System.out.printf(Locale.ROOT, "%-18s BLEU %.2f +- %.2f over seeds %s: %s%n", init.trim(), mean, sd,
                    seeds, Arrays.stream(bleu).mapToObj(b -> String.format(Locale.ROOT, "%.2f", b))
                            .collect(Collectors.joining(", ")));
        }
        return runs;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("Option " + args[i - 1] + " needs a value.");
        }
        return args[i];
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }
}
