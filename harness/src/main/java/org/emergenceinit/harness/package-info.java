/**
 * The run model of the experiments: network shapes by name ({@link org.emergenceinit.harness.ArchSpec}),
 * initializations by name ({@link org.emergenceinit.harness.InitSpec}: stock, emergence, LSUV, warm-up), the
 * immutable specification of a run ({@link org.emergenceinit.harness.RunSpec}; the command line only parses into it),
 * the training engine ({@link org.emergenceinit.harness.TrainingRun}: per-epoch loss, accuracy and emergence,
 * checkpoints, resume), its result ({@link org.emergenceinit.harness.RunResult},
 * {@link org.emergenceinit.harness.EpochStats}) and manifest ({@link org.emergenceinit.harness.RunManifest}), and
 * the statistics of a series ({@link org.emergenceinit.harness.Spread}). The data are in
 * {@link org.emergenceinit.data}, the transformer in {@link org.emergenceinit.nmt}; the command line that drives
 * all of it is in the experiments module ({@code org.emergenceinit.cli}).
 */
package org.emergenceinit.harness;
