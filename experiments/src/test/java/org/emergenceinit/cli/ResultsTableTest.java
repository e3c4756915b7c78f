package org.emergenceinit.cli;

import org.emergenceinit.harness.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** results.csv as CSV: names with commas, quotes and line breaks survive, and damage is named, never skipped. */
class ResultsTableTest {

    @TempDir
    Path dir;

    private static ResultsTable.Row row(String run, String dataset, int epoch) {
        return new ResultsTable.Row(run, "setting \"a\", b", dataset, "mlp:784-16-10", false, "emergence-xavier", "",
                1.2, 0.01, 3, false, new EpochStats(epoch, 0.01, 0.5, 0.6, 0.875, new BigInteger("123456789012345678901"),
                20.09, 1.5, 2.25));
    }

    @Test
    void namesWithCommasQuotesAndLineBreaksRoundTrip() throws IOException {
        Path table = dir.resolve(ResultsTable.FILE);
        List<ResultsTable.Row> a = List.of(row("run, with \"quotes\"", "images:/data/my,cats\nand dogs", 0),
                row("run, with \"quotes\"", "images:/data/my,cats\nand dogs", 1));
        List<ResultsTable.Row> b = List.of(row("plain", "mnist", 0));
        ResultsTable.put(table, a);
        ResultsTable.put(table, b);
        assertEquals(List.of(a.get(0), a.get(1), b.get(0)), ResultsTable.read(table));
        // Order given: the table follows it, whatever order the runs were put in.
        ResultsTable.put(table, a, List.of("plain", "run, with \"quotes\""));
        assertEquals(List.of(b.get(0), a.get(0), a.get(1)), ResultsTable.read(table));
    }

    @Test
    void theTrainingAccuracyIsAnEmptyCellWhereNotMeasuredAndReadsBack() throws IOException {
        Path table = dir.resolve(ResultsTable.FILE);
        ResultsTable.Row measured = new ResultsTable.Row("m", "m", "mnist", "mlp:784-16-10", false, "xavier", "", 1.0,
                0.01, 1, false, new EpochStats(1, 0.01, 0.5, 0.6, 0.875, BigInteger.TEN, 1.0, 1.5, 2.25, 0.8125));
        ResultsTable.put(table, List.of(row("plain", "mnist", 0)));
        ResultsTable.put(table, List.of(measured));
        List<String> lines = Files.readAllLines(table);
        assertEquals(String.join(",", ResultsTable.COLUMNS), lines.get(0));
        assertTrue(lines.get(1).endsWith(",1.5,,2.25"), "not measured: empty, before seconds: " + lines.get(1));
        assertTrue(lines.get(2).endsWith(",1.5,0.8125,2.25"), lines.get(2));
        List<ResultsTable.Row> back = ResultsTable.read(table);
        assertTrue(Double.isNaN(back.get(0).stats().trainAccuracy()));
        assertEquals(measured, back.get(1));
    }

    @Test
    void aDamagedLineIsAnErrorNamingTheFileAndLine() throws IOException {
        Path table = dir.resolve(ResultsTable.FILE);
        ResultsTable.put(table, List.of(row("r1", "mnist", 0), row("r1", "mnist", 1), row("r2", "mnist", 0)));
        List<String> lines = Files.readAllLines(table);
        Files.write(table, List.of(lines.get(0), lines.get(1), lines.get(2).substring(0, 30), lines.get(3)));
        IOException e = assertThrows(IOException.class, () -> ResultsTable.read(table));
        assertTrue(e.getMessage().contains(table + " line 3 cannot be read"), e.getMessage());
        assertTrue(e.getMessage().contains("repair or delete that line"), e.getMessage());

        Files.write(table, List.of("run,setting", lines.get(1)));
        IOException header = assertThrows(IOException.class, () -> ResultsTable.read(table));
        assertTrue(header.getMessage().contains("line 1") && header.getMessage().contains("header"),
                header.getMessage());
    }
}
