package org.emergenceinit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Regenerates the embedded MNIST subset, {@code src/main/resources/org/emergenceinit/data/mnist-embedded/}:
 * the first {@value #TRAIN} training and first {@value #TEST} test images and labels of full MNIST, written
 * as gzipped IDX files with the canonical names. The output is byte-for-byte reproducible.
 *
 * <p>Run from the {@code examples} folder, after {@code mvn -pl examples -am test-compile} (it needs
 * only the JDK and the compiled classes):
 * <pre>
 * java -cp target/classes:target/test-classes org.emergenceinit.data.EmbeddedMnistGenerator \
 *     ../../shared/datasets/mnist src/main/resources/org/emergenceinit/data/mnist-embedded
 * </pre>
 * {@code EmbeddedMnistTest} checks that the committed files equal this subset of the full files when those
 * are present.
 */
public final class EmbeddedMnistGenerator {

    /** Training images kept. */
    public static final int TRAIN = 6_000;
    /** Test images kept. */
    public static final int TEST = 1_000;

    private EmbeddedMnistGenerator() {
    }

    /**
     * @param args the folder of full MNIST (the four IDX files, gzipped or plain) and the output folder
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("Usage: EmbeddedMnistGenerator MNIST_DIR OUTPUT_DIR");
            System.exit(2);
        }
        generate(Paths.get(args[0]), Paths.get(args[1]));
    }

    /** Writes the four gzipped subset files of {@code mnistDir} into {@code outputDir}. */
    public static void generate(Path mnistDir, Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        write(mnistDir, outputDir, 0, TRAIN);
        write(mnistDir, outputDir, 2, TEST);
    }

    private static void write(Path mnistDir, Path outputDir, int first, int count) throws IOException {
        String images = Datasets.IDX_FILES.get(first);
        String labels = Datasets.IDX_FILES.get(first + 1);
        IdxReader.Images img = IdxReader.readImages(find(mnistDir, images), count);
        byte[] lab = IdxReader.readLabels(find(mnistDir, labels), count);
        if (img.count() != count || lab.length != count) {
            throw new IOException(mnistDir + " holds fewer than " + count + " examples in " + images + " or " + labels);
        }
        IdxWriter.writeImages(outputDir.resolve(images + ".gz"), img, true);
        IdxWriter.writeLabels(outputDir.resolve(labels + ".gz"), lab, true);
    }

    private static Path find(Path dir, String name) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new IOException("Neither " + gz + " nor " + plain + " exists");
    }
}
