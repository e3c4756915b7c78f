package org.emergenceinit.harness;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Refuses a network whose parameters cannot fit before ND4J tries to allocate them, and turns ND4J's allocation
 * failures into one-line errors. The estimate counts parameters, their gradients and the updater's state, 4 bytes
 * each (float), and is compared with JavaCPP's off-heap limits ({@code Pointer.maxBytes()} and
 * {@code Pointer.maxPhysicalBytes()}, set with {@code -Dorg.bytedeco.javacpp.maxbytes} and {@code maxphysicalbytes}).
 */
public final class MemoryCheck {
    private static final long BYTES_PER_VALUE = 4;

    private MemoryCheck() {
    }

    /** Bytes of parameters, gradients and updater state of a configuration, 4 bytes each. */
    public static long estimateBytes(MultiLayerConfiguration conf, IUpdater fallback) {
        List<NeuralNetConfiguration> layers = new ArrayList<>(conf.getConfs());
        return estimate(layers, fallback);
    }

    /** As {@link #estimateBytes(MultiLayerConfiguration, IUpdater)} for a ComputationGraph configuration. */
    public static long estimateBytes(ComputationGraphConfiguration conf, IUpdater fallback) {
        List<NeuralNetConfiguration> layers = new ArrayList<>();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex) {
                layers.add(((LayerVertex) v).getLayerConf());
            }
        }
        return estimate(layers, fallback);
    }

    private static long estimate(List<NeuralNetConfiguration> confs, IUpdater fallback) {
        double values = 0;
        for (NeuralNetConfiguration c : confs) {
            Layer layer = c.getLayer();
            long params = layer.initializer().numParams(c);
            IUpdater u = layer instanceof BaseLayer && ((BaseLayer) layer).getIUpdater() != null
                    ? ((BaseLayer) layer).getIUpdater() : fallback;
            double state = u == null ? 0 : (double) u.stateSize(params);
            values += 2.0 * params + state;
        }
        double bytes = values * BYTES_PER_VALUE;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /** The off-heap bytes ND4J may allocate: the smaller of JavaCPP's positive limits; Long.MAX_VALUE if none. */
    public static long limitBytes() {
        long limit = Long.MAX_VALUE;
        if (Pointer.maxBytes() > 0) {
            limit = Math.min(limit, Pointer.maxBytes());
        }
        if (Pointer.maxPhysicalBytes() > 0) {
            limit = Math.min(limit, Pointer.maxPhysicalBytes());
        }
        return limit;
    }

    /** @throws IllegalArgumentException naming the estimate and the limit when the network cannot fit */
    public static void requireFits(MultiLayerConfiguration conf, IUpdater updater, String what) {
        check(estimateBytes(conf, updater), what);
    }

    /** As {@link #requireFits(MultiLayerConfiguration, IUpdater, String)} for a ComputationGraph configuration. */
    public static void requireFits(ComputationGraphConfiguration conf, IUpdater updater, String what) {
        check(estimateBytes(conf, updater), what);
    }

    private static void check(long bytes, String what) {
        long limit = limitBytes();
        if (bytes > limit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs about %s for its parameters,"
                    + " gradients and updater state, more than the %s ND4J may allocate here (JavaCPP maxBytes %s,"
                    + " maxPhysicalBytes %s): use a smaller network, or raise the limits with"
                    + " -Dorg.bytedeco.javacpp.maxbytes=... -Dorg.bytedeco.javacpp.maxphysicalbytes=... (e.g. in"
                    + " EMERGENCE_JAVA_OPTS) if the machine has the memory.", what, size(bytes), size(limit),
                    size(Pointer.maxBytes()), size(Pointer.maxPhysicalBytes())));
        }
    }

    /**
     * Runs {@code allocation}, turning ND4J's allocation failures ({@code Allocation failed}, {@code bad_alloc},
     * {@link OutOfMemoryError}) into an {@link IllegalStateException} with a one-line message.
     */
    public static <T> T allocating(String what, Supplier<T> allocation) {
        try {
            return allocation.get();
        } catch (OutOfMemoryError e) {
            throw outOfMemory(what, e);
        } catch (RuntimeException e) {
            if (isAllocationFailure(e)) {
                throw outOfMemory(what, e);
            }
            throw e;
        }
    }

    /** Whether {@code t} or one of its causes is an ND4J/JavaCPP allocation failure or an OutOfMemoryError. */
    public static boolean isAllocationFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof OutOfMemoryError || m.contains("Allocation failed") || m.contains("bad_alloc")
                    || m.contains("Cannot allocate")) {
                return true;
            }
        }
        return false;
    }

    /** A one-line error for an allocation failure while doing {@code what}. */
    public static IllegalStateException outOfMemory(String what, Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
        return new IllegalStateException(what + ": memory could not be allocated (" + m + "; ND4J may use "
                + size(limitBytes()) + " off-heap): use a smaller network or batch, or give the JVM more memory"
                + " (-Xmx, -Dorg.bytedeco.javacpp.maxbytes, -Dorg.bytedeco.javacpp.maxphysicalbytes).", e);
    }

    /** Bytes in words: {@code 1.2 GB}, {@code 954 GB}, {@code 3.4 MB}. */
    static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s",
                v, units[u]);
    }
}
