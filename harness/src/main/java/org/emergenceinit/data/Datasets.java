package org.emergenceinit.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.fetchers.Cifar10Fetcher;
import org.eclipse.deeplearning4j.resources.DataSetResource;
import org.eclipse.deeplearning4j.resources.ResourceDataSets;
import org.eclipse.deeplearning4j.resources.utils.CifarResourceConstants;

/**
 * Finds and loads a dataset by name: {@code mnist-embedded}, {@code mnist}, {@code fashion-mnist},
 * {@code cifar10}, or a user's own data: {@code images:DIR} (a folder with one subfolder per class, read with
 * DataVec's {@code ImageRecordReader}) and {@code csv:FILE} (a numeric table, read with DataVec's
 * {@code CSVRecordReader}), see {@link OwnDataSpec}.
 *
 * <p>Where the data is looked for, in order:
 * <ol>
 *   <li>the data folder: the {@code --data-dir} given to {@link #withDataDir(Path)}, or else the
 *       environment variable {@value #ENV_VAR}; laid out like the project's shared datasets folder:
 *       {@code mnist/} and {@code fashion-mnist/} with the four IDX files
 *       ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 *       {@code t10k-labels-idx1-ubyte}, each gzipped with {@code .gz} or plain), {@code cifar-10-batches-bin/}
 *       (full CIFAR-10, binary version) or else {@code cifar-10-subset/} (same file names);</li>
 *   <li>DL4J's own cache, where a user with internet access already has the files:
 *       MNIST in DL4J's base directory {@code ~/.deeplearning4j/} (system property
 *       {@code org.deeplearning4j.resources.directory} overrides it), where
 *       {@code MnistDataSetIterator} (through {@code ResourceDataSets.mnistTrain()} etc.) keeps the
 *       unpacked IDX files; CIFAR-10 in {@code ~/.dl4jresources/cifar/cifar-10-batches-bin/}, where
 *       DataVec's {@code CifarLoader} keeps the binary version ({@code CifarResourceConstants.CIFAR_DEFAULT_DIR};
 *       searched recursively, as CifarLoader does, since its download unpacks into a nested folder); then the
 *       PNG tree of DL4J's {@code Cifar10DataSetIterator}, {@code ~/.deeplearning4j/data/cifar10/{train,test}/<class>/},
 *       read with DataVec's {@code ImageRecordReader};</li>
 *   <li>DL4J's stock download into that cache: MNIST from DL4J's mirror with
 *       {@code DataSetResource.download} exactly as {@code MnistDataFetcher} does; CIFAR-10 as DL4J's
 *       {@code Cifar10DataSetIterator} gets it: its {@code Cifar10Fetcher.downloadAndExtract()} (DL4J's
 *       {@code cifar10_dl4j.v1.zip}, checksum-verified) unpacks the PNG tree into
 *       {@code ~/.deeplearning4j/data/cifar10/}, which is then read as above and labelled as the full CIFAR-10.</li>
 * </ol>
 * {@code mnist-embedded} is read from the classpath: the first 6,000 training and 1,000 test images of
 * MNIST, kept in this project. Fashion-MNIST has no DL4J downloader in 1.0.0-M2.1, so only the data folder
 * serves it. If nothing serves, a {@link DatasetNotFoundException} lists every path tried and how to
 * provide the data; offline the download fails at once with {@link UnknownHostException}, reported as such.
 *
 * <p>The named datasets are read by this project's own IDX and CIFAR-10 binary readers; DataVec's image stack
 * ({@code datavec-data-image}: JavaCV and OpenCV, about 113 MB of jars for linux-x86_64) is used for a user's
 * {@code images:DIR} folders and the PNG tree of DL4J's {@code Cifar10DataSetIterator}, which returns unscaled
 * pixels in BGR order, so it is read here and put in RGB order. DataVec's {@code CifarLoader} is not used: it
 * writes caches into the folder it reads.
 *
 * <pre>{@code
 * DatasetSource data = Datasets.load("mnist", Path.of("../shared/datasets"));   // or null: EMERGENCE_DATA
 * System.out.println(data.displayLabel() + " " + data.sha256());
 * }</pre>
 */
public final class Datasets {

