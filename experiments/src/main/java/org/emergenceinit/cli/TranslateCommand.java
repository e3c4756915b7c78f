package org.emergenceinit.cli;

import org.emergenceinit.cli.options.TranslateOptions;
import org.emergenceinit.nmt.TranslationExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code emergence translate}: trains the SameDiff transformer on Multi30k German to English with stock Xavier or
 * the emergence init and scores BLEU ({@link TranslationExample}, whose options this command takes).
 */
@Command(name = "translate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the SameDiff transformer on Multi30k de-en (xavier or emergence-xavier), printing the"
                + " loss and validation BLEU per epoch and sample translations, then score test_2016_flickr.",
                "One epoch (454 batches) took about 4.5 min on one core here; give the JVM -Xmx2g"
                        + " -Dorg.bytedeco.javacpp.maxphysicalbytes=6g (EMERGENCE_JAVA_OPTS)."})
final class TranslateCommand implements Callable<Integer> {

    @Mixin
    TranslateOptions options;

    @Override
    public Integer call() throws Exception {
        TranslationExample.run(options.toSpec());
        return 0;
    }
}
