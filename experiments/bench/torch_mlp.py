#!/usr/bin/python3
"""PyTorch CPU reference for the MNIST MLP 784-256-128-10 training epoch (run with Debian's /usr/bin/python3).

Same network as `bin/emergence bench-speed`: ReLU hidden layers, softmax + cross-entropy (MCXENT), Xavier
(Glorot) init of the weights, zero biases, SGD with Nesterov momentum 0.9, lr 0.01, batch 128, the 60,000
real MNIST training images (read from the IDX files, gz or plain, scaled by 1/255) preloaded as float32
tensors, reshuffled every epoch. One thread. The first epoch is a warm-up; the following ones are timed
(the whole epoch loop: indexing the batch, forward, loss, backward, step). Prints one line per timed epoch
and then `torch_mlp_epoch_seconds <median>` (wall clock) and `torch_mlp_epoch_cpu_seconds <median>` (CPU time
of the main thread, less sensitive to another process on the machine).

Usage: /usr/bin/python3 experiments/bench/torch_mlp.py [--data-dir /work/shared/datasets] [--epochs 5]
"""
import argparse
import gzip
import os
import statistics
import struct
import time

import numpy as np
import torch


def read_idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                data = f.read()
            break
    else:
        raise FileNotFoundError(path + "[.gz]")
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="/work/shared/datasets")
    ap.add_argument("--epochs", type=int, default=3, help="timed epochs after the warm-up epoch")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    d = os.path.join(args.data_dir, "mnist")
    x = torch.from_numpy(read_idx(os.path.join(d, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(read_idx(os.path.join(d, "train-labels-idx1-ubyte")).astype(np.int64))
    n = x.shape[0]

    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10))
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_normal_(m.weight)  # DL4J WeightInit.XAVIER: N(0, 2/(fanIn+fanOut))
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + multi-class cross-entropy, mean over the batch

    def epoch():
        perm = torch.randperm(n)
        total = 0.0
        t0 = time.perf_counter()
        c0 = time.thread_time()
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]  # the score is read every batch, as TrainingRun does
        return time.perf_counter() - t0, time.thread_time() - c0, total / n

    s, c, l = epoch()
    print(f"warmup epoch {s:.3f} s (main thread cpu {c:.3f} s) loss {l:.4f}", flush=True)
    times, cpus = [], []
    for e in range(args.epochs):
        s, c, l = epoch()
        times.append(s)
        cpus.append(c)
        print(f"epoch {e + 1} {s:.3f} s (main thread cpu {c:.3f} s) loss {l:.4f}", flush=True)
    print(f"torch threads {torch.get_num_threads()}, data: real MNIST train images from {d}")
    print(f"torch_mlp_epoch_seconds {statistics.median(times):.3f}")
    print(f"torch_mlp_epoch_cpu_seconds {statistics.median(cpus):.3f}")
    # the same, under the name the Java probe's metric has (bench-speed pairs them by name)
    print(f"torch_mlp_epoch_thread_cpu_seconds {statistics.median(cpus):.3f}")


if __name__ == "__main__":
    main()
