#!/usr/bin/env bash
# Measures the standalone's start time (process start -> /health UP) and resident memory right after start,
# over N runs (default 3) each in a fresh data directory, and prints each run and the medians.
# Usage: scripts/measure-startup.sh [runs]   (after ./mvnw -B -ntp package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=$PWD/standalone/target/tocsin-standalone.jar
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -f "$jar" ] || { echo "build first: ./mvnw -B -ntp package -DskipTests" >&2; exit 1; }
port=18080
starts=(); rss=()
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  t0=$(date +%s%N)
  (cd "$dir" && exec "$java" -Dmicronaut.server.port=$port -Dtocsin.standalone.kafka-port=19092 \
      -Dtocsin.standalone.controller-port=19093 -jar "$jar" >"$dir/log" 2>&1) &
  pid=$!
  until curl -fs "http://localhost:$port/health" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 $pid 2>/dev/null || { echo "run $i: process died"; cat "$dir/log"; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  echo "run $i: health UP after ${ms} ms, RSS $((kb / 1024)) MiB"
  starts+=("$ms"); rss+=("$((kb / 1024))")
  kill -TERM $pid; wait $pid || true
  rm -rf "$dir"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median of $runs: start $(median "${starts[@]}") ms, RSS $(median "${rss[@]}") MiB ($(nproc) cores, $("$java" -version 2>&1 | head -1))"
