package org.emergenceinit.cli.options;

import org.emergenceinit.nmt.TranslationSpec;
import org.emergenceinit.harness.sweep.SweepEngine;
import org.emergenceinit.nmt.TranslationSweep;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the {@value TranslationSweep#PRESET} sweep ({@link TranslationSweep}): {@code --seeds LIST}
 * [1,2,3], {@code --inits LIST} [xavier,emergence-xavier], {@code --out DIR} [{@code runs/multi30k-transformer}],
 * {@code --jobs N} [1] (runs trained at once);
 * every other option goes to each run ({@link TranslateOptions}). {@code bin/emergence sweep --preset
 * multi30k-transformer} builds these options from its own.
 */
public final class TranslationSweepOptions {

    @Option(names = "--seeds", split = ",")
    List<Long> seeds = TranslationSweep.DEFAULT_SEEDS;
    @Option(names = "--inits", split = ",")
    List<String> inits = TranslationSweep.DEFAULT_INITS;
    @Option(names = "--out")
    Path out = TranslationSweep.DEFAULT_OUT;
    @Option(names = "--jobs")
    int jobs = 1;
    @Unmatched
    List<String> passOn = new ArrayList<>();

    private TranslationSweepOptions() {
    }

    /**
     * Parses {@code args} and runs the sweep, printing progress and the summary to {@code print}; the outcome names
     * the runs that failed.
     *
     * @throws IllegalArgumentException for a malformed option, {@code --seed} or {@code --init} (set by the sweep),
     *                                  or a bad run option
     */
    public static SweepEngine.Outcome<TranslationSweep.Run> run(PrintStream print, String... args) throws Exception {
        TranslationSweepOptions s = new TranslationSweepOptions();
        try {
            new CommandLine(s).setUnmatchedOptionsArePositionalParams(false).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (--seeds and --inits take comma-separated lists).");
        }
        for (String a : s.passOn) {
            if (a.equals("--seed") || a.equals("--init") || a.startsWith("--seed=") || a.startsWith("--init=")) {
                throw new IllegalArgumentException(a + " is set by the sweep; use --seeds and --inits.");
            }
        }
        List<String> first = new ArrayList<>(s.passOn); // checked with the first init; each run with its own
        first.addAll(List.of("--init", s.inits.isEmpty() ? "" : s.inits.get(0).trim()));
        TranslationSpec base = TranslateOptions.parse(first.toArray(String[]::new));
        if (s.jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1 (runs trained at once), got " + s.jobs + ".");
        }
        return TranslationSweep.run(s.inits, s.seeds, s.out, base, s.jobs, print);
    }
}
