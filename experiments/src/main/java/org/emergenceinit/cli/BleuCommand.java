package org.emergenceinit.cli;

import org.emergenceinit.nmt.Bleu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code emergence bleu}: corpus BLEU of a hypothesis file against a reference file, as sacreBLEU's default. */
@Command(name = "bleu", mixinStandardHelpOptions = true,
        description = {"Corpus BLEU of detokenised output against one reference, computed like sacreBLEU's"
                + " default (13a tokenisation, mixed case, 4-grams, brevity penalty, exp smoothing).",
                "Files are UTF-8, one sentence a line, with the same number of lines."})
final class BleuCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hyp", required = true, paramLabel = "FILE", description = "System output, one sentence a line.")
    Path hyp;

    @Option(names = "--ref", required = true, paramLabel = "FILE", description = "Reference, one sentence a line.")
    Path ref;

    @Option(names = {"-b", "--score-only"}, description = "Print only the score.")
    boolean scoreOnly;

    @Override
    public Integer call() throws IOException {
        List<String> hyps = readLines("--hyp", hyp);
        List<String> refs = readLines("--ref", ref);
        if (hyps.size() != refs.size()) {
            throw new IllegalArgumentException("--hyp " + hyp + " has " + hyps.size() + " lines but --ref " + ref
                    + " has " + refs.size() + "; BLEU needs one reference line per hypothesis line.");
        }
        Bleu.Score score = Bleu.corpus(hyps, refs);
        if (scoreOnly) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%.2f%n", score.score());
        } else {
            spec.commandLine().getOut().println(score);
            spec.commandLine().getOut().println(Bleu.SIGNATURE);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<String> readLines(String option, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file.");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(option + " " + file + " is not valid UTF-8 text.");
        }
    }
}
