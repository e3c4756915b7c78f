package org.emergenceinit.harness.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@link RunExecutor#local()}: each group in its own thread of this process, {@code workers} at a time. */
final class LocalRunExecutor implements RunExecutor {

    static final LocalRunExecutor INSTANCE = new LocalRunExecutor();

    private LocalRunExecutor() {
    }

    @Override
    public int workers(int jobs, int runs) {
        return Math.min(jobs, Math.max(1, runs));
    }

    @Override
    public <R> void execute(List<List<SweepEngine.Run<R>>> groups, int workers, Sink<R> sink) throws Exception {
        inThreads(groups, workers, "sweep-run", sink, SweepEngine.Run::run);
    }

    /** {@link RunExecutor#inThreads}. */
    static <R> void inThreads(List<List<SweepEngine.Run<R>>> groups, int threads, String name, Sink<R> sink,
                              RunExecutor.Body<R> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<SweepEngine.Run<R>> group : groups) {
                futures.add(pool.submit(() -> {
                    for (SweepEngine.Run<R> run : group) {
                        if (sink.stopped()) {
                            return null; // another run failed and stopOnFailure is set: nothing more starts
                        }
                        List<R> rows;
                        try {
                            rows = body.rows(run);
                        } catch (Exception | OutOfMemoryError e) {
                            sink.failed(run, e);
                            continue;
                        }
                        sink.finished(run, rows);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
