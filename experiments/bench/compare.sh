#!/usr/bin/env bash
# One sitting of the MNIST MLP speed comparison, alternated round by round:
#   torch   experiments/bench/torch_mlp.sh (PyTorch CPU, one thread, OpenBLAS)
#   bare    experiments/bench/BareMlp.java (MultiLayerNetwork, batches pre-built in a List<DataSet>, net.fit(ds)),
#           with DL4J's default JavaCPP settings and with -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 (as bin/emergence)
#   engine  bin/emergence bench-speed --momentum 0.9 (TrainingRun; xavier and emergence-xavier alternated)
# plus, if OLD_ROOT is set, the engine of another checkout (e.g. an older commit built with mvn package).
# Usage: experiments/bench/compare.sh [rounds] [data-dir]     (build first: mvn -B -o -q -DskipTests package)
# Prints the load before each run and each tool's parseable result line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
data="${2:-/work/shared/datasets}"
export OMP_NUM_THREADS=1
cd "$root"
engine() {  # $1 = project root
  "$1/bin/emergence" bench-speed --data-dir "$data" --momentum 0.9 --epochs 4 --out "${TMPDIR:-/tmp}/bench-compare" \
    2>&1 | grep "seconds per epoch"
}
for r in $(seq "$rounds"); do
  echo "round $r torch  load $(cut -d' ' -f1 /proc/loadavg): $("$root/experiments/bench/torch_mlp.sh" --data-dir "$data" --epochs 5 | grep _seconds | tr '\n' ' ')"
  echo "round $r bare   load $(cut -d' ' -f1 /proc/loadavg): $(java -cp "experiments/target/classes:experiments/target/lib/*" \
      experiments/bench/BareMlp.java "$data" 3 2>&1 | grep _seconds | tr '\n' ' ')"
  echo "round $r bare+maxPhysicalBytes=0 load $(cut -d' ' -f1 /proc/loadavg): $(java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
      -cp "experiments/target/classes:experiments/target/lib/*" experiments/bench/BareMlp.java "$data" 3 2>&1 \
      | grep _seconds | tr '\n' ' ')"
  echo "round $r engine load $(cut -d' ' -f1 /proc/loadavg): $(engine "$root")"
  if [ -n "${OLD_ROOT:-}" ]; then
    echo "round $r engine-old load $(cut -d' ' -f1 /proc/loadavg): $(engine "$OLD_ROOT")"
  fi
done
