/**
 * Runnable example mains. {@code MnistMlpExample}, {@code MnistCnnExample}, {@code Cifar10CnnExample},
 * {@code FashionMnistMlpExample}, {@code FashionMnistCnnExample} and {@code TrainOnYourData} take the options of
 * {@code bin/emergence train} and run the harness's {@link org.emergenceinit.harness.TrainingRun}; each has a
 * {@code runExample(args)} returning its {@link org.emergenceinit.harness.RunResult}.
 */
package org.emergenceinit.examples;
