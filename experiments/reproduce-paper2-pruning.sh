#!/usr/bin/env bash
# Reproduces the paper2-pruning table: bin/emergence sweep --preset paper2-pruning on DATA_DIR, then bin/emergence report.
# Usage: experiments/reproduce-paper2-pruning.sh DATA_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $(basename "$0") DATA_DIR" >&2
  exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/reproduce.sh" paper2-pruning "$1"
