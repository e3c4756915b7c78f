#!/usr/bin/env bash
# Runs the benchmarks of experiments/BENCHMARKS.md and writes their results to a folder:
#   experiments/bench.sh [OUT_DIR] [--data-dir DIR] [-- extra JMH options]
# OUT_DIR defaults to runs/bench-<date>-<time> (ignored by git). MNIST is read from --data-dir, else
# $EMERGENCE_DATA, else ../shared/datasets next to the project. Builds the project first if needed.
# Takes about 1 minute (JMH) plus 1-2 minutes (14 MNIST epochs) on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out=""
data_dir="${EMERGENCE_DATA:-}"
jmh_extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir="$2"; shift 2 ;;
    --) shift; jmh_extra=("$@"); break ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) if [ -z "$out" ]; then out="$1"; shift; else echo "bench.sh: unexpected argument $1" >&2; exit 2; fi ;;
  esac
done
if [ -z "$data_dir" ] && [ -d "$root/../shared/datasets" ]; then
  data_dir="$(cd "$root/../shared/datasets" && pwd)"
fi
out="${out:-$root/runs/bench-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

classes="$root/experiments/target/classes"
lib="$root/experiments/target/lib"
if [ ! -f "$classes/META-INF/BenchmarkList" ] || [ ! -d "$lib" ]; then
  echo "bench.sh: building the project first (mvn -q -DskipTests install)..." >&2
  (cd "$root" && mvn -B -q -DskipTests install) >&2
fi
# Small models run fastest on one OpenMP thread on 2 cores; JMH's forked JVM inherits the environment.
export OMP_NUM_THREADS=1
cp="$classes:$lib/*"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"  # GNU nproc obeys OMP_NUM_THREADS
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "OMP_NUM_THREADS: $OMP_NUM_THREADS"
} | tee "$out/machine.txt"

echo "== JMH: EmergenceMeasureBenchmark ==" >&2
java -cp "$cp" org.openjdk.jmh.Main EmergenceMeasureBenchmark -rf json -rff "$out/jmh-emergence-measure.json" \
  ${jmh_extra[@]+"${jmh_extra[@]}"} | tee "$out/jmh-emergence-measure.txt"

echo "== EmergenceListener overhead on the MNIST MLP ==" >&2
listener_args=(--out "$out")
if [ -n "$data_dir" ]; then listener_args+=(--data-dir "$data_dir"); fi
java -cp "$cp" org.emergenceinit.bench.ListenerOverheadBenchmark "${listener_args[@]}"
echo "results in $out" >&2
