/**
 * Short mains in the style of dl4j-examples: each builds its DL4J (or SameDiff) network in plain sight, applies the
 * emergence ramp in one line, trains it beside the stock init with the same seed and batches, and prints the ramp
 * plan and a side-by-side comparison (test accuracy and {@code log10 E} from an
 * {@link org.emergenceinit.measure.EmergenceListener}; loss and BLEU for the transformer).
 *
 * <ul>
 *   <li>{@link org.emergenceinit.examples.quickstart.MlpOnMnist}: ReLU MLP 784-6x256-10, Kaiming;</li>
 *   <li>{@link org.emergenceinit.examples.quickstart.CnnOnCifar10}: VGG-style CNN, optional BatchNorm;</li>
 *   <li>{@link org.emergenceinit.examples.quickstart.ResidualGraph}: a ComputationGraph with residual adds;</li>
 *   <li>{@link org.emergenceinit.examples.quickstart.TransformerOnMulti30k}: the SameDiff transformer, Xavier;</li>
 *   <li>{@link org.emergenceinit.examples.quickstart.OwnData}: your image folder or CSV, read with DataVec.</li>
 * </ul>
 * Each has a static {@code run(...)} returning its result, which the smoke test calls on a few batches.
 */
package org.emergenceinit.examples.quickstart;
