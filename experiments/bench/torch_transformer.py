#!/usr/bin/python3
"""PyTorch reference for TransformerStepBenchmark: seconds per training step of an nn.Transformer of the
project's Multi30k size (pre-LayerNorm, 2+2 layers, d_model 128, 4 heads, ff 256, no dropout), with
embeddings scaled by sqrt(d_model) plus sinusoidal positions, an output projection over the target vocabulary,
label-smoothed (0.1) cross-entropy and Adam (beta1 0.9, beta2 0.98, eps 1e-9), on random token ids of a fixed
shape, ONE thread. Prints one parseable line:

    torch_transformer_step_seconds <median> mean <mean> min <min> steps <n> batch <b> src_len <s> tgt_len <t>

and torch_transformer_step_thread_cpu_seconds <median>, the calling thread's CPU time per step (with one thread,
all of it; on a busy machine it leaves out the time spent waiting for a core).

Run with Debian's interpreter (python3-torch 1.13): /usr/bin/python3 experiments/bench/torch_transformer.py
"""
import argparse
import math
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def positions(length, d):
    pe = torch.zeros(length, d)
    pos = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = pos / torch.pow(10000.0, i / d)
    pe[:, 0::2] = torch.sin(angle).float()
    pe[:, 1::2] = torch.cos(angle).float()
    return pe


class Model(nn.Module):
    def __init__(self, a):
        super().__init__()
        d = a.d_model
        self.scale = math.sqrt(d)
        self.src_emb = nn.Embedding(a.src_vocab, d)
        self.tgt_emb = nn.Embedding(a.tgt_vocab, d)
        nn.init.normal_(self.src_emb.weight, 0, 1 / self.scale)
        nn.init.normal_(self.tgt_emb.weight, 0, 1 / self.scale)
        self.core = nn.Transformer(d_model=d, nhead=a.heads, num_encoder_layers=a.layers,
                                   num_decoder_layers=a.layers, dim_feedforward=a.ff, dropout=0.0,
                                   activation="relu", batch_first=True, norm_first=True)
        self.out = nn.Linear(d, a.tgt_vocab)
        self.register_buffer("pe", positions(max(a.src_len, a.tgt_len), d))

    def forward(self, src, tgt_in, src_pad, tgt_pad, causal):
        s = self.src_emb(src) * self.scale + self.pe[: src.shape[1]]
        t = self.tgt_emb(tgt_in) * self.scale + self.pe[: tgt_in.shape[1]]
        h = self.core(s, t, tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad,
                      memory_key_padding_mask=src_pad)
        return self.out(h)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--src-len", type=int, default=24)
    p.add_argument("--tgt-len", type=int, default=24)
    p.add_argument("--src-vocab", type=int, default=7856, help="Multi30k de, min freq 2")
    p.add_argument("--tgt-vocab", type=int, default=5970, help="Multi30k en, min freq 2")
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ff", type=int, default=256)
    p.add_argument("--layers", type=int, default=2, help="encoder and decoder blocks, each")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Model(a)
    opt = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=0)
    b, s, t = a.batch, a.src_len, a.tgt_len
    g = torch.Generator().manual_seed(a.seed)
    src = torch.randint(4, a.src_vocab, (b, s), generator=g)
    tgt_in = torch.randint(4, a.tgt_vocab, (b, t), generator=g)
    tgt_out = torch.randint(4, a.tgt_vocab, (b, t), generator=g)
    src_pad = torch.zeros(b, s, dtype=torch.bool)
    tgt_pad = torch.zeros(b, t, dtype=torch.bool)
    causal = nn.Transformer.generate_square_subsequent_mask(t)

    times = []
    cpu_times = []
    for step in range(a.warmup + a.steps):
        start = time.perf_counter()
        cpu_start = time.thread_time()
        opt.zero_grad(set_to_none=True)
        logits = model(src, tgt_in, src_pad, tgt_pad, causal)
        loss = loss_fn(logits.reshape(-1, a.tgt_vocab), tgt_out.reshape(-1))
        loss.backward()
        opt.step()
        loss.item()
        if step >= a.warmup:
            times.append(time.perf_counter() - start)
            cpu_times.append(time.thread_time() - cpu_start)
    print("torch_transformer_step_seconds %.4f mean %.4f min %.4f steps %d batch %d src_len %d tgt_len %d threads %d"
          % (statistics.median(times), statistics.mean(times), min(times), a.steps, b, s, t,
             torch.get_num_threads()))
    print("torch_transformer_step_thread_cpu_seconds %.4f" % statistics.median(cpu_times))


if __name__ == "__main__":
    main()
