/**
 * The emergence measure of AlShinaifi et al. 2024 (arXiv 2409.01568) and Li et al. 2023
 * (arXiv 2311.17403) for Deeplearning4j networks. The magnitude pruning of the former is in
 * {@code org.emergenceinit.prune}.
 *
 * <ul>
 *   <li>{@link org.emergenceinit.measure.EmergenceMeasure}: the exact closed form {@code E} of a
 *       layered network from its widths and active counts, {@code log10 E} and {@code E / P}.</li>
 *   <li>{@link org.emergenceinit.measure.ActivityProbe}: which hidden nodes of a
 *       {@code MultiLayerNetwork} or {@code ComputationGraph} are active on a batch, returned as an
 *       {@link org.emergenceinit.measure.EmergenceProfile}.</li>
 *   <li>{@link org.emergenceinit.measure.EmergenceListener}: records the profile during training
 *       and writes CSV and JSON.</li>
 * </ul>
 *
 * <p>The decisions taken where the papers are silent are listed in the project's
 * {@code docs/METHOD.md}, section 3, and in each class's documentation.
 */
package org.emergenceinit.measure;
