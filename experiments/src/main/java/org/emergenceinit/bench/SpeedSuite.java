package org.emergenceinit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The speed table of {@code bin/emergence bench-speed}: each workload on the project's default backend (oneDNN
 * natives for the CPU, DL4J's layer helpers on, {@code LeanDense} in the training engine), on the plain
 * {@code linux-x86_64} natives with DL4J's own layers (DL4J out of the box), and in PyTorch CPU, in
 * one run. Each measurement is a fresh process ({@link SpeedProbe} or a script in {@code experiments/bench/}), so
 * each Java one loads the natives it names; within a round the three run one after the other, and the order
 * rotates from round to round so that drift on a shared machine falls on all three alike. The table shows medians
 * over the rounds and time ratios (the slower per unit of work over PyTorch: 1.00 = as fast as PyTorch).
 */
public final class SpeedSuite {

    /** The backends measured. */
    public enum Backend {
        /** What {@code bin/emergence} runs: {@code OneDnn.enable()}. */
        PROJECT("project default"),
        /** ND4J's default natives, helpers off ({@code -Ddl4j.onednn=off}). */
        PLAIN("plain natives"),
        /** PyTorch CPU, same thread count. */
        TORCH("PyTorch");

        final String label;

        Backend(String label) {
            this.label = label;
        }
    }

    /**
     * A workload and its metric.
     *
     * @param name        as given to {@code --workloads}
     * @param probeArgs   {@link SpeedProbe}'s arguments
     * @param torchScript the PyTorch script under {@code experiments/bench/} and its arguments
     * @param metric      the Java probe's metric line name (the PyTorch one is {@code "torch_" + metric})
     * @param higherIsBetter true for rates (images/s), false for seconds
     */
    public record Workload(String name, List<String> probeArgs, List<String> torchScript, String metric,
                           boolean higherIsBetter) {
    }

    /** Untimed training steps of the transformer before the timed ones, in the probe and in PyTorch. */
    static final int TRANSFORMER_WARMUP_STEPS = 40;
    /** Timed training steps of the transformer (the median is reported). */
    static final int TRANSFORMER_STEPS = 20;

    /** The workloads by name; the data folder is needed by {@code mlp}. */
    public static Map<String, List<Workload>> workloads(Path dataDir, double seconds) {
        String s = Double.toString(seconds);
        Map<String, List<Workload>> w = new LinkedHashMap<>();
        // Wall time, and the training thread's CPU time (which leaves out the waits for a core on a busy machine).
        List<String> mlpProbe = List.of("mlp", "--data-dir", dataDir.toString());
        List<String> mlpTorch = List.of("torch_mlp.py", "--data-dir", dataDir.toString());
        w.put("mlp", List.of(new Workload("mlp", mlpProbe, mlpTorch, "mlp_epoch_seconds", false),
                new Workload("mlp", mlpProbe, mlpTorch, "mlp_epoch_thread_cpu_seconds", false)));
        for (boolean bn : new boolean[]{false, true}) {
            List<String> probe = new ArrayList<>(List.of("cnn", "--seconds", s));
            List<String> torch = new ArrayList<>(List.of("torch_cnn.py", "--seconds", s));
            if (bn) {
                probe.add("--bn");
                torch.add("--bn");
            }
            String name = bn ? "cnn-bn" : "cnn";
            w.put(name, List.of(
                    new Workload(name, probe, torch, "cnn_train_images_per_second", true),
                    new Workload(name, probe, torch, "cnn_infer_images_per_second", true)));
        }
        // The transformer step is timed after TRANSFORMER_WARMUP_STEPS steps in both: the JVM's compiler needs about
        // 30 steps to compile SameDiff's session code (a step's time falls by about a third over them), so fewer
        // would time the start of a run rather than the hours of training after it.
        String warm = Integer.toString(TRANSFORMER_WARMUP_STEPS);
        String steps = Integer.toString(TRANSFORMER_STEPS);
        List<String> tProbe = List.of("transformer", "--warmup", warm, "--steps", steps);
        List<String> tTorch = List.of("torch_transformer.py", "--warmup", warm, "--steps", steps);
        w.put("transformer", List.of(new Workload("transformer", tProbe, tTorch, "transformer_step_seconds", false),
                new Workload("transformer", tProbe, tTorch, "transformer_step_thread_cpu_seconds", false)));
        return w;
    }

    private static final Pattern LINE = Pattern.compile("^([a-z0-9_]+) ([-+0-9.eE]+|[a-z0-9_-]+)(\\s.*)?$");

