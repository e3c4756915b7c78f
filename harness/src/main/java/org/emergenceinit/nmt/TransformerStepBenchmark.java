package org.emergenceinit.nmt;

import org.emergenceinit.onednn.OneDnn;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Seconds per training step of the project's {@link Transformer} at a fixed shape: random token ids (no padding),
 * {@code batch} sentence pairs of {@code srcLen} source and {@code tgtLen} target positions (EOS and BOS included),
 * the optimiser of {@link TranslationExample} ({@link TransformerTraining#trainingConfig}: Adam 0.9/0.98/1e-9,
 * lr 5e-4 after a 400-step ramp), trained the way {@link TranslationExample} trains
 * ({@link TransformerTraining#fit}). The PyTorch reference is {@code experiments/bench/torch_transformer.py}.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp "experiments/target/lib/*" org.emergenceinit.nmt.TransformerStepBenchmark \
 *     [--batch 64] [--src-len 24] [--tgt-len 24] [--warmup 3] [--steps 10] [--seed 42] [--src-vocab 7856]
 *     [--tgt-vocab 5970] [--d-model 128] [--heads 4] [--ff 256] [--layers 2] [--legacy]
 * </pre>
 *
 * prints {@code transformer_step_seconds <median> mean <mean> min <min> steps <n> ...} and
 * {@code transformer_step_thread_cpu_seconds <median>} (the training thread's CPU time). {@code --legacy} times the
 * training loop as it was before (one {@code sd.output} for the loss and one {@code sd.fit} per batch), for
 * comparison. The default vocabulary sizes are Multi30k's (de 7,856 and en 5,970 words at min freq 2).
 */
public final class TransformerStepBenchmark {

    /** Multi30k German vocabulary at min freq 2 (with the 4 specials). */
    public static final int MULTI30K_SRC_VOCAB = 7856;
    /** Multi30k English vocabulary at min freq 2 (with the 4 specials). */
    public static final int MULTI30K_TGT_VOCAB = 5970;

    /**
     * Timings of the measured steps (warm-up excluded).
     *
     * @param medianSeconds          median seconds per step
     * @param meanSeconds            mean seconds per step
     * @param minSeconds             fastest step
     * @param stepSeconds            every measured step's seconds, in order
     * @param losses                 the loss of every step, warm-up included (for reproducibility checks)
     * @param threadCpuMedianSeconds median CPU seconds of the training thread per step: on a busy machine this
     *                               leaves out the time the thread waited for a core (and the JIT compiler's and
     *                               other JVM threads' work), which the wall time includes
     */
    public record Result(double medianSeconds, double meanSeconds, double minSeconds, double[] stepSeconds,
                         double[] losses, double threadCpuMedianSeconds) {
        /** One parseable line: {@code transformer_step_seconds <median> mean <mean> min <min> steps <n>}. */
        public String line() {
            return String.format(Locale.ROOT, "transformer_step_seconds %.4f mean %.4f min %.4f steps %d",
                    medianSeconds, meanSeconds, minSeconds, stepSeconds.length);
        }
    }

    private TransformerStepBenchmark() {
    }

    /** The Multi30k default model of {@link TranslationExample} (2+2 layers, d 128, 4 heads, ff 256, Xavier). */
    public static Transformer.Config multi30kConfig() {
        return new Transformer.Config(MULTI30K_SRC_VOCAB, MULTI30K_TGT_VOCAB, 128, 4, 256, 2, 2, 0.1, 1.0, false);
    }

    /**
     * Builds the model from {@code seed}, trains {@code warmupSteps + steps} steps on random batches of the given
     * shape and times the last {@code steps}. Uses the calling thread (set {@code OMP_NUM_THREADS} for the native
     * threads) and ND4J's global random generator, reseeded with {@code seed}.
     *
     * @param config      the model
     * @param batch       sentence pairs per batch, {@code >= 1}
     * @param srcLen      source positions per sentence (the last is EOS), {@code >= 1}
     * @param tgtLen      decoder positions per sentence (the first input is BOS, the last output EOS), {@code >= 1}
     * @param warmupSteps untimed steps first, {@code >= 0}
     * @param steps       timed steps, {@code >= 1}
     * @param seed        seed of the weights and of the random ids
     */
    public static Result run(Transformer.Config config, int batch, int srcLen, int tgtLen, int warmupSteps, int steps,
                             long seed) {
        return run(config, batch, srcLen, tgtLen, warmupSteps, steps, seed, false);
    }

    /** {@link #run(Transformer.Config, int, int, int, int, int, long)}, with {@code legacy} the old loop. */
    public static Result run(Transformer.Config config, int batch, int srcLen, int tgtLen, int warmupSteps, int steps,
                             long seed, boolean legacy) {
        if (batch < 1 || srcLen < 1 || tgtLen < 1 || warmupSteps < 0 || steps < 1) {
            throw new IllegalArgumentException("Need batch, srcLen, tgtLen, steps >= 1 and warmupSteps >= 0, got "
                    + batch + ", " + srcLen + ", " + tgtLen + ", " + steps + ", " + warmupSteps + ".");
        }
        int total = warmupSteps + steps;
        Random random = new Random(seed);
        List<Map<String, INDArray>> batches = new ArrayList<>();
        for (int s = 0; s < total; s++) {
            List<int[]> xs = new ArrayList<>();
            List<int[]> ys = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                xs.add(randomIds(random, srcLen - 1, config.srcVocab()));
                ys.add(randomIds(random, tgtLen - 1, config.tgtVocab()));
            }
            batches.add(Batch.training(xs, ys, config.dModel(), config.heads()));
        }

        Nd4j.getRandom().setSeed(seed);
        Transformer model = new Transformer(config);
        SameDiff sd = model.sameDiff();
        sd.setTrainingConfig(TransformerTraining.trainingConfig(5e-4, 400));

        double[] losses = new double[total];
        long[] ends = new long[total];
        long[] cpuEnds = new long[total];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        if (legacy) {
            for (int s = 0; s < total; s++) {
                Map<String, INDArray> ph = batches.get(s);
                INDArray[] features = TransformerTraining.FEATURES.stream().map(ph::get).toArray(INDArray[]::new);
                losses[s] = sd.output(ph, Transformer.LOSS).get(Transformer.LOSS).getDouble(0);
                sd.fit(new MultiDataSet(features, new INDArray[0]));
                ends[s] = System.nanoTime();
                cpuEnds[s] = threads.getCurrentThreadCpuTime();
            }
        } else {
            TransformerTraining.fit(sd, batches.iterator(), (step, loss) -> {
                losses[step] = loss;
                ends[step] = System.nanoTime();
                cpuEnds[step] = threads.getCurrentThreadCpuTime();
            });
        }
        double[] seconds = new double[steps];
        double[] cpuSeconds = new double[steps];
        for (int s = 0; s < steps; s++) {
            int i = warmupSteps + s;
            seconds[s] = (ends[i] - (i == 0 ? start : ends[i - 1])) / 1e9;
            cpuSeconds[s] = (cpuEnds[i] - (i == 0 ? cpuStart : cpuEnds[i - 1])) / 1e9;
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return new Result(median(seconds), Arrays.stream(seconds).average().orElse(Double.NaN), sorted[0], seconds,
                losses, median(cpuSeconds));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int[] randomIds(Random random, int length, int vocab) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = Vocabulary.EOS_ID + 1 + random.nextInt(vocab - Vocabulary.EOS_ID - 1);
        }
        return ids;
    }

    public static void main(String[] args) {
        OneDnn.enable();
        int batch = 64;
        int srcLen = 24;
        int tgtLen = 24;
        int warmup = 3;
        int steps = 10;
        long seed = 42;
        int srcVocab = MULTI30K_SRC_VOCAB;
        int tgtVocab = MULTI30K_TGT_VOCAB;
        int d = 128;
        int heads = 4;
        int ff = 256;
        int layers = 2;
        boolean legacy = false;
        boolean printLosses = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--legacy" -> legacy = true;
                case "--print-losses" -> printLosses = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("Option " + a + " needs a value.");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--batch" -> batch = Integer.parseInt(v);
                        case "--src-len" -> srcLen = Integer.parseInt(v);
                        case "--tgt-len" -> tgtLen = Integer.parseInt(v);
                        case "--warmup" -> warmup = Integer.parseInt(v);
                        case "--steps" -> steps = Integer.parseInt(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--src-vocab" -> srcVocab = Integer.parseInt(v);
                        case "--tgt-vocab" -> tgtVocab = Integer.parseInt(v);
                        case "--d-model" -> d = Integer.parseInt(v);
                        case "--heads" -> heads = Integer.parseInt(v);
                        case "--ff" -> ff = Integer.parseInt(v);
                        case "--layers" -> layers = Integer.parseInt(v);
                        default -> throw new IllegalArgumentException("Unknown option " + a + ".");
                    }
                }
            }
        }
        Transformer.Config config = new Transformer.Config(srcVocab, tgtVocab, d, heads, ff, layers, layers, 0.1, 1.0,
                false);
        Result r = run(config, batch, srcLen, tgtLen, warmup, steps, seed, legacy);
        if (printLosses) {
            System.out.println("losses " + Arrays.toString(r.losses()));
        }
        System.out.println(r.line() + String.format(Locale.ROOT, " batch %d src_len %d tgt_len %d legacy %b omp %s",
                batch, srcLen, tgtLen, legacy, System.getenv("OMP_NUM_THREADS")));
        System.out.printf(Locale.ROOT, "transformer_step_thread_cpu_seconds %.4f%n", r.threadCpuMedianSeconds());
    }
}
