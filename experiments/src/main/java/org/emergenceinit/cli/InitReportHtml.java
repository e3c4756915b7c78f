package org.emergenceinit.cli;

import org.emergenceinit.report.InitReportResult;
import org.emergenceinit.report.InitResult;
import org.emergenceinit.report.LayerSignal;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html} of {@code init-report}: one self-contained page (styles inline, plots embedded as PNG data
 * URIs, no script, nothing fetched) with the settings, a summary per init, the plots and the per-layer table.
 */
final class InitReportHtml {

    private InitReportHtml() {
    }

    static String page(InitReportResult r, String updater, List<InitReportCharts.Plot> plots) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Init report: ")
                .append(esc(r.network())).append("</title>\n<style>\n")
                .append("body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1240px}\n")
                .append("h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:26px 0 8px}\n")
                .append("p.settings{color:#444;font-size:13px;line-height:1.5}\n")
                .append("table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ccc;padding:3px 7px}\n")
                .append("th{background:#f0f0f0;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.first td{border-top:2px solid #888}\n")
                .append(".plots{display:grid;grid-template-columns:repeat(2,1fr);gap:10px}\n")
                .append("figure{margin:0}figure img{width:100%;height:auto;border:1px solid #ddd}\n")
                .append("figcaption{font-size:12px;color:#555}ul{font-size:13px;line-height:1.5}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Init report: ").append(esc(r.network())).append("</h1>\n");
        h.append("<p class=\"settings\">Data: ").append(esc(r.data())).append(". Probe batch: ").append(r.probeSamples())
                .append(" samples, activations measured ")
                .append(r.batchStatistics() ? "in training mode (BatchNorm on the batch's own statistics)"
                        : "in inference mode (BatchNorm on its running statistics)")
                .append(". Gradient at initialization on the first training batch, then ").append(r.steps())
                .append(" training steps of ").append(r.batchSize()).append(" examples (")
                .append(esc(updater)).append("). Seed ").append(r.seed()).append(". Active: mean activation above ")
                .append(plain(r.threshold())).append(" (absolute rule, the papers') or above ")
                .append(plain(r.relativeFraction())).append(" &times; the layer&rsquo;s mean activation (relative rule,"
                        + " scale-robust).</p>\n");

        h.append("<h2>Summary</h2>\n<table id=\"summary\">\n<thead><tr><th>init</th><th>alpha</th>"
                + "<th>log10 E (absolute rule)</th><th>log10 E (relative rule)</th><th>loss at init</th><th>loss at step ")
                .append(r.steps()).append("</th></tr></thead>\n<tbody>\n");
        for (InitResult i : r.inits()) {
            h.append("<tr><td>").append(esc(i.init())).append("</td><td class=\"n\">")
                    .append(i.alpha() == null ? "&ndash;" : plain(i.alpha())).append("</td><td class=\"n\">")
                    .append(log(i.log10E())).append("</td><td class=\"n\">").append(log(i.log10ERelative()))
                    .append("</td><td class=\"n\">").append(fmt(i.lossAtInit())).append("</td><td class=\"n\">")
                    .append(i.losses().isEmpty() ? "&ndash;" : fmt(i.losses().get(i.losses().size() - 1)))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");

        h.append("<h2>Per layer, one line per init</h2>\n<div class=\"plots\">\n");
        for (InitReportCharts.Plot p : plots) {
            if (p.file().equals("overview.png")) {
                continue;
            }
            String id = "plot-" + p.file().replace(".png", "");
            h.append("<figure><img id=\"").append(id).append("\" alt=\"").append(esc(p.title())).append("\" width=\"")
                    .append(InitReportCharts.WIDTH).append("\" height=\"").append(InitReportCharts.HEIGHT)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.png()))
                    .append("\"><figcaption>").append(esc(p.title())).append(" (").append(esc(p.file()))
                    .append(")</figcaption></figure>\n");
        }
        h.append("</div>\n");

        h.append("<h2>Table</h2>\n<table id=\"layers\">\n<thead><tr><th>init</th><th>layer</th><th>type</th>"
                + "<th>width</th><th>ramp scale</th><th>act. mean</th><th>act. std</th><th>dead</th>"
                + "<th>active (abs.)</th><th>active (rel.)</th><th>weight std</th><th>grad. norm</th>"
                + "<th>update/param</th></tr></thead>\n<tbody>\n");
        for (InitResult i : r.inits()) {
            boolean first = true;
            for (LayerSignal l : i.layers()) {
                h.append(first ? "<tr class=\"first\">" : "<tr>").append("<td>").append(esc(i.init()))
                        .append("</td><td class=\"layer\">").append(esc(l.name()))
                        .append(l.measuredAt().equals(l.name()) ? "" : " &rarr; " + esc(l.measuredAt()))
                        .append("</td><td>").append(esc(l.type())).append("</td><td class=\"n\">").append(l.width())
                        .append("</td><td class=\"n\">").append(fmt(l.rampScale()))
                        .append("</td><td class=\"n\">").append(fmt(l.activationMean()))
                        .append("</td><td class=\"n\">").append(fmt(l.activationStd()))
                        .append("</td><td class=\"n\">").append(fmt(l.deadFraction()))
                        .append("</td><td class=\"n\">").append(l.activeAbsolute())
                        .append("</td><td class=\"n\">").append(l.activeRelative())
                        .append("</td><td class=\"n\">").append(fmt(l.weightStd()))
                        .append("</td><td class=\"n\">").append(fmt(l.gradientNorm()))
                        .append("</td><td class=\"n\">").append(fmt(l.updateRatio())).append("</td></tr>\n");
                first = false;
            }
        }
        h.append("</tbody>\n</table>\n");

        h.append("<h2>How to read it</h2>\n<ul>\n")
                .append("<li>Layers are the hidden weight layers in network order; a layer's activation is read after"
                        + " the BatchNorm, activation and pooling layers that follow it (&rarr; names that layer). The"
                        + " output layer is not shown.</li>\n")
                .append("<li><b>dead</b>: fraction of units whose activation is never above 0 on the probe batch (a"
                        + " ReLU unit that never fires passes no gradient).</li>\n")
                .append("<li><b>active (abs.)</b>: units whose mean activation exceeds ").append(plain(r.threshold()))
                .append(", the rule of the emergence papers; it moves with the weight scale alone."
                        + " <b>active (rel.)</b>: units whose mean activation exceeds ")
                .append(plain(r.relativeFraction()))
                .append(" &times; their layer&rsquo;s mean activation; multiplying a layer&rsquo;s weights by a"
                        + " constant does not change it in a ReLU network without BatchNorm. E is computed from each"
                        + " set of counts.</li>\n")
                .append("<li><b>update/param</b>: mean |W after &minus; W before| / mean |W before| per training step,"
                        + " averaged over the steps (DL4J&rsquo;s training UI shows this ratio; about 1e-3 is the usual"
                        + " rule of thumb).</li>\n")
                .append("<li>Lines of inits with equal values lie on top of each other (the last init drawn is"
                        + " visible).</li>\n")
                .append("<li><b>ramp scale</b>: the factor the emergence ramp put on the layer&rsquo;s weights (1 for"
                        + " stock and LSUV inits).</li>\n")
                .append("</ul>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String log(double v) {
        return Double.isInfinite(v) && v < 0 ? "&minus;&infin; (E = 0)" : fmt(v);
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "&infin;" : "&minus;&infin;";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e5 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.3e", v);
    }

    /** A setting as given: {@code 0.05}, {@code 1.2}. */
    static String plain(double v) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : fmt(v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
