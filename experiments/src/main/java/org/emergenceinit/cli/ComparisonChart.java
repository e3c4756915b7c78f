package org.emergenceinit.cli;

import org.emergenceinit.harness.Spread;
import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.RunResult;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The compare command's chart: per init, the mean over seeds of the test accuracy (top) and of {@code log10 E}
 * (bottom) against the epoch (0 = at initialization), each with a band of one standard deviation; and the report's
 * charts of accuracy against alpha. Rendered headless
 * with JFreeChart into a PNG.
 */
final class ComparisonChart {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private ComparisonChart() {
    }

    /**
     * Writes the chart.
     *
     * @param title  the chart title
     * @param byInit the runs of each init, in legend order
     * @param epochs the epochs run (x from 0 to this)
     * @param file   the PNG to write
     */
    static void write(String title, Map<String, List<RunResult>> byInit, int epochs, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("epoch (0 = at initialization)"));
        plot.add(panel("test accuracy", byInit, epochs, EpochStats::testAccuracy, true), 3);
        plot.add(panel("log10 E (probe batch)", byInit, epochs, EpochStats::log10E, false), 2);
        ((NumberAxis) plot.getDomainAxis()).setTickUnit(new NumberTickUnit(1));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 700);
    }

    /**
     * Writes a chart of a quantity against alpha: per series, points {@code {alpha, mean, sd}} joined by a line with
     * a band of one standard deviation.
     *
     * @param title  the chart title
     * @param yLabel the quantity, e.g. "test accuracy at the end"
     * @param series per series name, its points
     * @param file   the PNG to write
     */
    static void writeAgainstAlpha(String title, String yLabel, Map<String, List<double[]>> series, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey());
            e.getValue().forEach(p -> s.add(p[0], p[1], p[1] - p[2], p[1] + p[2]));
            data.addSeries(s);
            Color c = COLORS[i % COLORS.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            i++;
        }
        renderer.setAlpha(0.15f);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        NumberAxis x = new NumberAxis("alpha (1 = stock init)");
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 550);
    }

    /**
     * Writes the translation sweep's chart: per init, the mean over its runs of the training loss (top) and of the
     * validation BLEU (bottom) after each epoch, with a band of one standard deviation. A run stopped early (by
     * {@code --patience}) counts for the epochs it trained; each epoch's mean is over the runs that reached it.
     *
     * @param title the chart title
     * @param loss  per init (legend order), each run's training loss per epoch
     * @param bleu  per init, each run's validation BLEU per epoch
     * @param file  the PNG to write
     */
    static void writeTranslationCurves(String title, Map<String, List<List<Double>>> loss,
                                       Map<String, List<List<Double>>> bleu, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("epoch"));
        plot.add(perEpochPanel("training loss (label-smoothed, per token)", loss, true), 1);
        plot.add(perEpochPanel("validation BLEU", bleu, false), 1);
        ((NumberAxis) plot.getDomainAxis()).setTickUnit(new NumberTickUnit(1));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 700);
    }

    private static XYPlot perEpochPanel(String label, Map<String, List<List<Double>>> runsByInit, boolean legend) {
        List<YIntervalSeries> series = new java.util.ArrayList<>();
        for (Map.Entry<String, List<List<Double>>> e : runsByInit.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey());
            int longest = e.getValue().stream().mapToInt(List::size).max().orElse(0);
            for (int epoch = 0; epoch < longest; epoch++) {
                final int at = epoch;
                Spread sp = Spread.of(e.getValue().stream().filter(r -> r.size() > at).mapToDouble(r -> r.get(at))
                        .toArray());
                if (sp.n() > 0) {
                    s.add(epoch + 1, sp.mean(), sp.mean() - sp.sd(), sp.mean() + sp.sd());
                }
            }
            series.add(s);
        }
        return bandPanel(label, series, key -> 2f, legend);
    }

    /**
     * Writes the pilot chart of {@code advise}: per init (stock, then each alpha) the mean over seeds of the training
     * loss after each step, with a band of one standard deviation.
     */
    static void writePilot(String title, org.emergenceinit.weights.AlphaPilot.Result r, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        List<List<org.emergenceinit.weights.AlphaPilot.Run>> groups = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        groups.add(r.stockRuns());
        names.add(r.stock() + " (stock)");
        for (int i = 0; i < r.candidates().size(); i++) {
            groups.add(r.runs().get(i));
            names.add(r.emergence() + " alpha " + r.candidates().get(i).alpha());
        }
        for (int g = 0; g < groups.size(); g++) {
            YIntervalSeries series = new YIntervalSeries(names.get(g));
            for (int step = 0; step < r.steps(); step++) {
                final int k = step;
                Spread s = Spread.of(groups.get(g).stream().mapToDouble(run -> run.losses()[k]).toArray());
                if (s.n() > 0) {
                    series.add(step + 1, s.mean(), s.mean() - s.sd(), s.mean() + s.sd());
                }
            }
            data.addSeries(series);
            Color c = COLORS[g % COLORS.length];
            renderer.setSeriesPaint(g, c);
            renderer.setSeriesFillPaint(g, c);
            renderer.setSeriesStroke(g, new BasicStroke(g == 0 ? 2.5f : 1.5f));
        }
        renderer.setAlpha(0.12f);
        NumberAxis y = new NumberAxis("training loss (minibatch)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis("step"), y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 550);
    }

    private static XYPlot panel(String label, Map<String, List<RunResult>> byInit, int epochs,
                                ToDoubleFunction<EpochStats> value, boolean inLegend) {
        List<YIntervalSeries> series = new java.util.ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : byInit.entrySet()) {
            YIntervalSeries line = new YIntervalSeries(e.getKey());
            for (int epoch = 0; epoch <= epochs; epoch++) {
                Spread s = Spread.at(e.getValue(), epoch, value);
                if (s.n() > 0) {
                    line.add(epoch, s.mean(), s.mean() - s.sd(), s.mean() + s.sd());
                }
            }
            series.add(line);
        }
        return bandPanel(label, series, key -> key.startsWith("emergence-") ? 2.5f : 1.5f, inLegend);
    }

    /**
     * A panel of lines with a band of one standard deviation each, in the chart colours, for a combined plot's shared
     * x axis; {@code stroke} gives a line's width from its name, {@code inLegend} whether its lines are in the legend.
     */
    private static XYPlot bandPanel(String label, List<YIntervalSeries> series,
                                    java.util.function.Function<String, Float> stroke, boolean inLegend) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            data.addSeries(series.get(i));
            Color c = COLORS[i % COLORS.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(stroke.apply((String) series.get(i).getKey())));
        }
        renderer.setAlpha(0.15f);
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
