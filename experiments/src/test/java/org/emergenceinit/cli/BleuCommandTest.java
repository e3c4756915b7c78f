package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BleuCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void printsScoreStatisticsAndSignature() throws Exception {
        // 1-grams 4/5 + 1/2, 2-grams 3/4 + 0/1, 3-grams 2/3, 4-grams 1/2 (see BleuTest): 5/7, 3/5, 2/3, 1/2.
        Path hyp = write("hyp.txt", "a b c d e\nx y\n");
        Path ref = write("ref.txt", "a b c d f\nx z\n");
        PlanCommandTest.Result r = run("bleu", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\\R");
        assertEquals("BLEU = 61.48 71.4/60.0/66.7/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)", lines[0]);
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp", lines[1]);

        PlanCommandTest.Result b = run("bleu", "-b", "--hyp", ref.toString(), "--ref", ref.toString());
        assertEquals("100.00", b.out().trim());
    }

    @Test
    void lowercaseAndGzippedReference() throws Exception {
        Path hyp = write("hyp.txt", "a b c d\n");
        Path ref = dir.resolve("ref.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(ref))) {
            out.write("A B C D\n".getBytes(StandardCharsets.UTF_8));
        }
        PlanCommandTest.Result cased = run("bleu", "-b", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals("0.00", cased.out().trim(), cased.err());
        PlanCommandTest.Result lc = run("bleu", "-lc", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertTrue(lc.out().startsWith("BLEU = 100.00 "), lc.out());
        assertTrue(lc.out().contains("nrefs:1|case:lc|eff:no|tok:13a|smooth:exp"), lc.out());
    }

    @Test
    void invalidUtf8IsAUsageError() throws Exception {
        Path hyp = Files.write(dir.resolve("hyp.txt"), new byte[]{(byte) 0xff, (byte) 0xfe, 10});
        Path ref = write("ref.txt", "a\n");
        PlanCommandTest.Result r = run("bleu", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals(EmergenceCli.USAGE, r.status());
        assertTrue(r.err().contains("is not valid UTF-8 text"), r.err());
    }

    @Test
    void missingFileIsAUsageError() throws Exception {
        Path ref = write("ref.txt", "a\n");
        PlanCommandTest.Result r = run("bleu", "--hyp", dir.resolve("none.txt").toString(), "--ref", ref.toString());
        assertEquals(EmergenceCli.USAGE, r.status());
        assertEquals("emergence: --hyp " + dir.resolve("none.txt") + ": no such file.", r.err().trim());
    }

    @Test
    void lineCountMismatchIsAUsageError() throws Exception {
        Path hyp = write("hyp.txt", "a\nb\n");
        Path ref = write("ref.txt", "a\n");
        PlanCommandTest.Result r = run("bleu", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertEquals(EmergenceCli.USAGE, r.status());
        assertTrue(r.err().contains("has 2 lines but --ref"), r.err());
        assertTrue(r.err().contains("has 1;"), r.err());
    }
}
