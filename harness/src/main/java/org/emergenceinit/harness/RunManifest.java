package org.emergenceinit.harness;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.measure.ActivityProbe;
import org.emergenceinit.weights.RampPlan;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The provenance of a run, written as {@value #FILE} into its folder: one schema for the DL4J training runs
 * ({@link TrainingRun}, kind {@value #TRAIN}) and the translation runs ({@code org.emergenceinit.nmt}, kind
 * {@value #TRANSLATE}), written and read with Jackson. Every manifest starts with the same {@link Envelope}:
 * {@code name}, {@code kind}, {@code project} (name, version), {@code dl4jVersion}, {@code java}, {@code os},
 * {@code backend} (ND4J's backend and its environment), {@code threads}, {@code seeds} and {@code spec} (the run's
 * {@link RunSpec} or {@code TranslationSpec}, serialised from the record); then {@code options} (what a resume or a
 * sweep compares: every option that changes the numbers), {@code dataset} (label, files, SHA-256...), {@code start},
 * {@code end} and {@code result} (a summary), and the fields of the kind (for a training run the DL4J configuration
 * JSON, which holds the bound {@code EmergenceWeightInit} of every layer, the ramp plan and the probe). A training
 * run's file is written at the start (end {@code null}) and again at the end, each time atomically (a temporary file
 * moved into place).
 *
 * <p>{@link Recorded#read} reads any manifest, including those written before {@code kind} and {@code spec} existed
 * (their kind is told by their fields).
 */
public final class RunManifest {

    /** The manifest's file name. */
    public static final String FILE = "manifest.json";

    /** The kind of a DL4J training run's manifest. */
    public static final String TRAIN = "train";
    /** The kind of a translation run's manifest. */
    public static final String TRANSLATE = "translate";

    /** Writes manifests: indented, paths as plain strings. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance));

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /**
     * The fields every manifest starts with.
     *
     * @param name        the run's name
     * @param kind        {@value #TRAIN} or {@value #TRANSLATE}
     * @param project     this project's name and version
     * @param dl4jVersion DL4J's version
     * @param java        the JVM
     * @param os          the operating system
     * @param backend     ND4J's backend and its environment
     * @param threads     the thread settings
     * @param seeds       the seeds
     * @param spec        the run's spec, serialised from its record
     */
    public record Envelope(String name, String kind, Project project, String dl4jVersion, JavaInfo java, String os,
                           Backend backend, Threads threads, Seeds seeds, JsonNode spec) {

        /** The envelope of a run starting now in this JVM. */
        public static Envelope current(String name, String kind, long seed, Object spec) {
            Map<String, String> environment = new TreeMap<>();
            Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> environment.put(k.toString(),
                    String.valueOf(v)));
            return new Envelope(name, kind, new Project("dl4j-emergence-init", projectVersion()),
                    mavenVersion(MultiLayerNetwork.class, "org.deeplearning4j", "deeplearning4j-nn"),
                    new JavaInfo(System.getProperty("java.version"), System.getProperty("java.vendor"),
                            System.getProperty("java.vm.name")),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    new Backend(Nd4j.getBackend().getClass().getSimpleName(), environment),
                    new Threads(System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors()),
                    new Seeds(seed, seed), JSON.valueToTree(spec));
        }

        /** The fields in order, to be followed by those of the kind. */
        public Map<String, Object> toMap() {
            return JSON.convertValue(this, new TypeReference<LinkedHashMap<String, Object>>() { });
        }
    }

    /** @param name the project's name @param version its version */
    public record Project(String name, String version) {
    }

    /** @param version Java's version @param vendor its vendor @param vm the VM's name */
    public record JavaInfo(String version, String vendor, String vm) {
    }

    /** @param name ND4J's backend class @param environment its environment information */
    public record Backend(String name, Map<String, String> environment) {
    }

    /** @param ompNumThreads {@code OMP_NUM_THREADS} @param availableProcessors the JVM's processors */
    public record Threads(@JsonProperty("OMP_NUM_THREADS") String ompNumThreads, int availableProcessors) {
    }

    /** @param configuration seed of the weights @param shuffle seed of the batch order */
    public record Seeds(long configuration, long shuffle) {
    }

    /**
     * A manifest read back, of either kind and any age.
     *
     * @param kind {@value #TRAIN} or {@value #TRANSLATE}: the {@code kind} field, or for a manifest written before
     *             it existed, {@value #TRANSLATE} when it has the translation example's {@code example} field
     * @param json the whole file
     */
    public record Recorded(String kind, JsonNode json) {

        /**
         * Reads {@code file}.
         *
         * @throws IOException if it cannot be read or is not a JSON object
         */
        public static Recorded read(Path file) throws IOException {
            JsonNode m = JSON.readTree(file.toFile());
            if (m == null || !m.isObject()) {
                throw new IOException(file + " is not a JSON object");
            }
            String kind = m.path("kind").isTextual() ? m.get("kind").asText()
                    : m.has("example") ? TRANSLATE : TRAIN;
            return new Recorded(kind, m);
        }

        /** The run's name; null in a translation manifest written before the envelope. */
        public String name() {
            return json.path("name").isTextual() ? json.get("name").asText() : null;
        }

        /** The options that change the run's numbers, as recorded; a missing node when none were. */
        public JsonNode options() {
            return json.path("options");
        }

        /** The seed of the weights: {@code seeds.configuration}, or an old translation manifest's {@code seed}. */
        public long seed() {
            JsonNode s = json.at("/seeds/configuration");
            return s.isNumber() ? s.asLong() : json.path("seed").asLong(Long.MIN_VALUE);
        }

        /** The result summary: {@code result}, or, in a translation manifest before the envelope, the top level. */
        public JsonNode result() {
            JsonNode r = json.path("result");
            return r.isObject() || !TRANSLATE.equals(kind) ? r : json;
        }

        /** The spec recorded, read back into its record; null when the manifest has none (written before). */
        public <T> T spec(Class<T> type) throws JsonProcessingException {
            JsonNode s = json.path("spec");
            return s.isObject() ? JSON.treeToValue(s, type) : null;
        }
    }

    /**
     * Records everything known when the network is initialised.
     *
     * @param spec    the run's spec
     * @param data    the dataset read
     * @param conf    the configuration, init applied
     * @param plan    the ramp plan applied
     * @param probe   the emergence probe
     * @param probeN  the probe batch size actually used
     * @param start   when the run started
     */
    RunManifest(RunSpec spec, DatasetSource data, MultiLayerConfiguration conf, RampPlan plan,
                ActivityProbe probe, int probeN, Instant start) throws IOException {
        fields.putAll(Envelope.current(spec.runName(), TRAIN, spec.seed(), spec).toMap());
        fields.put("options", options(spec));
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", data.name());
        dataset.put("label", data.displayLabel());
        dataset.put("train", data.numTrain());
        dataset.put("test", data.numTest());
        dataset.put("files", data.files());
        dataset.put("sha256", data.sha256());
        dataset.put("classes", data.classNames());
        dataset.put("normalizer", TrainingRun.NORMALIZER_FILE);
        fields.put("dataset", dataset);
        fields.put("probe", linked("samples", probeN, "source", "first test images", "threshold",
                probe.threshold(), "rule", probe.rule().name()));
        fields.put("rampPlan", plan.entries());
        fields.put("configuration", JSON.readTree(conf.toJson()));
        fields.put("start", start.toString());
        fields.put("end", null);
        fields.put("result", null);
        fields.put("csv", TrainingRun.CSV_FILE);
    }

    /**
     * Options added to {@link #options} after runs were recorded, each with the value those runs had: a recorded
     * {@code options} (or a checkpoint's identity) without one of them reads as having that value (see
     * {@link RunIdentity#absentMeans}).
     */
    static final Map<String, Object> ADDED_OPTIONS = Map.of("trainAccuracy", false);

    /** The identity of {@code options} ({@link #options}, or a checkpoint's), reading {@link #ADDED_OPTIONS} in. */
    static RunIdentity identity(Map<String, Object> options) {
        return RunIdentity.of(options).absentMeans(ADDED_OPTIONS);
    }

    /**
     * Every option of a run that changes its numbers (not where it writes or how often it prints): the manifest's
     * {@code options}, and what a checkpoint must match to be resumed. {@code trainAccuracy} changes no number of the
     * training but adds one to every row, so a run made without it is not one made with it (nor the reverse).
     */
    static Map<String, Object> options(RunSpec spec) {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("dataset", spec.data().dataset());
        opts.put("arch", spec.network().arch());
        opts.put("batchNorm", spec.network().batchNorm());
        opts.put("init", spec.init().name());
        opts.put("alpha", spec.init().alpha());
        opts.put("mode", spec.init().mode());
        opts.put("epochs", spec.schedule().epochs());
        opts.put("batch", spec.schedule().batch());
        opts.put("lr", spec.optimizer().lr());
        opts.put("optimizer", spec.optimizer().kind());
        opts.put("momentum", spec.optimizer().momentumValue());
        opts.put("maxBatches", spec.caps().maxBatches());
        Path dataDir = spec.data().dataDir();
        opts.put("dataDir", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        opts.put("probeSamples", spec.probe().samples());
        opts.put("trainAccuracy", spec.evaluation().trainAccuracy());
        if (spec.ownData()) {
            opts.put("data", spec.data().own().toMap());
        }
        return opts;
    }

    /**
     * Whether the run recorded by the manifest {@code file} had the options of {@code spec} that change its numbers
     * (its {@code options} and seed; the data folder's path is left out, the data being identified by their
     * checksums). False when the file is missing or unreadable.
     */
    public static boolean sameOptions(Path file, RunSpec spec) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            Recorded m = Recorded.read(file);
            Map<String, Object> recorded = JSON.convertValue(m.options(),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            return TRAIN.equals(m.kind()) && identity(options(spec)).matches(recorded, java.util.Set.of("dataDir"))
                    && m.seed() == spec.seed();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A map keeping the order of its alternating keys and values. */
    private static Map<String, Object> linked(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Adds a top-level field (written with the next {@link #write}). */
    void note(String key, Object value) {
        fields.put(key, value);
    }

    /** Writes the manifest into {@code dir} as it stands. */
    void write(Path dir) throws IOException {
        writeAtomically(dir.resolve(FILE), JSON.writeValueAsString(fields) + "\n");
    }

    /** Records the end of the run and its result, then writes the manifest into {@code dir}. */
    void finish(Path dir, RunResult result) throws IOException {
        fields.put("end", result.end().toString());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("diverged", result.diverged());
        summary.put("epochsRun", result.last().epoch());
        summary.put("initial", result.initial().toMap());
        summary.put("final", result.last().toMap());
        fields.put("result", summary);
        write(dir);
    }

    /** Writes {@code text} to {@code file} through a temporary file in the same folder moved into place. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** This project's version, recorded at build time in {@code project.properties}. */
    public static String projectVersion() {
        return properties(RunManifest.class, "project.properties").getProperty("version", "unknown");
    }

    /** The version in a jar's Maven {@code pom.properties}, or {@code unknown} if the class was not loaded from one. */
    static String mavenVersion(Class<?> fromJar, String groupId, String artifactId) {
        return properties(fromJar, "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")
                .getProperty("version", "unknown");
    }

    private static Properties properties(Class<?> owner, String resource) {
        Properties p = new Properties();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
        return p;
    }
}
