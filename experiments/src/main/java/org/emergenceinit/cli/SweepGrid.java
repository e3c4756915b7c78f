package org.emergenceinit.cli;

import org.emergenceinit.nmt.TranslationSweep;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.harness.RunSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's grid, read from JSON (or YAML for a user's {@code .yaml}/{@code .yml} file): a preset ({@code presets/<name>.json} beside this class) or a user's file. Every
 * block is the product of its datasets, architectures and inits (emergence inits once per alpha), each run once per
 * seed {@code 1..seeds}:
 *
 * <pre>{@code
 * {"name": "tiny", "seeds": 2, "epochs": 1, "milestone": 0.8, "probeSamples": 1000,
 *  "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-64-64-10"], "batchNorm": false, "lr": 0.01,
 *              "momentum": 0.9, "batch": 128, "optimizer": "sgd",
 *              "inits": ["xavier", "xavier+warmup", "lsuv-xavier", "emergence-xavier"], "alphas": [1.1, 1.2]}]}
 * }</pre>
 * Block fields and their defaults: {@code batchNorm} false, {@code lr} 0.01, {@code momentum} 0.9 (Nesterov),
 * {@code batch} 128, {@code optimizer} sgd; {@code datasets}, {@code archs} and {@code inits} are required, and
 * {@code alphas} when an emergence init is listed. Top level: {@code seeds} (default 5), {@code epochs} (default 3),
 * {@code milestone} (the test accuracy whose first epoch the report gives, default 0.9), {@code milestones} (per
 * dataset name, overriding {@code milestone}), {@code description}, {@code probeSamples}
 * (default 1000), {@code trainAccuracy} (default false: whether every run also measures its accuracy over the
 * training set after every epoch, {@link RunSpec.Evaluation#trainAccuracy()}, one extra inference pass over the
 * training set per epoch; a block's own {@code trainAccuracy} overrides it, and {@code sweep --train-accuracy} or
 * {@code --no-train-accuracy} overrides both). Unknown fields are errors.
 *
 * <p>Pruning (paper 2): a block with {@code "pruneAfter": 5, "pruneFractions": [0, 0.3, 0.5, 0.7]} trains each
 * network for 5 epochs once, then continues copies of it to {@code epochs}: fraction 0 is the control (tag
 * {@code control}), the others are magnitude-pruned first (global ranking, mask kept; tag {@code prune30}...).
 */
final class SweepGrid {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The same binding for YAML grid files ({@code .yaml} or {@code .yml}). */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The presets shipped with the project. */
    static final List<String> PRESETS = List.of("quick", "mlp-deep", "cnn-vgg", "paper2-pruning");

    /** One block of the grid; public fields bound from JSON. */
    public static final class Block {
        public List<String> datasets;
        public List<String> archs;
        public boolean batchNorm;
        public double lr = 0.01;
        public double momentum = 0.9;
        public int batch = 128;
        public String optimizer = "sgd";
        public List<String> inits;
        public List<Double> alphas = List.of();
        public int pruneAfter;
        public List<Double> pruneFractions = List.of();
        /** This block's runs measure the training-set accuracy; null (not given): the grid's {@code trainAccuracy}. */
        public Boolean trainAccuracy;
    }

    public String name;
    public String description;
    public int seeds = 5;
    public int epochs = 3;
    public double milestone = 0.9;
    public Map<String, Double> milestones = Map.of();
    public int probeSamples = 1000;
    /** Whether the runs measure the training-set accuracy after every epoch (a block's own value overrides it). */
    public boolean trainAccuracy;
    public List<Block> blocks;

    /**
     * One run of the sweep.
     *
     * @param spec          its spec, writing into {@code <out>/runs/<run name>}
     * @param setting       the run name without the seed: runs differing only in seed share it
     * @param pruneAfter    0, or the epochs of the shared first part after which this run's copy is pruned
     * @param pruneFraction the fraction of weights pruned then (0: the control)
     */
    record Run(RunSpec spec, String setting, int pruneAfter, double pruneFraction) {

        /** The spec of the shared first part of a pruning run: no tag, {@code pruneAfter} epochs. */
        RunSpec firstPart() {
            RunSpec first = spec.toBuilder().tag(null).out(null).epochs(pruneAfter).build();
            Path out = spec.output().out();
            return out == null ? first : first.withOut(out.resolveSibling(first.runName() + "_first" + pruneAfter));
        }
    }

    /**
     * Reads a preset by name.
     *
     * @throws IllegalArgumentException for an unknown preset, naming the known ones
     */
    static SweepGrid preset(String name) throws IOException {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(key)) {
            throw new IllegalArgumentException("Unknown preset '" + name + "': use one of " + String.join(", ", PRESETS)
                    + ", " + TranslationSweep.PRESET + ", or --grid FILE.");
        }
        try (InputStream in = SweepGrid.class.getResourceAsStream("presets/" + key + ".json")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + key);
        }
    }

    /**
     * Reads a grid file: YAML when its name ends in {@code .yaml} or {@code .yml}, JSON otherwise.
     *
     * @throws IllegalArgumentException if the file is missing or malformed, naming the field
     */
    static SweepGrid read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--grid " + file + " is not a readable file.");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        return parse(Files.readString(file), "grid " + file, yaml ? YAML : JSON);
    }

    static SweepGrid parse(String json, String what) {
        return parse(json, what, JSON);
    }

    private static SweepGrid parse(String text, String what, ObjectMapper mapper) {
        SweepGrid grid;
        try {
            grid = mapper.readValue(text, SweepGrid.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("Malformed " + what + ": field '" + path(e) + "': "
                    + e.getOriginalMessage().split("\n")[0].replaceAll(" \\(class [^)]*\\)", ""));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed " + what + ": not " + (mapper == YAML ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage().split("\n")[0] + " (line " + e.getLocation().getLineNr() + ").");
        }
        grid.validate(what);
        return grid;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() > 0 ? "." : "").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    private void validate(String what) {
        check(seeds >= 1, what, "seeds", "must be at least 1, got " + seeds);
        check(epochs >= 1, what, "epochs", "must be at least 1, got " + epochs);
        check(milestone > 0 && milestone <= 1, what, "milestone", "must be in (0, 1], got " + milestone);
        milestones.forEach((d, m) -> check(m != null && m > 0 && m <= 1, what, "milestones." + d,
                "must be in (0, 1], got " + m));
        check(blocks != null && !blocks.isEmpty(), what, "blocks", "is required: a list of at least one block");
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            String at = "blocks[" + b + "].";
            check(block != null, what, "blocks[" + b + "]", "is null");
            check(block.datasets != null && !block.datasets.isEmpty(), what, at + "datasets", "is required");
            check(block.archs != null && !block.archs.isEmpty(), what, at + "archs", "is required");
            check(block.inits != null && !block.inits.isEmpty(), what, at + "inits", "is required");
            boolean emergence = false;
            for (int i = 0; i < block.inits.size(); i++) {
                try {
                    emergence |= InitSpec.parse(block.inits.get(i)).emergence();
                } catch (IllegalArgumentException e) {
                    check(false, what, at + "inits[" + i + "]", e.getMessage());
                }
            }
            check(!emergence || !block.alphas.isEmpty(), what, at + "alphas",
                    "is required when an emergence init is listed");
            check(block.pruneAfter >= 0 && block.pruneAfter < epochs, what, at + "pruneAfter",
                    "must be in [0, epochs = " + epochs + "), got " + block.pruneAfter);
            check((block.pruneAfter == 0) == block.pruneFractions.isEmpty(), what, at + "pruneFractions",
                    "must be given exactly when pruneAfter > 0");
            for (double f : block.pruneFractions) {
                check(f >= 0 && f < 1, what, at + "pruneFractions", "must be in [0, 1), got " + f);
            }
            for (String arch : block.archs) {
                try {
                    block(block, arch, block.datasets.get(0), 1, 0, null, null); // each run's spec checks itself
                } catch (IllegalArgumentException e) {
                    check(false, what, at.substring(0, at.length() - 1), e.getMessage());
                }
            }
        }
    }

    private static void check(boolean ok, String what, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Malformed " + what + ": field '" + field + "' " + message);
        }
    }

    /**
     * Every run: seeds outermost (so a partial sweep has every setting at its first seeds), then blocks, datasets,
     * architectures, inits and alphas, in the grid's order.
     *
     * @param maxBatches the {@code --max-batches} cap of every epoch (0: none)
     * @param dataDir    the {@code --data-dir}, or null
     * @param out        the sweep folder; runs go into {@code out/runs/<run name>}
     */
    List<Run> runs(int maxBatches, Path dataDir, Path out) {
        List<Run> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (Block block : blocks) {
                for (String dataset : block.datasets) {
                    for (String arch : block.archs) {
                        runs.addAll(block(block, arch, dataset, seed, maxBatches, dataDir, out));
                    }
                }
            }
        }
        return runs;
    }

    private List<Run> block(Block block, String arch, String dataset, long seed, int maxBatches, Path dataDir,
                            Path out) {
        // maxBatches goes into the run names (_mb<K>): a capped run is another run
        RunSpec.Builder t = RunSpec.builder().maxBatches(maxBatches).dataDir(dataDir).dataset(dataset).arch(arch)
                .batchNorm(block.batchNorm).lr(block.lr).momentum(block.momentum).batch(block.batch)
                .optimizer(block.optimizer).epochs(epochs).probeSamples(probeSamples).seed(seed)
                .trainAccuracy(block.trainAccuracy != null ? block.trainAccuracy : trainAccuracy)
                .keepModel(false) // model.zip is each run's checkpoint while it trains, then deleted
                .replace(true); // the sweep's own folder: a run with other options there is trained anew
        List<Run> runs = new ArrayList<>();
        for (String init : block.inits) {
            List<Double> alphas = InitSpec.parse(init).emergence() ? block.alphas : List.of(1.0);
            for (double alpha : alphas) {
                List<Double> fractions = block.pruneAfter > 0 ? block.pruneFractions : List.of(0.0);
                for (double f : fractions) {
                    String tag = block.pruneAfter == 0 ? null : f == 0 ? "control" : "prune" + Math.round(f * 100);
                    RunSpec o = t.init(init).alpha(alpha).tag(tag).out(null).build();
                    String name = o.runName();
                    if (out != null) {
                        o = o.withOut(out.resolve("runs").resolve(name));
                    }
                    runs.add(new Run(o, o.settingName(), block.pruneAfter, f));
                }
            }
        }
        return runs;
    }

    /**
     * Sets whether every run measures the training-set accuracy ({@code sweep --train-accuracy} or
     * {@code --no-train-accuracy}): the grid's value, the blocks' own ones dropped, so that {@code grid.json} says
     * what ran.
     */
    void trainAccuracy(boolean on) {
        trainAccuracy = on;
        blocks.forEach(b -> b.trainAccuracy = null);
    }

    /** The grid as JSON, as saved beside the results ({@code grid.json}). */
    String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
