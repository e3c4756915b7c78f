package org.emergenceinit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train} and {@code compare} on tiny settings. */
class TrainingCommandsTest {

    @TempDir
    Path dir;

    @Test
    void trainJsonHasTheEpochFields() throws Exception {
        PlanCommandTest.Result r = run("train", "--dataset", "mnist-embedded", "--arch", "mlp:784-32-16-10",
                "--init", "emergence-kaiming", "--alpha", "1.1", "--epochs", "2", "--max-batches", "2",
                "--probe-samples", "50", "--out", dir.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("emergence-kaiming", json.get("init").asText());
        JsonNode epochs = json.get("epochs");
        assertEquals(3, epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            JsonNode e = epochs.get(i);
            for (String field : List.of("epoch", "trainLoss", "testLoss", "testAccuracy", "E", "log10E", "relativeE",
                    "seconds")) {
                assertTrue(e.has(field), field + " in " + e);
            }
            assertEquals(i, e.get("epoch").asInt());
            assertTrue(e.get("testAccuracy").asDouble() >= 0 && e.get("testAccuracy").asDouble() <= 1);
        }
        assertTrue(epochs.get(0).get("trainLoss").isNull(), "not trained at epoch 0");
        assertTrue(epochs.get(2).get("trainLoss").isNumber());
        assertTrue(r.err().contains("epoch 2/2"), "progress goes to standard error with --json");
        assertTrue(Files.isRegularFile(dir.resolve("manifest.json")));
        assertTrue(Files.isRegularFile(dir.resolve("epochs.csv")));
    }

    @Test
    void badTrainingOptionsExitWithStatus2AndOneLine() {
        for (String[] bad : List.of(new String[] {"--optimizer", "rmsprop"}, new String[] {"--epochs", "0"},
                new String[] {"--batch", "0"}, new String[] {"--lr", "0"})) {
            PlanCommandTest.Result r = run("train", "--out", dir.toString(), bad[0], bad[1]);
            assertEquals(2, r.status(), Arrays.toString(bad));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(bad[0]), r.err());
        }
    }

    @Test
    void compareOnATinySettingPrintsTheTableAndWritesAPng() throws Exception {
        PlanCommandTest.Result r = run("compare", "--arch", "mlp:784-32-32-10", "--inits", "xavier,emergence-xavier",
                "--seeds", "2", "--epochs", "1", "--max-batches", "2", "--probe-samples", "50",
                "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("test accuracy after epoch 1"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("xavier ") && l.endsWith("0/2")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("emergence-xavier ") && l.contains(" ± ")), r.out());
        Path png = dir.resolve("comparison.png");
        try (InputStream in = Files.newInputStream(png)) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, in.readNBytes(8));
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals(1 + 2 * 2 * 2, csv.size(), "header + 2 inits x 2 seeds x epochs 0..1");
        assertTrue(Files.readString(dir.resolve("comparison.txt")).contains("emergence-xavier"));
        try (var runs = Files.list(dir)) {
            assertEquals(4, runs.filter(Files::isDirectory).count(), "one folder per run");
        }
    }

    /** compare --jobs 2 gives the table and the CSV of --jobs 1 (apart from the seconds column); --jobs 0 is refused. */
    @Test
    void compareGivesTheSameNumbersWithTwoJobs() throws Exception {
        List<List<String>> csvs = new java.util.ArrayList<>();
        List<String> tables = new java.util.ArrayList<>();
        for (String jobs : List.of("1", "2")) {
            Path out = dir.resolve("jobs" + jobs);
            PlanCommandTest.Result r = run("compare", "--arch", "mlp:784-32-32-10", "--inits",
                    "xavier,emergence-xavier", "--seeds", "2", "--epochs", "1", "--max-batches", "3",
                    "--probe-samples", "50", "--jobs", jobs, "--out", out.toString());
            assertEquals(0, r.status(), r.err());
            tables.add(Files.readString(out.resolve("comparison.txt")));
            csvs.add(Files.readAllLines(out.resolve("comparison.csv")).stream()
                    .map(l -> l.substring(0, l.lastIndexOf(','))).toList()); // seconds is the last column
        }
        assertEquals(tables.get(0), tables.get(1));
        assertEquals(csvs.get(0), csvs.get(1));
        PlanCommandTest.Result zero = run("compare", "--jobs", "0", "--out", dir.resolve("zero").toString());
        assertEquals(2, zero.status());
        assertTrue(zero.err().contains("--jobs must be at least 1"), zero.err());
        assertTrue(!Files.exists(dir.resolve("zero")));
    }

