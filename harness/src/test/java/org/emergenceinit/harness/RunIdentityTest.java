package org.emergenceinit.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one resume check: values compared as JSON reads them back, every difference named. */
class RunIdentityTest {

    private static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void valuesCompareAsReadBackAndEveryDifferenceIsNamed() {
        RunIdentity now = RunIdentity.of(of("seed", 3L, "dir", Path.of("a/b"), "maxBatches", 2, "epochs", 5));
        assertTrue(now.matches(of("seed", 3, "dir", "a/b", "maxBatches", 2, "epochs", 1), Set.of("epochs")),
                "a long written is an int read, a path a string; epochs ignored");
        assertEquals(List.of("maxBatches 3 there, 2 now"),
                now.differences(of("seed", 3, "dir", "a/b", "maxBatches", 3, "epochs", 5), Set.of()));
        assertEquals(List.of("extra 1 there, null now"),
                now.differences(of("seed", 3, "dir", "a/b", "maxBatches", 2, "epochs", 5, "extra", 1), Set.of()),
                "an option recorded but not asked for differs too");
        assertFalse(now.matches(null, Set.of()), "nothing recorded: another run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> now.require(Path.of("out"),
                "a run", of("seed", 4, "dir", "a/b", "maxBatches", 2), Set.of("epochs"), "use another --out"));
        assertEquals("out holds a run with other options (seed 4 there, 3 now): use another --out.", e.getMessage());
        IllegalStateException epochs = assertThrows(IllegalStateException.class, () -> RunIdentity.requireEpochs(
                Path.of("out"), "a translation run", 3, 2, "", "to finish it, or use another --out"));
        assertEquals("out holds a translation run of 3 epochs, more than the 2 asked for: give --epochs 3 to finish"
                + " it, or use another --out.", epochs.getMessage());
        RunIdentity.requireEpochs(Path.of("out"), "a run", 2, 2, "", "x"); // not more: no refusal
    }

    @Test
    void anOptionAddedLaterReadsAsItsEarlierValueWhereARecordLacksIt() {
        Map<String, Object> old = of("seed", 3, "maxBatches", 2); // recorded before trainAccuracy existed
        RunIdentity plain = RunIdentity.of(of("seed", 3, "maxBatches", 2, "trainAccuracy", false))
                .absentMeans(Map.of("trainAccuracy", false));
        assertTrue(plain.matches(old, Set.of()), "the same run as before");
        RunIdentity measuring = RunIdentity.of(of("seed", 3, "maxBatches", 2, "trainAccuracy", true))
                .absentMeans(Map.of("trainAccuracy", false));
        assertEquals(List.of("trainAccuracy false there, true now"), measuring.differences(old, Set.of()));
        assertEquals(List.of("trainAccuracy false there, true now"), measuring.differences(
                of("seed", 3, "maxBatches", 2, "trainAccuracy", false), Set.of()), "recorded: compared as recorded");
        assertEquals(List.of("trainAccuracy null there, true now"), RunIdentity.of(
                of("seed", 3, "maxBatches", 2, "trainAccuracy", true)).differences(old, Set.of()),
                "without absentMeans a missing option is null");
    }
}
