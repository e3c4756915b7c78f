#!/usr/bin/env bash
# Runs torch_mlp.py on Debian's python3-torch with OpenBLAS as its BLAS, one thread.
# Debian's torch 1.13 calls the system libblas.so.3, which on these machines is the reference (netlib) BLAS:
# a 128x784 @ 784x256 matmul takes ~15 ms there against ~0.5 ms with OpenBLAS, and an epoch ~28 s instead of
# under 1 s. So this puts the OpenBLAS 0.3.19 that ND4J itself uses (from the JavaCPP jar in
# experiments/target/lib; build first) in front as libblas.so.3 / liblapack.so.3, for the process only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$(ls "$root"/experiments/target/lib/openblas-*-linux-x86_64.jar | head -1)"
dir="${TMPDIR:-/tmp}/emergence-torch-openblas"
if [ ! -e "$dir/libblas.so.3" ]; then
  mkdir -p "$dir"
  unzip -o -j -q "$jar" 'org/bytedeco/openblas/linux-x86_64/*.so*' -d "$dir"
  ln -sf libopenblas.so.0 "$dir/libblas.so.3"
  ln -sf libopenblas.so.0 "$dir/liblapack.so.3"
fi
export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec /usr/bin/python3 "$root/experiments/bench/torch_mlp.py" "$@"
