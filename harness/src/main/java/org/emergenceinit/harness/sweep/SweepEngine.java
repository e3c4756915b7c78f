package org.emergenceinit.harness.sweep;

import org.emergenceinit.harness.RunManifest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one sweep engine: runs a list of {@link Run}s, {@code jobs} at a time, and keeps their rows in a results
 * {@link Table} in the runs' order. Every multi-run command goes through it ({@code sweep}, {@code compare},
 * {@code TrainOnYourData}, the translation sweep); none of it knows the command line.
 *
 * <ul>
 *   <li><b>Resume.</b> Before anything runs, each run is asked whether it is already finished
 *       ({@link Run#finished}: its rows in the table are complete, or its own folder says so); a finished run is not
 *       run again and keeps its rows.</li>
 *   <li><b>Order.</b> Runs of one {@link Run#group()} run one after the other in one task (e.g. the pruned copies
 *       of one first part); groups run {@code jobs} at a time, each in its own thread. The table is written after
 *       every run, whole and atomically (a temporary file moved into place), the rows in the runs' order whatever
 *       order they finished in (a run not finished yet keeps the rows it had), then any rows of runs not in the
 *       list, in the table's order.</li>
 *   <li><b>Where.</b> How the runs execute is the {@link RunExecutor}'s ({@link #executor}): by default threads
 *       of this process; every result is recorded here, in this process, whichever executor ran it.</li>
 *   <li><b>Failures.</b> A run that throws leaves its stack trace in its folder as {@value #ERROR_FILE} and no rows;
 *       the others go on (unless {@link #stopOnFailure}), and the {@link Outcome} names the failed runs, which the
 *       next resume retries.</li>
 * </ul>
 *
 * @param <R> a row of the results table
 */
public final class SweepEngine<R> {

    /** The file a failed run's folder gets: the exception's stack trace. */
    public static final String ERROR_FILE = "error.txt";

    /**
     * One run of a sweep.
     *
     * @param <R> its rows
     */
    public interface Run<R> {
        /** The run's name: its rows in the table carry it ({@link Table#runOf}). */
        String name();

        /** Runs sharing a group run in order in one task; by default each run is its own group. */
        default String group() {
            return name();
        }

        /** The run's folder, which gets {@value #ERROR_FILE} if it fails. */
        Path folder();

        /**
         * The run's rows if it is already finished, else empty (it is then run).
         *
         * @param recorded the table's rows of this run, in table order (empty if none)
         * @throws IOException              if its folder cannot be read
         * @throws IllegalArgumentException if its folder holds another run that must not be overwritten
         */
        Optional<List<R>> finished(List<R> recorded) throws IOException;

        /** Runs it; its rows. */
        List<R> run() throws Exception;

        /**
         * The run's work as a value that can be sent to another process ({@link RunExecutor}s other than the local
         * one), or null (the default) when it can run only here; {@link #received} turns the task's result into the
         * run's rows, on this side.
         */
        default Task task() {
            return null;
        }

        /** The run's rows from what its {@link #task()} returned (wherever it ran). */
        default List<R> received(java.io.Serializable result) throws Exception {
            throw new UnsupportedOperationException(name() + " has no task to run elsewhere");
        }
    }

    /** A run's work, serialisable: what it needs travels in its fields; its result comes back serialised too. */
    public interface Task extends java.io.Serializable {
        /** Trains the run (into its folder) and returns what {@link Run#received} needs. */
        java.io.Serializable call() throws Exception;
    }

    /**
     * Where the rows are kept.
     *
     * @param <R> a row
     */
    public interface Table<R> {
        /** Every row, in file order; none when there is no file yet. Throws naming the file and line of a bad row. */
        List<R> read() throws IOException;

        /** Replaces the file with these rows, atomically. */
        void write(List<R> rows) throws IOException;

        /** The name of the run a row belongs to. */
        String runOf(R row);

        /** A table kept in memory only (nothing read, nothing written): for commands without a results file. */
        static <R> Table<R> inMemory(java.util.function.Function<R, String> runOf) {
            return new Table<>() {
                @Override
                public List<R> read() {
                    return List.of();
                }

                @Override
                public void write(List<R> rows) {
                }

                @Override
                public String runOf(R row) {
                    return runOf.apply(row);
                }
            };
        }
    }

    /** Serialises the listener's calls from the worker threads. */
    private final Object listenerLock = new Object();

    /**
     * What a sweep reports as it goes; every method does nothing by default. The engine calls it one call at a time
     * (from the worker threads, so a listener may collect into plain lists).
     */
    public interface Listener<R> {
        /** Before the first run: how many runs, how many were finished before, how many run now, at once. */
        default void started(int total, int finishedBefore, int toRun, int workers) {
        }

        /** A run finished with its rows. */
        default void finished(Run<R> run, List<R> rows, Progress progress) {
        }

        /** A run failed; its stack trace is in {@code errorFile}. */
        default void failed(Run<R> run, Throwable error, Path errorFile, Progress progress) {
        }
    }

    /**
     * Where the sweep stands after a run.
     *
     * @param done        runs finished (before and now, failures included)
     * @param total       runs in the sweep
     * @param left        runs still to run
     * @param secondsLeft the time left, estimated from the runs finished here
     */
    public record Progress(int done, int total, int left, double secondsLeft) {
    }

    /**
     * What a sweep produced.
     *
     * @param rows     the rows of every finished run, in the runs' order
     * @param failed   the runs that failed, by name, in the order they failed
     * @param errors   their exceptions, by name
     */
    public record Outcome<R>(List<R> rows, List<String> failed, Map<String, Throwable> errors) {
        /** Copies. */
        public Outcome {
            rows = List.copyOf(rows);
            failed = List.copyOf(failed);
            errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }
    }

    private final Table<R> table;
    private int jobs = 1;
    private boolean stopOnFailure;
    private Listener<R> listener = new Listener<>() { };
    private RunExecutor executor = RunExecutor.local();

    private SweepEngine(Table<R> table) {
        this.table = table;
    }

    /** An engine keeping its rows in {@code table}, one run at a time. */
    public static <R> SweepEngine<R> of(Table<R> table) {
        return new SweepEngine<>(table);
    }

    /** Groups of runs trained at once, at least 1. */
    public SweepEngine<R> jobs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1 (runs trained at once), got " + n + ".");
        }
        jobs = n;
        return this;
    }

    /** Whether the first failure stops the sweep (and is thrown by {@link #run}) instead of being recorded. */
    public SweepEngine<R> stopOnFailure(boolean stop) {
        stopOnFailure = stop;
        return this;
    }

    /** How the runs execute (default: {@link RunExecutor#local()}, {@code jobs} threads of this process). */
    public SweepEngine<R> executor(RunExecutor e) {
        executor = e;
        return this;
    }

    /** Who hears of the runs as they finish. */
    public SweepEngine<R> listener(Listener<R> l) {
        listener = l;
        return this;
    }

    /**
     * Runs every run not finished before; see the class documentation.
     *
     * @throws IOException if the table cannot be read or written
     * @throws Exception   with {@link #stopOnFailure}: the first run's failure
     */
    public Outcome<R> run(List<? extends Run<R>> runs) throws Exception {
        List<R> old = table.read();
        Map<String, List<R>> byRun = new LinkedHashMap<>();
        for (R row : old) {
            byRun.computeIfAbsent(table.runOf(row), k -> new ArrayList<>()).add(row);
        }
        Map<String, List<R>> results = new LinkedHashMap<>();
        List<Run<R>> todo = new ArrayList<>();
        for (Run<R> run : runs) {
            Optional<List<R>> done = run.finished(byRun.getOrDefault(run.name(), List.of()));
            if (done.isPresent()) {
                results.put(run.name(), done.get());
            } else {
                todo.add(run);
            }
        }
        Map<String, List<Run<R>>> groups = new LinkedHashMap<>();
        for (Run<R> run : todo) {
            groups.computeIfAbsent(run.group(), k -> new ArrayList<>()).add(run);
        }
        int workers = executor.workers(jobs, todo.size());
        listener.started(runs.size(), runs.size() - todo.size(), todo.size(), workers);
        List<String> order = runs.stream().map(Run::name).toList();
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        Map<String, Throwable> errors = Collections.synchronizedMap(new LinkedHashMap<>());
        Counter counter = new Counter(runs.size(), runs.size() - todo.size(), todo.size());
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        executor.execute(new ArrayList<>(groups.values()), workers, new RunExecutor.Sink<>() {
            @Override
            public boolean stopped() {
                return stopped.get();
            }

            @Override
            public void finished(Run<R> run, List<R> rows) throws IOException {
                synchronized (results) {
                    results.put(run.name(), rows);
                    write(order, results, byRun);
                }
                synchronized (listenerLock) {
                    listener.finished(run, rows, counter.finished());
                }
            }

            @Override
            public void failed(Run<R> run, Throwable e) throws Exception {
                if (stopOnFailure) {
                    stopped.set(true);
                    if (e instanceof Error err) {
                        throw err;
                    }
                    throw (Exception) e;
                }
                failed.add(run.name());
                errors.put(run.name(), e);
                Path error = recordFailure(run.folder(), e);
                synchronized (listenerLock) {
                    listener.failed(run, e, error, counter.finished());
                }
            }
        });
        if (old.isEmpty() && !results.isEmpty() && todo.isEmpty()) {
            write(order, results, byRun); // every run finished before, the table missing: written again
        }
        List<R> rows = new ArrayList<>();
        for (String name : order) {
            rows.addAll(results.getOrDefault(name, List.of()));
        }
        return new Outcome<>(rows, failed, errors);
    }

    /**
     * The table: the runs' rows in order (a run not finished yet keeps the rows it had), then the old rows of runs
     * not in the sweep.
     */
    private void write(List<String> order, Map<String, List<R>> results, Map<String, List<R>> old)
            throws IOException {
        List<R> rows = new ArrayList<>();
        for (String name : order) {
            rows.addAll(results.containsKey(name) ? results.get(name) : old.getOrDefault(name, List.of()));
        }
        old.forEach((name, list) -> {
            if (!order.contains(name)) {
                rows.addAll(list);
            }
        });
        table.write(rows);
    }

    /** Writes {@code e}'s stack trace into the run's folder as {@value #ERROR_FILE}, and returns that file. */
    private static Path recordFailure(Path runDir, Throwable e) throws IOException {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Files.createDirectories(runDir);
        Path error = runDir.resolve(ERROR_FILE);
        RunManifest.writeAtomically(error, trace.toString());
        return error;
    }

    /** Counts and times finished runs for the progress. */
    private static final class Counter {
        private final int total;
        private final long t0 = System.nanoTime();
        private int done;
        private int left;
        private int finishedHere;

        Counter(int total, int done, int left) {
            this.total = total;
            this.done = done;
            this.left = left;
        }

        synchronized Progress finished() {
            done++;
            left--;
            finishedHere++;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            return new Progress(done, total, left, elapsed / finishedHere * left);
        }
    }
}
