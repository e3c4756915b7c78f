#!/usr/bin/env bash
# The advise pilot on the BatchNorm half of cnn-vgg (experiments/results/cnn-vgg-cifar10-subset/grid.json: the
# VGG-style CNN with BatchNorm on the CIFAR-10 SUBSET, 5,085 train / 1,017 test, Nesterov SGD 0.9, lr 0.05, batch 128,
# alphas 1.2, 1.5, 2.0); pilot at the advise defaults (K = 5 % of an epoch, at least 50 steps; 3 seeds).
# Usage: [JOBS=1] experiments/results/advise/run-pilots-cnn-bn.sh DATA_DIR   (from the repository root)
set -euo pipefail
DATA=${1:?data dir}
OUT=experiments/results/advise/pilots-cnn-vgg
for base in xavier kaiming; do
  [ -f "$OUT/cifar10-$base-bn/advise.json" ] && continue
  bin/emergence advise --dataset cifar10 --data-dir "$DATA" --arch cnn:c32-c32-p-c64-c64-p-f256-10 --bn --lr 0.05 \
    --momentum 0.9 --batch 128 --init emergence-$base --alphas 1.2,1.5,2.0 --jobs "${JOBS:-1}" \
    --out "$OUT/cifar10-$base-bn" 2>&1 | grep -v INFO | grep -v '^\s*$' | tail -12
done
