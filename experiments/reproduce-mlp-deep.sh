#!/usr/bin/env bash
# Reproduces the mlp-deep table: bin/emergence sweep --preset mlp-deep on DATA_DIR, then bin/emergence report.
# Usage: experiments/reproduce-mlp-deep.sh DATA_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $(basename "$0") DATA_DIR" >&2
  exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/reproduce.sh" mlp-deep "$1"
