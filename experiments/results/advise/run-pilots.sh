#!/usr/bin/env bash
# The advise pilot on every mlp-deep setting (experiments/results/mlp-deep/grid.json): same network, optimizer, lr,
# batch and alphas as the sweep; pilot at the defaults (K = 5 % of an epoch, at least 50 steps; 3 seeds).
# Usage: [BLOCKS="false true"] [JOBS=1] experiments/results/advise/run-pilots.sh DATA_DIR [STEPS]   (from the repository root;
# BLOCKS: the BatchNorm settings to run, STEPS: --steps, default the advise default; output pilots[-kSTEPS]/)
set -euo pipefail
DATA=${1:?data dir}
STEPS=${2:-}
ARCH=mlp:784-256-256-256-256-256-256-256-256-10
OUT=experiments/results/advise/pilots${STEPS:+-k$STEPS}
for ds in mnist fashion-mnist; do
  for bn in ${BLOCKS:-false true}; do
    if [ "$bn" = true ]; then lr=0.1; alphas=1.2,1.5,2.0; flag=--bn; else lr=0.01; alphas=1.1,1.2,1.5; flag=; fi
    for base in xavier kaiming; do
      name=$ds-$base$([ "$bn" = true ] && echo -bn || true)
      [ -f "$OUT/$name/advise.json" ] && continue
      bin/emergence advise --dataset "$ds" --data-dir "$DATA" --arch $ARCH $flag --lr $lr --momentum 0.9 \
        --batch 128 --init emergence-$base --alphas $alphas ${STEPS:+--steps $STEPS} --jobs "${JOBS:-1}" \
        --out "$OUT/$name" 2>&1 | grep -v INFO | grep -v '^\s*$' | tail -12
    done
  done
done
