package org.emergenceinit.cli;

import static org.emergenceinit.cli.PlanCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.ImageData;
import org.emergenceinit.data.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} and {@code train} take {@code images:DIR} and {@code csv:FILE} with their options. */
class UserDataCommandsTest {

    @TempDir
    Path dir;

    @Test
    void inspectAndTrainReadUserDataAndReportErrorsInOneLine() throws Exception {
        ImageData digits = Datasets.load(Datasets.MNIST_EMBEDDED, null).train();
        Path tree = dir.resolve("digits");
        SampleData.writeImageFolder(digits, List.of(3, 7), 20, tree);
        Path csv = dir.resolve("digits.csv");
        SampleData.writeCsv(digits, List.of(3, 7, 8), 20, csv);   // labels 3, 7, 8: classes 0..8

        PlanCommandTest.Result inspect = run("inspect", "--json", "--dataset", "images:" + tree, "--image-size",
                "14x14", "--test-fraction", "0.25", "--arch", "mlp:196-32-2", "--init", "emergence-kaiming");
        assertEquals(0, inspect.status(), inspect.err());
        JsonNode json = new ObjectMapper().readTree(inspect.out());
        assertEquals("images:" + tree + " (30 train / 10 test, 1x14x14, 2 classes)", json.get("dataset").asText());

        PlanCommandTest.Result train = run("train", "--json", "--dataset", "csv:" + csv, "--arch", "mlp:784-16-9",
                "--epochs", "1", "--batch", "16", "--probe-samples", "12", "--out", dir.resolve("run").toString());
        assertEquals(0, train.status(), train.err());
        assertTrue(Files.isRegularFile(dir.resolve("run").resolve("normalizer.bin")));

        PlanCommandTest.Result wrongArch = run("train", "--dataset", "csv:" + csv, "--arch", "mlp:784-16-3");
        assertEquals(2, wrongArch.status());
        assertTrue(wrongArch.err().contains("has 3 outputs but csv:" + csv + " has 9 classes: end the arch with 9."),
                wrongArch.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        PlanCommandTest.Result bad = run("train", "--dataset", "images:" + empty, "--arch", "mlp:784-16-3");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains(empty + " is empty: put the images in one subfolder per class"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
