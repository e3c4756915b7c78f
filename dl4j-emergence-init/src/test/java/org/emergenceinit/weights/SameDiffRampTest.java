package org.emergenceinit.weights;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.WeightInit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SameDiffRampTest {

    @Test
    void alphaOneEqualsTheStockSameDiffSchemeBitForBit() {
        for (BaseScheme base : BaseScheme.values()) {
            Nd4j.getRandom().setSeed(12);
            INDArray stock = base.sameDiff('c', 64, 32).create(DataType.FLOAT, 64, 32);
            Nd4j.getRandom().setSeed(12);
            INDArray ramp = SameDiffRamp.of(base, 1.0, 5).scheme(0, 64, 32).create(DataType.FLOAT, 64, 32);
            assertArrayEquals(Nets.floats(stock), Nets.floats(ramp), base.name());
            assertEquals(WeightInit.valueOf(base.dl4jName().name()), new EmergenceInitScheme(base, 1, 0, 'c', 64, 32).type());
        }
    }

    @Test
    void blocksFollowTheRampAndThePlanRecordsEveryVariable() {
        SameDiff sd = SameDiff.create();
        SameDiffRamp ramp = SameDiffRamp.of(BaseScheme.XAVIER, 1.3, 5);
        double previous = Double.NaN;
        for (int block = 0; block < 5; block++) {
            Nd4j.getRandom().setSeed(3);
            SDVariable v = ramp.var(sd, "w" + block, block, 256, 256, DataType.FLOAT, 256, 256);
            double ratio = Nets.std(v.getArr()) / Math.sqrt(2.0 / 512);
            assertEquals(Math.pow(1.3, block - 2), ratio, ratio * Nets.stdTolerance(256 * 256, false));
            if (block > 0) {
                assertEquals(1.3, ratio / previous, 1e-5, "same seed: the ratio is exact");
            }
            previous = ratio;
        }
        RampPlan plan = ramp.plan();
        assertEquals(5, plan.layerCount());
        assertEquals("w4", plan.entries().get(4).name());
        assertEquals(2.0, plan.entries().get(4).exponent());
        assertTrue(plan.toString().contains("SameDiff variable"));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 0));
        assertThrows(IllegalArgumentException.class, () -> SameDiffRamp.of(BaseScheme.XAVIER, 1.2, 3).scheme(3, 4, 4));
        IllegalArgumentException fan = assertThrows(IllegalArgumentException.class,
                () -> new EmergenceInitScheme(BaseScheme.KAIMING, 1.2, 0, 'c', 0, 4));
        assertTrue(fan.getMessage().contains("fanIn and fanOut must be finite and > 0"), fan.getMessage());
    }
}
