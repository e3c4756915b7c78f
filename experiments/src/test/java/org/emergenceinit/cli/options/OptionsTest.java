package org.emergenceinit.cli.options;

import org.emergenceinit.harness.RunSpec;
import org.emergenceinit.nmt.TranslationSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line options only parse into the harness's specs: the same defaults, the same names. */
class OptionsTest {

    @Test
    void theOptionsDefaultsAreTheSpecsDefaults() {
        assertEquals(RunSpec.builder().build(), new RunOptions().toSpec());
        assertEquals(TranslationSpec.builder().build(), new TranslateOptions().toSpec());
    }

    @Test
    void parsedOptionsGiveTheRunNamesOfBefore() {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs("--dataset", "csv:table.csv", "--arch", "mlp:4-8-3", "--init", "emergence-kaiming",
                "--alpha", "1.1", "--mode", "integer", "--bn", "--momentum", "0", "--max-batches", "3",
                "--probe-samples", "100", "--test-fraction", "0.3", "--label-column", "2", "--seed", "4",
                "--out", "x");
        assertEquals("csv-table.csv_mlp-4-8-3_emergence-kaiming-a1.1-integer_bn_sgd-lr0.01_b128_mb3_p100_tf0.3_label2_s4",
                o.toSpec().runName());
        assertEquals(Path.of("x"), o.toSpec().outDir());
        RunOptions auto = new RunOptions();
        new CommandLine(auto).parseArgs("--alpha", "auto", "--init", "emergence-kaiming");
        assertTrue(auto.toSpec().init().alphaAuto());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, auto::validate);
        assertTrue(e.getMessage().startsWith("--alpha auto is chosen by a pilot"), e.getMessage());
    }

    @Test
    void aTranslateOptionThatDoesNotParseIsAnIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TranslateOptions.parse("--epochs", "x"));
        assertTrue(e.getMessage().contains("--epochs") && !e.getMessage().contains("\n"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TranslateOptions.parse("--init", "he"));
        assertThrows(IllegalArgumentException.class, () -> TranslateOptions.parse("--ff-only"));
    }

    @Test
    void seedAndInitBelongToTheSweep() {
        assertThrows(IllegalArgumentException.class, () -> TranslationSweepOptions.run(System.out, "--seed", "3"));
        assertThrows(IllegalArgumentException.class, () -> TranslationSweepOptions.run(System.out, "--seeds", "a"));
        assertThrows(IllegalArgumentException.class, () -> TranslationSweepOptions.run(System.out, "--init=xavier"));
    }
}
