package org.nd4j.nativeblas;

/**
 * Compatibility class for DL4J 1.0.0-M2.1: {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()}
 * looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection and calls {@code getInstance()} and
 * {@code isUseMKLDNN()} on it. In M2.1 ND4J's binding moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} (and the method became {@code isUseONEDNN()}),
 * so the lookup fails and DL4J never uses oneDNN for its layers. This class restores the old name and delegates to
 * the new binding. Nothing else in DL4J or ND4J refers to this name (checked in the M2.1 jars); it is not ND4J's
 * binding and offers nothing beyond what the reflective check needs.
 *
 * <p>On its own it changes nothing: DL4J also needs its layer helpers allowed
 * ({@code -Dorg.eclipse.deeplearning4j.helpers.disable=false}) and natives built with oneDNN, which is what
 * {@link org.emergenceinit.onednn.OneDnn#enable()} arranges.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The part of the pre-M2.1 {@code Nd4jCpu.Environment} that DL4J's oneDNN helper check calls. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The single instance, as in the old binding. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether ND4J's natives use oneDNN: {@code Nd4jCpu.Environment.isUseONEDNN()} of the M2.1 binding, which is
         * false for natives built without oneDNN and after {@code setUseONEDNN(false)}.
         */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }

        /** Turns oneDNN off or on in ND4J's natives ({@code setUseONEDNN} of the M2.1 binding). */
        public void setUseMKLDNN(boolean useMkldnn) {
            org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().setUseONEDNN(useMkldnn);
        }
    }
}
