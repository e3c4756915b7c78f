package org.emergenceinit.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A short multi-seed pilot that asks whether the emergence ramp helps a given network on given data, and at which
 * alpha: the stock init (the ramp with {@code alpha = 1}, bit for bit the base scheme) and the ramp at a few alphas,
 * each trained from scratch for {@code K} steps over {@code S} seeds, with the configuration's own optimizer.
 *
 * <p>Every run trains on the same first {@code K} batches the training iterator gives (after a {@code reset()} when
 * an epoch runs out, so a shuffling iterator gives its next epoch; an iterator that cannot reset is cycled): seeds
 * change the weights only.
 *
 * <p>What is compared:
 * <ul>
 *   <li>the <b>end-of-pilot training loss</b> of a run: the mean minibatch loss ({@code net.score()} after each
 *       {@code fit}) over the last {@link #lastSteps(int)} steps, by default the last 10 % of the steps (at least
 *       one), e.g. 5 of 50;</li>
 *   <li>the held-out accuracy (and loss) after the last step, when a held-out iterator is given.</li>
 * </ul>
 * With the same seed the ramp scales the very draws of the stock init, so a
 * candidate's difference to stock is taken seed by seed ({@link Candidate#lossDiffMean()} ± {@link
 * Candidate#lossDiffSd()}, mean and sample sd over the seeds); {@link Candidate#t()} is Welch's unequal-variance t of
 * the candidate's {@code S} end losses against stock's (only the statistic: no p-value is claimed from 3 seeds).
 *
 * <p>A candidate <b>beats stock</b> when none of its runs diverged, its mean loss difference is below 0 and
 * {@code t <= -threshold} (default {@value #DEFAULT_THRESHOLD}, a rule of thumb, not a significance level). The best
 * alpha is the candidate that beats stock with the lowest mean loss difference; none beating stock gives no best
 * alpha (and {@link EmergenceRamp#auto} then applies {@code alpha = 1}, the stock init).
 *
 * <p>A {@link MultiLayerConfiguration} is fed {@link DataSet}s; a {@link ComputationGraphConfiguration} (residual
 * blocks, branches) is fed {@link DataSet}s when it has one input and one output, and {@link MultiDataSet}s for
 * several inputs or outputs. The protocol is the same for both: every run builds its own network from the
 * configuration's JSON with the run's seed and the ramp at the run's alpha (for a graph in DL4J's topological order
 * of the layer vertices, see {@link EmergenceRamp}), then fits the same batches.
 *
 * <p>Instances are immutable.
 */
public final class AlphaPilot {

    /** The alphas tried by default. */
    public static final List<Double> DEFAULT_ALPHAS = List.of(1.05, 1.1, 1.2, 1.5);
    /** Seeds per init by default. */
    public static final int DEFAULT_SEEDS = 3;
    /** The fewest pilot steps accepted. */
    public static final int MIN_STEPS = 10;
    /** The fewest seeds accepted (Welch's t needs two values a side). */
    public static final int MIN_SEEDS = 2;
    /** The fewest default steps: {@link Budget#forEpoch} never gives less. */
    public static final int DEFAULT_MIN_STEPS = 50;
    /** The default fraction of one epoch a pilot trains: 5 %. */
    public static final double DEFAULT_EPOCH_FRACTION = 0.05;
    /** The default t a candidate must reach (below {@code -threshold}) to beat stock. */
    public static final double DEFAULT_THRESHOLD = 2.0;

    /**
     * How long a pilot is: {@code steps} training steps per run, {@code seeds} seeds per init.
     *
     * @param steps training steps (minibatches) per run, at least {@value #MIN_STEPS}
     * @param seeds seeds per init, at least {@value #MIN_SEEDS}
     */
    public record Budget(int steps, int seeds) {
        /** @throws IllegalArgumentException for fewer than {@value #MIN_STEPS} steps or {@value #MIN_SEEDS} seeds */
        public Budget {
            if (steps < MIN_STEPS) {
                throw new IllegalArgumentException("A pilot needs at least " + MIN_STEPS + " steps, got " + steps
                        + ".");
            }
            if (seeds < MIN_SEEDS) {
                throw new IllegalArgumentException("A pilot needs at least " + MIN_SEEDS + " seeds (Welch's t needs"
                        + " two runs a side), got " + seeds + ".");
            }
        }

        /**
         * The default budget for an epoch of {@code batchesPerEpoch} batches: 5 % of it, at least
         * {@value #DEFAULT_MIN_STEPS} steps, and {@code seeds} seeds.
         */
        public static Budget forEpoch(long batchesPerEpoch, int seeds) {
            long k = (long) Math.ceil(DEFAULT_EPOCH_FRACTION * batchesPerEpoch);
            return new Budget((int) Math.max(DEFAULT_MIN_STEPS, Math.min(Integer.MAX_VALUE, k)), seeds);
        }
    }

    /**
     * One pilot run.
     *
     * @param alpha           the ramp's alpha (1 for stock)
     * @param seed            the configuration seed
     * @param losses          the minibatch loss after each step (NaN from the step where it diverged on)
     * @param endLoss         the mean of the last steps' losses (NaN if the run diverged)
     * @param heldOutAccuracy accuracy on the held-out batches after the last step (NaN without held-out data, or
     *                        for outputs that are not {@code [examples, classes]})
     * @param heldOutLoss     mean loss on the held-out batches after the last step (NaN without held-out data)
     * @param diverged        whether the loss became NaN or infinite
     * @param seconds         wall-clock seconds of the run
     */
    public record Run(double alpha, long seed, double[] losses, double endLoss, double heldOutAccuracy,
                      double heldOutLoss, boolean diverged, double seconds) {
        /** Copies the losses. */
        public Run {
            losses = losses.clone();
        }

        /** A copy of the per-step losses. */
        @Override
        public double[] losses() {
            return losses.clone();
        }
    }

    /**
     * A ramp's alpha against stock, over the seeds.
     *
     * @param alpha            the alpha
     * @param lossDiffMean     mean over seeds of (candidate end loss - stock end loss) for the same seed; positive
     *                         means worse than stock; NaN if no seed has both finite
     * @param lossDiffSd       sample sd of those differences
     * @param t                Welch's t of the candidate's end losses against stock's (NaN with fewer than two
     *                         finite values a side, or none spread)
     * @param df               its Welch-Satterthwaite degrees of freedom
     * @param accuracyDiffMean mean held-out accuracy minus stock's (NaN without held-out data)
     * @param diverged         runs of this candidate whose loss diverged
     * @param beatsStock       whether it beats stock by the pilot's rule
     */
    public record Candidate(double alpha, double lossDiffMean, double lossDiffSd, double t, double df,
                            double accuracyDiffMean, int diverged, boolean beatsStock) {
    }

    /**
     * What a pilot found.
     *
     * @param stock      the stock init's name, e.g. {@code kaiming} ({@code as initialised} for an inherited base)
     * @param emergence  the ramp's name, e.g. {@code emergence-kaiming}
     * @param steps      the pilot's steps per run
     * @param seeds      the seeds per init
     * @param firstSeed  the first seed (seeds {@code firstSeed .. firstSeed + seeds - 1})
     * @param lastSteps  the steps averaged into a run's end loss
     * @param threshold  the t a candidate had to reach
     * @param stockRuns  stock's runs, one per seed
     * @param runs       per candidate (in {@link #candidates} order), its runs
     * @param candidates the candidates, in the order of the alphas given
     * @param best       the winning alpha, or null when no candidate beats stock
     * @param verdict    one sentence in plain words
     * @param seconds    wall-clock seconds of the whole pilot
     */
    public record Result(String stock, String emergence, int steps, int seeds, long firstSeed, int lastSteps,
                         double threshold, List<Run> stockRuns, List<List<Run>> runs, List<Candidate> candidates,
                         Double best, String verdict, double seconds) {
        public Result {
            stockRuns = List.copyOf(stockRuns);
            runs = runs.stream().map(List::copyOf).toList();
            candidates = List.copyOf(candidates);
        }

        /** The alpha to apply: {@link #best}, or 1 (the stock init) when no candidate beats stock. */
        public double chosenAlpha() {
            return best == null ? 1.0 : best;
        }

        /** The mean end loss of stock over its seeds (finite runs only). */
        public double stockLossMean() {
            return mean(stockRuns.stream().mapToDouble(Run::endLoss).toArray());
        }
    }

    private final BaseScheme base;
    private final ExponentMode mode;
    private final LayerFilter filter;
    private final List<Double> alphas;
    private final long firstSeed;
    private final int jobs;
    private final double threshold;
    private final int lastSteps;
    private final java.util.function.Consumer<Run> progress;

    private AlphaPilot(BaseScheme base, ExponentMode mode, LayerFilter filter, List<Double> alphas, long firstSeed,
                       int jobs, double threshold, int lastSteps, java.util.function.Consumer<Run> progress) {
        this.base = base;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.filter = Objects.requireNonNull(filter, "filter");
        if (alphas == null || alphas.isEmpty()) {
            throw new IllegalArgumentException("A pilot needs at least one alpha to try.");
        }
        for (Double a : alphas) {
            if (a == null || !(a > 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("Every alpha must be a finite number > 0, got " + a + ".");
            }
        }
        this.alphas = List.copyOf(alphas);
        this.firstSeed = firstSeed;
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs + ".");
        }
        this.jobs = jobs;
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("The t threshold must be a finite number >= 0, got " + threshold + ".");
        }
        this.threshold = threshold;
        if (lastSteps < 0) {
            throw new IllegalArgumentException("lastSteps must be >= 0 (0 = the last 10 %), got " + lastSteps + ".");
        }
        this.lastSteps = lastSteps;
        this.progress = progress;
    }

    /** A pilot of the ramp over {@code base}, with the default alphas, seeds from 1, one job, t threshold 2. */
    public static AlphaPilot of(BaseScheme base) {
        return new AlphaPilot(Objects.requireNonNull(base, "base"), ExponentMode.CENTRED, LayerFilter.all(),
                DEFAULT_ALPHAS, 1, 1, DEFAULT_THRESHOLD, 0, null);
    }

    /** A pilot of the ramp over each layer's own base scheme (see {@link EmergenceRamp#inheritBase}). */
    public static AlphaPilot inheritBase() {
        return new AlphaPilot(null, ExponentMode.CENTRED, LayerFilter.all(), DEFAULT_ALPHAS, 1, 1, DEFAULT_THRESHOLD,
                0, null);
    }

    /** A copy trying these alphas (each finite and > 0). */
    public AlphaPilot withAlphas(List<Double> newAlphas) {
        return new AlphaPilot(base, mode, filter, newAlphas, firstSeed, jobs, threshold, lastSteps, progress);
    }

    /** A copy with another exponent mode. */
    public AlphaPilot withMode(ExponentMode newMode) {
        return new AlphaPilot(base, newMode, filter, alphas, firstSeed, jobs, threshold, lastSteps, progress);
    }

    /** A copy ramping only the layers the filter accepts. */
    public AlphaPilot withFilter(LayerFilter newFilter) {
        return new AlphaPilot(base, mode, newFilter, alphas, firstSeed, jobs, threshold, lastSteps, progress);
    }

    /** A copy whose seeds start at {@code seed}. */
    public AlphaPilot withFirstSeed(long seed) {
        return new AlphaPilot(base, mode, filter, alphas, seed, jobs, threshold, lastSteps, progress);
    }

    /** A copy running {@code n} runs at once (each on its own thread and network). */
    public AlphaPilot withJobs(int n) {
        return new AlphaPilot(base, mode, filter, alphas, firstSeed, n, threshold, lastSteps, progress);
    }

    /** A copy with another t threshold ({@code >= 0}). */
    public AlphaPilot withThreshold(double t) {
        return new AlphaPilot(base, mode, filter, alphas, firstSeed, jobs, t, lastSteps, progress);
    }

    /** A copy averaging the last {@code n} steps into the end loss (0: the last 10 %, at least 1). */
    public AlphaPilot withLastSteps(int n) {
        return new AlphaPilot(base, mode, filter, alphas, firstSeed, jobs, threshold, n, progress);
    }

    /**
     * A copy that reports every finished run to {@code listener} (called from the thread that trained it, so it must
     * be thread-safe when jobs > 1); null for none.
     */
    public AlphaPilot withProgress(java.util.function.Consumer<Run> listener) {
        return new AlphaPilot(base, mode, filter, alphas, firstSeed, jobs, threshold, lastSteps, listener);
    }

    public List<Double> alphas() {
        return alphas;
    }

    /** The steps averaged into the end loss of a pilot of {@code steps} steps. */
    public int lastSteps(int steps) {
        int n = lastSteps > 0 ? lastSteps : Math.max(1, steps / 10);
        return Math.min(n, steps);
    }

    /** The stock init's name: the base's command-line name, or {@code as initialised}. */
    public String stockName() {
        return base == null ? "as initialised" : base.cliName();
    }

    /** The ramp's name: {@code emergence-} and the base's command-line name. */
    public String emergenceName() {
        return "emergence-" + (base == null ? "inherited" : base.cliName());
    }

    /** The ramp this pilot applies at {@code alpha}. */
    public EmergenceRamp ramp(double alpha) {
        EmergenceRamp r = base == null ? EmergenceRamp.inheritBase(alpha) : EmergenceRamp.of(base, alpha);
        return r.withMode(mode).withFilter(filter);
    }

    /**
     * Runs the pilot. {@code conf} is not changed (each run trains a copy); the iterators are read, then reset.
     *
     * @param conf    the network, with its optimizer; its inits are replaced by the ramp's (stock: alpha 1)
     * @param train   the training data: its first {@code budget.steps()} batches (over epochs if it has fewer)
     * @param heldOut held-out data for the accuracy after the pilot, or null for none
     * @param budget  steps and seeds
     * @throws IllegalArgumentException if the data gives no batch, or the network cannot take it
     */
    public Result run(MultiLayerConfiguration conf, DataSetIterator train, DataSetIterator heldOut, Budget budget) {
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(budget, "budget");
        return pilot(new MultiLayerSubject(conf.toJson()), batches(train), heldOut == null ? null : batches(heldOut),
                budget, () -> ramp(1.0).plan(conf));
    }

    /**
     * Runs the pilot on a ComputationGraph with one input and one output, fed by {@link DataSet}s, with the same
     * protocol as {@link #run(MultiLayerConfiguration, DataSetIterator, DataSetIterator, Budget)}: the ramp follows
     * DL4J's topological order of the layer vertices (see {@link EmergenceRamp}), the configuration seed of a run is
     * set on the graph's default configuration and on every layer vertex. {@code conf} is not changed.
     *
     * @throws IllegalArgumentException if the graph has more than one input or output (give a
     *         {@link MultiDataSetIterator}: {@link #run(ComputationGraphConfiguration, MultiDataSetIterator,
     *         MultiDataSetIterator, Budget)}), the data gives no batch, or the network cannot take it
     */
    public Result run(ComputationGraphConfiguration conf, DataSetIterator train, DataSetIterator heldOut,
                      Budget budget) {
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(budget, "budget");
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("The graph has " + count(conf.getNetworkInputs(), "input") + " and "
                    + count(conf.getNetworkOutputs(), "output") + ": a DataSetIterator feeds one input and one"
                    + " output; give the pilot a MultiDataSetIterator with one feature array per input and one label"
                    + " array per output.");
        }
        return pilot(new GraphSubject<>(conf.toJson(), new DataSetBatch()), batches(train),
                heldOut == null ? null : batches(heldOut), budget, () -> ramp(1.0).plan(conf));
    }

    /**
     * Runs the pilot on a ComputationGraph fed by {@link MultiDataSet}s (several inputs or outputs), with the same
     * protocol as {@link #run(MultiLayerConfiguration, DataSetIterator, DataSetIterator, Budget)}. The loss is the
     * graph's score (the sum over its outputs); the held-out accuracy is measured for a graph with one output of
     * shape {@code [examples, classes]}, NaN otherwise. {@code conf} is not changed.
     *
     * @throws IllegalArgumentException if the data gives no batch, or the network cannot take it
     */
    public Result run(ComputationGraphConfiguration conf, MultiDataSetIterator train, MultiDataSetIterator heldOut,
                      Budget budget) {
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(budget, "budget");
        return pilot(new GraphSubject<>(conf.toJson(), new MultiDataSetBatch()), batches(train),
                heldOut == null ? null : batches(heldOut), budget, () -> ramp(1.0).plan(conf));
    }

    private static String count(List<String> names, String what) {
        return names.size() + " " + what + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ")";
    }

    /** The protocol, whatever the network: the same batches for every run, stock first, then each alpha. */
    private <B> Result pilot(Subject<B> subject, Batches<B> train, Batches<B> heldOut, Budget budget,
                             Runnable planCheck) {
        long t0 = System.nanoTime();
        List<B> batches = take(train, budget.steps(), true);
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("The training data gave no batch: a pilot needs at least one.");
        }
        List<B> held = heldOut == null ? List.of() : take(heldOut, Integer.MAX_VALUE, false);
        planCheck.run(); // a layer the ramp cannot handle fails here, before anything trains
        checkTakes(subject, batches.get(0));
        List<Double> all = new ArrayList<>();
        all.add(1.0);
        all.addAll(alphas);
        List<java.util.concurrent.Callable<Run>> tasks = new ArrayList<>();
        for (double a : all) {
            for (int s = 0; s < budget.seeds(); s++) {
                long seed = firstSeed + s;
                tasks.add(() -> train(subject, a, seed, batches, held, budget.steps()));
            }
        }
        List<Run> done = execute(tasks);
        int S = budget.seeds();
        List<Run> stock = done.subList(0, S);
        List<List<Run>> byAlpha = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < alphas.size(); i++) {
            List<Run> runs = done.subList(S * (i + 1), S * (i + 2));
            byAlpha.add(runs);
            candidates.add(candidate(alphas.get(i), stock, runs, threshold));
        }
        Double best = best(candidates);
        String verdict = verdict(emergenceName(), candidates, best, budget.steps(), lastSteps(budget.steps()));
        return new Result(stockName(), emergenceName(), budget.steps(), S, firstSeed, lastSteps(budget.steps()),
                threshold, stock, byAlpha, candidates, best, verdict, (System.nanoTime() - t0) / 1e9);
    }

    private List<Run> execute(List<java.util.concurrent.Callable<Run>> tasks) {
        if (jobs == 1) {
            List<Run> out = new ArrayList<>();
            for (java.util.concurrent.Callable<Run> t : tasks) {
                try {
                    out.add(t.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, tasks.size()), r -> {
            Thread th = new Thread(r, "alpha-pilot");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<Run>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            List<Run> out = new ArrayList<>();
            for (Future<Run> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("The pilot was interrupted.", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** An iterator of batches of type {@code B} with its reset: a DataSetIterator or a MultiDataSetIterator. */
    private record Batches<B>(java.util.Iterator<B> it, java.util.function.BooleanSupplier resetSupported,
                              Runnable reset) {
    }

    private static Batches<DataSet> batches(DataSetIterator it) {
        return new Batches<>(it, it::resetSupported, it::reset);
    }

    private static Batches<MultiDataSet> batches(MultiDataSetIterator it) {
        return new Batches<>(it, it::resetSupported, it::reset);
    }

    /**
     * The first {@code max} batches of {@code it}, from its start, going on after a {@code reset()} (the next epoch)
     * when {@code epochs} and it runs out; the iterator is reset afterwards.
     */
    private static <B> List<B> take(Batches<B> it, int max, boolean epochs) {
        List<B> out = new ArrayList<>();
        if (it.resetSupported().getAsBoolean()) {
            it.reset().run();
        }
        while (out.size() < max) {
            if (!it.it().hasNext()) {
                if (!epochs || !it.resetSupported().getAsBoolean() || out.isEmpty()) {
                    break;
                }
                it.reset().run();
                if (!it.it().hasNext()) {
                    break;
                }
            }
            out.add(it.it().next());
        }
        if (it.resetSupported().getAsBoolean()) {
            it.reset().run();
        }
        return out;
    }

    private <B> void checkTakes(Subject<B> subject, B first) {
        try {
            Trainee<B> net = subject.fresh(ramp(1.0), null);
            net.score(subject.copy(first));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            throw new IllegalArgumentException("The network cannot take the data: " + m.split("\n")[0], e);
        }
    }

    private <B> Run train(Subject<B> subject, double alpha, long seed, List<B> batches, List<B> held, int steps) {
        long t0 = System.nanoTime();
        Trainee<B> net = subject.fresh(ramp(alpha), seed);
        double[] losses = new double[steps];
        Arrays.fill(losses, Double.NaN);
        boolean diverged = false;
        for (int i = 0; i < steps; i++) {
            net.fit(subject.copy(batches.get(i % batches.size())));
            double loss = net.score();
            if (!Double.isFinite(loss)) {
                diverged = true;
                break;
            }
            losses[i] = loss;
        }
        int w = lastSteps(steps);
        double end = diverged ? Double.NaN : mean(Arrays.copyOfRange(losses, steps - w, steps));
        double acc = Double.NaN;
        double heldLoss = Double.NaN;
        if (!held.isEmpty()) {
            long n = 0;
            long correct = 0;
            double lossSum = 0;
            boolean classes = true;
            for (B b : held) {
                INDArray out = net.output(b);
                long examples = subject.examples(b);
                lossSum += net.score(b) * examples;
                n += examples;
                INDArray labels = subject.labels(b);
                if (out != null && labels != null && out.rank() == 2 && labels.rank() == 2 && out.size(1) > 1) {
                    INDArray hit = out.argMax(1).eq(labels.argMax(1));
                    INDArray finite = out.isNaN().castTo(DataType.INT).sum(1).eq(0);
                    correct += hit.castTo(DataType.INT).mul(finite.castTo(DataType.INT)).sumNumber().longValue();
                } else {
                    classes = false;
                }
            }
            heldLoss = lossSum / n;
            acc = classes ? (double) correct / n : Double.NaN;
        }
        Run run = new Run(alpha, seed, losses, end, acc, heldLoss, diverged, (System.nanoTime() - t0) / 1e9);
        if (progress != null) {
            progress.accept(run);
        }
        return run;
    }

    /**
     * What a pilot trains: fresh networks from one saved configuration, fed batches of type {@code B}. Every run
     * builds its own network from the JSON, so runs share nothing but the (copied) batches.
     */
    private interface Subject<B> {
        /** A new, initialised network from the configuration with {@code ramp} applied; {@code seed} null keeps the
         * configuration's seed. */
        Trainee<B> fresh(EmergenceRamp ramp, Long seed);

        /** A copy of a batch, for one step of one run. */
        B copy(B batch);

        /** The examples in a batch. */
        long examples(B batch);

        /** The labels the accuracy is measured on: the only label array, or null when there are several. */
        INDArray labels(B batch);
    }

    /** One network of a pilot run. */
    private interface Trainee<B> {
        /** One training step on the batch. */
        void fit(B batch);

        /** The minibatch loss of the last step. */
        double score();

        /** The loss on a batch, in inference mode. */
        double score(B batch);

        /** The output on a batch, in inference mode: the only output, or null when there are several. */
        INDArray output(B batch);
    }

    /** MultiLayerNetworks from a MultiLayerConfiguration JSON; the seed is set on every layer's configuration. */
    private record MultiLayerSubject(String json) implements Subject<DataSet> {
        @Override
        public Trainee<DataSet> fresh(EmergenceRamp ramp, Long seed) {
            MultiLayerConfiguration c = MultiLayerConfiguration.fromJson(json);
            if (seed != null) {
                c.getConfs().forEach(n -> n.setSeed(seed));
            }
            ramp.apply(c);
            MultiLayerNetwork net = new MultiLayerNetwork(c);
            net.init();
            return new Trainee<>() {
                @Override
                public void fit(DataSet batch) {
                    net.fit(batch);
                }

                @Override
                public double score() {
                    return net.score();
                }

                @Override
                public double score(DataSet batch) {
                    return net.score(batch, false);
                }

                @Override
                public INDArray output(DataSet batch) {
                    return net.output(batch.getFeatures(), false);
                }
            };
        }

        @Override
        public DataSet copy(DataSet batch) {
            return batch.copy();
        }

        @Override
        public long examples(DataSet batch) {
            return batch.numExamples();
        }

        @Override
        public INDArray labels(DataSet batch) {
            return batch.getLabels();
        }
    }

    /** How a ComputationGraph takes batches of type {@code B}. */
    private interface GraphFeed<B> {
        void fit(ComputationGraph g, B batch);

        double score(ComputationGraph g, B batch);

        /** The only output in inference mode, or null when the graph has several. */
        INDArray output(ComputationGraph g, B batch);

        B copy(B batch);

        long examples(B batch);

        INDArray labels(B batch);
    }

    /** DataSets: one input, one output. */
    private static final class DataSetBatch implements GraphFeed<DataSet> {
        @Override
        public void fit(ComputationGraph g, DataSet batch) {
            g.fit(batch);
        }

        @Override
        public double score(ComputationGraph g, DataSet batch) {
            return g.score(batch, false);
        }

        @Override
        public INDArray output(ComputationGraph g, DataSet batch) {
            return g.output(false, batch.getFeatures())[0];
        }

        @Override
        public DataSet copy(DataSet batch) {
            return batch.copy();
        }

        @Override
        public long examples(DataSet batch) {
            return batch.numExamples();
        }

        @Override
        public INDArray labels(DataSet batch) {
            return batch.getLabels();
        }
    }

    /** MultiDataSets: one feature array per input, one label array per output. */
    private static final class MultiDataSetBatch implements GraphFeed<MultiDataSet> {
        @Override
        public void fit(ComputationGraph g, MultiDataSet batch) {
            g.fit(batch);
        }

        @Override
        public double score(ComputationGraph g, MultiDataSet batch) {
            return g.score(batch, false);
        }

        @Override
        public INDArray output(ComputationGraph g, MultiDataSet batch) {
            if (g.getNumOutputArrays() != 1) {
                return null;
            }
            return g.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays(),
                    batch.getLabelsMaskArrays())[0];
        }

        @Override
        public MultiDataSet copy(MultiDataSet batch) {
            return batch.copy();
        }

        @Override
        public long examples(MultiDataSet batch) {
            return batch.getFeatures(0).size(0);
        }

        @Override
        public INDArray labels(MultiDataSet batch) {
            return batch.numLabelsArrays() == 1 ? batch.getLabels(0) : null;
        }
    }

    /**
     * ComputationGraphs from a ComputationGraphConfiguration JSON; the seed is set on the default configuration
     * (the one {@code init()} seeds the random generator from) and on every layer vertex's configuration.
     */
    private record GraphSubject<B>(String json, GraphFeed<B> feed) implements Subject<B> {
        @Override
        public Trainee<B> fresh(EmergenceRamp ramp, Long seed) {
            ComputationGraphConfiguration c = ComputationGraphConfiguration.fromJson(json);
            if (seed != null) {
                c.getDefaultConfiguration().setSeed(seed);
                c.getVertices().values().forEach(v -> {
                    if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                        lv.getLayerConf().setSeed(seed);
                    }
                });
            }
            ramp.apply(c);
            ComputationGraph g = new ComputationGraph(c);
            g.init();
            return new Trainee<>() {
                @Override
                public void fit(B batch) {
                    feed.fit(g, batch);
                }

                @Override
                public double score() {
                    return g.score();
                }

                @Override
                public double score(B batch) {
                    return feed.score(g, batch);
                }

                @Override
                public INDArray output(B batch) {
                    return feed.output(g, batch);
                }
            };
        }

        @Override
        public B copy(B batch) {
            return feed.copy(batch);
        }

        @Override
        public long examples(B batch) {
            return feed.examples(batch);
        }

        @Override
        public INDArray labels(B batch) {
            return feed.labels(batch);
        }
    }

    /**
     * A candidate's comparison with stock: seed-by-seed loss differences, Welch's t of the end losses, the accuracy
     * difference, and whether it beats stock at {@code threshold}. Runs are matched by position (same seed).
     */
    public static Candidate candidate(double alpha, List<Run> stock, List<Run> runs, double threshold) {
        int n = Math.min(stock.size(), runs.size());
        double[] diffs = new double[n];
        for (int i = 0; i < n; i++) {
            diffs[i] = runs.get(i).endLoss() - stock.get(i).endLoss();
        }
        double[] c = runs.stream().mapToDouble(Run::endLoss).toArray();
        double[] s = stock.stream().mapToDouble(Run::endLoss).toArray();
        double[] welch = welch(c, s);
        double acc = mean(runs.stream().mapToDouble(Run::heldOutAccuracy).toArray())
                - mean(stock.stream().mapToDouble(Run::heldOutAccuracy).toArray());
        int diverged = (int) runs.stream().filter(Run::diverged).count();
        double mean = mean(diffs);
        boolean beats = diverged == 0 && mean < 0 && welch[0] <= -threshold;
        return new Candidate(alpha, mean, sd(diffs), welch[0], welch[1], acc, diverged, beats);
    }

    /** The candidate beating stock with the lowest mean loss difference (the smaller alpha on a tie), or null. */
    public static Double best(List<Candidate> candidates) {
        return candidates.stream().filter(Candidate::beatsStock)
                .min(Comparator.comparingDouble(Candidate::lossDiffMean).thenComparingDouble(Candidate::alpha))
                .map(Candidate::alpha).orElse(null);
    }

    /**
     * The verdict in one sentence, e.g. {@code emergence-kaiming alpha 1.1: -0.030 ± 0.010 loss after 200 steps,
     * t = -4.1, held-out accuracy +0.8 points: likely to help the start of training}, or {@code no alpha beat
     * stock: ...; keep your init}.
     */
    public static String verdict(String emergence, List<Candidate> candidates, Double best, int steps, int last) {
        String loss = "training loss (mean of the last " + last + " of " + steps + " steps)";
        if (best != null) {
            Candidate c = candidates.stream().filter(x -> x.alpha() == best).findFirst().orElseThrow();
            String acc = Double.isNaN(c.accuracyDiffMean()) ? "" : String.format(Locale.ROOT,
                    ", held-out accuracy %+.1f points", 100 * c.accuracyDiffMean());
            String end = c.accuracyDiffMean() < 0
                    ? ": lower loss but lower held-out accuracy, so check on a longer run before switching"
                    : ": likely to help the start of training";
            return String.format(Locale.ROOT, "%s alpha %s: %+.3f ± %.3f %s vs stock, t = %.1f%s%s", emergence,
                    num(best), c.lossDiffMean(), c.lossDiffSd(), loss, c.t(), acc, end);
        }
        Candidate closest = candidates.stream().filter(c -> Double.isFinite(c.lossDiffMean()))
                .min(Comparator.comparingDouble(Candidate::lossDiffMean)).orElse(null);
        if (closest == null) {
            return "no alpha beat stock (every candidate diverged): keep your init";
        }
        String t = Double.isNaN(closest.t()) ? "t n/a" : String.format(Locale.ROOT, "t = %.1f", closest.t());
        String what = closest.lossDiffMean() < 0 ? "the best" : "the closest";
        return String.format(Locale.ROOT, "no alpha beat stock: %s, %s alpha %s, is %+.3f ± %.3f %s vs stock, %s;"
                        + " keep your init", what, emergence, num(closest.alpha()), closest.lossDiffMean(),
                closest.lossDiffSd(), loss, t);
    }

    /**
     * Welch's t of {@code a} against {@code b} (finite values only) and its degrees of freedom: {@code (mean a -
     * mean b) / sqrt(va / na + vb / nb)} with sample variances; NaNs with fewer than 2 values a side or no spread.
     */
    public static double[] welch(double[] a, double[] b) {
        double[] x = Arrays.stream(a).filter(Double::isFinite).toArray();
        double[] y = Arrays.stream(b).filter(Double::isFinite).toArray();
        if (x.length < 2 || y.length < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double va = sd(x) * sd(x) / x.length;
        double vb = sd(y) * sd(y) / y.length;
        if (va + vb == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double se2 = va + vb;
        return new double[] {(mean(x) - mean(y)) / Math.sqrt(se2),
                se2 * se2 / (va * va / (x.length - 1) + vb * vb / (y.length - 1))};
    }

    /** Mean of the finite values, NaN if none. */
    static double mean(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Sample sd of the finite values: 0 for one, NaN for none. */
    static double sd(double[] v) {
        double[] x = Arrays.stream(v).filter(Double::isFinite).toArray();
        if (x.length == 0) {
            return Double.NaN;
        }
        if (x.length == 1) {
            return 0;
        }
        double m = mean(x);
        return Math.sqrt(Arrays.stream(x).map(d -> (d - m) * (d - m)).sum() / (x.length - 1));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
