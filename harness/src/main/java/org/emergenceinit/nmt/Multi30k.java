package org.emergenceinit.nmt;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.emergenceinit.data.DatasetNotFoundException;
import org.emergenceinit.data.InvalidDataFileException;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Multi30k task 1 (Elliott et al. 2016), German to English: train 29,000, val 1,014 and test_2016_flickr 1,000
 * sentence pairs of image captions, raw text one sentence a line.
 *
 * <p>Where the files are looked for, in order:
 * <ol>
 *   <li>the data folder: the {@code --data-dir} given, or else the environment variable
 *       {@value #ENV_VAR}; its sub-folder {@code multi30k/} (the layout of the project's shared datasets
 *       folder), or the folder itself if it holds the files. Each file is {@code <split>.<lang>.gz} or plain
 *       {@code <split>.<lang>};</li>
 *   <li>the download cache {@code ~/.deeplearning4j/data/multi30k/} (system property
 *       {@code org.deeplearning4j.resources.directory} moves {@code ~/.deeplearning4j});</li>
 *   <li>a download into that cache from the dataset's public repository,
 *       {@value #DOWNLOAD_URL}{@code <split>.<lang>.gz}, each file checked against its SHA-256
 *       ({@link #SHA256}).</li>
 * </ol>
 * If none serves, a {@link DatasetNotFoundException} lists every path tried. A file that is not valid gzip or
 * UTF-8, or whose line count differs from the published count or from its other language, gives an
 * {@link InvalidDataFileException} naming it.
 *
 * <pre>{@code
 * Multi30k data = Multi30k.load(null);           // EMERGENCE_DATA, the cache, or the download
 * System.out.println(data.train().get(0));       // Pair[source=Zwei junge weiße Männer ..., target=Two young, ...]
 * }</pre>
 *
 * @param train  the training pairs
 * @param val    the validation pairs
 * @param test   the test_2016_flickr pairs
 * @param files  the files read, in the order train.de, train.en, val.de, val.en, test.de, test.en
 * @param sha256 hex SHA-256 over the raw bytes of {@code files}, concatenated in order
 */
public record Multi30k(List<Pair> train, List<Pair> val, List<Pair> test, List<String> files, String sha256) {

    /** Environment variable naming the data folder when no {@code --data-dir} is given. */
    public static final String ENV_VAR = "EMERGENCE_DATA";
    /** Sub-folder of the data folder holding the files. */
    public static final String FOLDER = "multi30k";
    /** Base URL of the raw files in the dataset's repository, github.com/multi30k/dataset. */
    public static final String DOWNLOAD_URL = "https://raw.githubusercontent.com/multi30k/dataset/master/data/task1/raw/";
    /** The splits with their published sizes. */
    public static final Map<String, Integer> SPLITS = Map.of("train", 29_000, "val", 1_014, "test_2016_flickr", 1_000);
    /** Source language. */
    public static final String SOURCE = "de";
    /** Target language. */
    public static final String TARGET = "en";

    /**
     * SHA-256 of the six gzipped files of data/task1/raw in github.com/multi30k/dataset (branch master, last
     * commit a3d2e0d); the project's shared copies are byte-identical.
     */
    public static final Map<String, String> SHA256 = Map.of(
            "train.de.gz", "726e39b2fa9eb9ffb6dc763fb35a179f80fae06ffc5d28b6ace5faa883de28a6",
            "train.en.gz", "d79cfa999dd4c51d2cb42499b6796d5a882c3a8a961923c25a898c90f8bbd56f",
            "val.de.gz", "f0cba2f995189cf5770f29a8a9a537a3ad3f51657ad873405082ff6863a5e75a",
            "val.en.gz", "14f7d25ddd868909a9213e361768460edcacdd6ab9d1e77b92560dc10c10dc28",
            "test_2016_flickr.de.gz", "9204244e408ccb38d2a55cfcd344df15005fc42a07a6e55ca6c52b6ababb8cc8",
            "test_2016_flickr.en.gz", "611d361c6334bc7246101d48097c13cf5c4413c5befc793cc629934359d532d9");

    private static final List<String> SPLIT_ORDER = List.of("train", "val", "test_2016_flickr");

    /**
     * A sentence and its translation.
     *
     * @param source the German sentence
     * @param target the English sentence
     */
    public record Pair(String source, String target) {
    }

    /**
     * Finds and reads Multi30k, downloading it into the cache if no folder holds it.
     *
     * @param dataDir the {@code --data-dir} folder, or {@code null} to use {@value #ENV_VAR} if set
     * @throws DatasetNotFoundException if no folder holds the files and the download fails
     * @throws InvalidDataFileException if a file is corrupt or has the wrong number of lines
     */
    public static Multi30k load(Path dataDir) throws IOException {
        return load(dataDir, System.getenv(ENV_VAR), cacheDir(), URI.create(DOWNLOAD_URL), SHA256);
    }

    static Multi30k load(Path dataDir, String env, Path cache, URI downloadBase, Map<String, String> expectedSha256)
            throws IOException {
        List<String> tried = new ArrayList<>();
        Path dir = dataDir;
        String origin = "--data-dir";
        if (dir == null && env != null && !env.isBlank()) {
            dir = Paths.get(env);
            origin = ENV_VAR;
        }
        if (dir == null) {
            tried.add("data folder: none given (no --data-dir, and " + ENV_VAR + " is not set)");
        } else {
            for (Path candidate : List.of(dir.resolve(FOLDER), dir)) {
                List<Path> files = find(candidate, tried, origin);
                if (files != null) {
                    return read(files);
                }
            }
        }
        List<Path> cached = find(cache, tried, "download cache");
        if (cached != null) {
            return read(cached);
        }
        try {
            download(downloadBase, cache, expectedSha256);
        } catch (InvalidDataFileException e) {
            throw e;
        } catch (IOException e) {
            tried.add("download from " + downloadBase + " into " + cache.toAbsolutePath().normalize()
                    + ": failed: " + describe(e));
            throw notFound(tried, e);
        }
        List<Path> downloaded = find(cache, tried, "download cache");
        if (downloaded == null) {
            throw notFound(tried, null);
        }
        return read(downloaded);
    }

    /** The six file names without {@code .gz}, in the order of {@link #files()}. */
    static List<String> fileNames() {
        List<String> names = new ArrayList<>();
        for (String split : SPLIT_ORDER) {
            names.add(split + "." + SOURCE);
            names.add(split + "." + TARGET);
        }
        return names;
    }

    private static List<Path> find(Path dir, List<String> tried, String origin) {
        String abs = dir.toAbsolutePath().normalize() + " (" + origin + ")";
        if (!Files.isDirectory(dir)) {
            tried.add(abs + ": no such folder");
            return null;
        }
        List<Path> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : fileNames()) {
            Path gz = dir.resolve(name + ".gz");
            Path plain = dir.resolve(name);
            if (Files.isRegularFile(gz)) {
                files.add(gz);
            } else if (Files.isRegularFile(plain)) {
                files.add(plain);
            } else {
                missing.add(name + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            tried.add(abs + ": missing " + String.join(", ", missing));
            return null;
        }
        return files;
    }

    private static Multi30k read(List<Path> files) throws IOException {
        List<List<Pair>> splits = new ArrayList<>();
        for (int s = 0; s < SPLIT_ORDER.size(); s++) {
            Path src = files.get(2 * s);
            Path tgt = files.get(2 * s + 1);
            List<String> de = readLines(src);
            List<String> en = readLines(tgt);
            int expected = SPLITS.get(SPLIT_ORDER.get(s));
            for (var e : Map.of(src, de.size(), tgt, en.size()).entrySet()) {
                if (e.getValue() != expected) {
                    throw new InvalidDataFileException(e.getKey() + ": expected " + expected + " lines (Multi30k "
                            + SPLIT_ORDER.get(s) + "), found " + e.getValue() + "; the file is truncated or not"
                            + " Multi30k task 1 raw text.");
                }
            }
            List<Pair> pairs = new ArrayList<>(expected);
            for (int i = 0; i < expected; i++) {
                pairs.add(new Pair(de.get(i), en.get(i)));
            }
            splits.add(List.copyOf(pairs));
        }
        List<String> names = files.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        return new Multi30k(splits.get(0), splits.get(1), splits.get(2), names, sha256(files));
    }

    private static List<String> readLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidDataFileException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (CharacterCodingException e) {
            throw new InvalidDataFileException(file + ": not UTF-8 text", e);
        }
        return lines;
    }

    private static void download(URI base, Path cache, Map<String, String> expectedSha256) throws IOException {
        Files.createDirectories(cache);
        for (String name : fileNames()) {
            Path target = cache.resolve(name + ".gz");
            if (Files.isRegularFile(target)) {
                continue;
            }
            Path part = cache.resolve(name + ".gz.part");
            try (InputStream in = base.resolve(name + ".gz").toURL().openStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = sha256(List.of(part));
            if (!actual.equals(expectedSha256.get(name + ".gz"))) {
                Files.delete(part);
                throw new InvalidDataFileException(base.resolve(name + ".gz") + ": downloaded file has SHA-256 " + actual
                        + ", expected " + expectedSha256.get(name + ".gz") + "; the download was corrupt or the file"
                        + " changed upstream. Nothing was kept in " + cache.toAbsolutePath().normalize() + ".");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage() + " (UnknownHostException: no internet access?)";
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static DatasetNotFoundException notFound(List<String> tried, Throwable cause) {
        StringBuilder message = new StringBuilder("Dataset 'multi30k' was not found. Paths tried:");
        for (int i = 0; i < tried.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
        }
        message.append("\nProvide the data with --data-dir DIR or the environment variable ").append(ENV_VAR)
                .append("=DIR, where DIR/").append(FOLDER).append("/ holds ").append(String.join(", ", fileNames()))
                .append(" (each .gz or plain), e.g. the files of data/task1/raw in github.com/multi30k/dataset.");
        return new DatasetNotFoundException(message.toString(), tried, cause);
    }

    private static Path cacheDir() {
        String property = System.getProperty(DL4JSystemProperties.DL4J_RESOURCES_DIR_PROPERTY);
        Path base = property != null ? Paths.get(property) : Paths.get(System.getProperty("user.home"), ".deeplearning4j");
        return base.resolve("data").resolve(FOLDER);
    }

    private static String sha256(List<Path> files) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (Path file : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
