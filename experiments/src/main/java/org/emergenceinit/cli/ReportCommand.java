package org.emergenceinit.cli;

import org.emergenceinit.harness.Spread;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.emergenceinit.harness.EpochStats;
import org.emergenceinit.harness.InitSpec;
import org.emergenceinit.harness.RunManifest;
import org.emergenceinit.harness.RunResult;
import org.emergenceinit.harness.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code emergence report}: rebuilds a sweep's summary from its {@code results.csv} alone. A setting is a run name
 * without its seed; per setting, over the seeds: test accuracy after epoch 1 and at the end, the first epoch reaching
 * the milestone accuracy (over the runs that reach it), {@code log10 E} at initialization and at the end, and the
 * difference to the baseline (the stock init of the same base, dataset, architecture and BatchNorm setting,
 * preferring the same learning rate; for a pruned copy, its control) with Welch's t and its degrees of freedom. A
 * diverged run keeps its last
 * recorded accuracy for later epochs and never reaches the milestone. Writes {@code summary.md},
 * {@code summary.csv}, and per dataset/architecture/BatchNorm group {@code accuracy-<group>.png} (test accuracy and
 * {@code log10 E} per epoch, mean ± sd) and {@code alpha-<group>.png} (accuracy against alpha, stock = 1).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Summarise a sweep folder's results.csv: summary.md, summary.csv and PNG plots.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", paramLabel = "DIR", required = true, description = "The sweep folder (sweep --out).")
    Path in;

    @Option(names = "--milestone", paramLabel = "ACC", description = "Milestone test accuracy for every dataset"
            + " (default: the grid's per-dataset milestones or milestone in DIR/grid.json, else 0.9).")
    Double milestone;

    /** One setting's statistics. */
    record Setting(String key, RunResult sample, List<RunResult> runs, int endEpoch, Spread acc1, Spread accEnd,
                   double milestone, Spread toMilestone, Spread log10E0, Spread log10EEnd, Spread relativeEEnd,
                   long diverged) {

        String init() {
            return sample.spec().init().name();
        }

        String group() {
            RunSpec o = sample.spec();
            return o.data().dataset() + " " + o.network().arch() + (o.network().batchNorm() ? " + BN" : "");
        }

        String label() {
            InitSpec s = InitSpec.parse(init());
            return init() + (s.emergence() ? " a" + sample.spec().init().alpha() : "") + (variant().isEmpty() ? ""
                    : " " + variant());
        }

        String variant() {
            return sample.spec().output().tag() == null ? "" : sample.spec().output().tag();
        }
    }

    @Override
    public Integer call() throws Exception {
        Path table = in.resolve(ResultsTable.FILE);
        if (!Files.isRegularFile(table)) {
            throw new IllegalArgumentException("--in " + in + " has no " + ResultsTable.FILE + ": give the --out folder"
                    + " of a sweep.");
        }
        if (milestone != null && !(milestone > 0 && milestone <= 1)) {
            throw new IllegalArgumentException("--milestone must be in (0, 1], got " + milestone + ".");
        }
        JsonNode grid = Files.isRegularFile(in.resolve("grid.json"))
                ? new ObjectMapper().readTree(in.resolve("grid.json").toFile()) : null;
        List<ResultsTable.Row> rows = ResultsTable.read(table);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(table + " has no complete rows yet.");
        }
        Map<String, String> settingOf = new LinkedHashMap<>();
        rows.forEach(r -> settingOf.put(r.run(), r.setting()));
        Map<String, List<RunResult>> bySetting = new LinkedHashMap<>();
        ResultsTable.runs(rows).forEach((name, r) -> bySetting.computeIfAbsent(settingOf.get(name),
                k -> new ArrayList<>()).add(r));
        List<Setting> settings = new ArrayList<>();
        bySetting.forEach((key, runs) -> settings.add(setting(key, runs, milestone(grid, runs.get(0).dataset()))));
        String csv = csv(settings);
        Files.createDirectories(in);
        RunManifest.writeAtomically(in.resolve("summary.csv"), csv);
        List<String> charts = charts(settings);
        String description = grid == null ? "" : grid.path("name").asText("") + ": "
                + grid.path("description").asText("");
        RunManifest.writeAtomically(in.resolve("summary.md"), markdown(description, settings, charts));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d settings, %d runs; wrote %s, %s and %d chart(s)%n", settings.size(),
                bySetting.values().stream().mapToInt(List::size).sum(), in.resolve("summary.md"),
                in.resolve("summary.csv"), charts.size());
        out.flush();
        return 0;
    }

    /** {@code --milestone}, else the grid's milestone for the dataset, else its milestone, else 0.9. */
    private double milestone(JsonNode grid, String dataset) {
        if (milestone != null) {
            return milestone;
        }
        JsonNode perDataset = grid == null ? null : grid.path("milestones").get(dataset);
        if (perDataset != null && perDataset.isNumber()) {
            return perDataset.asDouble();
        }
        return grid != null && grid.path("milestone").isNumber() ? grid.get("milestone").asDouble() : 0.9;
    }

    static Setting setting(String key, List<RunResult> runs, double milestone) {
        int end = runs.stream().mapToInt(r -> r.last().epoch()).max().orElse(0);
        double[] toMilestone = runs.stream().mapToDouble(r -> r.epochs().stream()
                .filter(e -> e.epoch() >= 1 && e.testAccuracy() >= milestone).mapToDouble(EpochStats::epoch)
                .findFirst().orElse(Double.NaN)).toArray();
        return new Setting(key, runs.get(0), runs, end, at(runs, 1, EpochStats::testAccuracy),
                at(runs, end, EpochStats::testAccuracy), milestone, Spread.of(toMilestone),
                at(runs, 0, EpochStats::log10E), at(runs, end, EpochStats::log10E), at(runs, end, EpochStats::relativeE),
                runs.stream().filter(RunResult::diverged).count());
    }

    /** The value at {@code epoch}, or a run's last recorded one if it stopped earlier (diverged). */
    private static Spread at(List<RunResult> runs, int epoch, ToDoubleFunction<EpochStats> value) {
        return Spread.of(runs.stream().mapToDouble(r -> value.applyAsDouble(
                r.epochs().get(Math.min(epoch, r.epochs().size() - 1)))).toArray());
    }

    /**
     * For a pruned copy, the control of the same setting; otherwise the stock init of the same base, dataset,
     * architecture and BatchNorm setting, the same lr if there is one.
     */
    static Optional<Setting> baseline(Setting s, List<Setting> all) {
        if (!s.variant().isEmpty()) {
            String control = s.key().substring(0, s.key().length() - s.variant().length()) + "control";
            return s.variant().equals("control") ? Optional.empty()
                    : all.stream().filter(b -> b.key().equals(control)).findFirst();
        }
        String stock = InitSpec.parse(s.init()).stock().name();
        if (stock.equals(s.init())) {
            return Optional.empty();
        }
        List<Setting> candidates = all.stream().filter(b -> b.init().equals(stock) && b.group().equals(s.group()))
                .toList();
        return candidates.stream()
                .filter(b -> b.sample().spec().optimizer().lr() == s.sample().spec().optimizer().lr()).findFirst()
                .or(() -> candidates.stream().findFirst());
    }

    static String csv(List<Setting> settings) {
        StringBuilder sb = new StringBuilder("setting,dataset,arch,bn,init,alpha,lr,n,diverged,acc1Mean,acc1Sd,"
                + "endEpoch,accEndMean,accEndSd,milestone,milestoneReached,epochsToMilestoneMean,epochsToMilestoneSd,"
                + "log10E0Mean,log10EEndMean,relativeEEndMean,baseline,diff1,t1,df1,diffEnd,tEnd,dfEnd\n");
        for (Setting s : settings) {
            var o = s.sample().spec();
            Optional<Setting> b = baseline(s, settings);
            Spread.Welch w1 = b.map(x -> s.acc1().welch(x.acc1())).orElse(null);
            Spread.Welch wEnd = b.map(x -> s.accEnd().welch(x.accEnd())).orElse(null);
            List<Object> cells = List.of(s.key(), o.data().dataset(), o.network().arch(), o.network().batchNorm(),
                    o.init().name(), o.init().spec().emergence() ? o.init().alpha() : 1.0, o.optimizer().lr(),
                    s.runs().size(), s.diverged(),
                    s.acc1().mean(), s.acc1().sd(), s.endEpoch(), s.accEnd().mean(), s.accEnd().sd(), s.milestone(),
                    s.toMilestone().n(), s.toMilestone().mean(), s.toMilestone().sd(), s.log10E0().mean(),
                    s.log10EEnd().mean(), s.relativeEEnd().mean(), b.map(Setting::key).orElse(""),
                    w1 == null ? "" : w1.diff(),
                    w1 == null ? "" : w1.t(), w1 == null ? "" : w1.df(), wEnd == null ? "" : wEnd.diff(),
                    wEnd == null ? "" : wEnd.t(), wEnd == null ? "" : wEnd.df());
            sb.append(String.join(",", cells.stream().map(String::valueOf).toList())).append('\n');
        }
        return sb.toString();
    }

    private static String markdown(String description, List<Setting> settings, List<String> charts) {
        StringBuilder sb = new StringBuilder("# Sweep summary\n\n");
        if (!description.isBlank()) {
            sb.append(description).append("\n\n");
        }
        sb.append("Mean ± sd over seeds (n = seeds); log10 E is averaged over the runs with E > 0. \"Epochs to"
                + " milestone\" is the first epoch whose test accuracy reaches the group's milestone, over the runs that"
                + " do (reached/n). Δ is the difference to the stock init of the same base, data, architecture and BatchNorm setting, with Welch's t and degrees of"
                + " freedom. A diverged run keeps its last recorded accuracy.\n");
        Map<String, List<Setting>> groups = new LinkedHashMap<>();
        settings.forEach(s -> groups.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(s));
        groups.forEach((group, list) -> {
            sb.append("\n## ").append(group).append(String.format(Locale.ROOT, "\n\nMilestone: test accuracy %s.\n\n",
                    list.get(0).milestone()));
            sb.append("| init | lr | n | diverged | acc. epoch 1 | acc. end | epochs to milestone | log10 E init -> end"
                    + " | E/P end | Δ epoch 1 (t, df) | Δ end (t, df) |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Setting s : list) {
                Optional<Setting> b = baseline(s, settings);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s (epoch %d) | %s (%d/%d) |"
                                + " %s -> %s | %.4g | %s | %s |%n", s.label(), s.sample().spec().optimizer().lr(), s.runs().size(),
                        s.diverged(), pm(s.acc1()), pm(s.accEnd()), s.endEpoch(),
                        s.toMilestone().n() == 0 ? "not reached" : String.format(Locale.ROOT, "%.2f ± %.2f",
                                s.toMilestone().mean(), s.toMilestone().sd()), s.toMilestone().n(), s.runs().size(),
                        log10E(s.log10E0(), s.runs().size()), log10E(s.log10EEnd(), s.runs().size()),
                        s.relativeEEnd().mean(),
                        b.map(x -> welch(s.acc1().welch(x.acc1()))).orElse("baseline"),
                        b.map(x -> welch(s.accEnd().welch(x.accEnd()))).orElse("baseline")));
            }
        });
        sb.append("\n## Charts\n\n");
        charts.forEach(c -> sb.append("![").append(c).append("](").append(c).append(")\n\n"));
        return sb.toString();
    }

    /** The mean of {@code log10 E} over the runs with {@code E > 0}, and how many had {@code E = 0}. */
    private static String log10E(Spread s, int runs) {
        String zero = s.n() < runs ? " (E = 0 in " + (runs - s.n()) + "/" + runs + ")" : "";
        return (s.n() == 0 ? "-inf" : String.format(Locale.ROOT, "%.2f", s.mean())) + zero;
    }

    private static String pm(Spread s) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd());
    }

    private static String welch(Spread.Welch w) {
        return String.format(Locale.ROOT, "%+.4f (t %.2f, df %.1f)", w.diff(), w.t(), w.df());
    }

    /** The charts, per group; returns their file names. */
    private List<String> charts(List<Setting> settings) throws IOException {
        Map<String, List<Setting>> groups = new LinkedHashMap<>();
        settings.forEach(s -> groups.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(s));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, List<Setting>> g : groups.entrySet()) {
            String slug = g.getKey().toLowerCase(Locale.ROOT).replace(" + bn", "-bn").replaceAll("[^a-z0-9.-]+", "-");
            Map<String, List<RunResult>> byLabel = new LinkedHashMap<>();
            g.getValue().forEach(s -> byLabel.put(s.label(), s.runs()));
            int epochs = g.getValue().stream().mapToInt(Setting::endEpoch).max().orElse(0);
            String accuracy = "accuracy-" + slug + ".png";
            ComparisonChart.write(g.getKey(), byLabel, epochs, in.resolve(accuracy));
            files.add(accuracy);
            Map<String, List<double[]>> vsAlpha = new TreeMap<>();
            for (Setting s : g.getValue()) {
                InitSpec spec = InitSpec.parse(s.init());
                if (spec.lsuv() || spec.warmup() || !s.variant().isEmpty()) {
                    continue;
                }
                double alpha = spec.emergence() ? s.sample().spec().init().alpha() : 1.0;
                String base = spec.base().cliName();
                if (s.endEpoch() > 1) {
                    vsAlpha.computeIfAbsent(base + ", epoch 1", k -> new ArrayList<>())
                            .add(new double[] {alpha, s.acc1().mean(), s.acc1().sd()});
                }
                vsAlpha.computeIfAbsent(base + ", epoch " + s.endEpoch(), k -> new ArrayList<>())
                        .add(new double[] {alpha, s.accEnd().mean(), s.accEnd().sd()});
            }
            if (vsAlpha.values().stream().anyMatch(p -> p.size() > 1)) {
                vsAlpha.values().forEach(p -> p.sort((a, b) -> Double.compare(a[0], b[0])));
                String file = "alpha-" + slug + ".png";
                ComparisonChart.writeAgainstAlpha(g.getKey() + ": test accuracy against alpha", "test accuracy",
                        vsAlpha, in.resolve(file));
                files.add(file);
            }
        }
        return files;
    }
}
