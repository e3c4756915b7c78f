#!/usr/bin/env bash
# Runs a sweep preset on the real data, then its report: experiments/reproduce.sh PRESET DATA_DIR.
# The reproduce-<preset>.sh scripts call this; the results go to runs/sweep-<preset>/ (or $EMERGENCE_OUT).
# Resumable: run the same command again after an interruption and finished runs are skipped.
set -euo pipefail
if [ $# -ne 2 ] || [ ! -d "$2" ]; then
  echo "usage: $(basename "$0") PRESET DATA_DIR (DATA_DIR laid out like shared/datasets: mnist/, fashion-mnist/," \
       "cifar-10-batches-bin/ or cifar-10-subset/)" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${EMERGENCE_OUT:-$root/runs/sweep-$1}"
"$root/bin/emergence" sweep --preset "$1" --data-dir "$2" --out "$out"
"$root/bin/emergence" report --in "$out"
echo "summary: $out/summary.md"
