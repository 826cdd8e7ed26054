#!/usr/bin/env bash
# Measures the standalone's start time (process start -> /health UP) and resident memory right after start,
# over N runs (default 3). Each run starts in a fresh data directory (first start: formats the broker,
# creates topics and tokens), stops, then starts again on the same directory (restart), and prints both;
# then the medians and the restart/first-start ratio.
# Usage: scripts/measure-startup.sh [runs]   (after ./mvnw -B -ntp package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=$PWD/standalone/target/tocsin-standalone.jar
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -f "$jar" ] || { echo "build first: ./mvnw -B -ntp package -DskipTests" >&2; exit 1; }
port=18080
starts=(); rss=(); restarts=(); restart_rss=()
start_once() { # dir label -> sets ms kb
  local dir=$1 label=$2
  t0=$(date +%s%N)
  (cd "$dir" && exec "$java" -Dmicronaut.server.port=$port -Dtocsin.standalone.kafka-port=19092 \
      -Dtocsin.standalone.controller-port=19093 -jar "$jar" >"$dir/log" 2>&1) &
  pid=$!
  until curl -fs "http://localhost:$port/health" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 $pid 2>/dev/null || { echo "run $label: process died"; cat "$dir/log"; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  echo "run $label: health UP after ${ms} ms, RSS $((kb / 1024)) MiB"
  kill -TERM $pid; wait $pid || true
}
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start_once "$dir" "$i first start"; starts+=("$ms"); rss+=("$((kb / 1024))")
  start_once "$dir" "$i restart"; restarts+=("$ms"); restart_rss+=("$((kb / 1024))")
  rm -rf "$dir"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
first=$(median "${starts[@]}"); again=$(median "${restarts[@]}")
echo "median of $runs first starts: $first ms, RSS $(median "${rss[@]}") MiB"
echo "median of $runs restarts:     $again ms, RSS $(median "${restart_rss[@]}") MiB"
echo "restart / first start: $(awk -v a="$again" -v b="$first" 'BEGIN {printf "%.2f", a / b}') ($(nproc) cores, $("$java" -version 2>&1 | head -1))"
