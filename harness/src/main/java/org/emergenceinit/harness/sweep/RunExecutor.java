package org.emergenceinit.harness.sweep;

import java.io.IOException;
import java.util.List;

/**
 * How the {@link SweepEngine}'s runs execute; the engine itself decides what runs (resume) and records every
 * result on its own side (the table, the failed runs' {@value SweepEngine#ERROR_FILE}, the listener). The default,
 * {@link #local()}, runs each group in a thread of this process; another implementation (the {@code sweep-spark}
 * module's, found through {@link Provider}) runs each run's {@link SweepEngine.Run#task()} elsewhere and hands its
 * result back through {@link SweepEngine.Run#received}.
 */
public interface RunExecutor extends AutoCloseable {

    /** Where an executor reports each run's end; safe to call from any thread. */
    interface Sink<R> {
        /** Whether nothing more should start (a run failed under {@link SweepEngine#stopOnFailure}). */
        boolean stopped();

        /** The run finished with these rows: recorded at once. */
        void finished(SweepEngine.Run<R> run, List<R> rows) throws IOException;

        /**
         * The run failed: recorded (its error file), or, under {@link SweepEngine#stopOnFailure}, thrown back (the
         * executor then stops and lets it through).
         */
        void failed(SweepEngine.Run<R> run, Throwable error) throws Exception;
    }

    /** How many runs this executor trains at once for {@code runs} runs to do, when the engine asks for {@code jobs}. */
    int workers(int jobs, int runs);

    /**
     * Runs every group (its runs in order, one after the other), reporting each run to {@code sink}; returns when all
     * have finished or failed.
     *
     * @throws Exception what {@link Sink#failed} threw
     */
    <R> void execute(List<List<SweepEngine.Run<R>>> groups, int workers, Sink<R> sink) throws Exception;

    /** Releases what the executor holds (a cluster connection); the local one holds nothing. */
    @Override
    default void close() {
    }

    /** How one run of a group is carried out: its rows, or an exception (reported to the sink as its failure). */
    @FunctionalInterface
    interface Body<R> {
        /** The run's rows. */
        List<R> rows(SweepEngine.Run<R> run) throws Exception;
    }

    /**
     * What every executor's {@link #execute} does around its way of carrying out one run: each group in its own
     * thread of a pool of {@code threads} (daemon threads named {@code name}), its runs one after the other through
     * {@code body}, each reported to {@code sink}; nothing more starts once {@link Sink#stopped()}. What
     * {@link Sink#failed} throws ends the call and is thrown as it is.
     */
    static <R> void inThreads(List<List<SweepEngine.Run<R>>> groups, int threads, String name, Sink<R> sink,
                              Body<R> body) throws Exception {
        LocalRunExecutor.inThreads(groups, threads, name, sink, body);
    }

    /** The default: each group in a thread of this process, {@code jobs} at a time. */
    static RunExecutor local() {
        return LocalRunExecutor.INSTANCE;
    }

    /**
     * Makes executors of one kind, found with {@link java.util.ServiceLoader} (file
     * {@code META-INF/services/org.emergenceinit.harness.sweep.RunExecutor$Provider}), so that the command line
     * does not depend on, say, Spark: the module that does provides one.
     */
    interface Provider {
        /** Its name, e.g. {@code spark}. */
        String name();

        /**
         * An executor for this master (a URL of the kind's own).
         *
         * @throws IllegalArgumentException for a master that is malformed or cannot be reached, in one line
         */
        RunExecutor open(String master);

        /** The provider named {@code name} on the class path, or null. */
        static Provider find(String name) {
            for (Provider p : java.util.ServiceLoader.load(Provider.class)) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            return null;
        }
    }
}
