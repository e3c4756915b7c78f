package org.emergenceinit.nmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lower-casing word tokeniser for the translation model: a token is a run of letters and digits, possibly joined
 * by inner apostrophes, hyphens, periods or commas ({@code t-shirt}, {@code don't}, {@code 3.5}), or any other
 * single non-space character (punctuation). {@link #detokenize(List)} glues punctuation back for BLEU.
 *
 * <pre>{@code
 * WordTokenizer.tokenize("Ein Mann (im T-Shirt) läuft.")   // [ein, mann, (, im, t-shirt, ), läuft, .]
 * }</pre>
 */
public final class WordTokenizer {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:['\\-.,][\\p{L}\\p{M}\\p{N}]+)*|\\S");
    private static final String NO_SPACE_BEFORE = ".,!?;:)]}'\"";
    private static final String NO_SPACE_AFTER = "([{";

    private WordTokenizer() {
    }

    /** @return the lower-cased tokens of {@code sentence} */
    public static List<String> tokenize(String sentence) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(sentence.toLowerCase(Locale.ROOT));
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * Joins tokens with spaces, except before closing punctuation ({@code . , ! ? ; : ) ] } ' "}) and after
     * opening brackets.
     */
    public static String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        String previous = null;
        for (String token : tokens) {
            boolean glue = previous == null
                    || (token.length() == 1 && NO_SPACE_BEFORE.indexOf(token.charAt(0)) >= 0)
                    || (previous.length() == 1 && NO_SPACE_AFTER.indexOf(previous.charAt(0)) >= 0);
            if (!glue) {
                out.append(' ');
            }
            out.append(token);
            previous = token;
        }
        return out.toString();
    }
}