    /** The {@code name value} lines of a probe's output (anything after the value is ignored). */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            Matcher x = LINE.matcher(l.trim());
            if (x.matches()) {
                m.put(x.group(1), x.group(2));
            }
        }
        return m;
    }

    private final Path home;
    private final String python;
    private final PrintWriter log;

    /**
     * @param home   the project folder (holds {@code experiments/bench/})
     * @param python the Python with torch, or null to leave PyTorch out
     * @param log    progress lines
     */
    public SpeedSuite(Path home, String python, PrintWriter log) {
        this.home = home;
        this.python = python;
        this.log = log;
    }

    /** Whether {@code python -c "import torch"} works. */
    public static boolean torchAvailable(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs one measurement; returns its {@code name value} lines. */
    Map<String, String> measure(List<Workload> group, Backend b) throws IOException, InterruptedException {
        Workload w = group.get(0);
        List<String> cmd = new ArrayList<>();
        if (b == Backend.TORCH) {
            cmd.add(python);
            cmd.add(home.resolve("experiments/bench").resolve(w.torchScript().get(0)).toString());
            cmd.addAll(w.torchScript().subList(1, w.torchScript().size()));
            cmd.add("--threads");
            cmd.add(threads());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String maxPhysical = System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes");
            if (maxPhysical != null) { // as bin/emergence runs the DL4J networks
                cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=" + maxPhysical);
            }
            if (b == Backend.PLAIN) {
                cmd.add("-Ddl4j.onednn=off");
                cmd.add("-D" + org.emergenceinit.harness.TrainingRun.LEAN_DENSE_PROPERTY + "=false"); // DL4J's own dense layers
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(SpeedProbe.class.getName());
            cmd.addAll(w.probeArgs());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", threads());
        pb.environment().put("OPENBLAS_NUM_THREADS", threads()); // Debian's libopenblas0-pthread, under torch
        pb.environment().put("MKL_NUM_THREADS", threads());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
        }
        int rc = p.waitFor();
        Map<String, String> m = parse(lines);
        if (rc != 0 || !m.containsKey((b == Backend.TORCH ? "torch_" : "") + w.metric())) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + rc + "); its last lines:\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
        }
        return m;
    }

    static String threads() {
        String t = System.getenv("OMP_NUM_THREADS");
        return t == null || t.isBlank() ? "1" : t.trim();
    }

    /**
     * Runs the workloads for the given number of rounds, writes {@code bench-speed.json} and
     * {@code bench-speed.md} into {@code out}, and returns the table.
     */
    public String run(List<String> names, Map<String, List<Workload>> all, int rounds, Path out)
            throws IOException, InterruptedException {
        List<Backend> backends = new ArrayList<>(List.of(Backend.PROJECT, Backend.PLAIN));
        if (python != null) {
            backends.add(Backend.TORCH);
        }
        Map<String, Map<Backend, List<Double>>> values = new LinkedHashMap<>();
        Map<String, String> natives = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String name : names) {
                List<Workload> group = all.get(name);
                for (int k = 0; k < backends.size(); k++) {
                    Backend b = backends.get((k + r) % backends.size());
                    log.printf(Locale.ROOT, "round %d/%d  %-12s %s ...%n", r + 1, rounds, name, b.label);
                    log.flush();
                    Map<String, String> m = measure(group, b);
                    if (b != Backend.TORCH) {
                        natives.put(b.name(), m.get("natives") + ("1".equals(m.get("onednn_layers"))
                                ? ", DL4J layers through oneDNN" : ", built-in layers"));
                    }
                    for (Workload w : group) {
                        double v = Double.parseDouble(m.get((b == Backend.TORCH ? "torch_" : "") + w.metric()));
                        values.computeIfAbsent(name + " " + w.metric(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(b, x -> new ArrayList<>()).add(v);
                    }
                }
            }
        }
        String table = table(names, all, values, backends);
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("threads", threads());
        json.put("rounds", rounds);
        json.put("natives", natives);
        Map<String, Object> raw = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            Map<String, Object> byBackend = new LinkedHashMap<>();
            v.forEach((b, list) -> byBackend.put(b.name(), Map.of("values", list, "median", median(list))));
            raw.put(k, byBackend);
        });
        json.put("measurements", raw);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                out.resolve("bench-speed.json").toFile(), json);
        String md = "OMP_NUM_THREADS=" + threads() + ", " + rounds + " round(s); project default = "
                + natives.get(Backend.PROJECT.name()) + " + LeanDense dense layers; plain = " + natives.get(Backend.PLAIN.name())
                + " + DL4J's own dense layers\n\n"
                + table;
        Files.writeString(out.resolve("bench-speed.md"), md);
        return md;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Time per unit of work of {@code a} over that of {@code b}. */
    static double timeRatio(double a, double b, boolean higherIsBetter) {
        return higherIsBetter ? b / a : a / b;
    }

    static String table(List<String> names, Map<String, List<Workload>> all,
                        Map<String, Map<Backend, List<Double>>> values, List<Backend> backends) {
        boolean torch = backends.contains(Backend.TORCH);
        StringBuilder sb = new StringBuilder("| workload | metric | project default | plain natives |"
                + (torch ? " PyTorch | project / PyTorch (time) | plain / PyTorch (time) |" : "")
                + " plain / project (time) |\n| --- | --- | ---: | ---: |" + (torch ? " ---: | ---: | ---: |" : "")
                + " ---: |\n");
        for (String name : names) {
            for (Workload w : all.get(name)) {
                Map<Backend, List<Double>> v = values.get(name + " " + w.metric());
                if (v == null) {
                    continue; // a metric no probe printed
                }
                double proj = median(v.get(Backend.PROJECT));
                double plain = median(v.get(Backend.PLAIN));
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |", name, w.metric(), fmt(proj),
                        fmt(plain)));
                if (torch) {
                    double t = median(v.get(Backend.TORCH));
                    sb.append(String.format(Locale.ROOT, " %s | %.2fx | %.2fx |", fmt(t),
                            timeRatio(proj, t, w.higherIsBetter()), timeRatio(plain, t, w.higherIsBetter())));
                }
                sb.append(String.format(Locale.ROOT, " %.2fx |%n", timeRatio(plain, proj, w.higherIsBetter())));
            }
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** Splits a comma-separated list of workload names, checking each. */
    public static List<String> names(String csv, Map<String, List<Workload>> all) {
        List<String> n = new ArrayList<>();
        for (String s : csv.split(",")) {
            String t = s.trim();
            if (!all.containsKey(t)) {
                throw new IllegalArgumentException("Unknown workload '" + t + "' in --workloads; use "
                        + String.join(", ", all.keySet()) + ".");
            }
            n.add(t);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("--workloads is empty; use " + String.join(", ", all.keySet()) + ".");
        }
        return n;
    }

}
