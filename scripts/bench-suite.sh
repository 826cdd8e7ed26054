#!/usr/bin/env bash
# Runs the benchmark scenarios of docs/PERFORMANCE.md against a standalone jar, each on a fresh data directory.
#   scripts/bench-suite.sh [standalone-jar] [label]
#   SUITE=ingest|rules|throughput|all (default all): only the HTTP ingest -> webhook scenarios, only the rules service's
#   classification beside a plain Kafka copy (tocsin-bench --scenario rules), or only the collector's HTTP ingest
#   throughput beside the broker's producer (tocsin-bench --scenario throughput; docs/BENCH.md).
#   For throughput, BASELINE_COLLECTOR_JAR=path/to/an/older/tocsin-collector-service.jar measures that build in the
#   same run, alternating with collector-service/target/tocsin-collector-service.jar; then the same scenario through the
#   whole standalone (rules and dispatcher running on the same 2 cores), with BASELINE_STANDALONE_JAR measured likewise.
#   THROUGHPUT=collector|standalone|both (default both) runs one part only.
# Needs: ./mvnw -B -ntp package -DskipTests (builds standalone/target/tocsin-standalone.jar and bench/target/tocsin-bench.jar).
# Ports: HTTP 8080, Kafka 9092/9093, receivers 18181: stop anything using them first.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-standalone/target/tocsin-standalone.jar}
LABEL=${2:-current}
SUITE=${SUITE:-all}
case $SUITE in ingest|rules|throughput|all) ;; *) echo "SUITE must be ingest, rules, throughput or all, not '$SUITE'" >&2; exit 2 ;; esac
BENCH=bench/target/tocsin-bench.jar
WORK=$(mktemp -d)
PORT=18181
trap 'stop' EXIT

stop() {
  stop_collector
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID"; wait "$PID" 2>/dev/null || true
  fi
  PID=
}

stop_collector() {
  if [ -n "${CPID:-}" ] && kill -0 "$CPID" 2>/dev/null; then
    kill "$CPID"; wait "$CPID" 2>/dev/null || true
  fi
  CPID=
}

run_throughput() { # run_throughput LABEL COLLECTOR-JAR [-D flags...]: that collector alone on :8081, writing to topics nobody reads
  local label=$1 jar=$2
  shift 2
  stop_collector
  java "$@" -Dmicronaut.server.port=8081 -Dtocsin.kafka.bootstrap-servers=localhost:9092 \
       -Dtocsin.kafka.topic-prefix="bench-ingest-$label." -Dtocsin.security.ingest-token=bench-ingest-token \
       -jar "$jar" > "$WORK/collector-$label.log" 2>&1 &
  CPID=$!
  for _ in $(seq 60); do curl -s localhost:8081/health | grep -q '"UP"' && break; sleep 1; done
  echo "=== [$label] collector ingest throughput ($jar): tocsin-bench --scenario throughput"
  java -jar "$BENCH" --scenario throughput --url http://localhost:8081 --ingest-token bench-ingest-token \
    --bootstrap localhost:9092 --records 20000 --clients 8 --batch 100 --repetitions 3 --warmup 5000 2>&1 \
    | sed -n '/^tocsin-bench/,$p' || true
  stop_collector
}

start() { # start [extra -D flags...]: fresh data dir, one webhook integration "bench" -> /healthy
  launch -Dtocsin.dispatcher.integrations.bench.service=webhook \
         -Dtocsin.dispatcher.integrations.bench.url=http://127.0.0.1:$PORT/healthy "$@"
}

launch() { # launch [-D flags...]: fresh data dir, no integration unless the flags declare one
  stop
  rm -rf "$WORK/data"
  java "$@" -jar "$JAR" --data-dir="$WORK/data" > "$WORK/standalone.log" 2>&1 &
  PID=$!
  for _ in $(seq 90); do curl -s localhost:8080/health | grep -q '"UP"' && break; sleep 1; done
  if ! curl -s localhost:8080/health | grep -q '"UP"'; then
    echo "Tocsin did not start:" >&2; tail -5 "$WORK/standalone.log" >&2; exit 1
  fi
  TOKEN=$(sed -n 's/^ *ingest: *//p' "$WORK/standalone.log" | head -1)
}

run() { # run NAME bench-options...
  local name=$1; shift
  echo "=== [$LABEL] $name: tocsin-bench $*"
  java -jar "$BENCH" --ingest-token "$TOKEN" --receiver-port $PORT "$@" 2>&1 \
    | grep -E '^(ingest|healthy|failing|  *(POST|expected|delivered)|OK|FAILED)' || true
}

