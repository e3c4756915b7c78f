package org.emergenceinit.examples;

import org.emergenceinit.cli.options.RunOptions;
import org.emergenceinit.harness.RunResult;

import org.emergenceinit.onednn.OneDnn;
import java.io.IOException;

/**
 * The VGG-style CNN of {@link MnistCnnExample} on CIFAR-10 (or the CIFAR-10 subset, labelled as such); {@code --bn} adds BatchNorm before each ReLU.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.Cifar10CnnExample \
 *     [--init emergence-kaiming] [--alpha 1.2] [--bn] [--epochs 1] [--batch 128] [--lr 0.01] [--optimizer sgd|adam]
 *     [--seed 1] [--max-batches K] [--data-dir DIR] [--out DIR]
 * </pre>
 * Defaults: {@code --dataset cifar10 --arch cnn:c32-c32-p-c64-c64-p-f256-10}, the other defaults of {@link RunOptions}. Each epoch prints a line like
 * {@code epoch 1/1  train loss 0.3921  test loss 0.2010  test accuracy 0.9412  log10 E 8.531  2.9 s (elapsed ...)};
 * the run writes {@code manifest.json} and {@code epochs.csv} into {@code --out} (default {@code runs/<run name>}).
 */
public final class Cifar10CnnExample {

    private Cifar10CnnExample() {
    }

    /** The example's options before parsing: {@code --dataset cifar10 --arch cnn:c32-c32-p-c64-c64-p-f256-10}. */
    static RunOptions defaults() {
        RunOptions o = new RunOptions();
        o.dataset = "cifar10";
        o.arch = "cnn:c32-c32-p-c64-c64-p-f256-10";
        return o;
    }

    /**
     * Runs the example with these command-line options over its defaults.
     *
     * @return the result: per epoch (0 = at initialization) losses, test accuracy and emergence
     */
    public static RunResult runExample(String... args) throws IOException {
        return ExampleRunner.run(defaults(), args);
    }

    /** Runs the example; bad options print one line and exit with status 2. */
    public static void main(String... args) {
        OneDnn.enable(); // first: picks the natives for this CPU and runs DL4J's layers through oneDNN
        ExampleRunner.main(Cifar10CnnExample.class, defaults(), args);
    }
}
