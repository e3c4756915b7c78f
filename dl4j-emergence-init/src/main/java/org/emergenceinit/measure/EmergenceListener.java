package org.emergenceinit.measure;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records the emergence of a network on a fixed probe batch while it trains.
 *
 * <p>AlShinaifi et al. 2024 (<i>Quantifying Emergence in Neural Networks: Insights from Pruning
 * and Training Dynamics</i>, arXiv 2409.01568) follow the emergence {@code E} (closed form of Li
 * et al. 2023, arXiv 2311.17403) and the relative emergence {@code E / P} during training and
 * report that {@code E} falls as training proceeds. This listener measures, with an
 * {@link ActivityProbe}:
 *
 * <ul>
 *   <li>at the start of training (the first {@code onEpochStart}; event {@code start}),</li>
 *   <li>at the end of every epoch (event {@code epoch_end}, on by default),</li>
 *   <li>optionally every {@code N} iterations (event {@code iteration}),</li>
 * </ul>
 *
 * and keeps one {@link Record} per measurement in memory; optionally it rewrites a CSV file
 * (header plus one line per record) and a JSON file after each record. Files are written to a
 * temporary file in the same folder and then moved over the target, so a reader never sees a
 * half-written file.
 *
 * <p>The probe does not disturb training: it runs in inference mode ({@code train = false}, no
 * dropout, BatchNorm running statistics), DL4J's standard layers draw no random numbers in
 * inference so the random stream used by training is unchanged, results are copied out of any
 * workspace, and the network's stored input is restored afterwards. Calling {@code fit(DataSet)}
 * directly does not fire {@code onEpochStart}: call {@link #record(Model, String)} with event
 * {@code "start"} before training in that case.
 *
 * <p>Example:
 * <pre>{@code
 * EmergenceListener listener = EmergenceListener.builder(testFeatures).csv(Path.of("emergence.csv")).build();
 * net.setListeners(listener);
 * net.fit(trainIterator, 5);
 * listener.records().forEach(System.out::println);
 * }</pre>
 */
public final class EmergenceListener extends BaseTrainingListener {

    /** Event name of the measurement at the start of training. */
    public static final String START = "start";
    /** Event name of the measurements at the end of each epoch. */
    public static final String EPOCH_END = "epoch_end";
    /** Event name of the measurements every N iterations. */
    public static final String ITERATION = "iteration";

    private final ActivityProbe probe;
    private final INDArray probeInput;
    private final boolean atEpochEnd;
    private final int everyIterations;
    private final Path csv;
    private final Path json;
    private final List<Record> records = Collections.synchronizedList(new ArrayList<>());
    private EmergenceProfile lastProfile;

    private EmergenceListener(Builder builder) {
        this.probe = builder.probe;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.probeInput = builder.input.dup();
        }
        this.atEpochEnd = builder.atEpochEnd;
        this.everyIterations = builder.everyIterations;
        this.csv = builder.csv;
        this.json = builder.json;
    }

    /**
     * @param probeInput the fixed evaluation batch (features, first axis the samples); it is
     *                   copied
     * @return a builder with the defaults: default probe, records at start and at each epoch end,
     *         no files
     */
    public static Builder builder(INDArray probeInput) {
        if (probeInput == null || probeInput.isEmpty() || probeInput.rank() < 2) {
            throw new IllegalArgumentException("the probe input must be a non-empty array [samples, features, ...], got "
                    + (probeInput == null ? "null" : Arrays.toString(probeInput.shape())));
        }
        return new Builder(probeInput);
    }

    /**
     * One measurement.
     *
     * @param event             {@link #START}, {@link #EPOCH_END}, {@link #ITERATION} or a
     *                          user-given name
     * @param epoch             the model's epoch count when measured
     * @param iteration         the model's iteration count when measured
     * @param emergence         {@code E}, exact
     * @param log10Emergence    {@code log10 E} ({@code -Infinity} when {@code E = 0})
     * @param relativeEmergence {@code E / P}
     * @param parameters        non-zero parameters {@code P}
     * @param layerNames        the measured layers
     * @param widths            {@code n_i}
     * @param active            {@code a_i}
     */
    public record Record(String event, int epoch, int iteration, BigInteger emergence, double log10Emergence,
                         BigDecimal relativeEmergence, long parameters, List<String> layerNames, long[] widths,
                         long[] active) {

        /** Copies the arrays. */
        public Record {
            layerNames = List.copyOf(layerNames);
            widths = widths.clone();
            active = active.clone();
        }

        /** @return a copy of the widths */
        @Override
        public long[] widths() {
            return widths.clone();
        }

        /** @return a copy of the active counts */
        @Override
        public long[] active() {
            return active.clone();
        }

        /** @return {@code a_i / n_i} per layer */
        public double[] activeFractions() {
            double[] out = new double[widths.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (double) active[i] / widths[i];
            }
            return out;
        }

        /** @return {@code log10(E / P)} ({@code -Infinity} when {@code E = 0}) */
        public double log10RelativeEmergence() {
            return log10Emergence - Math.log10(parameters);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s epoch %d iteration %d: log10 E = %.4f, E/P = %s, active %s", event,
                    epoch, iteration, log10Emergence, relativeEmergence.round(new MathContext(6)),
                    Arrays.toString(active));
        }
    }

    @Override
    public void onEpochStart(Model model) {
        if (records.isEmpty()) {
            record(model, START);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (atEpochEnd) {
            record(model, EPOCH_END);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (everyIterations > 0 && (iteration + 1) % everyIterations == 0) {
            record(model, ITERATION);
        }
    }

    /**
     * Measures the model now on the probe batch, keeps the record and rewrites the files.
     *
     * @param model a {@code MultiLayerNetwork} or {@code ComputationGraph}
     * @param event the event name stored in the record
     * @return the record
     */
    public Record record(Model model, String event) {
        EmergenceProfile profile;
        int epoch;
        int iteration;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (model instanceof MultiLayerNetwork net) {
                INDArray stored = net.getInput();
                profile = probe.measure(net, probeInput);
                if (stored != null) {
                    net.setInput(stored);
                }
                epoch = net.getEpochCount();
                iteration = net.getIterationCount();
            } else if (model instanceof ComputationGraph graph) {
                INDArray[] stored = graph.getInputs();
                profile = probe.measure(graph, probeInput);
                if (stored != null) {
                    graph.setInputs(stored);
                }
                epoch = graph.getConfiguration().getEpochCount();
                iteration = graph.getConfiguration().getIterationCount();
            } else {
                throw new IllegalArgumentException("EmergenceListener measures a MultiLayerNetwork or a ComputationGraph, got "
                        + (model == null ? "null" : model.getClass().getName()));
            }
        }
        Record record = new Record(event, epoch, iteration, profile.emergence(), profile.log10Emergence(),
                profile.relativeEmergence(), profile.parameters(),
                profile.layers().stream().map(LayerActivity::name).toList(), profile.widths(), profile.activeCounts());
        synchronized (records) {
            records.add(record);
            lastProfile = profile;
            if (csv != null) {
                writeAtomically(csv, toCsv());
            }
            if (json != null) {
                writeAtomically(json, toJson());
            }
        }
        return record;
    }

    /** @return a copy of the records so far, in order */
    public List<Record> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** @return the full profile of the latest record (per-node mean activations), or null before the first */
    public EmergenceProfile lastProfile() {
        synchronized (records) {
            return lastProfile;
        }
    }

    /**
     * The records as CSV: columns {@code event, epoch, iteration, parameters, E, log10_E,
     * relative_E, log10_relative_E}, then one {@code active_fraction_<layer>} column per layer.
     *
     * @return the CSV text, header first
     */
    public String toCsv() {
        List<Record> copy = records();
        StringBuilder sb = new StringBuilder("event,epoch,iteration,parameters,E,log10_E,relative_E,log10_relative_E");
        if (!copy.isEmpty()) {
            for (String name : copy.get(0).layerNames()) {
                sb.append(",active_fraction_").append(name.replaceAll("[^A-Za-z0-9_.-]", "_"));
            }
        }
        sb.append('\n');
        for (Record r : copy) {
            sb.append(r.event()).append(',').append(r.epoch()).append(',').append(r.iteration()).append(',')
                    .append(r.parameters()).append(',').append(r.emergence()).append(',')
                    .append(r.log10Emergence()).append(',').append(r.relativeEmergence().toString()).append(',')
                    .append(r.log10RelativeEmergence());
            for (double f : r.activeFractions()) {
                sb.append(',').append(f);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The settings and records as JSON: {@code threshold}, {@code rule}, {@code samples},
     * {@code records} (each with {@code E} as an exact decimal string).
     *
     * @return the JSON text
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("threshold", probe.threshold());
        root.put("rule", probe.rule().name());
        if (probe.rule() == ActivityRule.RELATIVE) {
            root.put("relativeFraction", probe.relativeFraction());
        }
        root.put("samples", probeInput.size(0));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Record r : records()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", r.event());
            m.put("epoch", r.epoch());
            m.put("iteration", r.iteration());
            m.put("parameters", r.parameters());
            m.put("E", r.emergence().toString());
            m.put("log10_E", r.log10Emergence());
            m.put("relative_E", r.relativeEmergence().toString());
            m.put("log10_relative_E", r.log10RelativeEmergence());
            m.put("layers", r.layerNames());
            m.put("widths", r.widths());
            m.put("active", r.active());
            list.add(m);
        }
        root.put("records", list);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the emergence records to JSON", e);
        }
    }

    private static void writeAtomically(Path target, String content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": check that its folder is writable", e);
        }
    }

    /** Settings of an {@link EmergenceListener}. */
    public static final class Builder {
        private final INDArray input;
        private ActivityProbe probe = ActivityProbe.defaults();
        private boolean atEpochEnd = true;
        private int everyIterations;
        private Path csv;
        private Path json;

        private Builder(INDArray input) {
            this.input = input;
        }

        /**
         * @param probe the probe (threshold, rule, layers); default {@link ActivityProbe#defaults()}
         * @return this builder
         */
        public Builder probe(ActivityProbe probe) {
            if (probe == null) {
                throw new IllegalArgumentException("probe must not be null; use ActivityProbe.defaults()");
            }
            this.probe = probe;
            return this;
        }

        /**
         * @param atEpochEnd whether to measure at the end of each epoch (default true)
         * @return this builder
         */
        public Builder atEpochEnd(boolean atEpochEnd) {
            this.atEpochEnd = atEpochEnd;
            return this;
        }

        /**
         * @param n measure after every {@code n}-th iteration; 0 (default) turns this off
         * @return this builder
         */
        public Builder everyIterations(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("everyIterations must be >= 0 (0 = off), got " + n);
            }
            this.everyIterations = n;
            return this;
        }

        /**
         * @param file CSV file rewritten after each record; null (default) for none
         * @return this builder
         */
        public Builder csv(Path file) {
            this.csv = file;
            return this;
        }

        /**
         * @param file JSON file rewritten after each record; null (default) for none
         * @return this builder
         */
        public Builder json(Path file) {
            this.json = file;
            return this;
        }

        /** @return the listener */
        public EmergenceListener build() {
            return new EmergenceListener(this);
        }
    }
}
