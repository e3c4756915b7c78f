package org.emergenceinit.nmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Corpus BLEU computed the way sacreBLEU's default does (signature
 * {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp}), with one reference per hypothesis.
 *
 * <p>Papineni, Roukos, Ward and Zhu, <i>BLEU: a Method for Automatic Evaluation of Machine Translation</i>,
 * ACL 2002; Post, <i>A Call for Clarity in Reporting BLEU Scores</i>, WMT 2018 (sacreBLEU).
 *
 * <pre>
 *   BLEU = 100 * BP * exp( (1/4) * sum_{n=1..4} log p_n )
 *   p_n  = sum over sentences of clipped matches of n-grams / sum over sentences of hypothesis n-grams
 *   BP   = 1 if c &gt;= r, exp(1 - r/c) if 0 &lt; c &lt; r, 0 if c = 0
 * </pre>
 * where {@code c} is the total hypothesis length and {@code r} the total reference length in tokens. A match of
 * an n-gram is clipped to the number of times it occurs in the sentence's reference.
 *
 * <p>sacreBLEU's details, reproduced here (sacrebleu 2.x, {@code metrics/bleu.py}):
 * <ul>
 *   <li>each line is right-stripped, then tokenised with {@link #tokenize13a(String)} (mteval-v13a);
 *       case is kept;</li>
 *   <li>no match of any order: BLEU = 0;</li>
 *   <li>smoothing {@code exp} (NIST, Chen and Cherry 2014 method 3): the k-th order with zero matches gets
 *       {@code p_n = 1 / (2^k * total_n)} instead of 0; it only acts when some order has no match;</li>
 *   <li>an order with no hypothesis n-grams at all (every hypothesis shorter than n) has {@code p_n = 0},
 *       hence BLEU = 0 (sacreBLEU floors {@code log 0} to {@code -9999999999}).</li>
 * </ul>
 *
 * <pre>{@code
 * Bleu.Score s = Bleu.corpus(List.of("The cat sat on the mat."), List.of("The cat is on the mat."));
 * System.out.println(s);   // BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)
 * }</pre>
 */
public final class Bleu {

    /** The highest n-gram order. */
    public static final int MAX_ORDER = 4;
    /** sacreBLEU's signature of the default settings reproduced here. */
    public static final String SIGNATURE = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp";
    /** sacreBLEU's signature with {@code --lowercase}. */
    public static final String SIGNATURE_LOWERCASE = "nrefs:1|case:lc|eff:no|tok:13a|smooth:exp";

    /** sacreBLEU's floor for {@code log 0} ({@code utils.my_log}). */
    private static final double LOG_ZERO = -9999999999.0;

    private static final Pattern[] TOKEN_PATTERNS = {
            // punctuation and symbols except ' , - .
            Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])"),
            // period and comma unless preceded by a digit
            Pattern.compile("([^0-9])([\\.,])"),
            // period and comma unless followed by a digit
            Pattern.compile("([\\.,])([^0-9])"),
            // dash when preceded by a digit
            Pattern.compile("([0-9])(-)"),
    };
    private static final String[] TOKEN_REPLACEMENTS = {" $1 ", "$1 $2 ", " $1 $2", "$1 $2 "};

    private Bleu() {
    }

    /**
     * sacreBLEU's {@code 13a} tokeniser (mteval-v13a.pl): removes {@code <skipped>}, joins lines broken after a
     * hyphen, turns other line breaks into spaces, unescapes {@code &quot; &amp; &lt; &gt;}, splits off
     * punctuation and symbols (not {@code '} or {@code -}), splits off periods and commas except between
     * digits, splits a dash that follows a digit, and collapses whitespace.
     *
     * @param line one segment
     * @return its tokens separated by single spaces
     */
    public static String tokenize13a(String line) {
        String s = line.replace("<skipped>", "")
                .replace("-\n", "")
                .replace("\n", " ")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
        s = " " + s + " ";
        for (int i = 0; i < TOKEN_PATTERNS.length; i++) {
            s = TOKEN_PATTERNS[i].matcher(s).replaceAll(TOKEN_REPLACEMENTS[i]);
        }
        return String.join(" ", splitWhitespace(s));
    }

    /**
     * Corpus BLEU of hypotheses against one reference each.
     *
     * @param hypotheses detokenised system output, one sentence an element
     * @param references detokenised references, as many as hypotheses
     * @return the score with its statistics
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static Score corpus(List<String> hypotheses, List<String> references) {
        return corpus(hypotheses, references, false);
    }

    /**
     * Corpus BLEU, optionally case-insensitive as sacreBLEU's {@code --lowercase} (both sides lower-cased before
     * tokenisation; signature {@link #SIGNATURE_LOWERCASE}).
     *
     * @param hypotheses detokenised system output, one sentence an element
     * @param references detokenised references, as many as hypotheses
     * @param lowercase  lower-case both sides first
     * @return the score with its statistics
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static Score corpus(List<String> hypotheses, List<String> references, boolean lowercase) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("BLEU needs one reference per hypothesis: " + hypotheses.size()
                    + " hypotheses but " + references.size() + " references.");
        }
        long[] correct = new long[MAX_ORDER];
        long[] total = new long[MAX_ORDER];
        long hypLen = 0;
        long refLen = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String h = lowercase ? hypotheses.get(i).toLowerCase(Locale.ROOT) : hypotheses.get(i);
            String r = lowercase ? references.get(i).toLowerCase(Locale.ROOT) : references.get(i);
            List<String> hyp = splitWhitespace(tokenize13a(rstrip(h)));
            List<String> ref = splitWhitespace(tokenize13a(rstrip(r)));
            hypLen += hyp.size();
            refLen += ref.size();
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<List<String>, Integer> refCounts = ngrams(ref, n);
                for (Map.Entry<List<String>, Integer> e : ngrams(hyp, n).entrySet()) {
                    total[n - 1] += e.getValue();
                    correct[n - 1] += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
                }
            }
        }
        return fromStatistics(correct, total, hypLen, refLen);
    }

    /**
     * BLEU from its sufficient statistics, as sacreBLEU's {@code compute_bleu} with {@code smooth_method='exp'}.
     *
     * @param correct clipped matches per order 1..4
     * @param total   hypothesis n-grams per order 1..4
     * @param hypLen  total hypothesis length in tokens
     * @param refLen  total reference length in tokens
     */
    public static Score fromStatistics(long[] correct, long[] total, long hypLen, long refLen) {
        if (correct.length != MAX_ORDER || total.length != MAX_ORDER) {
            throw new IllegalArgumentException("Expected " + MAX_ORDER + " orders of statistics.");
        }
        double bp = hypLen < refLen ? (hypLen > 0 ? Math.exp(1.0 - (double) refLen / hypLen) : 0.0) : 1.0;
        double[] precisions = new double[MAX_ORDER];
        boolean anyMatch = false;
        for (long c : correct) {
            anyMatch |= c > 0;
        }
        if (!anyMatch) {
            return new Score(0.0, correct.clone(), total.clone(), precisions, bp, hypLen, refLen);
        }
        double smooth = 1.0;
        for (int n = 0; n < MAX_ORDER; n++) {
            if (total[n] == 0) {
                break;
            }
            if (correct[n] == 0) {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            } else {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }
        double logSum = 0;
        for (double p : precisions) {
            logSum += p == 0.0 ? LOG_ZERO : Math.log(p);
        }
        double score = bp * Math.exp(logSum / MAX_ORDER);
        return new Score(score, correct.clone(), total.clone(), precisions, bp, hypLen, refLen);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }

    /** Python's {@code str.rstrip()}. */
    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.split()} without arguments: runs of whitespace separate, no empty tokens. */
    private static List<String> splitWhitespace(String s) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean space = i == s.length() || isPythonSpace(s.charAt(i));
            if (space && start >= 0) {
                tokens.add(s.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return tokens;
    }

    /** Python's {@code str.isspace()} for one character (Unicode whitespace, including no-break spaces). */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /**
     * A corpus BLEU score and its statistics.
     *
     * @param score      BLEU, 0 to 100
     * @param correct    clipped matches per order 1..4
     * @param total      hypothesis n-grams per order 1..4
     * @param precisions the (smoothed) precisions per order, in percent
     * @param bp         the brevity penalty
     * @param hypLen     total hypothesis length in tokens ({@code c})
     * @param refLen     total reference length in tokens ({@code r})
     */
    public record Score(double score, long[] correct, long[] total, double[] precisions, double bp, long hypLen,
                        long refLen) {

        /** @return {@code hypLen / refLen}, 0 when there is no reference token */
        public double ratio() {
            return refLen == 0 ? 0.0 : (double) hypLen / refLen;
        }

        /** sacreBLEU's line: {@code BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)}. */
        @Override
        public String toString() {
            StringBuilder p = new StringBuilder();
            for (int n = 0; n < precisions.length; n++) {
                p.append(n == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.1f", precisions[n]));
            }
            return String.format(Locale.ROOT, "BLEU = %.2f %s (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
                    score, p, bp, ratio(), hypLen, refLen);
        }
    }
}
