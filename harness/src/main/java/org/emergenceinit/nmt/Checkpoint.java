package org.emergenceinit.nmt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.harness.RunIdentity;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-epoch checkpoint of a {@link TranslationExample} run, so that a run longer than one sitting can finish:
 * the folder {@value #DIR} in {@code --out} holds {@value #MODEL} (the arrays of every trainable variable, of every
 * updater state, e.g. Adam's moments, and of the weights of the best validation epoch, each as {@code Nd4j.write}
 * writes it) and {@value #PROGRESS} (the
 * options it was made with, the training configuration's iteration and epoch counts, which drive the warm-up, and
 * the losses, validation BLEU and training time of the epochs done). Not {@code SameDiff.save}: in 1.0.0-M2.1 a
 * saved training configuration with a {@code RampSchedule} (the warm-up) cannot be read back. After every epoch both
 * are written into a new folder, which then replaces the old one by renames, so a kill at any moment leaves one
 * complete checkpoint (the previous one, {@value #DIR}{@code .old}, while the swap is under way).
 *
 * <p>The same command on the same {@code --out} resumes after the last finished epoch and ends with the numbers of an
 * uninterrupted run (the shuffles of the epochs done are replayed; the weights and Adam's moments are restored into
 * the freshly built graph, so its hand-written gradients stay in place). A raised {@code --epochs} continues a
 * finished run. Other options are refused with a message naming what differs.
 *
 * @param losses       mean training loss of each epoch done
 * @param valBleu      validation BLEU after each epoch done
 * @param trainSeconds   training time so far
 * @param iterationCount the training configuration's iteration count (the warm-up's position)
 * @param epochCount     its epoch count
 * @param best           the trainable variables' arrays after the epoch of the best validation BLEU
 * @param bestEpoch      that epoch (1-based)
 * @param model        the checkpoint's {@value #MODEL}
 */
record Checkpoint(List<Double> losses, List<Double> valBleu, double trainSeconds, int iterationCount, int epochCount,
                  Map<String, INDArray> best, int bestEpoch, Path model) {

    /** The checkpoint's folder in {@code --out}. */
    static final String DIR = "checkpoint";
    /** The arrays of the variables and of the updaters' states. */
    static final String MODEL = "arrays.zip";
    /** The options and the history. */
    static final String PROGRESS = "progress.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether validation BLEU has not improved on its best for {@code patience} epochs (never when 0). */
    static boolean patienceRunOut(List<Double> valBleu, int patience) {
        if (patience == 0 || valBleu.isEmpty()) {
            return false;
        }
        int best = 0;
        for (int i = 1; i < valBleu.size(); i++) {
            if (valBleu.get(i) > valBleu.get(best)) {
                best = i;
            }
        }
        return valBleu.size() - 1 - best >= patience;
    }

    /**
     * The checkpoint in {@code o.out()}, or null when there is none.
     *
     * @throws IllegalStateException when it was made with other options, holds more epochs than {@code o.epochs()}, or
     *                               cannot be read
     */
    static Checkpoint read(TranslationSpec o) throws IOException {
        Path dir = o.out().resolve(DIR);
        if (!Files.isDirectory(dir)) {
            dir = o.out().resolve(DIR + ".old"); // killed while swapping in a newer one
        }
        Path model = dir.resolve(MODEL);
        Path progress = dir.resolve(PROGRESS);
        if (!Files.isRegularFile(model) || !Files.isRegularFile(progress)) {
            return null;
        }
        Map<String, Object> state;
        try {
            state = JSON.readValue(progress.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw unreadable(progress, e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) state.get("identity");
        RunIdentity.of(o.identity()).require(o.out(), "a translation run", found, List.of(),
                "use another --out, or delete that folder");
        List<Double> losses = doubles(state.get("losses"));
        List<Double> valBleu = doubles(state.get("valBleu"));
        RunIdentity.requireEpochs(o.out(), "a translation run", losses.size(), o.epochs(), "",
                "to finish it, or use another --out");
        Map<String, INDArray> arrays = arrays(model);
        Map<String, INDArray> best = new LinkedHashMap<>();
        arrays.forEach((name, a) -> {
            if (name.startsWith("best/")) {
                best.put(name.substring("best/".length()), a);
            }
        });
        return new Checkpoint(losses, valBleu, ((Number) state.get("trainSeconds")).doubleValue(),
                ((Number) state.get("iterationCount")).intValue(), ((Number) state.get("epochCount")).intValue(),
                best, ((Number) state.get("bestEpoch")).intValue(), model);
    }

    /**
     * The init, alpha and epochs so far recorded in the checkpoint of {@code out} (its folder, or the one being
     * swapped out when a kill came in between), without reading its arrays or checking its options; null when there
     * is none.
     *
     * @throws IllegalStateException if its {@code progress.json} is not JSON (the message names the file and what to
     *     do)
     */
    static TranslationSweep.Progress progress(Path out) throws IOException {
        Path file = out.resolve(DIR).resolve(PROGRESS);
        if (!Files.isRegularFile(file)) {
            file = out.resolve(DIR + ".old").resolve(PROGRESS);
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode p;
        try {
            p = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (p == null || !p.isObject()) {
            throw unreadable(file, "is not a translation checkpoint (not a JSON object)");
        }
        String init = p.path("identity").path("--init").asText("?");
        double alpha = init.startsWith("emergence") ? p.path("identity").path("--alpha").asDouble(1) : 1;
        List<Double> losses = new ArrayList<>();
        p.path("losses").forEach(x -> losses.add(x.asDouble()));
        List<Double> valBleu = new ArrayList<>();
        p.path("valBleu").forEach(x -> valBleu.add(x.asDouble()));
        return new TranslationSweep.Progress(init, alpha, losses, valBleu);
    }

    /** The error for a checkpoint's progress file that could not be parsed: the parser's first line says why. */
    private static IllegalStateException unreadable(Path progress, IOException e) {
        return unreadable(progress, "cannot be read as a translation checkpoint ("
                + e.getMessage().lines().findFirst().orElse("") + ")");
    }

    /** The error for a checkpoint's progress file that cannot be used: the file, why, and what to do. */
    private static IllegalStateException unreadable(Path progress, String why) {
        return new IllegalStateException(progress + " " + why + ": delete " + progress.getParent()
                + " to start the run anew, or use another --out.");
    }

    private static Map<String, INDArray> arrays(Path model) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(model))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                arrays.put(e.getName(), Nd4j.read(new java.io.DataInputStream(zip)));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(model + " cannot be read as a translation checkpoint (" + e.getMessage()
                    + "): delete " + model.getParent() + " to start the run anew.", e);
        }
        return arrays;
    }

    private static List<Double> doubles(Object list) {
        List<Double> out = new ArrayList<>();
        for (Object x : (List<?>) list) {
            out.add(((Number) x).doubleValue());
        }
        return out;
    }

    /**
     * Restores the checkpoint into {@code sd}, a graph built by the same code with the same options and its training
     * configuration set: the arrays of its variables, the iteration and epoch counts, and the updaters' state.
     */
    void restore(SameDiff sd) {
        Map<String, INDArray> arrays = arrays(model);
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                v.getArr().assign(array(arrays, "variable/" + v.name(), v.getArr()));
            }
        }
        sd.getTrainingConfig().setIterationCount(iterationCount);
        sd.getTrainingConfig().setEpochCount(epochCount);
        initializeTraining(sd);
        for (Map.Entry<String, GradientUpdater> u : sd.getUpdaterMap().entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, INDArray> state = u.getValue().getState();
            for (Map.Entry<String, INDArray> st : state.entrySet()) {
                st.getValue().assign(array(arrays, "updater/" + u.getKey() + "/" + st.getKey(), st.getValue()));
            }
        }
    }

    private INDArray array(Map<String, INDArray> arrays, String name, INDArray like) {
        INDArray a = arrays.get(name);
        if (a == null || a.length() != like.length()) {
            throw new IllegalStateException(model + " has no array " + name + " of " + like.length() + " values: it"
                    + " is not a checkpoint of this network; delete " + model.getParent() + " to start the run anew.");
        }
        return a.reshape(like.shape());
    }

    /**
     * SameDiff 1.0.0-M2.1 creates its updaters lazily in a protected {@code initializeTraining()} and offers no setter
     * for their state; called here so that the restored updaters can replace the fresh ones before training.
     */
    private static void initializeTraining(SameDiff sd) {
        try {
            Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
            init.setAccessible(true);
            init.invoke(sd);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("This SameDiff version has no initializeTraining(): cannot restore the"
                    + " updater state of a checkpoint", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("SameDiff could not set up training: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The arrays of {@code sd}'s trainable variables by name: copies when {@code copy}, else the live arrays. */
    static Map<String, INDArray> variables(SameDiff sd, boolean copy) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                m.put(v.name(), copy ? v.getArr().dup() : v.getArr());
            }
        }
        return m;
    }

    /** Sets {@code sd}'s trainable variables to {@code arrays} (from {@link #variables}). */
    static void assign(SameDiff sd, Map<String, INDArray> arrays) {
        variables(sd, false).forEach((name, a) -> a.assign(arrays.get(name)));
    }

    /** Writes the checkpoint of the epochs done into {@code o.out()}; see the class documentation. */
    static void write(TranslationSpec o, SameDiff sd, List<Double> losses, List<Double> valBleu,
                      double trainSeconds, Map<String, INDArray> best, int bestEpoch) throws IOException {
        Path fresh = o.out().resolve(DIR + ".new");
        Path current = o.out().resolve(DIR);
        Path old = o.out().resolve(DIR + ".old");
        deleteFolder(fresh);
        Files.createDirectories(fresh);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(
                Files.newOutputStream(fresh.resolve(MODEL)))) {
            java.io.DataOutputStream out = new java.io.DataOutputStream(zip);
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    entry(zip, out, "variable/" + v.name(), v.getArr());
                }
            }
            for (Map.Entry<String, INDArray> b : best.entrySet()) {
                entry(zip, out, "best/" + b.getKey(), b.getValue());
            }
            if (sd.getUpdaterMap() != null) {
                for (Map.Entry<String, GradientUpdater> u : sd.getUpdaterMap().entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map<String, INDArray> updaterState = u.getValue().getState();
                    for (Map.Entry<String, INDArray> st : updaterState.entrySet()) {
                        entry(zip, out, "updater/" + u.getKey() + "/" + st.getKey(), st.getValue());
                    }
                }
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("identity", o.identity());
        state.put("iterationCount", sd.getTrainingConfig().getIterationCount());
        state.put("epochCount", sd.getTrainingConfig().getEpochCount());
        state.put("bestEpoch", bestEpoch);
        state.put("losses", losses);
        state.put("valBleu", valBleu);
        state.put("trainSeconds", trainSeconds);
        Files.writeString(fresh.resolve(PROGRESS), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state)
                + "\n");
        if (Files.isDirectory(current)) {
            deleteFolder(old);
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
        deleteFolder(old);
    }

    private static void entry(java.util.zip.ZipOutputStream zip, java.io.DataOutputStream out, String name,
                              INDArray array) throws IOException {
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        Nd4j.write(array, out);
        out.flush();
        zip.closeEntry();
    }

    /** Deletes the checkpoint of {@code out} (a sweep's finished run keeps its results, not its model). */
    static void delete(Path out) throws IOException {
        for (String name : List.of(DIR, DIR + ".new", DIR + ".old")) {
            deleteFolder(out.resolve(name));
        }
    }

    private static void deleteFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
