package org.emergenceinit.nmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import org.emergenceinit.harness.RunIdentity;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.Spread;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sweep preset {@value #PRESET}: {@link TranslationExample} for {@code xavier} and {@code emergence-xavier}
 * (same {@code --alpha}) over several seeds, each run in {@code OUT/<init>-s<seed>/} with its manifest, and a
 * summary {@code OUT/summary.csv} (init, alpha, seed, final loss, final validation BLEU, test BLEU, training
 * seconds) plus the mean and standard deviation of test BLEU per init on standard output, and each init's difference
 * to the first with Welch's t. Also run by
 * {@code bin/emergence sweep --preset multi30k-transformer}.
 *
 * <p>Resumable: a run whose folder already holds a finished manifest with the same options (all but {@code --out}
 * and {@code --data-dir}) is not run again; its recorded numbers are used. A finished run with other options in the
 * folder is an error (use another {@code --out}), so nothing is overwritten.
 *
 * <pre>
 * bin/emergence sweep --preset multi30k-transformer --seeds 3 --out runs/multi30k-transformer \
 *     --data-dir ../shared/datasets --epochs 10 --translate-options "--alpha 1.2"
 * </pre>
 * From code: {@link #run} with the inits [xavier, emergence-xavier], the seeds [1, 2, 3], the folder and a
 * {@link TranslationSpec} holding every other option of the runs.
 */
public final class TranslationSweep {

    /** The preset's name. */
    public static final String PRESET = "multi30k-transformer";

    /**
     * One run of the sweep.
     *
     * @param init         the init name
     * @param alpha        the ramp ratio (1 for xavier)
     * @param seed         the seed
     * @param finalLoss    mean training loss of the last epoch
     * @param finalValBleu validation BLEU after the last epoch
     * @param testBleu     test_2016_flickr BLEU
     * @param trainSeconds training time
     * @param resumed      whether the numbers were read from an earlier run's manifest
     */
    public record Run(String init, double alpha, long seed, double finalLoss, double finalValBleu, double testBleu,
                      double trainSeconds, boolean resumed) {
    }

    /** Options that do not change a run's result, ignored when deciding whether a finished run can be reused. */
    private static final List<String> SETTING_FREE = List.of("--out", "--data-dir");

    /** The default inits. */
    public static final List<String> DEFAULT_INITS = List.of("xavier", "emergence-xavier");
    /** The default seeds. */
    public static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);
    /** The default sweep folder. */
    public static final Path DEFAULT_OUT = Paths.get("runs", PRESET);

    private TranslationSweep() {
    }

    /**
     * Runs the sweep: {@code base} with each init and seed, each in {@code out/<init>-s<seed>/}, printing progress
     * and the summary to {@code print}; see the class documentation.
     *
     * @param inits the inits, e.g. {@link #DEFAULT_INITS}
     * @param seeds the seeds
     * @param out   the sweep folder
     * @param base  every other option of the runs (its init, seed and out are replaced)
     * @param print where progress and the summary go
     */
    public static List<Run> run(List<String> inits, List<Long> seeds, Path out, TranslationSpec base,
                                PrintStream print) throws IOException {
        inits = inits.stream().map(String::trim).toList();
        List<Run> runs = new ArrayList<>();
        List<String> csv = new ArrayList<>(
                List.of("init,alpha,seed,final_loss,final_val_bleu,test_bleu,train_seconds"));
        int total = inits.size() * seeds.size();
        for (String init : inits) {
            for (long seed : seeds) {
                TranslationSpec o = base.toBuilder().init(init).seed(seed).out(out.resolve(init + "-s" + seed))
                        .build();
                Run run = recorded(o);
                print.printf(Locale.ROOT, "== %s [%d/%d]: %s, seed %d%s%n", PRESET, runs.size() + 1, total, init, seed,
                        run != null ? ": finished before, read from " + o.out().resolve("manifest.json") : "");
                if (run == null) {
                    TranslationExample.Result r = TranslationExample.run(o);
                    Checkpoint.delete(o.out()); // the run's folder keeps its results, not its model and Adam state
                    double alpha = r.plan().entries().isEmpty() ? 1.0 : r.plan().entries().get(0).alpha();
                    run = new Run(init, alpha, seed, last(r.lossPerEpoch()), last(r.valBleuPerEpoch()),
                            r.testBleu().score(), r.trainSeconds(), false);
                }
                runs.add(run);
                csv.add(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.2f,%.2f,%.1f", init, run.alpha(), seed,
                        run.finalLoss(), run.finalValBleu(), run.testBleu(), run.trainSeconds()));
            }
        }
        Files.createDirectories(out);
        Files.write(out.resolve("summary.csv"), csv, StandardCharsets.UTF_8);
        print.println("== " + PRESET + " summary (test_2016_flickr BLEU, " + Bleu.SIGNATURE_LOWERCASE + ")");
        Spread first = null;
        for (String init : inits) {
            double[] bleu = runs.stream().filter(r -> r.init().equals(init)).mapToDouble(Run::testBleu).toArray();
            Spread spread = Spread.of(bleu);
            String versus = "";
            if (first == null) {
                first = spread;
            } else {
                Spread.Welch w = spread.welch(first);
                versus = String.format(Locale.ROOT, "; vs %s: %+.2f (Welch t %.2f, df %.1f)", inits.get(0), w.diff(),
                        w.t(), w.df());
            }
            print.printf(Locale.ROOT, "%-18s BLEU %.2f +- %.2f over seeds %s: %s%s%n", init, spread.mean(), spread.sd(),
                    seeds, Arrays.stream(bleu).mapToObj(b -> String.format(Locale.ROOT, "%.2f", b))
                            .collect(Collectors.joining(", ")), versus);
        }
        print.println("summary: " + out.resolve("summary.csv"));
        return runs;
    }

    /**
     * The run recorded in {@code o.out()/manifest.json} when it finished with {@code o}'s settings; {@code null} when
     * there is none.
     *
     * @throws IllegalArgumentException when the folder holds a finished run with other settings, or an unreadable
     *                                  manifest
     */
    static Run recorded(TranslationSpec o) throws IOException {
        Path file = o.out().resolve(RunManifest.FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        RunManifest.Recorded m;
        try {
            m = RunManifest.Recorded.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a readable manifest (" + e.getMessage().lines()
                    .findFirst().orElse("") + "): move it away to run this setting again.");
        }
        JsonNode result = m.result();
        if (!RunManifest.TRANSLATE.equals(m.kind()) || !result.path("testBleu").isNumber()) {
            return null;
        }
        JsonNode recordedOptions = m.options();
        if (!recordedOptions.isObject()) {
            throw new IllegalArgumentException(o.out() + " holds a finished run without recorded options (an older"
                    + " version): use another --out, or move that folder away.");
        }
        Map<String, Object> recorded = new ObjectMapper().convertValue(recordedOptions,
                new TypeReference<LinkedHashMap<String, Object>>() { });
        List<String> differ = RunIdentity.of(o.asMap()).differences(recorded, SETTING_FREE,
                (name, there, now) -> name + " " + there + ", not " + now);
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(o.out() + " holds a finished run with other settings ("
                    + String.join("; ", differ) + "): use another --out, or move that folder away.");
        }
        List<Double> loss = new ArrayList<>();
        result.path("lossPerEpoch").forEach(v -> loss.add(v.asDouble()));
        List<Double> val = new ArrayList<>();
        result.path("valBleuPerEpoch").forEach(v -> val.add(v.asDouble()));
        return new Run(o.init(), m.json().path("alpha").asDouble(), o.seed(), last(loss), last(val),
                result.path("testBleu").asDouble(), result.path("trainSeconds").asDouble(), true);
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }
}
