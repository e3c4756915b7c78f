package org.emergenceinit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLabelsTest {

    private static final String SUBSET = "cifar10-subset (5,085 train / 1,017 test)";

    private static void run(Path folder, String name, String dataset, String label) throws Exception {
        Path dir = folder.resolve("runs").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.json"), "{\"name\":\"" + name + "\",\"dataset\":{\"name\":\""
                + dataset + "\",\"label\":\"" + label + "\",\"train\":1}}");
    }

    @Test
    void aSubsetIsNamedInTheTitlesAndTheLabelsOutliveTheRunsFolder(@TempDir Path folder) throws Exception {
        run(folder, "cifar10_a_s1", "cifar10", SUBSET);
        run(folder, "mnist_a_s1", "mnist", "mnist");
        Map<String, String> labels = ReportCommand.datasetLabels(folder);
        assertEquals(Map.of("cifar10", SUBSET, "mnist", "mnist"), labels);
        assertEquals(SUBSET + " cnn:c32-p-f64-10 + BN", ReportCommand.title("cifar10 cnn:c32-p-f64-10 + BN", labels));
        assertEquals("mnist mlp:784-10", ReportCommand.title("mnist mlp:784-10", labels));
        assertEquals("fashion-mnist mlp:784-10", ReportCommand.title("fashion-mnist mlp:784-10", labels));
        assertTrue(Files.readString(folder.resolve(ReportCommand.DATASETS_FILE)).contains(SUBSET));

        // a results folder committed without runs/: the labels come from the kept file
        run(folder, "x", "x", "x");
        Files.walk(folder.resolve("runs")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertEquals(Map.of("cifar10", SUBSET, "mnist", "mnist"), ReportCommand.datasetLabels(folder));
    }

    @Test
    void noRunsAndNoFileMeansNoLabelsAndADamagedFileIsNamed(@TempDir Path folder) throws Exception {
        assertEquals(Map.of(), ReportCommand.datasetLabels(folder));
        assertEquals("cifar10 cnn:x", ReportCommand.title("cifar10 cnn:x", Map.of()));
        Files.writeString(folder.resolve(ReportCommand.DATASETS_FILE), "{\"cifar10\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportCommand.datasetLabels(folder));
        assertTrue(e.getMessage().contains(ReportCommand.DATASETS_FILE) && e.getMessage().contains("fix or delete it"),
                e.getMessage());
    }
}
