#!/bin/sh
# The watched process: runs until killed; its command line carries the test's marker ($1).
while :; do sleep 1; done
