package org.emergenceinit.cli;

import org.emergenceinit.nmt.Bleu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** {@code emergence bleu}: corpus BLEU of a hypothesis file against a reference file, as sacreBLEU's default. */
@Command(name = "bleu", mixinStandardHelpOptions = true,
        description = {"Corpus BLEU of detokenised output against one reference, computed like sacreBLEU's"
                + " default (13a tokenisation, mixed case, 4-grams, brevity penalty, exp smoothing).",
                "Files are UTF-8 text (gzipped if named *.gz), one sentence a line, with the same number of lines."})
final class BleuCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hyp", required = true, paramLabel = "FILE", description = "System output, one sentence a line.")
    Path hyp;

    @Option(names = "--ref", required = true, paramLabel = "FILE", description = "Reference, one sentence a line.")
    Path ref;

    @Option(names = {"-b", "--score-only"}, description = "Print only the score.")
    boolean scoreOnly;

    @Option(names = {"-lc", "--lowercase"}, description = "Case-insensitive BLEU, as sacreBLEU's --lowercase.")
    boolean lowercase;

    @Override
    public Integer call() throws IOException {
        List<String> hyps = readLines("--hyp", hyp);
        List<String> refs = readLines("--ref", ref);
        if (hyps.size() != refs.size()) {
            throw new IllegalArgumentException("--hyp " + hyp + " has " + hyps.size() + " lines but --ref " + ref
                    + " has " + refs.size() + "; BLEU needs one reference line per hypothesis line.");
        }
        Bleu.Score score = Bleu.corpus(hyps, refs, lowercase);
        if (scoreOnly) {
            spec.commandLine().getOut().printf(Locale.ROOT, "%.2f%n", score.score());
        } else {
            spec.commandLine().getOut().println(score);
            spec.commandLine().getOut().println(lowercase ? Bleu.SIGNATURE_LOWERCASE : Bleu.SIGNATURE);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<String> readLines(String option, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file.");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return reader.lines().toList();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new IllegalArgumentException(option + " " + file + " is not valid UTF-8 text.");
            }
            if (e.getCause() instanceof ZipException || e.getCause() instanceof EOFException) {
                throw badGzip(option, file, e.getCause());
            }
            throw new IllegalArgumentException(option + " " + file + " cannot be read (" + e.getCause().getMessage()
                    + "): check the file.");
        } catch (ZipException | EOFException e) {
            throw badGzip(option, file, e);
        }
    }

    private static IllegalArgumentException badGzip(String option, Path file, Throwable e) {
        return new IllegalArgumentException(option + " " + file + " is not valid gzip data, truncated or damaged ("
                + e.getMessage() + "): decompress it again from the original, or give the uncompressed file.");
    }
}
