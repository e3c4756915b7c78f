package org.emergenceinit.nmt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @Test
    void tokenizerLowerCasesAndSplitsPunctuation() {
        assertEquals(List.of("ein", "mann", "(", "im", "t-shirt", ")", "läuft", "3,5", "km", ".", "\""),
                WordTokenizer.tokenize("Ein Mann (im T-Shirt) läuft 3,5 km.\""));
        assertEquals(List.of("don't", "stop", "!"), WordTokenizer.tokenize("  Don't   stop! "));
        assertEquals("a man (in a t-shirt) runs, fast.",
                WordTokenizer.detokenize(List.of("a", "man", "(", "in", "a", "t-shirt", ")", "runs", ",", "fast", ".")));
    }

    @Test
    void buildKeepsSpecialsThenFrequentTokensInOrder() {
        Vocabulary v = Vocabulary.build(List.of(List.of("b", "a", "c"), List.of("a", "b", "d"), List.of("a")), 2);
        assertEquals(6, v.size());
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "b"),
                List.of(v.token(0), v.token(1), v.token(2), v.token(3), v.token(4), v.token(5)));
        assertArrayEquals(new int[]{4, 5, Vocabulary.UNK_ID}, v.encode(List.of("a", "b", "c")));
        assertEquals(List.of("a", "<unk>"), v.decode(new int[]{Vocabulary.BOS_ID, 4, 1, Vocabulary.EOS_ID, 5, 0}));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of(), 0));
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws IOException {
        Vocabulary v = Vocabulary.build(List.of(List.of("ä", "ß", "ä", "x y")), 1);
        Path file = dir.resolve("vocab.txt");
        v.save(file);
        assertEquals(v, Vocabulary.load(file));
        assertEquals(v.id("x y"), Vocabulary.load(file).id("x y"));

        Files.writeString(dir.resolve("bad.txt"), "hello\n");
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(dir.resolve("bad.txt")));
        assertTrue(e.getMessage().contains("not a vocabulary file"), e.getMessage());
    }
}
