package org.emergenceinit.onednn;

import org.emergenceinit.onednn.OneDnn.Choice;
import org.emergenceinit.onednn.OneDnn.Variant;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision of {@link OneDnn#enable()} for CPUs, jars and settings this machine does not have. */
class OneDnnChoiceTest {

    private static final Set<String> AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd",
            "avx512bw", "avx512dq", "avx512vl");
    private static final Set<String> AVX2 = Set.of("sse4_2", "avx", "avx2", "fma");
    private static final Set<String> OLD = Set.of("sse4_2", "avx");

    private static Choice choose(String setting, Set<String> flags, Variant... present) {
        Set<Variant> jars = Set.of(present);
        return OneDnn.choose(setting, null, null, flags, jars::contains);
    }

    @Test
    void picksTheBestBuildTheCpuRuns() {
        Choice c = choose(null, AVX512, Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2);
        assertEquals(Variant.ONEDNN_AVX512, c.variant());
        assertTrue(c.oneDnnLayers());
        assertEquals(Variant.ONEDNN_AVX2, choose(null, AVX2, Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2).variant());
        assertEquals(Variant.ONEDNN_AVX2, choose("avx2", AVX512, Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2)
                .variant());
    }

    @Test
    void aCpuWithoutAvx2KeepsThePlainNativesAndSaysWhy() {
        Choice c = choose("auto", OLD, Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2);
        assertEquals(Variant.PLAIN, c.variant());
        assertFalse(c.helpersAllowed());
        assertTrue(c.reason().contains("CPU lacks AVX2"), c.reason());
    }

    @Test
    void aMissingJarFallsBackToTheNextBuildAndSaysWhich() {
        Choice c = choose(null, AVX512, Variant.ONEDNN_AVX2);
        assertEquals(Variant.ONEDNN_AVX2, c.variant());
        assertTrue(c.reason().contains("linux-x86_64-onednn-avx512 is not on the class path"), c.reason());
        Choice none = choose(null, AVX512);
        assertEquals(Variant.PLAIN, none.variant());
        assertFalse(none.oneDnnLayers());
    }

    @Test
    void anUnknownCpuOrOsKeepsThePlainNatives() {
        Choice c = choose(null, null, Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2);
        assertEquals(Variant.PLAIN, c.variant());
        assertFalse(c.helpersAllowed());
    }

    @Test
    void offAndTheUsersOwnSettingsWin() {
        assertEquals(Variant.PLAIN, choose("off", AVX512, Variant.ONEDNN_AVX512).variant());
        assertFalse(choose("OFF", AVX512, Variant.ONEDNN_AVX512).helpersAllowed());
        Choice user = OneDnn.choose(null, "-onednn-avx2", "true", AVX512, v -> true);
        assertEquals(Variant.ONEDNN_AVX2, user.variant());
        assertFalse(user.helpersAllowed(), "helpers.disable=true set by the user must stay");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> choose("fast", AVX512, Variant.ONEDNN_AVX512));
        assertTrue(e.getMessage().contains("auto, off, avx512 or avx2"), e.getMessage());
    }
}
