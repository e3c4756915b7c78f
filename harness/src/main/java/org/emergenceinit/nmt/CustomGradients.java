package org.emergenceinit.nmt;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.custom.BitCast;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hand-written backward passes for parts of a SameDiff graph (ND4J 1.0.0-M2.1 has no API for custom gradients).
 * The forward part is built from stock ops and either cut from SameDiff's automatic differentiation
 * ({@link #cut}) or left in it; after the graph is complete, {@link #build} creates SameDiff's gradient function and
 * runs the registered {@link #backward backward builders} on it, which add ops to the gradient function and
 * {@link Backward#addGradient add to} or {@link Backward#replaceGradient replace} the gradients of forward
 * variables. Replacing or adding rewires the ops that read the old gradient, so whatever SameDiff had built for it
 * becomes dead and is never executed (a training session runs only the ops its outputs, the parameters'
 * gradients, depend on).
 *
 * <p>Why: several stock gradients of M2.1 are slow or unusable for the transformer, see {@link Transformer}. What
 * keeps this honest: {@code TransformerTest} compares every parameter gradient and a few training steps with the
 * stock formulation's.
 *
 * <p>SameDiff drops its gradient function when the loss variables or variable types change; after that the
 * hand-written gradients are gone, so the graph must not be changed after {@link #build}
 * ({@link TransformerTraining#fit} checks that every parameter still has a gradient).
 */
final class CustomGradients {

    /** Name of SameDiff's gradient function (SameDiff.GRAD_FN_KEY, not public in M2.1). */
    static final String GRAD_FN = "grad";

    private final SameDiff sd;
    private final List<Consumer<Backward>> builders = new ArrayList<>();
    private boolean built;

    CustomGradients(SameDiff sd) {
        this.sd = sd;
    }

    /**
     * {@code x} with the same bits but no gradient path: bit-cast to {@code INT} and back. SameDiff differentiates
     * only along floating-point variables, so nothing behind the cut gets a gradient from what is in front of it.
     */
    SDVariable cut(SDVariable x) {
        return bitCast(bitCast(x, DataType.INT), DataType.FLOAT);
    }

    private SDVariable bitCast(SDVariable x, DataType type) {
        // The SameDiff constructor of BitCast (M2.1) sets neither the target type nor its integer argument.
        BitCast op = new BitCast(sd, x, sd.constant(Nd4j.scalar(type.toInt())));
        op.addIArgument(type.toInt());
        return op.outputVariable();
    }

    /**
     * Registers a backward builder. {@link #build} runs them in reverse order of registration (as backpropagation
     * visits the forward graph), so a builder may read a gradient that a builder registered later sets.
     */
    void backward(Consumer<Backward> builder) {
        if (built) {
            throw new IllegalStateException("The gradient function is already built.");
        }
        builders.add(builder);
    }

    /** Creates SameDiff's gradient function (without its chatter) and runs the backward builders on it. */
    void build() {
        if (built) {
            throw new IllegalStateException("The gradient function is already built.");
        }
        TransformerTraining.withoutGradientChatter(sd::createGradFunction);
        Backward b = new Backward(sd.getFunction(GRAD_FN));
        for (int i = builders.size() - 1; i >= 0; i--) {
            builders.get(i).accept(b);
        }
        built = true;
    }

    /** The gradient function as a backward builder sees it. */
    static final class Backward {
        private final SameDiff g;

        private Backward(SameDiff g) {
            this.g = g;
        }

        /** The gradient function, to build ops in. */
        SameDiff sameDiff() {
            return g;
        }

        /** The gradient function's copy of the forward variable {@code v}. */
        SDVariable v(SDVariable v) {
            SDVariable copy = g.getVariable(v.name());
            if (copy == null) {
                throw new IllegalStateException("The gradient function has no variable " + v.name() + ".");
            }
            return copy;
        }

        /** The current gradient of the forward variable {@code v}, which must have one. */
        SDVariable gradient(SDVariable v) {
            SDVariable grad = v(v).getGradient();
            if (grad == null) {
                throw new IllegalStateException("Variable " + v.name() + " has no gradient.");
            }
            return grad;
        }

        /**
         * Adds {@code contribution} to the gradient of {@code v}: a variable without a gradient gets it as its
         * gradient (for an activation, only builders that run later read it); otherwise the sum replaces the old
         * gradient everywhere it is read.
         */
        void addGradient(SDVariable v, SDVariable contribution) {
            SDVariable old = v(v).getGradient();
            if (old == null) {
                g.setGradientForVariableName(v.name(), contribution);
                return;
            }
            SDVariable sum = old.add(contribution);
            rewire(old, sum);
            g.setGradientForVariableName(v.name(), sum);
        }

        /** Makes {@code grad} the gradient of {@code v} in place of the one SameDiff built. */
        void replaceGradient(SDVariable v, SDVariable grad) {
            SDVariable old = gradient(v);
            rewire(old, grad);
            g.setGradientForVariableName(v.name(), grad);
        }

        /** Every op that reads {@code from}, except the op computing {@code to}, reads {@code to} instead. */
        private void rewire(SDVariable from, SDVariable to) {
            Variable fromVar = g.getVariables().get(from.name());
            String producer = g.getVariables().get(to.name()).getOutputOfOp();
            List<String> readers = fromVar.getInputsForOp() == null ? List.of()
                    : new ArrayList<>(fromVar.getInputsForOp());
            for (String opName : readers) {
                if (opName.equals(producer)) {
                    continue;
                }
                SameDiffOp op = g.getOps().get(opName);
                List<String> inputs = op.getInputsToOp();
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).equals(from.name())) {
                        g.replaceArgFor(i, to, op.getOp());
                        inputs = op.getInputsToOp();
                    }
                }
            }
        }
    }
}
