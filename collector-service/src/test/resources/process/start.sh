#!/bin/sh
# Test start/restart command: starts the watched process in the background, detached from this script's
# output (as a real start script must, or its caller waits for the daemon's output), and records its pid.
# $1: working directory of the test, $2: the marker its command line carries (the process_name).
dir="$1"
marker="$2"
echo "start" >> "$dir/starts.log"
/bin/sh "$dir/daemon.sh" "$marker" </dev/null >/dev/null 2>&1 &
echo $! > "$dir/daemon.pid"
echo "started $marker"
