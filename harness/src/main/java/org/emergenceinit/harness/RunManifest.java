package org.emergenceinit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * The provenance of a training run, written as {@value #FILE} beside its {@code epochs.csv}: the DL4J configuration
 * JSON (which holds the bound {@code EmergenceWeightInit} of every layer), the ramp plan, the seeds, the versions of
 * this project, DL4J and Java, the ND4J backend and its environment, the thread count, the dataset's label, files and
 * SHA-256, every option, and the start and end times with a summary of the result. The file is written at the start
 * (end {@code null}) and again at the end, each time atomically (a temporary file moved into place).
 */
public final class RunManifest {

    /** The manifest's file name. */
    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> fields = new LinkedHashMap<>();

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
        fields.put("name", spec.runName());
        fields.put("project", linked("name", "dl4j-emergence-init", "version", projectVersion()));
        fields.put("dl4jVersion", mavenVersion(MultiLayerNetwork.class, "org.deeplearning4j", "deeplearning4j-nn"));
        fields.put("java", linked("version", System.getProperty("java.version"), "vendor",
                System.getProperty("java.vendor"), "vm", System.getProperty("java.vm.name")));
        fields.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", Nd4j.getBackend().getClass().getSimpleName());
        Map<String, String> environment = new TreeMap<>();
        Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> environment.put(k.toString(),
                String.valueOf(v)));
        backend.put("environment", environment);
        fields.put("backend", backend);
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("OMP_NUM_THREADS", System.getenv("OMP_NUM_THREADS"));
        threads.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        fields.put("threads", threads);
        fields.put("seeds", linked("configuration", spec.seed(), "shuffle", spec.seed()));
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
     * Every option of a run that changes its numbers (not where it writes or how often it prints): the manifest's
     * {@code options}, and what a checkpoint must match to be resumed.
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
            JsonNode m = JSON.readTree(file.toFile());
            com.fasterxml.jackson.databind.node.ObjectNode recorded = m.path("options").deepCopy();
            com.fasterxml.jackson.databind.node.ObjectNode wanted = JSON.readTree(JSON.writeValueAsString(
                    options(spec))).deepCopy();
            recorded.remove("dataDir");
            wanted.remove("dataDir");
            return recorded.equals(wanted) && m.at("/seeds/configuration").asLong(Long.MIN_VALUE) == spec.seed();
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