    /** Environment variable naming the data folder when no {@code --data-dir} is given. */
    public static final String ENV_VAR = "EMERGENCE_DATA";
    /** Embedded MNIST subset, read from the classpath. */
    public static final String MNIST_EMBEDDED = "mnist-embedded";
    /** MNIST, full. */
    public static final String MNIST = "mnist";
    /** Fashion-MNIST, full. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** CIFAR-10, binary version (full, or the subset if only that is found). */
    public static final String CIFAR10 = "cifar10";
    /** Prefix of a user's image folder: {@code images:DIR}, one subfolder per class. */
    public static final String IMAGES_PREFIX = "images:";
    /** Prefix of a user's numeric CSV table: {@code csv:FILE}. */
    public static final String CSV_PREFIX = "csv:";
    /** All dataset names (besides {@code images:DIR} and {@code csv:FILE}). */
    public static final List<String> NAMES = List.of(MNIST_EMBEDDED, MNIST, FASHION_MNIST, CIFAR10);
    /** The four IDX file names, without {@code .gz}: train images, train labels, test images, test labels. */
    public static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** Sub-folder of the data folder holding full CIFAR-10. */
    public static final String CIFAR_FULL_DIR = "cifar-10-batches-bin";
    /** Sub-folder of DL4J's dataset folder where {@code Cifar10DataSetIterator} keeps its PNG tree. */
    public static final String CIFAR_PNG_CACHE = "cifar10";
    /** Sub-folder of the data folder holding the CIFAR-10 subset. */
    public static final String CIFAR_SUBSET_DIR = "cifar-10-subset";

