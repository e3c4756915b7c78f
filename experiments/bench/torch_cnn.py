#!/usr/bin/env python3
"""PyTorch CPU reference for bin/emergence bench-speed: the VGG-style CNN cnn:c32-c32-p-c64-c64-p-f256-10.

Same network as the project's ArchSpec builds (3x3 'same' convolutions, ReLU, 2x2 max pooling, dense 256, softmax
cross-entropy; with --bn a BatchNorm before each ReLU), Nesterov SGD (lr 0.01, momentum 0.9), batches of 128
random 32x32x3 images with random labels (the speed does not depend on the pixel values). Warm-up steps, then
training steps until --seconds have passed (at least --min-steps), then inference on the same batch likewise.
Prints two parseable lines:
    torch_cnn_train_images_per_second <x>
    torch_cnn_infer_images_per_second <y>
Run with Debian's python3-torch: /usr/bin/python3 experiments/bench/torch_cnn.py --threads 1
"""
import argparse
import time

import torch
import torch.nn as nn


def build(bn):
    layers = []
    c_in = 3
    for t in ["c32", "c32", "p", "c64", "c64", "p"]:
        if t == "p":
            layers.append(nn.MaxPool2d(2, 2))
            continue
        c = int(t[1:])
        layers.append(nn.Conv2d(c_in, c, 3, padding=1))
        if bn:
            layers.append(nn.BatchNorm2d(c))
        layers.append(nn.ReLU())
        c_in = c
    layers += [nn.Flatten(), nn.Linear(64 * 8 * 8, 256)]
    if bn:
        layers.append(nn.BatchNorm1d(256))
    layers += [nn.ReLU(), nn.Linear(256, 10)]
    return nn.Sequential(*layers)


def timed(step, seconds, min_steps):
    n = 0
    start = time.perf_counter()
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - start
        if n >= min_steps and elapsed >= seconds:
            return n, elapsed


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--bn", action="store_true")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--min-steps", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = build(a.bn)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(a.batch, 3, 32, 32)
    y = torch.randint(0, 10, (a.batch,))

    def train_step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            net(x)

    net.train()
    for _ in range(a.warmup):
        train_step()
    n, s = timed(train_step, a.seconds, a.min_steps)
    print("torch_cnn_train_images_per_second %.3f" % (n * a.batch / s))
    net.eval()
    for _ in range(a.warmup):
        infer_step()
    n, s = timed(infer_step, a.seconds, a.min_steps)
    print("torch_cnn_infer_images_per_second %.3f" % (n * a.batch / s))


if __name__ == "__main__":
    main()
