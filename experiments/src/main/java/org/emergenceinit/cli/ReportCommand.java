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
 * recorded accuracy for later epochs and never reaches the milestone. Where the runs measured it
 * ({@code --train-accuracy}), the training accuracy after epoch 1 and at the end too. Writes {@code summary.md},
 * {@code summary.csv}, and per dataset/architecture/BatchNorm group {@code accuracy-<group>.png} (test accuracy and
 * {@code log10 E} per epoch, mean ± sd) and {@code alpha-<group>.png} (accuracy against alpha, stock = 1); for a
 * sweep with pruning blocks also {@code per-variant.md} ({@link #perVariant}: per variant, the test accuracy, the
 * training accuracy where measured, and {@code E/P} right after pruning and at the end).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Summarise a sweep folder's results.csv: summary.md, summary.csv and PNG plots (and"
                + " per-variant.md for pruning blocks); training accuracies are shown where the runs measured them."
                + " For a multi30k-transformer sweep folder: curves.png, also while its runs train.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", paramLabel = "DIR", required = true, description = "The sweep folder (sweep --out).")
    Path in;

    @Option(names = "--milestone", paramLabel = "ACC", description = "Milestone test accuracy for every dataset"
            + " (default: the grid's per-dataset milestones or milestone in DIR/grid.json, else 0.9).")
    Double milestone;

    /** The pruning table's file: see {@link #perVariant}. */
    static final String PER_VARIANT = "per-variant.md";

    /**
     * One setting's statistics; {@code trainAcc1} and {@code trainAccEnd} are the training accuracy over the runs
     * that measured it ({@code n = 0}: none did).
     */
    record Setting(String key, RunResult sample, List<RunResult> runs, int endEpoch, Spread acc1, Spread accEnd,
                   double milestone, Spread toMilestone, Spread log10E0, Spread log10EEnd, Spread relativeEEnd,
                   long diverged, Spread trainAcc1, Spread trainAccEnd) {

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
        if (!Files.isRegularFile(table) && Files.isDirectory(in)
                && SweepCommand.translationCurves(in, in.resolve(SweepCommand.TRANSLATION_CHART))) {
            // a multi30k-transformer sweep folder (summary.csv and one folder per run, no results.csv)
            PrintWriter out = spec.commandLine().getOut();
            out.println("translation sweep: wrote " + in.resolve(SweepCommand.TRANSLATION_CHART)
                    + " (training loss and validation BLEU per epoch, runs still training included)");
            out.flush();
            return 0;
        }
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
        Map<String, String> labels = datasetLabels(in);
        List<String> charts = charts(settings, labels);
        String description = grid == null ? "" : grid.path("name").asText("") + ": "
                + grid.path("description").asText("");
        RunManifest.writeAtomically(in.resolve("summary.md"), markdown(description, settings, charts, labels));
        String pruning = perVariant(description, settings, grid, labels);
        if (pruning != null) {
            RunManifest.writeAtomically(in.resolve(PER_VARIANT), pruning);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d settings, %d runs; wrote %s, %s%s and %d chart(s)%n", settings.size(),
                bySetting.values().stream().mapToInt(List::size).sum(), in.resolve("summary.md"),
                in.resolve("summary.csv"), pruning == null ? "" : ", " + in.resolve(PER_VARIANT), charts.size());
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
                runs.stream().filter(RunResult::diverged).count(), at(runs, 1, EpochStats::trainAccuracy),
                at(runs, end, EpochStats::trainAccuracy));
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
                + "log10E0Mean,log10EEndMean,relativeEEndMean,baseline,diff1,t1,df1,diffEnd,tEnd,dfEnd,"
                + "trainAcc1Mean,trainAcc1Sd,trainAccEndMean,trainAccEndSd\n");
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
                    wEnd == null ? "" : wEnd.t(), wEnd == null ? "" : wEnd.df(),
                    measured(s.trainAcc1(), s.trainAcc1().mean()), measured(s.trainAcc1(), s.trainAcc1().sd()),
                    measured(s.trainAccEnd(), s.trainAccEnd().mean()), measured(s.trainAccEnd(), s.trainAccEnd().sd()));
            sb.append(String.join(",", cells.stream().map(String::valueOf).toList())).append('\n');
        }
        return sb.toString();
    }

    /** {@code value} as a cell of a training-accuracy column: empty when no run measured it. */
    private static Object measured(Spread s, double value) {
        return s.n() == 0 ? "" : value;
    }

    /** The file in a sweep folder naming each dataset's label (e.g. a subset's), kept for {@code report}. */
    static final String DATASETS_FILE = "datasets.json";

    /**
     * Each dataset's label as its runs' manifests record it ({@code cifar10-subset (5,085 train / 1,017 test)} for
     * the CIFAR-10 subset), from {@code runs/<run>/manifest.json} when the folder has them, which are then kept in
     * {@value #DATASETS_FILE} (for a results folder committed without its {@code runs/}); else from that file; empty
     * when neither is there.
     */
    static Map<String, String> datasetLabels(Path folder) throws IOException {
        Map<String, String> labels = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        Path file = folder.resolve(DATASETS_FILE);
        Map<String, String> kept = Map.of();
        if (Files.isRegularFile(file)) {
            try {
                kept = json.readValue(file.toFile(),
                        new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " cannot be read (" + e.getMessage() + "): it maps each"
                        + " dataset name to its label, e.g. {\"cifar10\": \"cifar10-subset (5,085 train / 1,017"
                        + " test)\"}; fix or delete it (the next report over runs/ writes it again).", e);
            }
        }
        Path runs = folder.resolve("runs");
        if (Files.isDirectory(runs)) {
            List<Path> manifests;
            try (java.util.stream.Stream<Path> s = Files.list(runs)) {
                manifests = s.map(r -> r.resolve(RunManifest.FILE)).filter(Files::isRegularFile).sorted().toList();
            }
            for (Path m : manifests) {
                JsonNode d = json.readTree(m.toFile()).path("dataset");
                if (d.hasNonNull("name") && d.hasNonNull("label")) {
                    labels.putIfAbsent(d.get("name").asText(), d.get("label").asText());
                }
            }
        }
        if (labels.isEmpty()) {
            return kept;
        }
        kept.forEach(labels::putIfAbsent);
        RunManifest.writeAtomically(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(labels) + "\n");
        return labels;
    }

    /**
     * A group's title: the group ({@code dataset arch [+ BN]}) with the dataset's name replaced by its label when
     * that says more (a subset says it is one).
     */
    static String title(String group, Map<String, String> labels) {
        int space = group.indexOf(' ');
        String dataset = space < 0 ? group : group.substring(0, space);
        String label = labels.get(dataset);
        return label == null || label.equals(dataset) ? group : label + group.substring(dataset.length());
    }

    private static String markdown(String description, List<Setting> settings, List<String> charts,
                                   Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("# Sweep summary\n\n");
        if (!description.isBlank()) {
            sb.append(description).append("\n\n");
        }
        sb.append("Mean ± sd over seeds (n = seeds); log10 E is averaged over the runs with E > 0. \"Epochs to"
                + " milestone\" is the first epoch whose test accuracy reaches the group's milestone, over the runs that"
                + " do (reached/n). Δ is the difference to the stock init of the same base, data, architecture and BatchNorm setting, with Welch's t and degrees of"
                + " freedom. A diverged run keeps its last recorded accuracy.");
        if (settings.stream().anyMatch(s -> s.trainAcc1().n() > 0 || s.trainAccEnd().n() > 0)) {
            sb.append(" \"Train acc.\" is the accuracy over the training set (--train-accuracy: in inference mode,"
                    + " after that epoch), over the runs that measured it.");
        }
        sb.append('\n');
        Map<String, List<Setting>> groups = new LinkedHashMap<>();
        settings.forEach(s -> groups.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(s));
        groups.forEach((group, list) -> {
            sb.append("\n## ").append(title(group, labels)).append(String.format(Locale.ROOT, "\n\nMilestone: test accuracy %s.\n\n",
                    list.get(0).milestone()));
            boolean train = list.stream().anyMatch(s -> s.trainAcc1().n() > 0 || s.trainAccEnd().n() > 0);
            sb.append("| init | lr | n | diverged | acc. epoch 1 | acc. end |"
                    + (train ? " train acc. epoch 1 | train acc. end |" : "")
                    + " epochs to milestone | log10 E init -> end | E/P end | Δ epoch 1 (t, df) | Δ end (t, df) |\n");
            sb.append("|---|---|---|---|---|---|").append(train ? "---|---|" : "").append("---|---|---|---|---|\n");
            for (Setting s : list) {
                Optional<Setting> b = baseline(s, settings);
                String trainCells = train ? " " + trainPm(s.trainAcc1(), s.runs().size(), 4, 1) + " | "
                        + trainPm(s.trainAccEnd(), s.runs().size(), 4, 1) + " |" : "";
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s (epoch %d) |%s %s (%d/%d) |"
                                + " %s -> %s | %.4g | %s | %s |%n", s.label(), s.sample().spec().optimizer().lr(), s.runs().size(),
                        s.diverged(), pm(s.acc1()), pm(s.accEnd()), s.endEpoch(), trainCells,
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

    /**
     * A training accuracy {@code mean ± sd} (times {@code scale}, with {@code decimals} decimals): {@code not
     * measured} when no run measured it, {@code (k/n)} after it when only {@code k} of the {@code n} runs did.
     */
    private static String trainPm(Spread s, int runs, int decimals, double scale) {
        if (s.n() == 0) {
            return "not measured";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " ± " + f, s.mean() * scale, s.sd() * scale)
                + (s.n() < runs ? " (" + s.n() + "/" + runs + ")" : "");
    }

    /**
     * The pruning table, {@value #PER_VARIANT}: for each group (dataset, architecture, BatchNorm) with pruning
     * variants (the control and the pruned copies of a block with {@code pruneAfter}), one row per variant with the
     * number of seeds, then at the epoch of the pruning (the copies measured right after it; {@code pruneAfter} from
     * {@code grid.json}) and at the end: the test accuracy in %, the training accuracy in % beside it where the runs
     * measured it ({@code --train-accuracy}; the columns are left out when none did), and {@code E/P}; mean ± sd over
     * the seeds. Null when no setting is a pruning variant, or the grid does not say when its variants were pruned.
     */
    static String perVariant(String description, List<Setting> settings, JsonNode grid) {
        return perVariant(description, settings, grid, Map.of());
    }

    /** As {@link #perVariant(String, List, JsonNode)}, each table headed with its dataset's label. */
    static String perVariant(String description, List<Setting> settings, JsonNode grid, Map<String, String> labels) {
        Map<String, List<Setting>> tables = new LinkedHashMap<>();
        Map<String, Integer> prunedAt = new LinkedHashMap<>();
        for (Setting s : settings) {
            int after = s.variant().isEmpty() ? 0 : pruneAfter(grid, s.sample().spec());
            if (after > 0) {
                String key = s.group() + "\u0000" + after;
                tables.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                prunedAt.put(key, after);
            }
        }
        if (tables.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("# Pruning: per variant\n\n");
        if (!description.isBlank()) {
            sb.append(description).append("\n\n");
        }
        sb.append("Test accuracy in %, the training accuracy in % beside it where the runs measured it"
                + " (--train-accuracy: over the training set, in inference mode, after that epoch), and E/P, at the"
                + " epoch of the pruning (the copies measured again right after it) and at the end; mean ± sd over the"
                + " seeds (n). From results.csv, by bin/emergence report.\n");
        tables.forEach((key, list) -> {
            int after = prunedAt.get(key);
            int end = list.stream().mapToInt(Setting::endEpoch).max().orElse(after);
            boolean trainAfter = list.stream().anyMatch(s -> at(s.runs(), after, EpochStats::trainAccuracy).n() > 0);
            boolean trainEnd = list.stream().anyMatch(s -> at(s.runs(), end, EpochStats::trainAccuracy).n() > 0);
            boolean prefix = list.stream().map(s -> s.label().substring(0, s.label().length() - s.variant().length()))
                    .distinct().count() > 1;
            sb.append("\n| ").append(title(list.get(0).group(), labels)).append(" | n | acc. epoch ").append(after)
                    .append(" (after pruning) |").append(trainAfter ? " train acc. epoch " + after + " |" : "")
                    .append(" E/P epoch ").append(after).append(" | acc. epoch ").append(end).append(" |")
                    .append(trainEnd ? " train acc. epoch " + end + " |" : "").append(" E/P epoch ").append(end)
                    .append(" |\n|");
            int columns = 6 + (trainAfter ? 1 : 0) + (trainEnd ? 1 : 0);
            sb.append(" --- |".repeat(columns)).append('\n');
            for (Setting s : list) {
                String variant = s.variant().equals("control") ? "control"
                        : s.variant().startsWith("prune") ? s.variant().substring("prune".length()) + " % pruned"
                        : s.variant();
                String label = prefix ? s.label().substring(0, s.label().length() - s.variant().length()) + variant
                        : variant;
                int n = s.runs().size();
                sb.append("| ").append(label).append(" | ").append(n).append(" | ")
                        .append(percent(at(s.runs(), after, EpochStats::testAccuracy))).append(" |");
                if (trainAfter) {
                    sb.append(' ').append(trainPm(at(s.runs(), after, EpochStats::trainAccuracy), n, 2, 100))
                            .append(" |");
                }
                sb.append(' ').append(ratio(at(s.runs(), after, EpochStats::relativeE))).append(" | ")
                        .append(percent(at(s.runs(), end, EpochStats::testAccuracy))).append(" |");
                if (trainEnd) {
                    sb.append(' ').append(trainPm(at(s.runs(), end, EpochStats::trainAccuracy), n, 2, 100))
                            .append(" |");
                }
                sb.append(' ').append(ratio(at(s.runs(), end, EpochStats::relativeE))).append(" |\n");
            }
        });
        return sb.toString();
    }

    /** An accuracy's {@code mean ± sd} in %, two decimals. */
    private static String percent(Spread s) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", s.mean() * 100, s.sd() * 100);
    }

    /** {@code E/P}'s {@code mean ± sd}, one decimal. */
    private static String ratio(Spread s) {
        return String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.sd());
    }

    /**
     * The {@code pruneAfter} of the grid's block that made a run of {@code spec} (its dataset, architecture,
     * BatchNorm, init and lr); 0 when there is no grid or no such pruning block.
     */
    private static int pruneAfter(JsonNode grid, RunSpec spec) {
        if (grid == null) {
            return 0;
        }
        for (JsonNode b : grid.path("blocks")) {
            if (b.path("pruneAfter").asInt(0) > 0 && contains(b.path("datasets"), spec.data().dataset())
                    && contains(b.path("archs"), spec.network().arch())
                    && contains(b.path("inits"), spec.init().name())
                    && b.path("batchNorm").asBoolean(false) == spec.network().batchNorm()
                    && b.path("lr").asDouble(0.01) == spec.optimizer().lr()) {
                return b.get("pruneAfter").asInt();
            }
        }
        return 0;
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode v : list) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String welch(Spread.Welch w) {
        return String.format(Locale.ROOT, "%+.4f (t %.2f, df %.1f)", w.diff(), w.t(), w.df());
    }

    /** The charts, per group; returns their file names. */
    private List<String> charts(List<Setting> settings, Map<String, String> labels) throws IOException {
        Map<String, List<Setting>> groups = new LinkedHashMap<>();
        settings.forEach(s -> groups.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(s));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, List<Setting>> g : groups.entrySet()) {
            String slug = g.getKey().toLowerCase(Locale.ROOT).replace(" + bn", "-bn").replaceAll("[^a-z0-9.-]+", "-");
            Map<String, List<RunResult>> byLabel = new LinkedHashMap<>();
            g.getValue().forEach(s -> byLabel.put(s.label(), s.runs()));
            int epochs = g.getValue().stream().mapToInt(Setting::endEpoch).max().orElse(0);
            String accuracy = "accuracy-" + slug + ".png";
            ComparisonChart.write(title(g.getKey(), labels), byLabel, epochs, in.resolve(accuracy));
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
                ComparisonChart.writeAgainstAlpha(title(g.getKey(), labels) + ": test accuracy against alpha",
                        "test accuracy",
                        vsAlpha, in.resolve(file));
                files.add(file);
            }
        }
        return files;
    }
}
