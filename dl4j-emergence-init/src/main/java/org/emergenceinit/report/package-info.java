/**
 * What an init does to a network: {@link org.emergenceinit.report.InitReport} compares several inits of one
 * network layer by layer (activation mean and std, dead units, active counts and the emergence {@code E} under the
 * papers' absolute rule and the scale-robust relative rule, weight std, gradient norm at initialization, and the
 * update/parameter ratio of the first training steps) and returns plain records
 * ({@link org.emergenceinit.report.InitReportResult}, {@link org.emergenceinit.report.InitResult},
 * {@link org.emergenceinit.report.LayerSignal}). The command line's {@code init-report} renders them as JSON, PNG
 * plots and one HTML page.
 */
package org.emergenceinit.report;
