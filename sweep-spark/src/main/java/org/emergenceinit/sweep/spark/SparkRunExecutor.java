package org.emergenceinit.sweep.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.emergenceinit.harness.sweep.RunExecutor;
import org.emergenceinit.harness.sweep.SweepEngine;

import java.io.Serializable;
import java.util.List;

/**
 * The sweep engine's runs as Spark tasks: each run is one Spark job of one task, which calls the run's
 * {@link SweepEngine.Run#task()} on an executor and sends its (small, serialised) result back; the driver turns it
 * into the run's rows ({@link SweepEngine.Run#received}) and the engine records them as it records a local run's.
 * A group's runs go one after the other, as jobs submitted from one driver thread; the groups' threads submit at
 * once, and Spark's scheduler puts their tasks on the free executor cores. A task that fails is retried by Spark
 * ({@code spark.task.maxFailures}); a run writes its checkpoint into its folder after every epoch, so a retry on a
 * shared folder resumes there. A run whose task failed every try reaches the engine as a failure (its error file).
 */
public final class SparkRunExecutor implements RunExecutor {

    private final JavaSparkContext sc;

    SparkRunExecutor(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** The Spark context's default parallelism: its executors' cores (at least 1). */
    @Override
    public int workers(int jobs, int runs) {
        return Math.max(1, Math.min(sc.defaultParallelism(), Math.max(1, runs)));
    }

    @Override
    public <R> void execute(List<List<SweepEngine.Run<R>>> groups, int workers, Sink<R> sink) throws Exception {
        // one driver thread per group: its runs' jobs one after the other; Spark schedules the tasks
        RunExecutor.inThreads(groups, Math.max(1, groups.size()), "sweep-spark-job", sink,
                run -> run.received(runOnSpark(run)));
    }

    /** One job of one task: the run's task on an executor, its result back here. */
    private Serializable runOnSpark(SweepEngine.Run<?> run) {
        SweepEngine.Task task = run.task();
        if (task == null) {
            throw new IllegalArgumentException(run.name() + " cannot run on Spark (it has no task).");
        }
        sc.setJobGroup(run.name(), "emergence sweep run " + run.name(), true);
        List<Serializable> out = sc.parallelize(List.of(task), 1).map(SparkRunExecutor::call).collect();
        return out.get(0);
    }

    private static Serializable call(SweepEngine.Task t) throws Exception {
        return t.call();
    }

    @Override
    public void close() {
        sc.stop();
    }

    /** {@code spark}: a Spark context on the given master; the rest of its configuration from spark-submit. */
    public static final class Provider implements RunExecutor.Provider {
        @Override
        public String name() {
            return "spark";
        }

        @Override
        public RunExecutor open(String master) {
            SparkConf conf = new SparkConf().setMaster(master).setAppName("emergence sweep")
                    .setIfMissing("spark.ui.enabled", "false")
                    // each task one run on one core; OpenMP threads as the driver's (the launcher sets 1)
                    .setIfMissing("spark.executorEnv.OMP_NUM_THREADS",
                            System.getenv().getOrDefault("OMP_NUM_THREADS", "1"));
            String data = System.getenv("EMERGENCE_DATA");
            if (data != null && !data.isBlank()) {
                // the executors look for the data where the driver does (--data-dir, when given, travels in the task)
                conf.setIfMissing("spark.executorEnv.EMERGENCE_DATA", data);
            }
            JavaSparkContext sc;
            try {
                sc = new JavaSparkContext(conf);
            } catch (Exception e) { // SparkException, checked but not declared by Scala
                String why = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
                throw new IllegalArgumentException("--spark " + master + ": Spark refused the master: " + why);
            }
            if (!master.startsWith("local")) {
                awaitExecutor(sc, master, conf.getLong("spark.emergence.waitForExecutorSeconds", 180));
            }
            return new SparkRunExecutor(sc);
        }

        /**
         * Waits until an executor has registered, so that a master that cannot be reached is refused before anything
         * is written: Spark's client retries the master itself and stops the context when it gives up (standalone:
         * 3 tries 20 s apart). After {@code seconds} without an executor the sweep goes on (a busy cluster gives
         * cores later; Spark says so in its log).
         */
        private static void awaitExecutor(JavaSparkContext sc, String master, long seconds) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (sc.sc().isStopped()) {
                    throw new IllegalArgumentException("--spark " + master + ": Spark could not reach the master"
                            + " (it gave up registering this application; see its log above).");
                }
                if (sc.sc().statusTracker().getExecutorInfos().length > 1) { // the driver counts as one
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
