package org.emergenceinit.harness.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep engine on runs that only produce rows: resume, order, groups, failures, the CSV table. */
class SweepEngineTest {

    @TempDir
    Path dir;

    /** A row: the run's name and a value. */
    record Row(String run, String value) {
    }

    private CsvTable<Row> table() {
        return new CsvTable<>(dir.resolve("results.csv"), List.of("run", "value"), new CsvTable.Codec<>() {
            @Override
            public String[] cells(Row r) {
                return new String[] {r.run(), r.value()};
            }

            @Override
            public Row row(String[] c) {
                if (c[1].isEmpty()) {
                    throw new IllegalArgumentException("no value");
                }
                return new Row(c[0], c[1]);
            }
        }, Row::run);
    }

    /** A run that sleeps {@code millis}, then gives one row, or throws when {@code fail}. */
    private final class Job implements SweepEngine.Run<Row> {
        final String name;
        final String group;
        final long millis;
        final boolean fail;
        final List<String> log;

        Job(String name, String group, long millis, boolean fail, List<String> log) {
            this.name = name;
            this.group = group;
            this.millis = millis;
            this.fail = fail;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String group() {
            return group;
        }

        @Override
        public Path folder() {
            return dir.resolve("runs").resolve(name);
        }

        @Override
        public Optional<List<Row>> finished(List<Row> recorded) {
            return recorded.isEmpty() ? Optional.empty() : Optional.of(recorded);
        }

        @Override
        public List<Row> run() throws Exception {
            log.add("start " + name);
            Thread.sleep(millis);
            if (fail) {
                throw new IOException("cannot run " + name);
            }
            log.add("end " + name);
            return List.of(new Row(name, "v, \"" + name + "\""));
        }
    }

    @Test
    void runsInOrderResumesRecordsFailuresAndRetriesThem() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<Job> jobs = List.of(new Job("a, \"one\"", "a", 150, false, log), new Job("b", "b", 10, false, log),
                new Job("c1", "c", 10, false, log), new Job("c2", "c", 10, false, log),
                new Job("d", "d", 10, true, log));
        SweepEngine.Outcome<Row> first = SweepEngine.of(table()).jobs(2).run(jobs);
        assertEquals(List.of("d"), first.failed());
        assertTrue(first.errors().get("d").getMessage().contains("cannot run d"));
        assertTrue(Files.readString(dir.resolve("runs").resolve("d").resolve(SweepEngine.ERROR_FILE))
                .contains("cannot run d"), "the stack trace is kept");
        List<String> names = List.of("a, \"one\"", "b", "c1", "c2");
        assertEquals(names, first.rows().stream().map(Row::run).toList(), "the runs' order, not the finishing order");
        assertEquals(first.rows(), table().read(), "the table, read back: names with commas and quotes survive");
        assertTrue(log.indexOf("end c1") < log.indexOf("start c2"), "a group runs in order: " + log);
        assertTrue(log.indexOf("end b") < log.indexOf("end a, \"one\""), "two at once: " + log);

        // Resumed: only the failed run runs again.
        List<String> again = Collections.synchronizedList(new ArrayList<>());
        List<Job> retry = List.of(new Job("a, \"one\"", "a", 0, false, again), new Job("b", "b", 0, false, again),
                new Job("c1", "c", 0, false, again), new Job("c2", "c", 0, false, again),
                new Job("d", "d", 0, false, again));
        SweepEngine.Outcome<Row> second = SweepEngine.of(table()).run(retry);
        assertEquals(List.of("start d", "end d"), again);
        assertTrue(second.failed().isEmpty());
        assertEquals(List.of("a, \"one\"", "b", "c1", "c2", "d"), table().read().stream().map(Row::run).toList());
    }

    @Test
    void stopOnFailureThrowsTheRunsException() {
        List<String> log = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> SweepEngine.of(table()).stopOnFailure(true)
                .run(List.of(new Job("x", "x", 0, true, log), new Job("y", "y", 0, false, log))));
        assertEquals("cannot run x", e.getMessage());
        assertEquals(List.of("start x"), log, "nothing after the failure");
    }

    /** A table with a column added later, {@code note}, between the others; a row gives its cells as they come. */
    private CsvTable<List<String>> tableWithANote() {
        return new CsvTable<>(dir.resolve("notes.csv"), List.of("run", "note", "value"), List.of("note"),
                new CsvTable.Codec<>() {
                    @Override
                    public String[] cells(List<String> r) {
                        return r.toArray(String[]::new);
                    }

                    @Override
                    public List<String> row(String[] c) {
                        return List.of(c);
                    }
                }, r -> r.get(0));
    }

    /** A run giving the row {@code name, "new", value}. */
    private static SweepEngine.Run<List<String>> noted(String name, Path folder) {
        return new SweepEngine.Run<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Path folder() {
                return folder;
            }

            @Override
            public Optional<List<List<String>>> finished(List<List<String>> recorded) {
                return recorded.isEmpty() ? Optional.empty() : Optional.of(recorded);
            }

            @Override
            public List<List<String>> run() {
                return List.of(List.of(name, "new", "v" + name));
            }
        };
    }

    @Test
    void aFileWithoutAColumnAddedLaterReadsAndIsRewrittenWholeWithEveryOldRow() throws Exception {
        Path file = dir.resolve("notes.csv");
        String old = "run,value\nr1,1\n\"r2, \"\"two\"\"\",2\n";
        Files.writeString(file, old);
        assertEquals(List.of(List.of("r1", "", "1"), List.of("r2, \"two\"", "", "2")), tableWithANote().read(),
                "the added column's cells are empty");
        SweepEngine.Outcome<List<String>> o = SweepEngine.of(tableWithANote())
                .run(List.of(noted("r1", dir.resolve("r1")), noted("r3", dir.resolve("r3"))));
        assertEquals(List.of(List.of("r1", "", "1"), List.of("r3", "new", "vr3")), o.rows(), "r1 was finished");
        assertEquals("run,note,value\nr1,,1\nr3,new,vr3\n\"r2, \"\"two\"\"\",,2\n", Files.readString(file),
                "rewritten with the full header: no row lost, the old ones with an empty note");
        assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(".tmp")));

        Files.writeString(file, "value,run\n1,r1\n"); // not the header less some added columns
        IOException e = assertThrows(IOException.class, () -> tableWithANote().read());
        assertTrue(e.getMessage().contains("line 1 cannot be read (the header is not run,note,value (nor that"
                + " without some of the columns added later, note))"), e.getMessage());
        Files.writeString(file, "run,value\nr1,1,extra\n");
        IOException cells = assertThrows(IOException.class, () -> tableWithANote().read());
        assertTrue(cells.getMessage().contains("line 2 cannot be read (3 cells where 2 were expected)"),
                cells.getMessage());
    }

    @Test
    void aRowThatCannotBeReadIsAnErrorNamingTheFileAndLine() throws IOException {
        Files.writeString(dir.resolve("results.csv"), "run,value\nr1,1\nr2,\n");
        IOException e = assertThrows(IOException.class, () -> SweepEngine.of(table()).run(List.of()));
        assertTrue(e.getMessage().startsWith(dir.resolve("results.csv") + " line 3 cannot be read (no value)"),
                e.getMessage());
    }
}
