package org.emergenceinit.examples;

import org.emergenceinit.cli.options.RunOptions;
import org.emergenceinit.harness.RunResult;

import org.emergenceinit.onednn.OneDnn;
import java.io.IOException;

/**
 * The MLP of {@link MnistMlpExample} on Fashion-MNIST; {@code --bn} adds BatchNorm before each ReLU.
 *
 * <pre>
 * java -cp "experiments/target/classes:experiments/target/lib/*" org.emergenceinit.examples.FashionMnistMlpExample \
 *     [--init emergence-kaiming] [--alpha 1.2] [--bn] [--epochs 1] [--batch 128] [--lr 0.01] [--optimizer sgd|adam]
 *     [--seed 1] [--max-batches K] [--data-dir DIR] [--out DIR]
 * </pre>
 * Defaults: {@code --dataset fashion-mnist --arch mlp:784-256-128-10}, the other defaults of {@link RunOptions}. Each epoch prints a line like
 * {@code epoch 1/1  train loss 0.3921  test loss 0.2010  test accuracy 0.9412  log10 E 8.531  2.9 s (elapsed ...)};
 * the run writes {@code manifest.json} and {@code epochs.csv} into {@code --out} (default {@code runs/<run name>}).
 */
public final class FashionMnistMlpExample {

    private FashionMnistMlpExample() {
    }

    /** The example's options before parsing: {@code --dataset fashion-mnist --arch mlp:784-256-128-10}. */
    static RunOptions defaults() {
        RunOptions o = new RunOptions();
        o.dataset = "fashion-mnist";
        o.arch = "mlp:784-256-128-10";
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
        ExampleRunner.main(FashionMnistMlpExample.class, defaults(), args);
    }
}
