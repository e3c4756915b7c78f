package org.emergenceinit.harness;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced: one {@link EpochStats} per epoch, the first being the network at initialization
 * (epoch 0), and where its manifest and CSV were written.
 *
 * @param name      the run name ({@link RunSpec#runName()})
 * @param spec      the spec it ran with
 * @param dataset   the data's display label, e.g. {@code mnist-embedded (6,000 train / 1,000 test)}
 * @param epochs    epoch 0 (at initialization) to the last epoch run
 * @param diverged  whether the training loss became NaN or infinite (training then stopped after that epoch)
 * @param manifest  the manifest written
 * @param csv       the per-epoch CSV written
 * @param start     when the run started
 * @param end       when it ended
 */
public record RunResult(String name, RunSpec spec, String dataset, List<EpochStats> epochs, boolean diverged,
                        Path manifest, Path csv, Instant start, Instant end) {

    /** Copies the list. */
    public RunResult {
        epochs = List.copyOf(epochs);
    }

    /** The network at initialization (epoch 0). */
    public EpochStats initial() {
        return epochs.get(0);
    }

    /** The last epoch run (epoch 0 if none was). */
    public EpochStats last() {
        return epochs.get(epochs.size() - 1);
    }

    /** Wall-clock seconds from start to end, evaluation included. */
    public double seconds() {
        return (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }

    /** The result as {@code bin/emergence train --json} prints it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("dataset", dataset);
        m.put("arch", spec.network().arch());
        m.put("batchNorm", spec.network().batchNorm());
        m.put("init", spec.init().name());
        m.put("alpha", spec.init().alpha());
        m.put("seed", spec.seed());
        m.put("diverged", diverged);
        m.put("seconds", seconds());
        m.put("manifest", manifest.toString());
        m.put("csv", csv.toString());
        m.put("epochs", epochs.stream().map(EpochStats::toMap).toList());
        return m;
    }
}
