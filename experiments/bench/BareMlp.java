// Bare DL4J loop for the MNIST MLP 784-256-128-10 (ReLU, softmax + MCXENT, Xavier, seed 1, batch 128,
// Nesterovs(0.01, 0.9)): the 469 minibatches of the 60,000 MNIST training images are built once as a
// List<DataSet> (pixel / 255, one random order, 'c' order float arrays, as the project's iterator makes them),
// then each epoch is net.fit(ds) over the list, and net.score() read after each fit (as TrainingRun does).
// No listeners, no evaluation. The first epoch is a warm-up.
//
// Run (single-file source launch, after mvn -o -q -DskipTests package):
//   OMP_NUM_THREADS=1 java -cp "experiments/target/classes:experiments/target/lib/*" \
//       experiments/bench/BareMlp.java /work/shared/datasets 5
// Prints a line per epoch, a hash of the per-batch scores and of the final parameters (to check that a change
// leaves the numbers bit-identical), `bare_dl4j_epoch_seconds <median wall time of the timed epochs>` and
// `bare_dl4j_epoch_cpu_seconds <median CPU time of the main thread>`.
// Options (-D): bare.featureOrder=f feeds 'f' order features (measured: no change in speed, same numbers);
// bare.defaultOrder=f sets Nd4j's default order (changes the numbers); bare.iterator=true fits each epoch with
// one net.fit(ExistingDataSetIterator) and a listener (same numbers, no faster).
// This java is run with DL4J's default JavaCPP settings; bin/emergence adds -Dorg.bytedeco.javacpp.maxPhysicalBytes=0.
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.emergenceinit.data.DatasetSource;
import org.emergenceinit.data.Datasets;
import org.emergenceinit.data.ImageData;
import org.emergenceinit.data.Layout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

public class BareMlp {
    static final class Scores extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        final List<Double> scores = new ArrayList<>();

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            scores.add(model.score());
        }
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets");
        int timed = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean score = !(args.length > 2 && args[2].equals("noscore"));
        char featureOrder = System.getProperty("bare.featureOrder", "c").charAt(0);
        String defaultOrder = System.getProperty("bare.defaultOrder");
        if (defaultOrder != null) {
            org.nd4j.linalg.factory.Nd4j.factory().setOrder(defaultOrder.charAt(0));
        }
        DatasetSource data = Datasets.load(Datasets.MNIST, dataDir);
        ImageData train = data.train();
        int[] order = new int[train.size()];
        Arrays.setAll(order, i -> i);
        Random r = new Random(1);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        List<DataSet> batches = new ArrayList<>();
        for (int at = 0; at < order.length; at += 128) {
            DataSet ds = train.toDataSet(Arrays.copyOfRange(order, at, Math.min(order.length, at + 128)), Layout.FLAT);
            if (featureOrder != 'c') {
                ds = new DataSet(ds.getFeatures().dup(featureOrder), ds.getLabels());
            }
            batches.add(ds);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.XAVIER)
                .updater(new Nesterovs(0.01, 0.9)).list()
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        System.out.println("batches " + batches.size() + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + ", score read " + score + ", feature order " + featureOrder + ", Nd4j order " + org.nd4j.linalg.factory.Nd4j.order());
        long scoreHash = 17;
        boolean viaIterator = Boolean.getBoolean("bare.iterator");
        Scores listener = new Scores();
        if (viaIterator) {
            net.setListeners(listener);
        }
        double[] secs = new double[timed];
        double[] cpus = new double[timed];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int e = 0; e <= timed; e++) {
            double loss = 0;
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            if (viaIterator) {
                // one net.fit(DataSetIterator) per epoch (no async prefetch: ExistingDataSetIterator), scores
                // collected by a listener
                net.fit(new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(batches));
                for (double sc : listener.scores) {
                    loss += sc * 128;
                    scoreHash = scoreHash * 31 + Double.doubleToLongBits(sc);
                }
                listener.scores.clear();
            } else {
                for (DataSet ds : batches) {
                    net.fit(ds);
                    if (score) {
                        loss += net.score() * ds.numExamples();
                        scoreHash = scoreHash * 31 + Double.doubleToLongBits(net.score());
                    }
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double c = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("%s %.3f s (main thread cpu %.3f s) loss %.4f%n", e == 0 ? "warmup epoch" : "epoch " + e,
                    s, c, loss / 60000);
            if (e > 0) {
                secs[e - 1] = s;
                cpus[e - 1] = c;
            }
        }
        System.out.printf("score sequence hash %016x, params hash %08x%n", scoreHash,
                Arrays.hashCode(net.params().toFloatVector()));
        Arrays.sort(secs);
        double med = secs.length % 2 == 1 ? secs[secs.length / 2] : (secs[secs.length / 2 - 1] + secs[secs.length / 2]) / 2;
        Arrays.sort(cpus);
        double medCpu = cpus.length % 2 == 1 ? cpus[cpus.length / 2] : (cpus[cpus.length / 2 - 1] + cpus[cpus.length / 2]) / 2;
        System.out.printf("bare_dl4j_epoch_seconds %.3f%nbare_dl4j_epoch_cpu_seconds %.3f%n", med, medCpu);
    }
}
