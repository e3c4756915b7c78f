/**
 * Runnable examples and the pieces they share: network shapes by name ({@link org.emergenceinit.examples.ArchSpec}),
 * initializations by name ({@link org.emergenceinit.examples.InitSpec}), and the training engine
 * ({@link org.emergenceinit.examples.TrainingRun} with its options, result and manifest). Each example main
 * ({@code MnistMlpExample}, {@code MnistCnnExample}, {@code Cifar10CnnExample}, {@code FashionMnistMlpExample},
 * {@code FashionMnistCnnExample}) has a {@code runExample(args)} returning its {@link org.emergenceinit.examples.RunResult}.
 */
package org.emergenceinit.examples;
