package org.emergenceinit.nmt;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.RampSchedule;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Teacher-forced training of a {@link Transformer}: the optimiser of {@link TranslationExample} and a loop that
 * trains on a stream of batches in ONE {@code SameDiff.fit} call and reports every batch's loss.
 *
 * <p>Why one call: {@code SameDiff.fit} (1.0.0-M2.1) creates a new {@code TrainingSession}, and with it a new
 * {@code ArrayCacheMemoryMgr}, on every call, so calling it once per batch allocates a fresh off-heap array for every
 * op output of every step; inside one call the session's cache hands the arrays released by one step to the next
 * (when the shapes repeat). Why the loss is read from its operands: the training session never runs the loss op
 * (its gradient is the constant one), so the loss used to cost a second forward pass ({@code sd.output}). Here a
 * listener reads {@link Transformer#LOSS_SUM} and {@link Transformer#LOSS_WEIGHT}, which the backward pass needs
 * anyway, and divides them in float like the graph's {@code div} op, so the reported loss equals
 * {@code sd.output(ph, LOSS)} of the same parameters bit for bit.
 */
public final class TransformerTraining {

    /** The placeholders fed from a training batch ({@link Batch#training}), in the order of the feature arrays. */
    public static final List<String> FEATURES = List.of("src", "srcPos", "srcShape", "srcMask", "tgtIn", "tgtPos",
            "tgtShape", "tgtMask", "tgtOut", "tokenWeight");

    /** Called after every training step. */
    @FunctionalInterface
    public interface StepCallback {
        /**
         * @param step the 0-based index of the batch within this {@link #fit} call
         * @param loss the batch's loss (label-smoothed cross-entropy per real token) before the update
         */
        void stepDone(int step, double loss);
    }

    private TransformerTraining() {
    }

    /**
     * The training configuration of {@link TranslationExample}: Adam ({@code beta1 0.9, beta2 0.98, eps 1e-9}), the
     * learning rate {@code lr} reached by a linear ramp over {@code warmup} steps (0: {@code lr} from the first step),
     * features {@link #FEATURES}.
     */
    public static TrainingConfig trainingConfig(double lr, int warmup) {
        return TrainingConfig.builder()
                .updater(Adam.builder().learningRateSchedule(warmup == 0 ? new FixedSchedule(lr)
                                : new RampSchedule(new FixedSchedule(lr), warmup))
                        .beta1(0.9).beta2(0.98).epsilon(1e-9).build())
                .dataSetFeatureMapping(FEATURES).markLabelsUnused().build();
    }

    /**
     * Trains one step per batch, in order, in one {@code SameDiff.fit} call (the training configuration must be set).
     * Counts as one epoch in the training configuration (the learning-rate schedule depends on the iteration only).
     *
     * @param batches  placeholder maps with every name of {@link #FEATURES}; consumed lazily, one at a time
     * @param callback called after each step, or null
     * @return the number of steps done
     */
    public static int fit(SameDiff sd, Iterator<Map<String, INDArray>> batches, StepCallback callback) {
        if (!batches.hasNext()) {
            return 0;
        }
        requireGradients(sd);
        LossReader reader = new LossReader(callback);
        withoutGradientChatter(() -> sd.fit(new Batches(batches), 1, reader));
        return reader.steps;
    }

    /**
     * Creates the gradient function if there is none and checks that every trainable (floating-point) variable has
     * a gradient: {@code SameDiff.fit} silently skips variables without one, and {@link Transformer} adds the
     * embedding tables' gradients to the gradient function itself, which a rebuilt gradient function would lack.
     */
    static void requireGradients(SameDiff sd) {
        if (!sd.hasGradientFunction()) {
            withoutGradientChatter(sd::createGradFunction);
        }
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType()
                    && sd.getGradForVariable(v.name()) == null) {
                throw new IllegalStateException("Variable " + v.name() + " has no gradient in the gradient function"
                        + " (was it rebuilt after the model was built?).");
            }
        }
    }

    /** What SameDiff 1.0.0-M2.1 prints, once per op, when it builds the gradient function. */
    static final String GRADIENT_CHATTER = "Added differentiated op ";

    /**
     * Runs {@code action} with the {@value #GRADIENT_CHATTER}... lines dropped from {@code System.out}: SameDiff's
     * {@code createGradFunction} prints one per op (about 160 for the transformer) with {@code System.out.println},
     * not through a logger, so no logging configuration can silence it. Every other line passes through.
     */
    static void withoutGradientChatter(Runnable action) {
        java.io.PrintStream original = System.out;
        java.io.PrintStream filtered = new java.io.PrintStream(original, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith(GRADIENT_CHATTER)) {
                    super.println(line);
                }
            }
        };
        System.setOut(filtered);
        try {
            action.run();
        } finally {
            if (System.out == filtered) {
                System.setOut(original);
            }
        }
    }

    /** Reads the loss operands of each training step. */
    private static final class LossReader extends BaseListener {
        private final StepCallback callback;
        private float sum = Float.NaN;
        private float weight = Float.NaN;
        private int steps;

        LossReader(StepCallback callback) {
            this.callback = callback;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                                        INDArray activation) {
            if (varName.equals(Transformer.LOSS_SUM)) {
                sum = activation.getFloat(0);
            } else if (varName.equals(Transformer.LOSS_WEIGHT)) {
                weight = activation.getFloat(0);
            }
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            float l = sum / weight;
            sum = Float.NaN;
            weight = Float.NaN;
            if (callback != null) {
                callback.stepDone(steps, l);
            }
            steps++;
        }
    }

    /** Placeholder maps as feature arrays, built on demand; no reset, no asynchronous prefetch. */
    private static final class Batches implements MultiDataSetIterator {
        private final Iterator<Map<String, INDArray>> source;

        Batches(Iterator<Map<String, INDArray>> source) {
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public MultiDataSet next() {
            if (!source.hasNext()) {
                throw new NoSuchElementException();
            }
            Map<String, INDArray> ph = source.next();
            INDArray[] features = new INDArray[FEATURES.size()];
            for (int i = 0; i < features.length; i++) {
                features[i] = ph.get(FEATURES.get(i));
                if (features[i] == null) {
                    throw new IllegalArgumentException("Batch has no placeholder " + FEATURES.get(i) + ".");
                }
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(features, new INDArray[0]);
        }

        @Override
        public MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException();
        }
    }
}
