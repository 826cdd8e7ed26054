#!/bin/sh
# Writes each of its arguments after the first to the file named by the first, one per line, in brackets.
out="$1"
shift
for arg in "$@"; do printf '[%s]\n' "$arg"; done > "$out"
