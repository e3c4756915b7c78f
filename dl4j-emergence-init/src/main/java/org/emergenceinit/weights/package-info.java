/**
 * Emergence-promoting weight initialization (Li, George and Silva 2024) for DL4J.
 *
 * <ul>
 *   <li>{@link org.emergenceinit.weights.EmergenceWeightInit}: the {@code IWeightInit} for
 *       {@code W_k = alpha^(e_k) * base(W_k)}, bound to its layer position.</li>
 *   <li>{@link org.emergenceinit.weights.EmergenceRamp}: binds or applies the ramp to a whole
 *       {@code MultiLayerConfiguration}, {@code ComputationGraphConfiguration}, or an initialised network.</li>
 *   <li>{@link org.emergenceinit.weights.RampPlan}: what the ramp does, layer by layer.</li>
 *   <li>{@link org.emergenceinit.weights.SameDiffRamp} and {@link org.emergenceinit.weights.EmergenceInitScheme}:
 *       the same rule for SameDiff variables.</li>
 * </ul>
 *
 * <p>The LSUV baseline is in {@code org.emergenceinit.baselines}, magnitude pruning in {@code org.emergenceinit.prune}.
 */
package org.emergenceinit.weights;
