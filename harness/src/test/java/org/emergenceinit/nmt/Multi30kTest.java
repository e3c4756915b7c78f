package org.emergenceinit.nmt;

import org.emergenceinit.data.DatasetNotFoundException;
import org.emergenceinit.data.InvalidDataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Multi30kTest {

    @TempDir
    Path dir;

    /** Writes the six files with the published line counts; line i of each file is "{split} {lang} {i}". */
    private static void writeFake(Path folder, boolean gzip) throws IOException {
        Files.createDirectories(folder);
        for (String name : Multi30k.fileNames()) {
            String split = name.substring(0, name.lastIndexOf('.'));
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < Multi30k.SPLITS.get(split); i++) {
                text.append(name).append(' ').append(i).append('\n');
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(folder.resolve(name + ".gz")))) {
                    out.write(bytes);
                }
            } else {
                Files.write(folder.resolve(name), bytes);
            }
        }
    }

    @Test
    void readsTheSharedDataset() throws IOException {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found");
        Multi30k m = Multi30k.load(data);
        assertEquals(29_000, m.train().size());
        assertEquals(1_014, m.val().size());
        assertEquals(1_000, m.test().size());
        assertEquals(6, m.files().size());
        assertEquals(64, m.sha256().length());
        assertTrue(m.train().get(0).source().startsWith("Zwei junge"), m.train().get(0).source());
        assertTrue(m.train().get(0).target().startsWith("Two young"), m.train().get(0).target());
    }

    @Test
    void plainFilesInTheFolderItselfViaTheEnvironmentVariable() throws IOException {
        writeFake(dir.resolve("plain"), false);
        Multi30k m = Multi30k.load(null, dir.resolve("plain").toString(), dir.resolve("cache"),
                dir.resolve("nowhere").toUri(), Multi30k.SHA256);
        assertEquals(new Multi30k.Pair("val.de 5", "val.en 5"), m.val().get(5));
    }

    @Test
    void downloadsIntoTheCacheWhenNoFolderHoldsTheFiles() throws Exception {
        Path remote = dir.resolve("remote");
        writeFake(remote, true);
        Path cache = dir.resolve("cache");
        Map<String, String> hashes = new HashMap<>();
        for (String name : Multi30k.fileNames()) {
            hashes.put(name + ".gz", sha256(remote.resolve(name + ".gz")));
        }
        Multi30k m = Multi30k.load(null, null, cache, remote.toUri(), hashes);
        assertEquals(new Multi30k.Pair("test_2016_flickr.de 999", "test_2016_flickr.en 999"), m.test().get(999));
        assertTrue(Files.isRegularFile(cache.resolve("train.de.gz")));
        assertTrue(m.files().get(0).startsWith(cache.toAbsolutePath().toString()));
    }

    @Test
    void aDownloadWithTheWrongChecksumIsRejected() throws IOException {
        Path remote = dir.resolve("remote");
        writeFake(remote, true);
        Path cache = dir.resolve("cache");
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Multi30k.load(null, null, cache, remote.toUri(), Multi30k.SHA256));
        assertTrue(e.getMessage().contains("train.de.gz: downloaded file has SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + Multi30k.SHA256.get("train.de.gz")), e.getMessage());
        assertFalse(Files.exists(cache.resolve("train.de.gz")));
        assertFalse(Files.exists(cache.resolve("train.de.gz.part")));
    }

    @Test
    void theSharedFilesHaveThePinnedChecksums() throws Exception {
        Path data = NmtTestData.dataDir().orElse(null);
        assumeTrue(data != null, "shared datasets folder with multi30k/ not found");
        for (String name : Multi30k.fileNames()) {
            assertEquals(Multi30k.SHA256.get(name + ".gz"), sha256(data.resolve("multi30k").resolve(name + ".gz")), name);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void notFoundListsEveryPathTried() {
        Path empty = dir.resolve("empty");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> Multi30k.load(empty, null, dir.resolve("cache"), dir.resolve("nowhere").toUri(), Multi30k.SHA256));
        assertEquals(4, e.pathsTried().size(), e.getMessage());
        assertTrue(e.pathsTried().get(0).contains("empty/multi30k (--data-dir): no such folder"), e.getMessage());
        assertTrue(e.pathsTried().get(2).contains("cache (download cache): no such folder"), e.getMessage());
        assertTrue(e.pathsTried().get(3).startsWith("download from "), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir DIR or the environment variable EMERGENCE_DATA=DIR"));
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        writeFake(dir.resolve("multi30k"), true);
        Files.delete(dir.resolve("multi30k").resolve("val.en.gz"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> Multi30k.load(dir, null, dir.resolve("cache"), dir.resolve("nowhere").toUri(), Multi30k.SHA256));
        assertTrue(e.pathsTried().get(0).endsWith(": missing val.en[.gz]"), e.getMessage());
    }

    @Test
    void corruptGzipAndWrongLineCountsAreReported() throws IOException {
        Path folder = dir.resolve("multi30k");
        writeFake(folder, true);
        Files.write(folder.resolve("val.de.gz"), new byte[]{31, -117, 8, 0, 1, 2, 3});
        InvalidDataFileException corrupt = assertThrows(InvalidDataFileException.class,
                () -> Multi30k.load(dir, null, dir.resolve("cache"), dir.resolve("nowhere").toUri(), Multi30k.SHA256));
        assertTrue(corrupt.getMessage().contains("val.de.gz: corrupt gzip data"), corrupt.getMessage());

        writeFake(folder, true);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(folder.resolve("train.en.gz")))) {
            out.write("one line\n".getBytes(StandardCharsets.UTF_8));
        }
        InvalidDataFileException shortFile = assertThrows(InvalidDataFileException.class,
                () -> Multi30k.load(dir, null, dir.resolve("cache"), dir.resolve("nowhere").toUri(), Multi30k.SHA256));
        assertTrue(shortFile.getMessage().contains("train.en.gz: expected 29000 lines (Multi30k train), found 1"),
                shortFile.getMessage());
    }
}
