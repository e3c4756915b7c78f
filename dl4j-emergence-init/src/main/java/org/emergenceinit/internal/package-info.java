/**
 * Internal helpers shared by the library's packages: one layer classifier ({@link
 * org.emergenceinit.internal.LayerClassifier}) for the ramp, the measure, the pruner and LSUV, and one topological
 * order ({@link org.emergenceinit.internal.GraphOrder}), DL4J's own, for every walk over a ComputationGraph.
 *
 * <p><b>Not API.</b> These classes are public only so that the other packages can reach them; they may change
 * or move in any release.
 */
package org.emergenceinit.internal;
