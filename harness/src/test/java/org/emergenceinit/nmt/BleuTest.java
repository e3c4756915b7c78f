package org.emergenceinit.nmt;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BleuTest {

    private static final double EPS = 1e-9;

    @Test
    void identicalCorpusScores100() {
        List<String> refs = List.of("Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee, draußen.");
        Bleu.Score s = Bleu.corpus(refs, refs);
        assertEquals(100.0, s.score(), EPS);
        assertEquals(1.0, s.bp(), EPS);
        assertEquals(s.hypLen(), s.refLen());
    }

    @Test
    void noOverlapScores0() {
        Bleu.Score s = Bleu.corpus(List.of("a b c d e"), List.of("v w x y z"));
        assertEquals(0.0, s.score(), 0.0);
        assertArrayEquals(new double[4], s.precisions(), 0.0);
    }

    @Test
    void emptyHypothesisScores0() {
        Bleu.Score s = Bleu.corpus(List.of(""), List.of("a b c"));
        assertEquals(0.0, s.score(), 0.0);
        assertEquals(0.0, s.bp(), 0.0);
        assertEquals(0, s.hypLen());
    }

    @Test
    void allOrdersMatchingWithoutSmoothing() {
        // hyp a b c d e, ref a b c d f: 1-grams 4/5, 2-grams 3/4 (ab bc cd), 3-grams 2/3 (abc bcd), 4-grams 1/2 (abcd);
        // c = r = 5, BP = 1; BLEU = 100 * (4/5 * 3/4 * 2/3 * 1/2)^(1/4) = 100 * 0.2^(1/4) = 66.874...
        Bleu.Score s = Bleu.corpus(List.of("a b c d e"), List.of("a b c d f"));
        assertArrayEquals(new long[]{4, 3, 2, 1}, s.correct());
        assertArrayEquals(new long[]{5, 4, 3, 2}, s.total());
        assertEquals(100 * Math.pow(0.2, 0.25), s.score(), EPS);
        assertEquals("BLEU = 66.87 80.0/75.0/66.7/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 5 ref_len = 5)",
                s.toString());
    }

    @Test
    void punctuationIsTokenisedAndExpSmoothingAppliesToZeroOrders() {
        // 13a: "The cat sat on the mat ." and "The cat is on the mat ." (7 tokens each).
        // 1-grams: 6/7 (all but sat); 2-grams: The-cat, on-the, the-mat, mat-. = 4/6;
        // 3-grams: on-the-mat, the-mat-. = 2/5; 4-grams: on-the-mat-. = 1/4.
        // BLEU = 100 * (6/7 * 4/6 * 2/5 * 1/4)^(1/4) = 48.89...
        Bleu.Score s = Bleu.corpus(List.of("The cat sat on the mat."), List.of("The cat is on the mat."));
        assertArrayEquals(new long[]{6, 4, 2, 1}, s.correct());
        assertEquals(100 * Math.pow(6.0 / 7 * 4 / 6 * 2 / 5 * 1 / 4, 0.25), s.score(), EPS);

        // Without the final period: 4-grams 0/3, so exp smoothing gives p4 = 1 / (2 * 3).
        // p = 5/6, 3/5, 1/4, 1/6; BLEU = 100 * (5/6 * 3/5 * 1/4 * 1/6)^(1/4) = 37.99...
        Bleu.Score t = Bleu.corpus(List.of("the cat sat on the mat"), List.of("the cat is on the mat"));
        assertArrayEquals(new long[]{5, 3, 1, 0}, t.correct());
        assertArrayEquals(new long[]{6, 5, 4, 3}, t.total());
        assertEquals(100.0 / 6, t.precisions()[3], EPS);
        assertEquals(100 * Math.pow(5.0 / 6 * 3 / 5 * 1 / 4 * 1 / 6, 0.25), t.score(), EPS);
    }

    @Test
    void countsAreClippedAndSmoothingDoublesPerZeroOrder() {
        // hyp "the the the the", ref "the cat": 1-grams clipped to 1/4; 2-, 3-, 4-grams 0/3, 0/2, 0/1.
        // exp smoothing: p2 = 1/(2*3), p3 = 1/(4*2), p4 = 1/(8*1); c = 4 >= r = 2, BP = 1.
        Bleu.Score s = Bleu.corpus(List.of("the the the the"), List.of("the cat"));
        assertArrayEquals(new long[]{1, 0, 0, 0}, s.correct());
        assertArrayEquals(new double[]{25.0, 100.0 / 6, 12.5, 12.5}, s.precisions(), EPS);
        assertEquals(100 * Math.pow(0.25 / 6 / 8 / 8, 0.25), s.score(), EPS);
    }

    @Test
    void brevityPenalty() {
        // hyp "a b c d", ref "a b c d e f": all precisions 1, c = 4 < r = 6, BP = exp(1 - 6/4) = exp(-0.5).
        Bleu.Score s = Bleu.corpus(List.of("a b c d"), List.of("a b c d e f"));
        assertEquals(Math.exp(-0.5), s.bp(), EPS);
        assertEquals(100 * Math.exp(-0.5), s.score(), EPS);
        assertEquals(4.0 / 6, s.ratio(), EPS);
    }

    @Test
    void statisticsAreSummedOverTheCorpusBeforeTheMean() {
        // Sentence 1: "a b c d e" vs "a b c d f" -> correct 4,3,2,1 of 5,4,3,2.
        // Sentence 2: "x y" vs "x z"             -> correct 1,0,0,0 of 2,1,0,0.
        // Corpus: 5/7, 3/5, 2/3, 1/2; c = r = 7. Per-sentence averaging would give another number.
        Bleu.Score s = Bleu.corpus(List.of("a b c d e", "x y"), List.of("a b c d f", "x z"));
        assertArrayEquals(new long[]{5, 3, 2, 1}, s.correct());
        assertArrayEquals(new long[]{7, 5, 3, 2}, s.total());
        assertEquals(100 * Math.pow(5.0 / 7 * 3 / 5 * 2 / 3 * 1 / 2, 0.25), s.score(), EPS);
    }

    @Test
    void orderWithoutHypothesisNgramsGivesZero() {
        // Every hypothesis has 3 tokens: no 4-grams at all, p4 = 0 and BLEU = 0 as in sacreBLEU.
        Bleu.Score s = Bleu.corpus(List.of("a b c"), List.of("a b c"));
        assertEquals(0.0, s.score(), 1e-300);
        assertEquals(100.0, s.precisions()[2], EPS);
    }

    @Test
    void tokenizer13a() {
        assertEquals("Hello , world !", Bleu.tokenize13a("Hello, world!"));
        assertEquals("It costs $ 3,000.50 .", Bleu.tokenize13a("It costs $3,000.50."));
        assertEquals("pages 1 - 2 , e-mail don't", Bleu.tokenize13a("pages 1-2, e-mail don't"));
        assertEquals("\" A & B < C > \"", Bleu.tokenize13a("&quot;A &amp; B &lt;C&gt;&quot;"));
        assertEquals("a b", Bleu.tokenize13a("a <skipped> b"));
        assertEquals("hyphenated next line", Bleu.tokenize13a("hyphen-\nated next\nline"));
        assertEquals("( x ) [ y ] { z } : ; ? @ # % * + / = ^ _ ` | ~", Bleu.tokenize13a("(x)[y]{z}:;?@#%*+/=^_`|~"));
        assertEquals("1.5 , 2 . end", Bleu.tokenize13a("1.5, 2. end"));
        assertEquals("a b", Bleu.tokenize13a("  a \t\u00a0 b  "));
    }

    /**
     * Golden values from sacrebleu 2.6.0 ({@code sacrebleu.corpus_bleu(hyps, [refs])}) on a synthetic corpus of 200
     * lines mixing numbers, hyphens, HTML entities, {@code <skipped>}, brackets, symbols, accented capitals,
     * no-break spaces, tabs and empty hypotheses ({@code fuzz.hyp.txt}, {@code fuzz.ref.txt}).
     */
    @Test
    void agreesWithSacrebleuOnASyntheticCorpus() throws Exception {
        List<String> hyps = resource("fuzz.hyp.txt");
        List<String> refs = resource("fuzz.ref.txt");
        Bleu.Score s = Bleu.corpus(hyps, refs);
        assertArrayEquals(new long[]{1537, 1154, 867, 635}, s.correct());
        assertArrayEquals(new long[]{2091, 1918, 1751, 1591}, s.total());
        assertEquals(2294, s.refLen());
        assertEquals(49.34190219479862, s.score(), 1e-10);
        assertEquals("BLEU = 49.34 73.5/60.2/49.5/39.9 (BP = 0.907 ratio = 0.912 hyp_len = 2091 ref_len = 2294)",
                s.toString());
    }

    private static List<String> resource(String name) throws Exception {
        try (InputStream in = BleuTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void mismatchedLengthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bleu.corpus(List.of("a"), List.of("a", "b")));
        assertEquals("BLEU needs one reference per hypothesis: 1 hypotheses but 2 references.", e.getMessage());
    }
}
