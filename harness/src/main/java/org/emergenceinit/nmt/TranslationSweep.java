package org.emergenceinit.nmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import org.emergenceinit.harness.RunIdentity;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.Spread;
import org.emergenceinit.harness.sweep.CsvTable;
import org.emergenceinit.harness.sweep.SweepEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
     * What the checkpoint of a run still training records: its init, alpha (1 for a stock init) and the training
     * loss and validation BLEU of each epoch done so far.
     */
    public record Progress(String init, double alpha, List<Double> losses, List<Double> valBleu) {
    }

    /** The progress of the run in {@code runFolder} from its checkpoint; empty when it has none. */
    public static Optional<Progress> progress(Path runFolder) throws IOException {
        return Optional.ofNullable(Checkpoint.progress(runFolder));
    }

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

    /** The summary's columns. */
    static final List<String> SUMMARY_COLUMNS = List.of("init", "alpha", "seed", "final_loss", "final_val_bleu",
            "test_bleu", "train_seconds");

    /** The summary file of a sweep folder. */
    public static final String SUMMARY = "summary.csv";

    /** The sweep's {@value #SUMMARY} as a results table: one row per run, numbers rounded as printed. */
    static CsvTable<Run> summary(Path out) {
        return new CsvTable<>(out.resolve(SUMMARY), SUMMARY_COLUMNS, new CsvTable.Codec<>() {
            @Override
            public String[] cells(Run r) {
                return new String[] {r.init(), String.valueOf(r.alpha()), Long.toString(r.seed()),
                        String.format(Locale.ROOT, "%.4f", r.finalLoss()),
                        String.format(Locale.ROOT, "%.2f", r.finalValBleu()),
                        String.format(Locale.ROOT, "%.2f", r.testBleu()),
                        String.format(Locale.ROOT, "%.1f", r.trainSeconds())};
            }

            @Override
            public Run row(String[] c) {
                return new Run(c[0], Double.parseDouble(c[1]), Long.parseLong(c[2]), Double.parseDouble(c[3]),
                        Double.parseDouble(c[4]), Double.parseDouble(c[5]), Double.parseDouble(c[6]), true);
            }
        }, r -> r.init() + "-s" + r.seed());
    }

    /**
     * Runs the sweep through the {@link SweepEngine}: {@code base} with each init and seed, each in
     * {@code out/<init>-s<seed>/}, one at a time, printing progress and the summary to {@code print}; see the class
     * documentation. A run that fails leaves its stack trace in its folder ({@value SweepEngine#ERROR_FILE}) and is
     * named in the outcome; the others go on, and the next resume retries it.
     *
     * @param inits the inits, e.g. {@link #DEFAULT_INITS}
     * @param seeds the seeds
     * @param out   the sweep folder
     * @param base  every other option of the runs (its init, seed and out are replaced)
     * @param print where progress and the summary go
     * @return the runs' rows in order (resumed ones read from their manifests) and the failed runs
     * @throws IllegalArgumentException when a run's folder holds a finished run with other settings
     * @throws IOException              if the data cannot be read (before anything runs) or a file not written
     */
    public static SweepEngine.Outcome<Run> run(List<String> inits, List<Long> seeds, Path out, TranslationSpec base,
                                               PrintStream print) throws Exception {
        return run(inits, seeds, out, base, 1, print);
    }

    /**
     * As {@link #run(List, List, Path, TranslationSpec, PrintStream)}, training {@code jobs} runs at once, each in a
     * thread of this process (one OpenMP thread each is what {@code bin/emergence} sets). A run's numbers do not
     * depend on {@code jobs}: each thread seeds its own generator and builds its own graph. With more than one job,
     * every line a run prints starts with {@code [init-sSEED]}.
     *
     * @param jobs runs trained at once, at least 1
     */
    public static SweepEngine.Outcome<Run> run(List<String> inits, List<Long> seeds, Path out, TranslationSpec base,
                                               int jobs, PrintStream print) throws Exception {
        List<String> names = inits.stream().map(String::trim).toList();
        List<TranslationSpec> specs = new ArrayList<>();
        // seeds outermost, as in a grid: a sweep stopped part-way has every init at its first seeds, in pairs
        for (long seed : seeds) {
            for (String init : names) {
                specs.add(base.toBuilder().init(init).seed(seed).out(out.resolve(init + "-s" + seed)).build());
            }
        }
        boolean toRun = false;
        for (TranslationSpec o : specs) {
            toRun |= recorded(o) == null;
        }
        Multi30k data = toRun ? Multi30k.load(base.dataDir()) : null; // read once, and before anything runs
        List<SweepEngine.Run<Run>> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            TranslationSpec o = specs.get(i);
            String label = String.format(Locale.ROOT, "== %s [%d/%d]: %s, seed %d", PRESET, i + 1, specs.size(),
                    o.init(), o.seed());
            runs.add(new SweepEngine.Run<>() {
                @Override
                public String name() {
                    return o.init() + "-s" + o.seed();
                }

                @Override
                public Path folder() {
                    return o.out();
                }

                @Override
                public Optional<List<Run>> finished(List<Run> recorded) throws IOException {
                    Run done = recorded(o);
                    if (done != null) {
                        print.println(label + ": finished before, read from " + o.out().resolve(RunManifest.FILE));
                    }
                    return done == null ? Optional.empty() : Optional.of(List.of(done));
                }

                @Override
                public List<Run> run() throws IOException {
                    print.println(label);
                    PrintStream runPrint = jobs > 1 ? prefixed(print, "[" + name() + "] ") : print;
                    TranslationExample.Result r = TranslationExample.run(o, data, runPrint);
                    runPrint.flush();
                    Checkpoint.delete(o.out()); // the run's folder keeps its results, not its model and Adam state
                    double alpha = r.plan().entries().isEmpty() ? 1.0 : r.plan().entries().get(0).alpha();
                    return List.of(new Run(o.init(), alpha, o.seed(), last(r.lossPerEpoch()),
                            last(r.valBleuPerEpoch()), r.testBleu().score(), r.trainSeconds(), false));
                }
            });
        }
        Files.createDirectories(out);
        SweepEngine.Outcome<Run> outcome = SweepEngine.of(summary(out)).jobs(jobs).listener(new SweepEngine.Listener<>() {
            @Override
            public void failed(SweepEngine.Run<Run> run, Throwable error, Path errorFile, SweepEngine.Progress p) {
                print.printf(Locale.ROOT, "== %s: %s FAILED: %s (stack trace in %s)%n", PRESET, run.name(), error,
                        errorFile);
            }
        }).run(runs);
        List<Run> done = outcome.rows();
        print.println("== " + PRESET + " summary (test_2016_flickr BLEU, " + Bleu.SIGNATURE_LOWERCASE + ")");
        Spread first = null;
        for (String init : names) {
            double[] bleu = done.stream().filter(r -> r.init().equals(init)).mapToDouble(Run::testBleu).toArray();
            Spread spread = Spread.of(bleu);
            String versus = "";
            if (first == null) {
                first = spread;
            } else {
                Spread.Welch w = spread.welch(first);
                versus = String.format(Locale.ROOT, "; vs %s: %+.2f (Welch t %.2f, df %.1f)", names.get(0), w.diff(),
                        w.t(), w.df());
            }
            print.printf(Locale.ROOT, "%-18s BLEU %.2f +- %.2f over seeds %s: %s%s%n", init, spread.mean(), spread.sd(),
                    seeds, Arrays.stream(bleu).mapToObj(b -> String.format(Locale.ROOT, "%.2f", b))
                            .collect(Collectors.joining(", ")), versus);
        }
        print.println("summary: " + out.resolve(SUMMARY));
        if (!outcome.failed().isEmpty()) {
            print.printf(Locale.ROOT, "== %s: %d of %d runs FAILED (each folder's %s says why): %s; run the same"
                    + " command again to retry them%n", PRESET, outcome.failed().size(), specs.size(),
                    SweepEngine.ERROR_FILE, String.join(", ", outcome.failed()));
        }
        return outcome;
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

    /**
     * A stream that writes whole lines to {@code target}, each starting with {@code prefix}, so that runs printing
     * side by side stay readable.
     */
    static PrintStream prefixed(PrintStream target, String prefix) {
        return new PrintStream(new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    flushLine();
                } else {
                    line.write(b);
                }
            }

            @Override
            public void flush() {
                if (line.size() > 0) {
                    flushLine();
                }
            }

            private void flushLine() {
                String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                line.reset();
                synchronized (target) {
                    target.println(prefix + text);
                }
            }
        }, false, java.nio.charset.StandardCharsets.UTF_8);
    }
}
