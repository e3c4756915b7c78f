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
        manifest(dir, "xavier-s1", "{\"init\":\"xavier\",\"alpha\":1.0,\"lossPerEpoch\":[6.1,5.0,4.6],"
                + "\"valBleuPerEpoch\":[8.1,14.0,17.5],\"testBleu\":17.0}");
        manifest(dir, "emergence-xavier-s1", "{\"init\":\"emergence-xavier\",\"alpha\":1.2,\"lossPerEpoch\":[6.0,4.9],"
                + "\"valBleuPerEpoch\":[9.0,15.0],\"testBleu\":15.2}");
        // a run still training has no test BLEU yet, and a folder without a manifest is not a run
        manifest(dir, "xavier-s2", "{\"init\":\"xavier\",\"alpha\":1.0}");
        Files.createDirectories(dir.resolve("checkpoint"));
        assertTrue(SweepCommand.translationCurves(dir, chart));
        BufferedImage png = ImageIO.read(chart.toFile());
        assertEquals(900, png.getWidth());
        assertEquals(700, png.getHeight());
    }
}