run_rules() { # run_rules NAME bench-options...: --scenario rules against the standalone's embedded Kafka
  local name=$1; shift
  echo "=== [$LABEL] $name: tocsin-bench --scenario rules $*"
  java -jar "$BENCH" --scenario rules --bootstrap localhost:9092 "$@" 2>&1 \
    | sed -n -e '/^tocsin-bench:/p' -e '/^  each phase/p' -e '/^  owed/p' -e '/^rep  first/,$p' || true
}

if [ "$SUITE" = throughput ] || [ "$SUITE" = all ]; then
  # The standalone only lends its broker: each collector writes to its own topic prefix, which no rules service
  # reads, so the figures are the collector's and the broker's alone.
  THROUGHPUT=${THROUGHPUT:-both}   # collector | standalone | both
  [ "$THROUGHPUT" != standalone ] && launch
  for round in 1 2; do
    [ "$THROUGHPUT" = standalone ] && break
    if [ -n "${BASELINE_COLLECTOR_JAR:-}" ]; then run_throughput "baseline-r$round" "$BASELINE_COLLECTOR_JAR"; fi
    run_throughput "$LABEL-r$round" collector-service/target/tocsin-collector-service.jar
  done
  # The same through the whole standalone: every accepted alarm is also classified (and matched) on the same cores.
  for round in 1 2; do
    [ "$THROUGHPUT" = collector ] && break
    for pair in ${BASELINE_STANDALONE_JAR:+"baseline=$BASELINE_STANDALONE_JAR"} "$LABEL=$JAR"; do
      stop
      rm -rf "$WORK/data"
      java -jar "${pair#*=}" --data-dir="$WORK/data" > "$WORK/standalone.log" 2>&1 &
      PID=$!
      for _ in $(seq 90); do curl -s localhost:8080/health | grep -q '"UP"' && break; sleep 1; done
      TOKEN=$(sed -n 's/^ *ingest: *//p' "$WORK/standalone.log" | head -1)
      echo "=== [${pair%%=*}-r$round] standalone ingest throughput (${pair#*=}): tocsin-bench --scenario throughput"
      java -jar "$BENCH" --scenario throughput --url http://localhost:8080 --ingest-token "$TOKEN" \
        --bootstrap localhost:9092 --records 20000 --clients 8 --batch 100 --repetitions 3 --warmup 5000 2>&1 \
        | sed -n '/^tocsin-bench/,$p' || true
    done
  done
  stop
  [ "$SUITE" = throughput ] && exit 0
fi

if [ "$SUITE" = rules ] || [ "$SUITE" = all ]; then
  # No integration: the dispatcher has nothing to deliver, so the figures are the rules service's (and the broker's).
  launch
  # Phases of 300,000 samples after a warm-up of one phase: shorter ones (100,000) still showed both sides speeding
  # up from one repetition to the next.
  run_rules "rules vs copy, full speed: 300,000 samples from 100 hosts + 6,000 raw alarms, 5 repetitions" \
    --samples 300000 --hosts 100 --raw-alarms 6000 --crossing-percent 1 --repetitions 5 --warmup 300000
  run_rules "rules vs copy, 2,000 records/s: processing latency at a light steady load" \
    --samples 40000 --hosts 100 --raw-alarms 400 --crossing-percent 1 --repetitions 3 --rate 2000 --warmup 5000
  run_rules "rules vs copy, 20,000 records/s: processing latency at a heavier steady load" \
    --samples 200000 --hosts 100 --raw-alarms 2000 --crossing-percent 1 --repetitions 3 --rate 20000 --warmup 50000
fi
[ "$SUITE" = rules ] && exit 0

start
run "10,000 alarms, full speed, batch 1"   --alarms 10000 --batch 1 --senders 64 --warmup 1000
run "10,000 alarms, full speed, batch 100" --alarms 10000 --batch 100 --warmup 1000
run "1,000 alarms/s for 10,000 alarms"     --alarms 10000 --rate 1000 --senders 64 --warmup 500
run "100 alarms/s for 3,000 alarms"        --alarms 3000 --rate 100 --senders 64 --warmup 200
run "receiver answering in 50 ms, 1,000 alarms" --alarms 1000 --batch 100 --receiver-delay 50ms --warmup 100

start -Dtocsin.dispatcher.integrations.failing.service=webhook \
      -Dtocsin.dispatcher.integrations.failing.url=http://127.0.0.1:$PORT/failing
run "healthy beside one answering 503 for 60 s, 100 alarms/s" --alarms 9000 --rate 100 --senders 64 --failing-for 60s --failing-status 503 --warmup 200 --timeout 90s
