package org.emergenceinit.harness.sweep;

import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.harness.TrainingRun;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One {@link TrainingRun} as a sweep run whose row is its {@link RunResult}: for the commands that compare a few runs
 * side by side ({@code compare}, {@code TrainOnYourData}) without a results file. It is never "finished before" for
 * the engine: {@link TrainingRun} itself resumes its folder (a finished run trains nothing).
 *
 * @param spec     the run
 * @param data     its data, loaded once by the caller
 * @param progress where the run's progress lines go, or null
 */
public record TrainingRunJob(RunSpec spec, DatasetSource data, PrintWriter progress)
        implements SweepEngine.Run<RunResult> {

    @Override
    public String name() {
        return spec.runName();
    }

    @Override
    public Path folder() {
        return spec.outDir();
    }

    @Override
    public Optional<List<RunResult>> finished(List<RunResult> recorded) {
        return Optional.empty();
    }

    @Override
    public List<RunResult> run() throws IOException {
        TrainingRun run = TrainingRun.start(spec, data, progress);
        while (run.hasNextEpoch()) {
            run.epoch();
        }
        return List.of(run.finish());
    }

    /** An engine for such runs: no results file, one at a time, the first failure thrown as it is. */
    public static SweepEngine<RunResult> engine() {
        return SweepEngine.of(SweepEngine.Table.<RunResult>inMemory(RunResult::name)).stopOnFailure(true);
    }
}
