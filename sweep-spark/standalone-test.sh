#!/usr/bin/env bash
# The standalone-cluster test of `sweep --spark` (not part of `mvn verify`; .ci/run runs it after: about 2 minutes): a Spark master and one
# worker on loopback, started from the sweep-spark module's own jars (no Spark distribution: SPARK_HOME is a
# temporary folder whose jars/ is sweep-spark/target/lib, which the worker puts on its executors' class path); a
# sweep of 2 runs x 6 epochs on them; the worker killed (SIGKILL) once both runs have written an epoch, and a new
# worker started; the sweep must end with exit 0 and the results.csv rows of `--jobs 1` (apart from the seconds).
# Needs the module built: mvn -q package -pl sweep-spark -am -DskipTests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -d "$root/sweep-spark/target/lib" ] || { echo "standalone-test: build sweep-spark first" >&2; exit 2; }
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
export SPARK_HOME="$tmp/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1
mkdir -p "$SPARK_HOME" "$tmp/work" "$tmp/logs"
ln -s "$root/sweep-spark/target/lib" "$SPARK_HOME/jars"
opens="-XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
port=$((7100 + RANDOM % 500))
master="spark://127.0.0.1:$port"
worker() {
  java -Xmx512m $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 \
    --memory 4g --work-dir "$tmp/work" --webui-port 0 "$master" > "$tmp/logs/worker$1.log" 2>&1 &
  pids+=($!)
  worker_pid=$!
}
java -Xmx512m $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port 0 > "$tmp/logs/master.log" 2>&1 &
pids+=($!)
sleep 8
worker 1
sleep 8
grid="$tmp/kill.json"
cat > "$grid" <<'JSON'
{"name": "kill", "seeds": 1, "epochs": 6, "probeSamples": 200,
 "blocks": [{"datasets": ["mnist-embedded"], "archs": ["mlp:784-256-256-256-256-10"],
             "inits": ["xavier", "emergence-kaiming"], "alphas": [1.2]}]}
JSON
out="$tmp/spark"
# The executors get the two modules' classes first (bin/emergence runs target/classes; spark-submit would ship the
# application jar instead).
EMERGENCE_JAVA_OPTS="-Dspark.driver.host=127.0.0.1 -Dspark.executor.memory=2g -Dspark.executor.extraClassPath=$root/experiments/target/classes:$root/sweep-spark/target/classes" \
  "$root/bin/emergence" sweep --grid "$grid" --spark "$master" --out "$out" > "$tmp/logs/driver.log" 2>&1 &
driver=$!
pids+=($driver)
for i in $(seq 1 600); do
  n=0
  for f in "$out"/runs/*/epochs.csv; do [ -f "$f" ] && n=$((n + $(wc -l < "$f") - 1)); done
  [ "$n" -ge 4 ] && break # both runs past epoch 1 (epoch 0 is the untrained network)
  sleep 0.5
done
echo "standalone-test: killing the worker (pid $worker_pid) with $n epoch rows written"
kill -9 "$worker_pid"
sleep 5
worker 2
status=0
wait "$driver" || status=$?
grep -v '^\s*at \|^INFO' "$tmp/logs/driver.log" | grep 'Lost executor\|^\[\|^sweep' || true
grep -h '"resumedAfterEpoch"' "$out"/runs/*/manifest.json || echo "standalone-test: no run resumed (killed too late?)"
[ "$status" = 0 ] || { echo "standalone-test: FAILED: the sweep exited with $status (logs: $tmp/logs)"; exit 1; }
"$root/bin/emergence" sweep --grid "$grid" --jobs 1 --out "$tmp/one" > "$tmp/logs/one.log" 2>&1
if diff <(cut -d, -f1-19 "$tmp/one/results.csv") <(cut -d, -f1-19 "$out/results.csv"); then
  echo "standalone-test: OK: the sweep ended after its worker was killed, with the rows of --jobs 1"
  rm -rf "$tmp"
else
  echo "standalone-test: FAILED: rows differ from --jobs 1 (logs: $tmp/logs)"
  exit 1
fi
