#!/bin/sh
# Starts busy.sh in the background. $1: working directory, $2: marker.
/bin/sh "$1/busy.sh" "$2" </dev/null >/dev/null 2>&1 &
