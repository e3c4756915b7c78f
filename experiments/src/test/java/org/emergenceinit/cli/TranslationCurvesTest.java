package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranslationCurvesTest {

    private static void manifest(Path folder, String run, String body) throws Exception {
        Files.createDirectories(folder.resolve(run));
        Files.writeString(folder.resolve(run).resolve("manifest.json"), body);
    }

    @Test
    void drawsTheFinishedRunsAndSkipsTheRest(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("curves.png");
        assertFalse(SweepCommand.translationCurves(dir, chart), "no runs, no chart");
        assertFalse(Files.exists(chart));
        // the schema TranslationExample writes (the numbers under "result"), and one written before it (top level)
        manifest(dir, "xavier-s1", "{\"kind\":\"translate\",\"init\":\"xavier\",\"alpha\":1.0,\"result\":"
                + "{\"lossPerEpoch\":[6.1,5.0,4.6],\"valBleuPerEpoch\":[8.1,14.0,17.5],\"testBleu\":17.0}}");
        assertTrue(SweepCommand.translationCurves(dir, chart), "a finished run in today's schema is drawn");
        long oneRun = Files.size(chart);
        manifest(dir, "emergence-xavier-s1", "{\"example\":\"org.emergenceinit.nmt.TranslationExample\","
                + "\"init\":\"emergence-xavier\",\"alpha\":1.2,\"lossPerEpoch\":[6.0,4.9],"
                + "\"valBleuPerEpoch\":[9.0,15.0],\"testBleu\":15.2}");
        assertTrue(SweepCommand.translationCurves(dir, chart));
        assertTrue(Files.size(chart) != oneRun, "the old-schema run adds a series");
        // a folder without a manifest or checkpoint is not a run, and one without epochs yet has nothing to draw
        manifest(dir, "xavier-s2", "{\"init\":\"xavier\",\"alpha\":1.0}");
        Files.createDirectories(dir.resolve("checkpoint"));
        Files.createDirectories(dir.resolve("xavier-s3").resolve("checkpoint"));
        Files.writeString(dir.resolve("xavier-s3").resolve("checkpoint").resolve("progress.json"),
                "{\"identity\":{\"--init\":\"xavier\",\"--alpha\":1.2},\"losses\":[],\"valBleu\":[]}");
        assertTrue(SweepCommand.translationCurves(dir, chart));
        long finishedOnly = Files.size(chart);
        // a run still training: drawn from its checkpoint's epochs so far
        Files.createDirectories(dir.resolve("emergence-xavier-s2").resolve("checkpoint"));
        Files.writeString(dir.resolve("emergence-xavier-s2").resolve("checkpoint").resolve("progress.json"),
                "{\"identity\":{\"--init\":\"emergence-xavier\",\"--alpha\":1.2},\"losses\":[6.0,3.9],"
                        + "\"valBleu\":[9.7,17.1]}");
        assertTrue(SweepCommand.translationCurves(dir, chart));
        assertTrue(Files.size(chart) != finishedOnly, "the unfinished run adds a series");
        // killed while its checkpoint was being swapped: the one being swapped out is read
        long withUnfinished = Files.size(chart);
        Files.createDirectories(dir.resolve("xavier-s4").resolve("checkpoint.old"));
        Files.writeString(dir.resolve("xavier-s4").resolve("checkpoint.old").resolve("progress.json"),
                "{\"identity\":{\"--init\":\"xavier\",\"--alpha\":1.2},\"losses\":[6.2,4.1],\"valBleu\":[8.0,15.0]}");
        assertTrue(SweepCommand.translationCurves(dir, chart));
        assertTrue(Files.size(chart) != withUnfinished, "the swapped-out checkpoint adds a series");
        BufferedImage png = ImageIO.read(chart.toFile());
        assertEquals(900, png.getWidth());
        assertEquals(700, png.getHeight());
    }

    @Test
    void aCorruptCheckpointOrManifestLeavesThatRunOutWithALineSayingWhyAndTheOthersAreDrawn(@TempDir Path dir)
            throws Exception {
        Path chart = dir.resolve("curves.png");
        manifest(dir, "xavier-s1", "{\"kind\":\"translate\",\"init\":\"xavier\",\"alpha\":1.0,\"result\":"
                + "{\"lossPerEpoch\":[6.1,5.0],\"valBleuPerEpoch\":[8.1,14.0],\"testBleu\":14.2}}");
        assertTrue(SweepCommand.translationCurves(dir, chart));
        byte[] alone = Files.readAllBytes(chart);
        // a run killed while writing its progress file (cut short), and a manifest that is not JSON
        Path progress = dir.resolve("emergence-xavier-s1").resolve("checkpoint").resolve("progress.json");
        Files.createDirectories(progress.getParent());
        Files.writeString(progress, "{\"identity\":{\"--init\":\"emergence-xavier\",\"--alpha\":1.2},\"losses\":[6.0,");
        manifest(dir, "xavier-s2", "not json");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertTrue(SweepCommand.translationCurves(dir, chart), "the readable run is still drawn");
        } finally {
            System.setErr(stderr);
        }
        String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("curves.png leaves out emergence-xavier-s1: " + progress
                + " cannot be read as a translation checkpoint"), said);
        assertTrue(said.contains("delete " + progress.getParent()), said);
        assertTrue(said.contains("curves.png leaves out xavier-s2"), said);
        org.junit.jupiter.api.Assertions.assertArrayEquals(alone, Files.readAllBytes(chart),
                "the chart is the readable run's alone");
        // resuming reads the same file and says the same
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> org.emergenceinit.nmt.TranslationSweep.progress(dir.resolve("emergence-xavier-s1")));
        assertTrue(e.getMessage().startsWith(progress + " cannot be read"), e.getMessage());
        Files.writeString(progress, "[1, 2]");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> org.emergenceinit.nmt.TranslationSweep.progress(dir.resolve("emergence-xavier-s1")));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }

    @Test
    void reportDrawsATranslationSweepFolderAndStillRefusesAFolderWithoutResults(@TempDir Path dir) throws Exception {
        manifest(dir, "xavier-s1", "{\"kind\":\"translate\",\"init\":\"xavier\",\"alpha\":1.0,\"result\":"
                + "{\"lossPerEpoch\":[6.1,5.0],\"valBleuPerEpoch\":[8.1,14.0],\"testBleu\":14.2}}");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status = EmergenceCli.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "report", "--in",
                dir.toString());
        assertEquals(0, status, err.toString());
        assertTrue(out.toString().contains("curves.png"), out.toString());
        assertTrue(Files.isRegularFile(dir.resolve("curves.png")));
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        java.io.StringWriter err2 = new java.io.StringWriter();
        int refused = EmergenceCli.run(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err2), "report", "--in", empty.toString());
        assertTrue(refused != 0);
        assertTrue(err2.toString().contains("has no results.csv"), err2.toString());
    }
}
