#!/bin/sh
# A restart command that always fails: records the attempt in $1/attempts.log and exits 3.
echo "attempt" >> "$1/attempts.log"
echo "cannot restart: test failure" >&2
exit 3
