package org.emergenceinit.cli;

import org.emergenceinit.report.InitReportResult;
import org.emergenceinit.report.InitResult;
import org.emergenceinit.report.LayerSignal;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The plots of {@code init-report}: one chart per quantity, one line per init, the hidden layers on the x axis in
 * network order (the "coord check" view), rendered headless with JFreeChart; and an overview PNG with all of them.
 */
final class InitReportCharts {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    static final int WIDTH = 600;
    static final int HEIGHT = 400;

    /** One plot: its file name, title and the PNG. */
    record Plot(String file, String title, byte[] png) {
    }

    private record Quantity(String file, String title, boolean log, boolean fraction,
                            ToDoubleFunction<LayerSignal> value) {
    }

    private InitReportCharts() {
    }

    private static List<Quantity> quantities(InitReportResult r) {
        String abs = "active fraction, absolute rule (mean > " + r.threshold() + ")";
        String rel = "active fraction, relative rule (mean > " + r.relativeFraction() + " x layer mean)";
        return List.of(
                new Quantity("activation-mean.png", "activation mean", true, false, LayerSignal::activationMean),
                new Quantity("activation-std.png", "activation std", true, false, LayerSignal::activationStd),
                new Quantity("dead-fraction.png", "dead units (never > 0 on the probe batch)", false, true,
                        LayerSignal::deadFraction),
                new Quantity("active-absolute.png", abs, false, true, LayerSignal::activeFractionAbsolute),
                new Quantity("active-relative.png", rel, false, true, LayerSignal::activeFractionRelative),
                new Quantity("weight-std.png", "weight std at init", true, false, LayerSignal::weightStd),
                new Quantity("gradient-norm.png", "gradient norm at init (first batch)", true, false,
                        LayerSignal::gradientNorm),
                new Quantity("update-ratio.png", "update / parameter ratio, mean of " + r.steps() + " steps", true,
                        false, LayerSignal::updateRatio));
    }

    /** The charts, in display order, and the overview ({@code overview.png}) last. */
    static List<Plot> render(InitReportResult r) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Plot> plots = new ArrayList<>();
        List<JFreeChart> charts = new ArrayList<>();
        for (Quantity q : quantities(r)) {
            JFreeChart chart = chart(r, q);
            charts.add(chart);
            plots.add(new Plot(q.file(), q.title(), png(chart, WIDTH, HEIGHT)));
        }
        plots.add(new Plot("overview.png", "all quantities", overview(r, charts)));
        return plots;
    }

    private static JFreeChart chart(InitReportResult r, Quantity q) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (InitResult i : r.inits()) {
            for (LayerSignal l : i.layers()) {
                double v = q.value().applyAsDouble(l);
                boolean shown = Double.isFinite(v) && (!q.log() || v > 0);
                if (shown && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                data.addValue(shown ? (Number) v : null, i.init(), l.name());
            }
        }
        // a log scale where the values span more than about a decade; otherwise a plain one reads better
        double decades = max > 0 ? Math.log10(max / min) : 0;
        boolean log = q.log() && decades > 1.2;
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        for (int s = 0; s < r.inits().size(); s++) {
            renderer.setSeriesPaint(s, COLORS[s % COLORS.length]);
            renderer.setSeriesStroke(s, new BasicStroke(r.inits().get(s).init().startsWith("emergence-") ? 2.2f : 1.6f));
        }
        ValueAxis axis;
        if (log) {
            LogAxis logAxis = new LogAxis(q.title() + " (log scale)");
            logAxis.setNumberFormatOverride(new DecimalFormat("0E0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            logAxis.setSmallestValue(1e-300);
            logAxis.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(decades / 8))));
            axis = logAxis;
        } else {
            NumberAxis number = new NumberAxis(q.title());
            if (q.fraction()) {
                number.setRange(-0.03, 1.03);
            } else {
                number.setAutoRangeIncludesZero(true); // a narrow range drawn from 0, not magnified
            }
            axis = number;
        }
        axis.setLabelFont(axis.getLabelFont().deriveFont(11f));
        CategoryAxis layers = new CategoryAxis("layer (input side first)");
        if (r.inits().get(0).layers().size() > 6) {
            layers.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        CategoryPlot plot = new CategoryPlot(data, layers, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinesVisible(true);
        if (q.file().equals("update-ratio.png")) {
            ValueMarker marker = new ValueMarker(1e-3, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            marker.setLabel("1e-3");
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            marker.setLabelOffset(new RectangleInsets(2, 2, 2, 6));
            plot.addRangeMarker(marker);
        }
        JFreeChart chart = new JFreeChart(q.title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static byte[] overview(InitReportResult r, List<JFreeChart> charts) throws IOException {
        int columns = 2;
        int rows = (charts.size() + columns - 1) / columns;
        int header = 44;
        BufferedImage image = new BufferedImage(columns * WIDTH, header + rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(r.network() + " on " + r.data() + ": " + r.steps() + " training steps of " + r.batchSize()
                    + ", probe " + r.probeSamples() + " samples ("
                    + (r.batchStatistics() ? "batch statistics" : "inference mode") + ")", 12, 28);
            for (int i = 0; i < charts.size(); i++) {
                int x = (i % columns) * WIDTH;
                int y = header + (i / columns) * HEIGHT;
                charts.get(i).draw(g, new Rectangle2D.Double(x, y, WIDTH, HEIGHT));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] png(JFreeChart chart, int width, int height) throws IOException {
        BufferedImage image = chart.createBufferedImage(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

}
