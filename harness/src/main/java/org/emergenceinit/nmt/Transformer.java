package org.emergenceinit.nmt;

import org.emergenceinit.weights.BaseScheme;
import org.emergenceinit.weights.RampPlan;
import org.emergenceinit.weights.SameDiffRamp;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.distribution.impl.NormalDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.impl.DistributionInitScheme;
import org.nd4j.weightinit.impl.OneInitScheme;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * An encoder-decoder transformer (Vaswani et al. 2017) built in SameDiff, pre-LayerNorm variant: every sub-layer
 * computes {@code x + f(LayerNorm(x))}, and each stack ends with a LayerNorm. Sinusoidal positions, scaled
 * dot-product multi-head attention with an additive padding mask (encoder, cross-attention) and a causal plus
 * padding mask (decoder), ReLU feed-forward, no weight sharing, no dropout.
 *
 * <p>Activations are kept flat, {@code [batch * time, d]}; attention reshapes them to
 * {@code [batch, heads, time, d/heads]} with the shape placeholders. Placeholders (filled per batch by the example):
 * {@code src [B*S]} and {@code tgtIn [B*T]} int ids, {@code srcPos [B*S, d]} and {@code tgtPos [B*T, d]}
 * positions, {@code srcShape}/{@code tgtShape} {@code [B, S|T, heads, d/heads]}, {@code srcMask [B,1,1,S]},
 * {@code tgtMask [B,1,T,T]} additive masks, {@code tgtOut [B*T]} next-token ids and {@code tokenWeight [B*T]}
 * (1 for real tokens, 0 for padding). Outputs: {@value #LOGITS} {@code [B*T, V]} and {@value #LOSS}, the mean
 * token cross-entropy with label smoothing {@code eps}: {@code -sum_v q_v log p_v}, {@code q = (1-eps) onehot +
 * eps/V}.
 *
 * <p>Initialisation (METHOD.md section 2): every weight matrix is created by a {@link SameDiffRamp} over the block
 * sequence encoder blocks, decoder blocks, output projection; block {@code b}'s attention (Q, K, V, O; the
 * decoder's cross-attention too) and feed-forward matrices get block {@code b}'s exponent. With
 * {@link Config#ffOnly()} only the feed-forward matrices are ramped (over the encoder then decoder blocks) and
 * the attention and output matrices get the plain base scheme. Embeddings ({@code N(0, 1/d)}, multiplied by
 * {@code sqrt(d)}), biases (zero) and LayerNorm gains (one) and biases (zero) are outside the ramp.
 *
 * <p>Speed (the training step; issue 12): the graph is written for ND4J 1.0.0-M2.1's CPU ops and SameDiff's
 * automatic differentiation only where their gradients are fast. The embedding lookups ({@code gather}), the
 * LayerNorms (element-wise ops), the first feed-forward layer and the loss head ({@code softmax} and single
 * elements) have backward passes written by hand ({@link CustomGradients}); everything else (attention, the
 * products, the residual stream) is differentiated by SameDiff. Each such part says what it replaces and why.
 * The package-private reference formulation ({@code Transformer(config, true)}: one-hot products, the stock
 * {@code layer_norm}, {@code log_softmax} with a dense target, all stock gradients) computes the same function
 * from the same seed; {@code TransformerTest} checks that the loss, every parameter gradient and a few training
 * steps agree to float rounding.
 */
public final class Transformer {

    /** Name of the logits output. */
    public static final String LOGITS = "logits";
    /**
     * Name of the logits of only the rows {@code lastIdx [n]} of {@value #LOGITS} ({@code [n, V]}), for greedy
     * decoding (the last position of each sentence); needs the placeholder {@code lastIdx} besides the inputs.
     */
    public static final String LAST_LOGITS = "last_logits";
    /** Name of the loss output. */
    public static final String LOSS = "loss";
    /**
     * Name of the loss numerator, the weighted sum of the token losses ({@value #LOSS} = {@value #LOSS_SUM} /
     * {@value #LOSS_WEIGHT}). SameDiff's training session never runs the final division (the loss gradient is the
     * constant one), but it computes both operands, so {@link TransformerTraining} reads the loss from them.
     */
    public static final String LOSS_SUM = "loss_sum";
    /** Name of the loss denominator, the sum of the token weights. */
    public static final String LOSS_WEIGHT = "loss_weight";

    /**
     * The shape of the model.
     *
     * @param srcVocab       source vocabulary size
     * @param tgtVocab       target vocabulary size
     * @param dModel         model width, divisible by {@code heads}
     * @param heads          attention heads
     * @param ffWidth        feed-forward hidden width
     * @param encoderLayers  encoder blocks
     * @param decoderLayers  decoder blocks
     * @param labelSmoothing label smoothing {@code eps} in {@code [0, 1)}
     * @param alpha          the ramp's {@code alpha} (1 = stock Xavier)
     * @param ffOnly         ramp only the feed-forward matrices
     */
    public record Config(int srcVocab, int tgtVocab, int dModel, int heads, int ffWidth, int encoderLayers,
                         int decoderLayers, double labelSmoothing, double alpha, boolean ffOnly) {
        public Config {
            if (dModel % heads != 0) {
                throw new IllegalArgumentException("dModel " + dModel + " is not divisible by heads " + heads + ".");
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing + ".");
            }
        }

        /** The number of ramp blocks: encoder + decoder (+ output projection unless ffOnly). */
        public int rampBlocks() {
            return encoderLayers + decoderLayers + (ffOnly ? 0 : 1);
        }
    }

    private final Config config;
    private final SameDiff sd;
    private final SameDiffRamp ramp;
    private final boolean reference;
    /** The hand-written backward passes of the fast graph (null for the reference formulation). */
    private final CustomGradients grads;
    /** The fast graph's constant {@code [d, 1]} column of {@code 1/d}: {@code x . column} is the row mean. */
    private SDVariable rowMeanColumn;
    /** The fast graph's output product {@code logits = outputLeft outputRight} ({@link #withBias}). */
    private SDVariable outputLeft;
    private SDVariable outputRight;

    /**
     * Builds the graph and its gradient function and initialises the variables from ND4J's current random
     * generator.
     */
    public Transformer(Config config) {
        this(config, false);
    }

    /**
     * @param reference build the straightforward formulation instead (embeddings as {@code onehot(ids) x table},
     *                  the loss from {@code log_softmax} and a dense smoothed target): the same function and, from
     *                  the same seed, the same variables, for tests of the fast graph against it
     */
    Transformer(Config config, boolean reference) {
        this.config = config;
        this.sd = SameDiff.create();
        this.ramp = SameDiffRamp.of(BaseScheme.XAVIER, config.alpha(), config.rampBlocks());
        this.reference = reference;
        this.grads = reference ? null : new CustomGradients(sd);
        build();
        if (!reference) {
            grads.build();
        }
    }

    public Config config() {
        return config;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** The ramp plan: every ramped matrix with its block, fans, exponent and scale. */
    public RampPlan plan() {
        return ramp.plan();
    }

    private void build() {
        int d = config.dModel();
        SDVariable src = sd.placeHolder("src", DataType.INT, -1);
        SDVariable tgtIn = sd.placeHolder("tgtIn", DataType.INT, -1);
        SDVariable srcPos = sd.placeHolder("srcPos", DataType.FLOAT, -1, d);
        SDVariable tgtPos = sd.placeHolder("tgtPos", DataType.FLOAT, -1, d);
        SDVariable srcShape = sd.placeHolder("srcShape", DataType.LONG, 4);
        SDVariable tgtShape = sd.placeHolder("tgtShape", DataType.LONG, 4);
        SDVariable srcMask = sd.placeHolder("srcMask", DataType.FLOAT, -1, 1, 1, -1);
        SDVariable tgtMask = sd.placeHolder("tgtMask", DataType.FLOAT, -1, 1, -1, -1);
        SDVariable tgtOut = sd.placeHolder("tgtOut", DataType.INT, -1);
        SDVariable tokenWeight = sd.placeHolder("tokenWeight", DataType.FLOAT, -1);

        double embScale = Math.sqrt(d);
        SDVariable srcEmb = sd.var("src_embedding", new DistributionInitScheme('c',
                new NormalDistribution(0, 1 / embScale)), DataType.FLOAT, config.srcVocab(), d);
        SDVariable tgtEmb = sd.var("tgt_embedding", new DistributionInitScheme('c',
                new NormalDistribution(0, 1 / embScale)), DataType.FLOAT, config.tgtVocab(), d);

        // The fast graph's reductions over the model width and over rows, as products with a constant column and a
        // ones row (M2.1's reduce ops over [1536, 128] take 0.2-0.4 ms each, these products a fraction of that).
        if (!reference) {
            rowMeanColumn = sd.constant("row_mean_column", Nd4j.valueArrayOf(new long[]{d, 1}, 1.0f / d));
        }
        SDVariable srcOnes = reference ? null : sd.onesLike(src, DataType.FLOAT).reshape(1, -1);
        SDVariable tgtOnes = reference ? null : sd.onesLike(tgtIn, DataType.FLOAT).reshape(1, -1);

        SDVariable x = embed(src, srcEmb, embScale, srcPos);
        int block = 0;
        for (int l = 0; l < config.encoderLayers(); l++, block++) {
            String p = "enc" + l + "_";
            x = x.add(attention(p + "self_", block, layerNorm(p + "ln1", x, srcOnes), null, srcShape, srcShape,
                    srcMask));
            x = x.add(feedForward(p + "ff_", block, layerNorm(p + "ln2", x, srcOnes, false), srcOnes));
        }
        SDVariable memory = finalLayerNorm("enc_ln", x, srcOnes);

        SDVariable y = embed(tgtIn, tgtEmb, embScale, tgtPos);
        for (int l = 0; l < config.decoderLayers(); l++, block++) {
            String p = "dec" + l + "_";
            y = y.add(attention(p + "self_", block, layerNorm(p + "ln1", y, tgtOnes), null, tgtShape, tgtShape,
                    tgtMask));
            y = y.add(attention(p + "cross_", block, layerNorm(p + "ln2", y, tgtOnes), memory, tgtShape, srcShape,
                    srcMask));
            y = y.add(feedForward(p + "ff_", block, layerNorm(p + "ln3", y, tgtOnes, false), tgtOnes));
        }
        y = finalLayerNorm("dec_ln", y, tgtOnes);

        SDVariable wOut = config.ffOnly() ? plainXavier("out_W", d, config.tgtVocab())
                : ramp.var(sd, "out_W", block, d, config.tgtVocab(), DataType.FLOAT, d, config.tgtVocab());
        SDVariable outB = sd.var("out_b", DataType.FLOAT, config.tgtVocab());
        SDVariable logits = (reference ? y.mmul(wOut).add(outB) : withBias(y, wOut, outB, tgtIn)).rename(LOGITS);
        // Greedy decoding needs only the rows lastIdx (off the loss path: no gradient is built for the gather).
        SDVariable lastIdx = sd.placeHolder("lastIdx", DataType.INT, -1);
        sd.gather(y, lastIdx, 0).mmul(wOut).add(outB).rename(LAST_LOGITS);

        SDVariable tokenLoss = reference ? referenceCrossEntropy(logits, tgtOut)
                : smoothedCrossEntropy(logits, tgtOut);
        SDVariable loss = tokenLoss.mul(tokenWeight).sum().rename(LOSS_SUM)
                .div(tokenWeight.sum().rename(LOSS_WEIGHT)).rename(LOSS);
        sd.setLossVariables(loss);
    }

    /**
     * {@code x W + b} as one product, {@code [x, 1] [W; b]}: saves the {@code [N, V]} array of the separate bias add
     * and its backward op ({@code add_bp} copies the {@code [N, V]} gradient and sums its columns in a strided loop,
     * about 40 ms in M2.1 on a busy machine); the backward of the product ({@link #smoothedCrossEntropy}) gives the bias gradient
     * with the weights', and the concatenations' stock backward splits them. {@code rows} (any {@code [N]} array,
     * here the decoder input ids) only gives the number of rows.
     */
    private SDVariable withBias(SDVariable x, SDVariable w, SDVariable b, SDVariable rows) {
        SDVariable ones = sd.onesLike(rows, DataType.FLOAT).reshape(-1, 1);
        outputLeft = sd.concat(1, x, ones);
        outputRight = sd.concat(0, w, b.reshape(1, -1));
        return outputLeft.mmul(outputRight);
    }

    /**
     * The label-smoothed cross-entropy of every row of {@code logits} ({@code [N, V]}) against {@code ids}
     * ({@code [N]}): {@code -sum_v q_v log p_v} with {@code p = softmax(logits)} and
     * {@code q = (1-eps) onehot + eps/V}, computed as {@code lse - (1-eps) z_y - eps mean_v z_v} (equal, since
     * {@code sum_v q_v = 1}), where {@code lse = log sum_v exp z_v = z_a - log p_a} at the arg max {@code a} of the
     * row (no overflow, and no underflow: {@code p_a >= 1/V}). The single elements are read with
     * {@code gather_nd}, cut from automatic differentiation; the stock gradient of the rest is never run. This
     * replaces {@code log_softmax} and the dense smoothed target of the reference formulation, which took about
     * a quarter of the training step in a per-op profile; the values agree to float rounding
     * ({@code TransformerTest}).
     *
     * <p>Backward by hand ({@link CustomGradients}): {@code dL/dlogits = (p - q) * dL/dtokenLoss}, with the
     * per-token factor applied on the narrow side of the output product ({@link #withBias}), so two ops on
     * {@code [N, V]} (the one-hot {@code q} and {@code p - q}), where the stock gradients of such a forward take a
     * dozen, among them {@code softmax_bp} and, for {@code log_softmax}, a slow {@code log_softmax_bp}.
     */
    private SDVariable smoothedCrossEntropy(SDVariable logits, SDVariable ids) {
        int v = config.tgtVocab();
        double eps = config.labelSmoothing();
        // On a rank-3 view, softmax runs oneDNN's vectorised kernel; on the 2-D array M2.1 runs its own loop with
        // scalar expf, four times slower (the same values to 3e-8).
        SDVariable probs = sd.nn.softmax(logits.reshape(1, -1, v), 2).reshape(-1, v);
        SDVariable rows = sd.range(sd.constant(0), sd.sizeAt(ids, 0).castTo(DataType.INT), sd.constant(1),
                DataType.INT);
        SDVariable argMax = sd.stack(1, rows, sd.argmax(logits, 1).castTo(DataType.INT));
        SDVariable lse = grads.cut(sd.gatherNd(logits, argMax))
                .sub(sd.math.log(grads.cut(sd.gatherNd(probs, argMax))));
        SDVariable zTarget = grads.cut(sd.gatherNd(logits, sd.stack(1, rows, ids)));
        // The row means as a product with a constant column (1/V): a quarter of reduce_mean's time in M2.1.
        SDVariable rowMean = logits.mmul(sd.constant(Nd4j.valueArrayOf(new long[]{v, 1}, 1.0f / v))).reshape(-1);
        SDVariable tokenLoss = lse.sub(zTarget.mul(1 - eps)).sub(rowMean.mul(eps));
        grads.backward(b -> {
            SameDiff g = b.sameDiff();
            SDVariable target = g.oneHot(b.v(ids), v, -1, 1 - eps + eps / v, eps / v, DataType.FLOAT);
            SDVariable perToken = b.gradient(tokenLoss).reshape(-1, 1);
            SDVariable pMinusQ = b.v(probs).sub(target);
            // dL/dlogits = (p - q) * perToken, with the per-row factor applied to the product's [N, d + 1] side:
            // dLeft = ((p - q) right^T) * perToken, dRight = (left * perToken)^T (p - q).
            b.replaceGradient(outputLeft, g.mmul(pMinusQ, b.v(outputRight), false, true, false).mul(perToken));
            b.replaceGradient(outputRight, g.mmul(b.v(outputLeft).mul(perToken), pMinusQ, true, false, false));
        });
        return tokenLoss;
    }

    /** {@link #smoothedCrossEntropy} as it was first written: {@code log_softmax} and a dense smoothed target. */
    private SDVariable referenceCrossEntropy(SDVariable logits, SDVariable ids) {
        double eps = config.labelSmoothing();
        SDVariable target = sd.oneHot(ids, config.tgtVocab()).castTo(DataType.FLOAT)
                .mul(1 - eps).add(eps / config.tgtVocab());
        return target.mul(sd.nn.logSoftmax(logits)).sum(1).neg();
    }

    /**
     * The embedding of {@code ids} scaled by {@code scale} plus the positions {@code pos}: the rows of {@code table}
     * by {@code gather}, cut from automatic differentiation; backward by hand ({@link CustomGradients}): the table's
     * gradient is the output's gradient times the scale, summed into the rows of the ids
     * ({@code scatter_add} into zeros: repeated ids add up). Not {@code unsorted_segment_sum}, which computes the
     * same sums but leaks native memory in ND4J 1.0.0-M2.1 (about 2 MB a call for an 8,000 x 128 table: the
     * views its CPU helper makes with {@code allTensorsAlongDimension} are never freed, found with jemalloc's heap
     * profiler), so a process training for several epochs grew until it ran out of memory. Why not the stock
     * gradient: {@code Gather}'s
     * {@code doDiff} in ND4J 1.0.0-M2.1 builds, for axis 0, a SameDiff loop over the indices that writes rows with
     * {@code put} (one loop iteration per token; its variable names collide when the graph has two gathers) and,
     * for other axes, fails to build. Why not {@code onehot(ids) x table} (the reference formulation): two matrix
     * products of {@code [B*T x V] x [V x d]} size each way plus the one-hot arrays, about 14 % of the step.
     */
    private SDVariable embed(SDVariable ids, SDVariable table, double scale, SDVariable pos) {
        int rows = (int) table.getShape()[0];
        if (reference) {
            return sd.oneHot(ids, rows).castTo(DataType.FLOAT).mmul(table).mul(scale).add(pos);
        }
        SDVariable out = grads.cut(sd.gather(table, ids, 0)).mul(scale).add(pos);
        grads.backward(b -> b.addGradient(table, b.sameDiff().scatterAdd(table.name() + "-grad",
                b.sameDiff().zerosLike(b.v(table)), b.v(ids), b.gradient(out).mul(scale))));
        return out;
    }

    /**
     * Multi-head attention of queries {@code q} ({@code [B*T, d]}) over {@code kv} ({@code q} itself if null). The
     * fast graph computes the projections that share an input as one product with the weights side by side,
     * {@code x [Wq Wk Wv]} (self-attention) or {@code memory [Wk Wv]} (cross-attention), split by columns: fewer,
     * larger products, one backward product instead of three and no accumulation of the input's gradient (SameDiff's
     * per-op overhead is a large part of the step); the same values to float rounding. (Splitting the heads after the
     * permute instead would save the reshapes too, but M2.1's {@code split} of rank-4 arrays takes ~12 ms.)
     */
    private SDVariable attention(String p, int block, SDVariable q, SDVariable kv, SDVariable qShape,
                                 SDVariable kvShape, SDVariable mask) {
        int d = config.dModel();
        SDVariable keysFrom = kv == null ? q : kv;
        SDVariable wq = attentionWeight(p + "Wq", block);
        SDVariable wk = attentionWeight(p + "Wk", block);
        SDVariable wv = attentionWeight(p + "Wv", block);
        SDVariable qh;
        SDVariable kh;
        SDVariable vh;
        if (reference) {
            qh = heads(q.mmul(wq), qShape);
            kh = heads(keysFrom.mmul(wk), kvShape);
            vh = heads(keysFrom.mmul(wv), kvShape);
        } else if (kv == null) {
            SDVariable[] qkv = sd.split(q.mmul(sd.concat(1, wq, wk, wv)), 3, 1);
            qh = heads(qkv[0], qShape);
            kh = heads(qkv[1], kvShape);
            vh = heads(qkv[2], kvShape);
        } else {
            qh = heads(q.mmul(wq), qShape);
            SDVariable[] pair = sd.split(kv.mmul(sd.concat(1, wk, wv)), 2, 1);
            kh = heads(pair[0], kvShape);
            vh = heads(pair[1], kvShape);
        }
        SDVariable scores = sd.mmul(qh, kh, false, true, false).div(Math.sqrt(d / (double) config.heads())).add(mask);
        SDVariable context = sd.mmul(sd.nn.softmax(scores, 3), vh);
        SDVariable flat = sd.reshape(sd.permute(context, 0, 2, 1, 3), -1, d);
        return flat.mmul(attentionWeight(p + "Wo", block));
    }

    /** {@code [B*T, d]} to {@code [B, heads, T, d/heads]}. */
    private SDVariable heads(SDVariable x, SDVariable shape) {
        return sd.permute(sd.reshape(x, shape), 0, 2, 1, 3);
    }

    private SDVariable attentionWeight(String name, int block) {
        int d = config.dModel();
        return config.ffOnly() ? plainXavier(name, d, d) : ramp.var(sd, name, block, d, d, DataType.FLOAT, d, d);
    }

    /**
     * {@code relu(x W1 + b1) W2 + b2}. The fast graph differentiates the first layer by hand ({@link CustomGradients}):
     * {@code da = dh * step(h)}, {@code dW1 = x^T da}, {@code db1 = ones da}, {@code dx = da W1^T}; M2.1's
     * {@code thresholdedrelu_bp} evaluates a {@code std::function} per element (about 5 ms at {@code [1536, 256]}).
     * {@code ones} ({@code [1, N]}) sums over rows.
     */
    private SDVariable feedForward(String p, int block, SDVariable x, SDVariable ones) {
        int d = config.dModel();
        int f = config.ffWidth();
        SDVariable w1 = ramp.var(sd, p + "W1", block, d, f, DataType.FLOAT, d, f);
        SDVariable b1 = sd.var(p + "b1", DataType.FLOAT, f);
        SDVariable h = sd.nn.relu(x.mmul(w1).add(b1), 0);
        if (!reference) {
            SDVariable relu = h;
            h = grads.cut(relu);
            SDVariable out = h;
            grads.backward(b -> {
                SameDiff g = b.sameDiff();
                SDVariable da = b.gradient(out).mul(g.math.step(b.v(relu), 0));
                b.addGradient(w1, g.mmul(b.v(x), da, true, false, false));
                b.addGradient(b1, b.v(ones).mmul(da).reshape(-1));
                b.addGradient(x, g.mmul(da, b.v(w1), false, true, false));
            });
        }
        return h.mmul(ramp.var(sd, p + "W2", block, f, d, DataType.FLOAT, f, d)).add(sd.var(p + "b2", DataType.FLOAT, d));
    }

    /**
     * {@link #layerNorm} at the end of a stack, where the stream {@code x} reaches the loss only through it: the fast
     * graph adds {@code 0 * x} to the output, which keeps {@code x} on a floating-point path to the loss (else
     * SameDiff, seeing the cut, would build no gradient for the stack at all); its gradient, zeros, costs two
     * element-wise ops of {@code [N, d]}. The value is the same ({@code y + 0 = y}; a non-finite {@code x} gives
     * NaN either way).
     */
    private SDVariable finalLayerNorm(String name, SDVariable x, SDVariable ones) {
        SDVariable y = layerNorm(name, x, ones);
        return reference ? y : y.add(x.mul(0.0));
    }

    /**
     * LayerNorm over the last dimension, {@code gain * (x - mean) / sqrt(var) + bias} with the biased variance and
     * no epsilon (as M2.1's {@code layer_norm} op, the reference formulation). The fast graph builds it from
     * element-wise ops (the row means as products with {@link #rowMeanColumn}) and differentiates it by hand
     * ({@link CustomGradients}): {@code dx = (dxh - mean(dxh) - xh * mean(dxh * xh)) / sqrt(var)} with {@code xh}
     * the normalised input and {@code dxh = dy * gain}, {@code dgain = ones (dy * xh)}, {@code dbias = ones dy}
     * ({@code ones}, {@code [1, N]}, sums over rows). M2.1's {@code layer_norm_bp} took about 20 ms at
     * {@code [1536, 128]} (a standard-deviation kernel run several times and a broadcast {@code multiply_bp},
     * itself 15-30 ms), these ops about 2 ms.
     */
    private SDVariable layerNorm(String name, SDVariable x, SDVariable ones) {
        return layerNorm(name, x, ones, true);
    }

    /**
     * {@link #layerNorm(String, SDVariable, SDVariable)}; {@code cut} false for a LayerNorm whose output feeds only
     * {@link #feedForward}, which cuts its own path (after the ReLU), so the LayerNorm's ops are unreachable for
     * SameDiff's differentiation without a cut of their own (two copies fewer).
     */
    private SDVariable layerNorm(String name, SDVariable x, SDVariable ones, boolean cut) {
        int d = config.dModel();
        SDVariable gain = sd.var(name + "_gain", new OneInitScheme('c'), DataType.FLOAT, d);
        SDVariable bias = sd.var(name + "_bias", DataType.FLOAT, d);
        if (reference) {
            return sd.nn.layerNorm(x, gain, bias, false, 1);
        }
        SDVariable centred = x.sub(x.mmul(rowMeanColumn));
        SDVariable invStd = sd.math.rsqrt(centred.mul(centred).mmul(rowMeanColumn));
        SDVariable xHat = centred.mul(invStd);
        SDVariable normed = xHat.mul(gain).add(bias);
        SDVariable y = cut ? grads.cut(normed) : normed;
        grads.backward(b -> {
            SDVariable dy = b.gradient(y);
            SDVariable xh = b.v(xHat);
            SDVariable rowSums = b.v(ones);
            SDVariable rowMean = b.v(rowMeanColumn);
            b.addGradient(bias, rowSums.mmul(dy).reshape(-1));
            b.addGradient(gain, rowSums.mmul(dy.mul(xh)).reshape(-1));
            SDVariable dxh = dy.mul(b.v(gain));
            SDVariable dx = dxh.sub(dxh.mmul(rowMean)).sub(xh.mul(dxh.mul(xh).mmul(rowMean))).mul(b.v(invStd));
            b.addGradient(x, dx);
        });
        return y;
    }

    private SDVariable plainXavier(String name, int fanIn, int fanOut) {
        return sd.var(name, new XavierInitScheme('c', fanIn, fanOut), DataType.FLOAT, fanIn, fanOut);
    }

    /** Sinusoidal position encodings {@code [length, d]} (Vaswani et al. 2017, section 3.5). */
    public static float[][] positions(int length, int d) {
        float[][] pe = new float[length][d];
        for (int pos = 0; pos < length; pos++) {
            for (int i = 0; i < d; i += 2) {
                double angle = pos / Math.pow(10000, i / (double) d);
                pe[pos][i] = (float) Math.sin(angle);
                if (i + 1 < d) {
                    pe[pos][i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }
}