    /** Another command on a folder holding a run is refused (exit 2) and, with --force, replaced once it finished. */
    @Test
    void aRunIsNeverOverwrittenWithoutForce() throws Exception {
        Path out = dir.resolve("run");
        String[] first = {"train", "--dataset", "mnist-embedded", "--arch", "mlp:784-16-10", "--epochs", "1",
                "--max-batches", "2", "--probe-samples", "20", "--out", out.toString()};
        assertEquals(0, run(first).status());
        String before = Files.readString(out.resolve("epochs.csv"));
        String[] other = Arrays.copyOf(first, first.length);
        other[8] = "3"; // --max-batches 3
        PlanCommandTest.Result refused = run(other);
        assertEquals(2, refused.status(), refused.out());
        assertTrue(refused.err().contains("holds a run with other options (maxBatches 2 there, 3 now)")
                && refused.err().contains("--force"), refused.err());
        assertEquals(before, Files.readString(out.resolve("epochs.csv")), "the run is left as it was");

        PlanCommandTest.Result again = run(first);
        assertEquals(0, again.status(), again.err());
        assertEquals(before, Files.readString(out.resolve("epochs.csv")), "the same command: already finished");

        String[] forced = Arrays.copyOf(other, other.length + 1);
        forced[other.length] = "--force";
        PlanCommandTest.Result replaced = run(forced);
        assertEquals(0, replaced.status(), replaced.err());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"maxBatches\" : 3"));
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));
        assertTrue(!Files.exists(dir.resolve("run.replacing")) && !Files.exists(dir.resolve("run.replaced")));
    }

    /** Without --arch, train follows the data (as the README says): here a folder of 12x12 images in 3 classes. */
    @Test
    void trainWithoutArchFollowsTheData() throws Exception {
        Path images = dir.resolve("images");
        java.util.Random rnd = new java.util.Random(3);
        for (String label : List.of("a", "b", "c")) {
            Files.createDirectories(images.resolve(label));
            for (int i = 0; i < 8; i++) {
                BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
                for (int x = 0; x < 12; x++) {
                    for (int y = 0; y < 12; y++) {
                        img.setRGB(x, y, rnd.nextInt(0xFFFFFF));
                    }
                }
                ImageIO.write(img, "png", images.resolve(label).resolve(i + ".png").toFile());
            }
        }
        PlanCommandTest.Result r = run("train", "--dataset", "images:" + images, "--epochs", "1",
                "--probe-samples", "5", "--out", dir.resolve("run").toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("cnn:c16-p-c32-p-f64-3", json.get("arch").asText(), r.out());
    }

    /** The default of one option as {@code --help} shows it, e.g. {@code (default: 2)}. */
    private static String shownDefault(String help, String option) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s+" + option + "[= ]").matcher(help);
        assertTrue(m.find(), option + " in the help: " + help);
        int d = help.indexOf("(default: ", m.start());
        return help.substring(d, help.indexOf(')', d) + 1);
    }

    @Test
    void trainAndCompareShareOneSetOfDefaults() {
        String train = run("train", "--help").out();
        String compare = run("compare", "--help").out();
        for (String option : List.of("--epochs", "--momentum", "--lr", "--batch", "--alpha", "--optimizer",
                "--probe-samples")) {
            assertEquals(shownDefault(train, option), shownDefault(compare, option), option);
        }
        assertEquals("(default: 2)", shownDefault(train, "--epochs"));
        assertEquals("(default: 0.9 for sgd; adam takes none)", shownDefault(train, "--momentum"));
        // adam without --momentum trains (momentum 0.9 is sgd's default, not an error for adam)
        PlanCommandTest.Result adam = run("train", "--arch", "mlp:784-16-10", "--optimizer", "adam", "--epochs", "1",
                "--max-batches", "2", "--probe-samples", "50", "--out", dir.resolve("adam").toString());
        assertEquals(0, adam.status(), adam.err());
        PlanCommandTest.Result both = run("train", "--optimizer", "adam", "--momentum", "0.5", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("--momentum applies to --optimizer sgd only"), both.err());
        assertTrue(!Files.exists(dir.resolve("bad")));
    }
}
