package org.emergenceinit.nmt;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SameDiff's "Added differentiated op" lines (System.out, not a logger) stay off the console during training. */
class GradientChatterTest {

    private static SameDiff tiny() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2));
        SDVariable loss = sd.math().square(x.mmul(w)).mean("loss");
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(0.1)).dataSetFeatureMapping("x")
                .markLabelsUnused().build());
        return sd;
    }

    private static String captured(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theChatterIsThereWithoutTheFilterAndGoneWithIt() {
        SameDiff plain = tiny();
        assertTrue(captured(plain::createGradFunction).contains(TransformerTraining.GRADIENT_CHATTER),
                "SameDiff prints it (if this fails, the filter is no longer needed)");

        SameDiff quiet = tiny();
        String out = captured(() -> TransformerTraining.withoutGradientChatter(() -> {
            quiet.createGradFunction();
            System.out.println("other output passes");
        }));
        assertFalse(out.contains(TransformerTraining.GRADIENT_CHATTER), out);
        assertEquals("other output passes", out.strip());
    }
}
