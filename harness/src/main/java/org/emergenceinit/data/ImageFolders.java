package org.emergenceinit.data;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads {@code images:DIR}: a folder with one subfolder per class (DL4J's convention), PNG or JPEG images in
 * them, with DataVec's {@link ImageRecordReader}, {@link ParentPathLabelGenerator} and
 * {@link RecordReaderDataSetIterator}, once, into 8-bit {@link ImageData}.
 *
 * <p>Class names are the subfolder names, sorted. Images are resized to {@code --image-size} (default: the
 * first image's size; images of different sizes then are an error) and read with {@code --channels} (default:
 * 1 if the first image is grey, else 3, in OpenCV's BGR order as DataVec gives them). The split is
 * {@link StratifiedSplit}. Features are {@code pixel / 255}, what DL4J's {@code ImagePreProcessingScaler(0, 1)}
 * does, then with {@code --standardize} each channel is standardised with the training split's statistics.
 * Nothing is written into the folder. The SHA-256 covers each image's path relative to the folder and its
 * bytes, in class then file-name order. Sizes come from the PNG header directly (ImageIO for JPEG), and the
 * images are decoded once per run, in chunks read in parallel, then held as bytes: epochs iterate them as fast
 * as images read from IDX files ({@code Benchmarks images} measures the one-off read).
 */
final class ImageFolders {

    private static final int READ_BATCH = 64;
    /** Images per DataVec reader; the chunks are read in parallel. */
    private static final int CHUNK = 512;
    private static final int PNG_HEADER_BYTES = 26;
    private static final long PNG_SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;

    private ImageFolders() {
    }

    /** One image file and its class. */
    private record Image(Path file, int label) {
    }

    /**
     * @param name    the dataset name as given, {@code images:DIR}
     * @param dir     the folder
     * @param options image size, channels, test fraction
     * @throws InvalidDataFileException if the folder or an image is not usable; the message names it and what to do
     */
    static DatasetSource load(String name, Path dir, OwnDataSpec options) throws IOException {

        if (!Files.isDirectory(dir)) {
            throw new DatasetNotFoundException(name + ": no such folder: " + dir.toAbsolutePath().normalize()
                    + "; give a folder with one subfolder per class.", List.of(dir.toString()), null);
        }
        String where = dir.toAbsolutePath().normalize().toString();
        List<Path> classDirs;
        boolean hasFiles;
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> all = entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            classDirs = all.stream().filter(Files::isDirectory).toList();
            hasFiles = all.stream().anyMatch(Files::isRegularFile);
        }
        if (classDirs.isEmpty()) {
            throw new InvalidDataFileException(where + (hasFiles ? " has no class subfolders" : " is empty")
                    + ": put the images in one subfolder per class, e.g. " + where + "/cat/1.png and "
                    + where + "/dog/2.png.");
        }
        if (classDirs.size() < 2) {
            throw new InvalidDataFileException(where + " has only one class subfolder ("
                    + classDirs.get(0).getFileName() + "): at least two classes are needed.");
        }
        List<String> classNames = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> files;
            try (Stream<Path> entries = Files.list(classDir)) {
                files = entries.filter(Files::isRegularFile).filter(ImageFolders::isImageName).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new InvalidDataFileException(classDir.toAbsolutePath().normalize() + ": class folder holds no"
                        + " PNG or JPEG images (.png, .jpg, .jpeg); add images or remove the folder.");
            }
            for (Path file : files) {
                images.add(new Image(file, classNames.size()));
            }
            classNames.add(classDir.getFileName().toString());
        }

        int[] size = options.imageHeightWidth();
        MessageDigest digest = sha256();
        int[] first = null;
        for (Image image : images) {
            byte[] bytes = readAll(image.file());
            digest.update(dir.relativize(image.file()).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(bytes);
            int[] h = header(image.file(), bytes);
            if (first == null) {
                first = h;
            }
            if (size == null && (h[0] != first[0] || h[1] != first[1])) {
                throw new InvalidDataFileException(String.format(Locale.ROOT, "Images differ in size: %s is %dx%d,"
                        + " %s is %dx%d (HxW); pass --image-size HxW to resize them all.", image.file(), h[0], h[1],
                        images.get(0).file(), first[0], first[1]));
            }
        }
        int channels = options.channels() != null ? options.channels() : (first[2] <= 2 ? 1 : 3);
        int height = size != null ? size[0] : first[0];
        int width = size != null ? size[1] : first[1];

        int[] labels = images.stream().mapToInt(Image::label).toArray();
        StratifiedSplit split = StratifiedSplit.of(labels, classNames, options.testFraction(), where, "images");
        ImageData train = read(images, split.train, classNames, channels, height, width);
        ImageData test = read(images, split.test, classNames, channels, height, width);
        String label = String.format(Locale.US, "%s (%,d train / %,d test, %dx%dx%d, %d classes)", name,
                train.size(), test.size(), channels, height, width, classNames.size());
        return new DatasetSource(name, label, List.of(where), HexFormat.of().formatHex(digest.digest()), train, test, classNames,
                options.standardize());
    }

    /**
     * Reads every image of {@code dir/<class>/} for the given classes, in class then file-name order, at
     * {@code height x width}, 3 channels in RGB order (DataVec's BGR planes swapped).
     */
    static ImageData readTree(Path dir, List<String> classFolders, int height, int width) throws IOException {
        List<Image> images = new ArrayList<>();
        for (int c = 0; c < classFolders.size(); c++) {
            try (Stream<Path> entries = Files.list(dir.resolve(classFolders.get(c)))) {
                for (Path file : entries.filter(ImageFolders::isImageName).sorted().toList()) {
                    images.add(new Image(file, c));
                }
            }
        }
        int[] all = IntStream.range(0, images.size()).toArray();
        ImageData bgr = read(images, all, classFolders, 3, height, width);
        byte[] pixels = bgr.pixels();
        int plane = height * width;
        for (int i = 0; i < bgr.size(); i++) {
            int offset = i * 3 * plane;
            for (int j = 0; j < plane; j++) {
                byte blue = pixels[offset + j];
                pixels[offset + j] = pixels[offset + 2 * plane + j];
                pixels[offset + 2 * plane + j] = blue;
            }
        }
        return new ImageData(pixels, bgr.labels(), 3, height, width, classFolders.size());
    }

    /** @return hex SHA-256 over every file below {@code dir}: relative path and bytes, in path order */
    static String treeSha256(Path dir) throws IOException {
        MessageDigest digest = sha256();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(dir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(readAll(file));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isImageName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /**
     * @return {@code {height, width, bands}} from the image's header, without decoding the pixels: read from a
     *         PNG's IHDR chunk directly (ImageIO takes about ten times as long), from other files with ImageIO
     */
    private static int[] header(Path file, byte[] bytes) throws InvalidDataFileException {
        ByteBuffer png = ByteBuffer.wrap(bytes);
        if (bytes.length >= PNG_HEADER_BYTES && png.getLong(0) == PNG_SIGNATURE && png.getInt(12) == IHDR) {
            int bands = switch (bytes[25]) {
                case 0 -> 1;
                case 4 -> 2;
                case 6 -> 4;
                default -> 3;
            };
            int width = png.getInt(16);
            int height = png.getInt(20);
            if (width > 0 && height > 0) {
                return new int[] {height, width, bands};
            }
        }
        return imageIoHeader(file, bytes);
    }

    private static int[] imageIoHeader(Path file, byte[] bytes) throws InvalidDataFileException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidDataFileException(file.toAbsolutePath() + ": not a readable PNG or JPEG image;"
                        + " replace or remove the file.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                int bands = types.hasNext() ? types.next().getNumBands() : 3;
                return new int[] {reader.getHeight(0), reader.getWidth(0), bands};
            } finally {
                reader.dispose();
            }
        } catch (InvalidDataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidDataFileException(file.toAbsolutePath() + ": not a readable PNG or JPEG image ("
                    + e.getMessage() + "); replace or remove the file.", e);
        }
    }

    /**
     * Reads the images at {@code indices} through DataVec into 8-bit pixels, in chunks of {@value #CHUNK} images
     * read in parallel, each by its own {@link ImageRecordReader}.
     */
    private static ImageData read(List<Image> images, int[] indices, List<String> classNames, int channels,
            int height, int width) throws IOException {
        int ppi = channels * height * width;
        byte[] pixels = new byte[indices.length * ppi];
        byte[] labels = new byte[indices.length];
        int chunks = (indices.length + CHUNK - 1) / CHUNK;
        try {
            IntStream.range(0, chunks).parallel().forEach(k -> {
                try {
                    readChunk(images, indices, k * CHUNK, Math.min((k + 1) * CHUNK, indices.length), classNames,
                            channels, height, width, pixels, labels);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (int j = 0; j < indices.length; j++) {
            if (labels[j] != images.get(indices[j]).label()) {
                throw new IllegalStateException("DataVec labelled " + images.get(indices[j]).file() + " as class "
                        + labels[j] + ", expected " + images.get(indices[j]).label());
            }
        }
        return new ImageData(pixels, labels, channels, height, width, classNames.size());
    }

    /** Reads the images at {@code indices[from..to)} into {@code pixels} and {@code labels} at the same rows. */
    private static void readChunk(List<Image> images, int[] indices, int from, int to, List<String> classNames,
            int channels, int height, int width, byte[] pixels, byte[] labels) throws IOException {
        List<URI> uris = new ArrayList<>();
        for (int j = from; j < to; j++) {
            uris.add(images.get(indices[j]).file().toUri());
        }
        int ppi = channels * height * width;
        try (ImageRecordReader reader = quietReader(height, width, channels)) {
            reader.initialize(new CollectionInputSplit(uris));
            reader.setLabels(classNames);
            RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(reader, READ_BATCH, 1,
                    classNames.size());
            int at = from;
            while (it.hasNext()) {
                DataSet batch;
                try {
                    batch = it.next();
                } catch (RuntimeException e) {
                    throw unreadable(images, indices, at, Math.min(at + READ_BATCH, to), channels, e);
                }
                INDArray features = Nd4j.toFlattened('c', batch.getFeatures());
                float[] values = features.toFloatVector();
                for (int j = 0; j < values.length; j++) {
                    pixels[at * ppi + j] = (byte) Math.max(0, Math.min(255, Math.round(values[j])));
                }
                int[] classes = batch.getLabels().argMax(1).toIntVector();
                for (int j = 0; j < classes.length; j++) {
                    labels[at + j] = (byte) classes[j];
                }
                at += batch.numExamples();
            }
        }
    }

    /** @return an {@link ImageRecordReader} with a {@link ParentPathLabelGenerator} that does not log per chunk */
    private static ImageRecordReader quietReader(int height, int width, int channels) {
        ImageRecordReader reader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator()) {
            {
                logLabelCountOnInit = false;
            }
        };
        return reader;
    }

    /** Names the first image among {@code indices[from..to)} that OpenCV cannot decode. */
    private static InvalidDataFileException unreadable(List<Image> images, int[] indices, int from, int to,
            int channels, RuntimeException failure) {
        NativeImageLoader loader = new NativeImageLoader(1, 1, channels);
        for (int j = from; j < to; j++) {
            File file = images.get(indices[j]).file().toFile();
            try {
                loader.asMatrix(file);
            } catch (IOException | RuntimeException e) {
                return new InvalidDataFileException(file.getAbsolutePath() + ": corrupt image, DataVec cannot"
                        + " decode it (" + e.getMessage() + "); replace or remove the file.", e);
            }
        }
        return new InvalidDataFileException("DataVec failed to read the images " + images.get(indices[from]).file()
                + " .. " + images.get(indices[to - 1]).file() + ": " + failure.getMessage(), failure);
    }

    private static byte[] readAll(Path file) throws InvalidDataFileException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidDataFileException(file.toAbsolutePath() + ": cannot be read (" + e.getMessage()
                    + "); check that it is a readable file.", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