    static final String EMBEDDED_RESOURCES = "/org/emergenceinit/data/mnist-embedded/";

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> CIFAR_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Downloads a dataset ({@link #MNIST} or {@link #CIFAR10}) into a DL4J cache folder. */
    @FunctionalInterface
    interface StockDownload {
        void download(String dataset, Path cacheDir) throws Exception;
    }

    private final Path dataDir;
    private final String dataDirOrigin;
    private final Path dl4jMnistDir;
    private final Path dl4jCifarDir;
    private final Path dl4jCifarPngDir;
    private final StockDownload stockDownload;

    Datasets(Path dataDir, String dataDirOrigin, Path dl4jMnistDir, Path dl4jCifarDir, Path dl4jCifarPngDir,
            StockDownload stockDownload) {
        this.dl4jCifarPngDir = dl4jCifarPngDir;
        this.dataDir = dataDir;
        this.dataDirOrigin = dataDirOrigin;
        this.dl4jMnistDir = dl4jMnistDir;
        this.dl4jCifarDir = dl4jCifarDir;
        this.stockDownload = stockDownload;
    }

    /**
     * @param dataDir the {@code --data-dir} folder, or {@code null} to use {@value #ENV_VAR} if set
     * @return a loader searching that folder, then DL4J's cache, then DL4J's download
     */
    public static Datasets withDataDir(Path dataDir) {
        Path dir = dataDir;
        String origin = "--data-dir";
        if (dir == null) {
            String env = System.getenv(ENV_VAR);
            if (env != null && !env.isBlank()) {
                dir = Paths.get(env);
                origin = ENV_VAR;
            }
        }
        return new Datasets(dir, origin, defaultDl4jBaseDir(), CifarResourceConstants.CIFAR_DEFAULT_DIR.toPath(),
                defaultDl4jBaseDir().resolve("data").resolve(CIFAR_PNG_CACHE), Datasets::stockDownload);
    }

    /**
     * Loads a dataset with {@link #withDataDir(Path)}.
     *
     * @param name    one of {@link #NAMES}
     * @param dataDir the {@code --data-dir} folder, or {@code null} to use {@value #ENV_VAR} if set
     */
    public static DatasetSource load(String name, Path dataDir) throws IOException {
        return withDataDir(dataDir).load(name);
    }

    /**
     * Loads a dataset with {@link #withDataDir(Path)}; {@code options} govern {@code images:DIR} and
     * {@code csv:FILE}.
     *
     * @param name    one of {@link #NAMES}, or {@code images:DIR} or {@code csv:FILE}
     * @param dataDir the {@code --data-dir} folder, or {@code null} to use {@value #ENV_VAR} if set
     * @param options how a user's own data is read and split
     */
    public static DatasetSource load(String name, Path dataDir, OwnDataSpec options) throws IOException {
        return withDataDir(dataDir).loadWith(name, options);
    }

    /**
     * @param name one of {@link #NAMES}
     * @return the loaded dataset
     * @throws DatasetNotFoundException if no place holds it and it cannot be downloaded
     * @throws InvalidDataFileException if a file found is malformed
     */
    public DatasetSource load(String name) throws IOException {
        return loadWith(name, OwnDataSpec.DEFAULTS);
    }

    /**
     * @param name    one of {@link #NAMES}, or {@value #IMAGES_PREFIX}{@code DIR} (a folder with one subfolder
     *                per class, see {@link ImageFolders}) or {@value #CSV_PREFIX}{@code FILE} (a numeric table,
     *                see {@link CsvTables})
     * @param options how {@code images:} and {@code csv:} data is read and split
     * @return the loaded dataset
     * @throws DatasetNotFoundException if no place holds it and it cannot be downloaded
     * @throws InvalidDataFileException if a file found is malformed
     */
    public DatasetSource loadWith(String name, OwnDataSpec options) throws IOException {
        options = options == null ? OwnDataSpec.DEFAULTS : options;
        if (name.startsWith(IMAGES_PREFIX) && name.length() > IMAGES_PREFIX.length()) {
            return ImageFolders.load(name, Paths.get(name.substring(IMAGES_PREFIX.length())), options);
        }
        if (name.startsWith(CSV_PREFIX) && name.length() > CSV_PREFIX.length()) {
            return CsvTables.load(name, Paths.get(name.substring(CSV_PREFIX.length())), options);
        }
        switch (name) {
            case MNIST_EMBEDDED:
                return loadEmbedded();
            case MNIST:
                return loadIdx(MNIST, DIGITS, true);
            case FASHION_MNIST:
                return loadIdx(FASHION_MNIST, FASHION_CLASSES, false);
            case CIFAR10:
                return loadCifar();
            default:
                throw new IllegalArgumentException("Unknown dataset '" + name + "'; expected one of " + NAMES
                        + ", " + IMAGES_PREFIX + "DIR or " + CSV_PREFIX + "FILE");
        }
    }

    private DatasetSource loadEmbedded() throws IOException {
        List<DataFileSource> files = new ArrayList<>();
        for (String file : IDX_FILES) {
            files.add(DataFileSource.ofResource(EMBEDDED_RESOURCES + file + ".gz"));
        }
        ImageData train = IdxReader.read(files.get(0), files.get(1), -1);
        ImageData test = IdxReader.read(files.get(2), files.get(3), -1);
        String label = String.format(Locale.US, "%s (%,d train / %,d test)", MNIST_EMBEDDED, train.size(),
                test.size());
        return new DatasetSource(MNIST_EMBEDDED, label, names(files), sha256(files), train, test, DIGITS, false);
    }

    private DatasetSource loadIdx(String name, List<String> classNames, boolean dl4jServes) throws IOException {
        List<String> tried = new ArrayList<>();
        List<Path> files = null;
        if (dataDir != null) {
            files = idxFiles(dataDir.resolve(name), tried);
        } else {
            tried.add(noDataDir());
        }
        Throwable downloadFailure = null;
        if (files == null && dl4jServes) {
            files = idxFiles(dl4jMnistDir, tried);
            if (files == null) {
                downloadFailure = download(name, dl4jMnistDir,
                        "DL4J's MNIST download (as MnistDataFetcher: ResourceDataSets.mnistTrain() etc.)", tried);
                if (downloadFailure == null) {
                    files = idxFiles(dl4jMnistDir, tried);
                }
            }
        } else if (files == null) {
            tried.add("DL4J cache and download: DL4J 1.0.0-M2.1 has no Fashion-MNIST downloader");
        }
        if (files == null) {
            throw notFound(name, tried, name + "/{" + String.join(",", IDX_FILES) + "}[.gz]", downloadFailure);
        }
        List<DataFileSource> sources = files.stream().map(DataFileSource::of).toList();
        ImageData train = IdxReader.read(sources.get(0), sources.get(1), -1);
        ImageData test = IdxReader.read(sources.get(2), sources.get(3), -1);
        require28x28(sources.get(0), train);
        require28x28(sources.get(2), test);
        String label = label(name, train.size(), test.size(), 60_000, 10_000);
        return new DatasetSource(name, label, names(sources), sha256(sources), train, test, classNames, false);
    }

    private DatasetSource loadCifar() throws IOException {
        List<String> tried = new ArrayList<>();
        List<Path> files = null;
        if (dataDir != null) {
            files = cifarFiles(dataDir.resolve(CIFAR_FULL_DIR), tried);
            if (files == null) {
                files = cifarFiles(dataDir.resolve(CIFAR_SUBSET_DIR), tried);
            }
        } else {
            tried.add(noDataDir());
        }
        Throwable downloadFailure = null;
        if (files == null) {
            files = cifarFiles(cifarCacheFolder(dl4jCifarDir), tried);
        }
        if (files == null && pngTree(dl4jCifarPngDir, tried)) {
            return loadCifarPngTree();
        }
        if (files == null) {
            downloadFailure = download(CIFAR10, dl4jCifarPngDir, "Cifar10DataSetIterator's download of "
                    + new Cifar10Fetcher().remoteDataUrl(), tried);
            if (downloadFailure == null && pngTree(dl4jCifarPngDir, tried)) {
                return loadCifarPngTree();
            }
        }
        if (files == null) {
            throw notFound(CIFAR10, tried, CIFAR_FULL_DIR + "/{" + String.join(",", Cifar10BinaryReader.TRAIN_FILES)
                    + "," + Cifar10BinaryReader.TEST_FILE + "} (CIFAR-10 binary version), or the same files in "
                    + CIFAR_SUBSET_DIR + "/", downloadFailure);
        }
        ImageData train = Cifar10BinaryReader.read(files.subList(0, 5));
        ImageData test = Cifar10BinaryReader.read(files.subList(5, 6));
        List<DataFileSource> sources = files.stream().map(DataFileSource::of).toList();
        String label = label(CIFAR10, train.size(), test.size(), 50_000, 10_000);
        return new DatasetSource(CIFAR10, label, names(sources), sha256(sources), train, test, CIFAR_CLASSES, true);
    }

    /**
     * CIFAR-10 as DL4J's {@code Cifar10DataSetIterator} leaves it: {@code train/} and {@code test/} with one PNG
     * folder per class, named by class name or index; read with DataVec's {@code ImageRecordReader}, channels
     * put in RGB order like the binary version's.
     */
    private DatasetSource loadCifarPngTree() throws IOException {
        List<String> folders = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dl4jCifarPngDir.resolve("train"))) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(folders::add);
        }
        List<String> byIndex = folders.containsAll(CIFAR_CLASSES) && folders.size() == CIFAR_CLASSES.size()
                ? CIFAR_CLASSES : DIGITS;
        if (!folders.containsAll(byIndex) || folders.size() != byIndex.size()) {
            throw new InvalidDataFileException(dl4jCifarPngDir.resolve("train") + ": expected the 10 class folders "
                    + CIFAR_CLASSES + " or 0..9, found " + folders);
        }
        ImageData train = ImageFolders.readTree(dl4jCifarPngDir.resolve("train"), byIndex, 32, 32);
        ImageData test = ImageFolders.readTree(dl4jCifarPngDir.resolve("test"), byIndex, 32, 32);
        String where = dl4jCifarPngDir.toAbsolutePath().normalize().toString();
        String label = label(CIFAR10, train.size(), test.size(), 50_000, 10_000);
        return new DatasetSource(CIFAR10, label, List.of(where), ImageFolders.treeSha256(dl4jCifarPngDir), train,
                test, CIFAR_CLASSES, true);
    }

    private static boolean pngTree(Path dir, List<String> tried) {
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) {
            return true;
        }
        tried.add(dir.toAbsolutePath().normalize() + ": no train/ and test/ PNG folders (DL4J's"
                + " Cifar10DataSetIterator cache)");
        return false;
    }

    /** @return the four IDX files in {@code dir} (gzipped preferred), or null after noting why not */
    private static List<Path> idxFiles(Path dir, List<String> tried) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : IDX_FILES) {
            Path gz = dir.resolve(name + ".gz");
            Path plain = dir.resolve(name);
            if (Files.isRegularFile(gz)) {
                found.add(gz);
            } else if (Files.isRegularFile(plain)) {
                found.add(plain);
            } else {
                missing.add(name + "[.gz]");
            }
        }
        return missing.isEmpty() ? found : absent(dir, missing, tried);
    }

    private static List<Path> cifarFiles(Path dir, List<String> tried) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> names = new ArrayList<>(Cifar10BinaryReader.TRAIN_FILES);
        names.add(Cifar10BinaryReader.TEST_FILE);
        for (String name : names) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                found.add(file);
            } else {
                missing.add(name);
            }
        }
        return missing.isEmpty() ? found : absent(dir, missing, tried);
    }

    /**
     * DataVec's {@code CifarLoader} unpacks its download into a nested folder below
     * {@code CIFAR_DEFAULT_DIR} and finds the {@code .bin} files recursively; do the same.
     *
     * @return the folder below {@code cacheDir} holding {@code data_batch_1.bin}, or {@code cacheDir} itself
     */
    private static Path cifarCacheFolder(Path cacheDir) throws IOException {
        String first = Cifar10BinaryReader.TRAIN_FILES.get(0);
        if (!Files.isDirectory(cacheDir) || Files.isRegularFile(cacheDir.resolve(first))) {
            return cacheDir;
        }
        try (Stream<Path> found = Files.find(cacheDir, 12, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().equals(first))) {
            return found.findFirst().map(Path::getParent).orElse(cacheDir);
        }
    }

    private static List<Path> absent(Path dir, List<String> missing, List<String> tried) {
        String abs = dir.toAbsolutePath().normalize().toString();
        tried.add(Files.isDirectory(dir) ? abs + ": missing " + String.join(", ", missing)
                : abs + ": no such folder");
        return null;
    }

    private Throwable download(String dataset, Path cacheDir, String what, List<String> tried) {
        try {
            stockDownload.download(dataset, cacheDir);
            return null;
        } catch (Exception e) {
            tried.add(what + " into " + cacheDir.toAbsolutePath().normalize() + ": failed: " + describe(e));
            return e;
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

    private String noDataDir() {
        return "data folder: none given (no --data-dir, and " + ENV_VAR + " is not set)";
    }

    private DatasetNotFoundException notFound(String name, List<String> tried, String layout, Throwable cause) {
        StringBuilder message = new StringBuilder("Dataset '").append(name).append("' was not found. Paths tried:");
        for (int i = 0; i < tried.size(); i++) {
            message.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
        }
        message.append("\nProvide the data with --data-dir DIR or the environment variable ").append(ENV_VAR)
                .append("=DIR, where DIR holds ").append(layout)
                .append(" (the layout of the project's shared datasets folder).");
        if (dataDir != null) {
            message.append(" The data folder in use came from ").append(dataDirOrigin).append('.');
        }
        if (!FASHION_MNIST.equals(name)) {
            message.append(" With internet access the DL4J download above fills its cache once.");
        }
        return new DatasetNotFoundException(message.toString(), tried, cause);
    }

    private static void require28x28(DataFileSource file, ImageData data) throws InvalidDataFileException {
        if (data.height() != 28 || data.width() != 28) {
            throw new InvalidDataFileException(file.name() + ": wrong dimensions: expected 28x28 images, found "
                    + data.height() + "x" + data.width());
        }
    }

    /** @return {@code name} for the full canonical set, else {@code name-subset (n train / m test)} */
    static String label(String name, int train, int test, int fullTrain, int fullTest) {
        if (train == fullTrain && test == fullTest) {
            return name;
        }
        return String.format(Locale.US, "%s-subset (%,d train / %,d test)", name, train, test);
    }

    private static List<String> names(List<DataFileSource> files) {
        return files.stream().map(DataFileSource::name).toList();
    }

    /** @return hex SHA-256 over the raw bytes of the files, concatenated in order */
    static String sha256(List<DataFileSource> files) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (DataFileSource file : files) {
            try (InputStream in = new DigestInputStream(file.open(), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * DL4J's base folder ({@code DL4JResources}): {@code ~/.deeplearning4j}, or the system property
     * {@code org.deeplearning4j.resources.directory}.
     */
    private static Path defaultDl4jBaseDir() {
        return DL4JResources.getBaseDirectory().toPath();
    }

    /** DL4J's own download paths; see the class documentation. */
    private static void stockDownload(String dataset, Path cacheDir) throws Exception {
        if (MNIST.equals(dataset)) {
            File dir = cacheDir.toFile();
            for (DataSetResource resource : List.of(ResourceDataSets.mnistTrain(dir),
                    ResourceDataSets.mnistTrainLabels(dir), ResourceDataSets.mnistTest(dir),
                    ResourceDataSets.mnistTestLabels(dir))) {
                if (!resource.existsLocally()) {
                    resource.download(true, 3, 200_000, 20_000);
                }
            }
        } else {
            // what Cifar10DataSetIterator does on first use: unpack DL4J's PNG tree into
            // DL4JResources' base folder/data/cifar10, which is cacheDir (see withDataDir)
            new Cifar10Fetcher().downloadAndExtract();
        }
    }
}
