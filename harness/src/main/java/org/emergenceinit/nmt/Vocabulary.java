package org.emergenceinit.nmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word vocabulary built from training sentences: the four special tokens {@value #PAD} (id 0), {@value #UNK}
 * (1), {@value #BOS} (2), {@value #EOS} (3), then every token seen at least {@code minFrequency} times, by
 * decreasing frequency, ties in string order. Saved as UTF-8 text, one token a line, the line number being the
 * id.
 *
 * <pre>{@code
 * Vocabulary de = Vocabulary.build(sentences, 2);            // sentences: token lists
 * int[] ids = de.encode(List.of("ein", "mann"));             // unknown tokens map to UNK_ID
 * de.save(out.resolve("vocab.de.txt"));
 * }</pre>
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    private static final List<String> SPECIALS = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < this.tokens.size(); i++) {
            if (ids.put(this.tokens.get(i), i) != null) {
                throw new IllegalArgumentException("Duplicate token '" + this.tokens.get(i) + "' at id " + i + ".");
            }
        }
    }

    /**
     * @param sentences    tokenised sentences
     * @param minFrequency the minimum count for a token to enter, {@code >= 1}
     */
    public static Vocabulary build(Collection<List<String>> sentences, int minFrequency) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency + ".");
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<String> kept = new ArrayList<>();
        counts.forEach((token, count) -> {
            if (count >= minFrequency && !SPECIALS.contains(token)) {
                kept.add(token);
            }
        });
        kept.sort((a, b) -> {
            int byCount = Integer.compare(counts.get(b), counts.get(a));
            return byCount != 0 ? byCount : a.compareTo(b);
        });
        List<String> all = new ArrayList<>(SPECIALS);
        all.addAll(kept);
        return new Vocabulary(all);
    }

    /** Reads a vocabulary written by {@link #save(Path)}. */
    public static Vocabulary load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < SPECIALS.size() || !lines.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new IOException(file + ": not a vocabulary file: it must start with the lines " + SPECIALS + ".");
        }
        try {
            return new Vocabulary(lines);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes one token a line, UTF-8. */
    public void save(Path file) throws IOException {
        Files.write(file, tokens, StandardCharsets.UTF_8);
    }

    public int size() {
        return tokens.size();
    }

    /** @return the id of {@code token}, or {@link #UNK_ID} */
    public int id(String token) {
        return ids.getOrDefault(token, UNK_ID);
    }

    /** @return the token of {@code id} */
    public String token(int id) {
        return tokens.get(id);
    }

    /** @return the ids of {@code sentence}, unknown tokens as {@link #UNK_ID}, without BOS or EOS */
    public int[] encode(List<String> sentence) {
        return sentence.stream().mapToInt(this::id).toArray();
    }

    /** @return the tokens of {@code ids} up to the first EOS, skipping PAD and BOS */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            if (id == EOS_ID) {
                break;
            }
            if (id != PAD_ID && id != BOS_ID) {
                out.add(token(id));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && tokens.equals(v.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary(" + tokens.size() + " tokens)";
    }
}
