package org.emergenceinit.harness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run's checkpoint must match to be continued: every option that changes its numbers, by name. The one
 * resume check of the project: a DL4J run ({@link TrainingRun}'s {@code model.zip}) and a translation run
 * ({@code org.emergenceinit.nmt.Checkpoint}) both compare the identity they want with the one recorded, and refuse
 * another run with one line naming every option that differs ({@code maxBatches 3 there, 2 now}).
 *
 * <p>Values are compared as JSON reads them back (a {@code long} written is an {@code int} read, a {@code Path} a
 * string), so an identity built now equals the one read from a file written with the same options. An option added
 * after runs were recorded is compared, where a record lacks it, with the value those runs had
 * ({@link #absentMeans}: {@code trainAccuracy} recorded nowhere is {@code false}), so that the old runs still match
 * the identity of the same run asked now, and differ, by name, from one asking for the new option.
 */
public final class RunIdentity {

    private static final ObjectMapper JSON = RunManifest.JSON; // paths as plain strings

    private final Map<String, Object> values;
    /** The value of each option added later that a record without it had. */
    private final Map<String, Object> earlier;

    private RunIdentity(Map<String, Object> values, Map<String, Object> earlier) {
        this.values = values;
        this.earlier = earlier;
    }

    /** The identity of these values (through JSON, see the class documentation). */
    public static RunIdentity of(Map<String, ?> values) {
        return new RunIdentity(asJson(values), Map.of());
    }

    /**
     * This identity, reading a record that lacks one of {@code earlier}'s options (written before the option
     * existed) as having {@code earlier}'s value for it.
     *
     * @param earlier options added later, each with the value the runs recorded before it had
     */
    public RunIdentity absentMeans(Map<String, ?> earlier) {
        Map<String, Object> merged = new LinkedHashMap<>(this.earlier);
        merged.putAll(asJson(earlier));
        return new RunIdentity(values, merged);
    }

    /** The values by name, as JSON reads them back; a copy. */
    public Map<String, Object> values() {
        return new LinkedHashMap<>(values);
    }

    /**
     * The options that differ from {@code recorded}, each as {@code name <there> there, <now> now}, in this
     * identity's order, leaving out {@code ignored} (e.g. the epoch count, compared on its own); empty when they
     * match.
     *
     * @param recorded the identity read from the run's folder, or null (none recorded: every option differs)
     */
    public List<String> differences(Map<String, ?> recorded, Collection<String> ignored) {
        return differences(recorded, ignored, (name, there, now) -> name + " " + there + " there, " + now + " now");
    }

    /** How one differing option is written. */
    @FunctionalInterface
    public interface Format {
        /** The option {@code name}, recorded as {@code there}, asked as {@code now}. */
        String format(String name, Object there, Object now);
    }

    /** As {@link #differences(Map, Collection)}, each difference written by {@code format}. */
    public List<String> differences(Map<String, ?> recorded, Collection<String> ignored, Format format) {
        Map<String, Object> found = recorded == null ? null : asJson(recorded);
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (ignored.contains(e.getKey())) {
                continue;
            }
            Object there = found == null ? null
                    : found.containsKey(e.getKey()) ? found.get(e.getKey()) : earlier.get(e.getKey());
            if (!Objects.equals(e.getValue(), there)) {
                diff.add(format.format(e.getKey(), there, e.getValue()));
            }
        }
        if (found != null) {
            for (String k : found.keySet()) {
                if (!values.containsKey(k) && !ignored.contains(k)) {
                    diff.add(format.format(k, found.get(k), null));
                }
            }
        }
        return diff;
    }

    /** Whether {@code recorded} matches this identity apart from {@code ignored}. */
    public boolean matches(Map<String, ?> recorded, Collection<String> ignored) {
        return recorded != null && differences(recorded, ignored).isEmpty();
    }

    /**
     * Refuses a folder holding another run.
     *
     * @param folder   the run's folder
     * @param what     the run as the message calls it, e.g. {@code a run} or {@code a translation run}
     * @param recorded the identity recorded there
     * @param ignored  options compared elsewhere
     * @param advice   what to do, e.g. {@code use another --out, or delete that folder}
     * @throws IllegalStateException {@code <folder> holds <what> with other options (<differences>): <advice>.}
     */
    public void require(Path folder, String what, Map<String, ?> recorded, Collection<String> ignored,
                        String advice) {
        List<String> diff = differences(recorded, ignored);
        if (!diff.isEmpty()) {
            throw new IllegalStateException(folder + " holds " + what + " with other options ("
                    + String.join("; ", diff) + "): " + advice + ".");
        }
    }

    /**
     * Refuses a folder holding more epochs of the same run than asked for.
     *
     * @param folder  the run's folder
     * @param what    the run as the message calls it
     * @param done    epochs recorded there
     * @param wanted  epochs asked for now
     * @param detail  words after {@code asked for}, e.g. {@code  (epochs 3 there)}, or empty
     * @param advice  what to do, after {@code give --epochs N}
     * @throws IllegalStateException {@code <folder> holds <what> of <done> epochs, more than the <wanted> asked
     *                               for<detail>: give --epochs <done> <advice>.}
     */
    public static void requireEpochs(Path folder, String what, int done, int wanted, String detail, String advice) {
        if (done > wanted) {
            throw new IllegalStateException(folder + " holds " + what + " of " + done + " epochs, more than the "
                    + wanted + " asked for" + detail + ": give --epochs " + done + " " + advice + ".");
        }
    }

    /** {@code value} through JSON text, so that it compares with what was read back. */
    public static Map<String, Object> asJson(Object value) {
        try {
            return JSON.readValue(JSON.writeValueAsString(value), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
