package org.emergenceinit.onednn;

import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs DL4J 1.0.0-M2.1's layers through oneDNN on CPU. Call {@link #enable()} as the first statement of
 * {@code main}, before anything touches ND4J:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     OneDnn.enable();          // picks the natives for this CPU, allows DL4J's layer helpers, logs one line
 *     ...                       // build and fit networks as usual
 * }
 * }</pre>
 *
 * <p>Out of the box M2.1 never uses oneDNN for its layers, for three reasons, and this class with
 * {@link org.nd4j.nativeblas.Nd4jCpu} removes all three:
 * <ol>
 *   <li>the default natives ({@code nd4j-native}, classifier {@code linux-x86_64}) are built without oneDNN: this
 *       module depends on the {@code linux-x86_64-onednn-avx512} and {@code -onednn-avx2} builds, and
 *       {@code enable()} selects one with JavaCPP's {@value #EXTENSION_PROPERTY} (AVX-512 when the CPU has
 *       AVX-512 F/CD/BW/DQ/VL, else AVX2 when it has AVX2 and FMA, else the plain natives);</li>
 *   <li>DL4J's layer helpers are off unless {@value #HELPERS_DISABLE_PROPERTY} is {@code false}: {@code enable()}
 *       sets it, unless it was set already;</li>
 *   <li>{@code BaseMKLDNNHelper.mklDnnEnabled()} looks for a class that M2.1 moved: {@link org.nd4j.nativeblas.Nd4jCpu}
 *       puts it back.</li>
 * </ol>
 * DL4J then uses oneDNN for {@code ConvolutionLayer}, {@code SubsamplingLayer}, {@code BatchNormalization} and
 * {@code LocalResponseNormalization} (its only oneDNN helpers); dense layers use BLAS either way.
 *
 * <p>Call it whenever this module is on the class path: with its jars there and no
 * {@value #EXTENSION_PROPERTY} set, JavaCPP picks a build by itself (on this machine the oneDNN-AVX2 one, whatever
 * the CPU), so a program that adds the module without calling {@code enable()} may load a build its CPU cannot
 * run. {@code enable()} always sets the property, to {@code ""} (the plain natives) when oneDNN is not chosen.
 *
 * <p>It never fails: on a CPU without AVX2, on another OS or architecture, when the variant's jar is not on the
 * class path, or when ND4J was loaded before {@code enable()}, it keeps the plain natives and logs why, once. It does
 * nothing when {@value #SWITCH_PROPERTY}{@code =off} (or the environment variable {@value #SWITCH_ENV}{@code =off})
 * is set, and never overrides a {@value #EXTENSION_PROPERTY} or {@value #HELPERS_DISABLE_PROPERTY} that the user set.
 * The same effect without code: {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512
 * -Dorg.eclipse.deeplearning4j.helpers.disable=false} with this module on the class path.
 */
public final class OneDnn {

    /** JavaCPP's system property that selects a build of the natives. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** DL4J's system property; layer helpers are created only when it is {@code false} (its default is true). */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    /** This class's switch: {@code auto} (default), {@code off}, {@code avx512}, {@code avx2}. */
    public static final String SWITCH_PROPERTY = "dl4j.onednn";
    /** The same switch as an environment variable (the system property wins). */
    public static final String SWITCH_ENV = "DL4J_ONEDNN";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final String NATIVES = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /** A build of ND4J's CPU natives. */
    public enum Variant {
        /** {@code linux-x86_64-onednn-avx512}. */
        ONEDNN_AVX512("-onednn-avx512", true),
        /** {@code linux-x86_64-onednn-avx2}. */
        ONEDNN_AVX2("-onednn-avx2", true),
        /** ND4J's default natives, {@code linux-x86_64}, without oneDNN. */
        PLAIN("", false);

        private final String extension;
        private final boolean oneDnn;

        Variant(String extension, boolean oneDnn) {
            this.extension = extension;
            this.oneDnn = oneDnn;
        }

        /** JavaCPP's platform extension ({@code ""} for the plain natives). */
        public String extension() {
            return extension;
        }

        /** Whether this build carries oneDNN. */
        public boolean oneDnn() {
            return oneDnn;
        }

        /** The Maven classifier of {@code org.nd4j:nd4j-native} for Linux x86-64. */
        public String classifier() {
            return "linux-x86_64" + extension;
        }

        static Variant ofExtension(String extension) {
            for (Variant v : values()) {
                if (v.extension.equals(extension)) {
                    return v;
                }
            }
            return null;
        }
    }

    /**
     * What {@link #enable()} chose.
     *
     * @param variant        the natives selected (what JavaCPP will load, if ND4J was not loaded before)
     * @param helpersAllowed whether DL4J's layer helpers are allowed ({@value #HELPERS_DISABLE_PROPERTY} is false)
     * @param reason         why, in words, as logged
     */
    public record Choice(Variant variant, boolean helpersAllowed, String reason) {
        /** Whether DL4J's layers will run through oneDNN (a oneDNN build and helpers allowed). */
        public boolean oneDnnLayers() {
            return variant.oneDnn() && helpersAllowed;
        }

        @Override
        public String toString() {
            return "natives " + variant.classifier() + ", DL4J layer helpers " + (helpersAllowed ? "on" : "off")
                    + " (" + reason + ")";
        }
    }

    private static Choice choice;

    private OneDnn() {
    }

    /**
     * Chooses the natives for this CPU and allows DL4J's layer helpers; idempotent (later calls return the first
     * choice and log nothing). Call it before the first use of ND4J.
     */
    public static synchronized Choice enable() {
        if (choice == null) {
            // No JavaCPP class may be touched before the properties are set: Loader's static initialiser reads and
            // caches the platform properties, after which a new extension has no effect.
            Choice c = choose(setting(), System.getProperty(EXTENSION_PROPERTY),
                    System.getProperty(HELPERS_DISABLE_PROPERTY), cpuFlags(), OneDnn::available);
            // Always set: with no extension given, JavaCPP loads whichever build it finds first on the class path
            // (with this module's jars there, a oneDNN-AVX2 build even on a CPU without AVX2); "" is the plain one.
            boolean setExtension = System.getProperty(EXTENSION_PROPERTY) == null;
            boolean setHelpers = c.helpersAllowed && System.getProperty(HELPERS_DISABLE_PROPERTY) == null;
            if (setExtension) {
                System.setProperty(EXTENSION_PROPERTY, c.variant.extension());
            }
            if (setHelpers) {
                System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
            }
            // Only what this call set can be checked: a build the user chose by name may be one this class does not
            // know (e.g. "-avx2", the plain AVX2 build).
            if (setExtension
                    && !c.variant.extension().equals(Loader.loadProperties().getProperty("platform.extension", ""))) {
                if (setExtension) {
                    System.clearProperty(EXTENSION_PROPERTY);
                }
                if (setHelpers) {
                    System.clearProperty(HELPERS_DISABLE_PROPERTY);
                }
                c = new Choice(variantOrPlain(Loader.loadProperties().getProperty("platform.extension", "")), false,
                        "JavaCPP or ND4J was loaded before OneDnn.enable(): call it first in main, before anything"
                        + " uses ND4J; keeping the natives already chosen, helpers off");
            }
            choice = c;
            LOG.info("oneDNN: {}", choice);
        }
        return choice;
    }

    /** The choice of {@link #enable()}, or null if it was not called. */
    public static synchronized Choice choice() {
        return choice;
    }

    /**
     * The file of ND4J's natives that JavaCPP loaded ({@code libjnind4jcpu.so}; its folder names the build), or null
     * before ND4J was loaded.
     */
    public static String loadedNatives() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("jnind4jcpu") && e.getValue() != null) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The build of the natives that JavaCPP loaded, read from {@link #loadedNatives()}; null before ND4J was loaded.
     */
    public static Variant loadedVariant() {
        String path = loadedNatives();
        if (path == null) {
            return null;
        }
        for (Variant v : new Variant[]{Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2}) {
            if (path.contains("/" + v.classifier() + "/")) {
                return v;
            }
        }
        return Variant.PLAIN;
    }

    /** Pure decision, tested without touching the machine. */
    static Choice choose(String setting, String userExtension, String userHelpers, Set<String> flags,
                         java.util.function.Predicate<Variant> available) {
        String mode = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        boolean helpers = userHelpers == null || !Boolean.parseBoolean(userHelpers);
        if (mode.equals("off") || mode.equals("false")) {
            boolean userAllowed = userHelpers != null && !Boolean.parseBoolean(userHelpers);
            return new Choice(userExtension == null ? Variant.PLAIN : variantOrPlain(userExtension), userAllowed,
                    "turned off by " + SWITCH_PROPERTY + "/" + SWITCH_ENV + "=off");
        }
        if (!List.of("auto", "on", "true", "avx512", "avx2").contains(mode)) {
            throw new IllegalArgumentException(SWITCH_PROPERTY + "/" + SWITCH_ENV + " is '" + setting
                    + "'; use auto, off, avx512 or avx2.");
        }
        if (userExtension != null) {
            Variant v = variantOrPlain(userExtension);
            return new Choice(v, helpers, EXTENSION_PROPERTY + "=" + userExtension + " set by the user");
        }
        if (flags == null) {
            return new Choice(Variant.PLAIN, false, "not Linux x86-64, or /proc/cpuinfo unreadable: plain natives");
        }
        boolean avx512 = flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        boolean avx2 = flags.containsAll(Set.of("avx2", "fma"));
        StringBuilder missing = new StringBuilder();
        Variant[] order = mode.equals("avx2") ? new Variant[]{Variant.ONEDNN_AVX2}
                : new Variant[]{Variant.ONEDNN_AVX512, Variant.ONEDNN_AVX2};
        for (Variant v : order) {
            boolean cpu = v == Variant.ONEDNN_AVX512 ? avx512 : avx2;
            if (!cpu) {
                missing.append(missing.length() == 0 ? "" : "; ").append("CPU lacks ")
                        .append(v == Variant.ONEDNN_AVX512 ? "AVX-512 F/CD/BW/DQ/VL" : "AVX2/FMA");
                continue;
            }
            if (!available.test(v)) {
                missing.append(missing.length() == 0 ? "" : "; ").append("org.nd4j:nd4j-native:")
                        .append(v.classifier()).append(" is not on the class path");
                continue;
            }
            String why = v == Variant.ONEDNN_AVX512 ? "CPU has AVX-512" : "CPU has AVX2";
            return new Choice(v, helpers, missing.length() == 0 ? why : why + "; " + missing);
        }
        return new Choice(Variant.PLAIN, false, missing + ": plain natives");
    }

    private static Variant variantOrPlain(String extension) {
        Variant v = Variant.ofExtension(extension);
        return v == null ? Variant.PLAIN : v;
    }

    private static String setting() {
        String p = System.getProperty(SWITCH_PROPERTY);
        return p != null ? p : System.getenv(SWITCH_ENV);
    }

    private static boolean available(Variant v) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = OneDnn.class.getClassLoader();
        }
        return cl.getResource(NATIVES + v.classifier() + "/libnd4jcpu.so") != null;
    }

    /** The CPU's flags from /proc/cpuinfo on Linux x86-64; null elsewhere or when unreadable. */
    static Set<String> cpuFlags() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    return new HashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
