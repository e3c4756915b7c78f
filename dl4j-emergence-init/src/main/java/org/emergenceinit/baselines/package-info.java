/**
 * Baselines the emergence ramp is compared against: {@link org.emergenceinit.baselines.Lsuv}, layer-sequential
 * unit-variance initialization (Mishkin and Matas 2016), a data-dependent rescaling run after {@code init()} on a
 * {@code MultiLayerNetwork} or a {@code ComputationGraph}. (The learning-rate warm-up baseline is an updater
 * schedule, set in the training code.)
 */
package org.emergenceinit.baselines;
