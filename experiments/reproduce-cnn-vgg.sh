#!/usr/bin/env bash
# Reproduces the cnn-vgg table: bin/emergence sweep --preset cnn-vgg on DATA_DIR, then bin/emergence report.
# Usage: experiments/reproduce-cnn-vgg.sh DATA_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $(basename "$0") DATA_DIR" >&2
  exit 2
fi
exec "$(dirname "${BASH_SOURCE[0]}")/reproduce.sh" cnn-vgg "$1"
