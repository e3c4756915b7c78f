package org.emergenceinit.weights;

import java.util.Objects;

/**
 * What {@link EmergenceRamp#auto} did: the alpha it applied, the plan of that ramp, and the pilot that chose it.
 *
 * @param alpha the alpha applied: the pilot's best, or 1 (the stock init, bit for bit) when no candidate beat stock
 * @param plan  the plan of the ramp applied to the configuration
 * @param pilot the pilot's numbers (per candidate: loss difference to stock, Welch's t, accuracy difference; per
 *              run: the loss after every step) and its verdict
 */
public record AutoRamp(double alpha, RampPlan plan, AlphaPilot.Result pilot) {
    public AutoRamp {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(pilot, "pilot");
    }

    /** Whether the pilot found an alpha that beats stock (otherwise {@link #alpha} is 1). */
    public boolean helped() {
        return pilot.best() != null;
    }

    @Override
    public String toString() {
        return "auto alpha " + alpha + ": " + pilot.verdict() + System.lineSeparator() + plan;
    }
}
