#!/bin/sh
# A watched process that keeps one core busy; its command line carries the test's marker ($1).
while :; do :; done
