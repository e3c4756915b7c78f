package org.emergenceinit.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Writes images of an {@link ImageData} (for example the embedded MNIST digits) as a user's data would look:
 * a PNG folder with one subfolder per class for {@code images:DIR}, or a numeric CSV for {@code csv:FILE}.
 * Used by the tests and the speed benchmark, and to try {@code TrainOnYourData} without data of one's own.
 *
 * <pre>{@code
 * ImageData digits = Datasets.load("mnist-embedded", null).train();
 * SampleData.writeImageFolder(digits, List.of(0, 1, 2), 40, Path.of("/tmp/digits"));   // /tmp/digits/0/0.png ...
 * }</pre>
 */
public final class SampleData {

    private SampleData() {
    }

    /**
     * Writes the first {@code perClass} images of each class in {@code classes} as 8-bit PNGs (grey for one
     * channel, RGB for three) into {@code dir/<class index>/<image index>.png}.
     *
     * @return the number of images written
     */
    public static int writeImageFolder(ImageData images, List<Integer> classes, int perClass, Path dir)
            throws IOException {
        int[] written = new int[images.numClasses()];
        int total = 0;
        for (int i = 0; i < images.size(); i++) {
            int label = images.label(i);
            if (!classes.contains(label) || written[label] >= perClass) {
                continue;
            }
            Path classDir = Files.createDirectories(dir.resolve(Integer.toString(label)));
            ImageIO.write(toImage(images, i), "png", classDir.resolve(i + ".png").toFile());
            written[label]++;
            total++;
        }
        return total;
    }

    /**
     * Writes the first {@code perClass} images of each class in {@code classes} as a CSV with a header line:
     * one line per image, its pixels (0..255) then its class index as the last column.
     *
     * @return the number of data lines written
     */
    public static int writeCsv(ImageData images, List<Integer> classes, int perClass, Path file) throws IOException {
        int[] written = new int[images.numClasses()];
        int total = 0;
        byte[] pixels = images.pixels();
        int ppi = images.pixelsPerImage();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int j = 0; j < ppi; j++) {
                out.write("p" + j + ",");
            }
            out.write("label\n");
            for (int i = 0; i < images.size(); i++) {
                int label = images.label(i);
                if (!classes.contains(label) || written[label] >= perClass) {
                    continue;
                }
                StringBuilder line = new StringBuilder();
                for (int j = 0; j < ppi; j++) {
                    line.append(pixels[i * ppi + j] & 0xFF).append(',');
                }
                out.write(line.append(label).append('\n').toString());
                written[label]++;
                total++;
            }
        }
        return total;
    }

    private static BufferedImage toImage(ImageData images, int i) {
        int h = images.height();
        int w = images.width();
        int c = images.channels();
        BufferedImage image = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < c; b++) {
                    raster.setSample(x, y, b, images.pixel(i, b, y, x));
                }
            }
        }
        return image;
    }
}
