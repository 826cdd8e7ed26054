#!/bin/sh
# Starts the Tocsin service of this image (SERVICE_MAIN_CLASS, set when the image is built) from its two layers:
# /opt/tocsin/app (Tocsin's own jars) and /opt/tocsin/lib (third-party jars).
#
# JAVA_OPTS holds the service's JVM options (heap, GC, -D settings); it is read only here, so the health check,
# a separate short-lived java process, does not get them (JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS would reach it).
# Arguments given to the container are passed to the service.
set -eu

if [ -z "${SERVICE_MAIN_CLASS:-}" ]; then
    echo "entrypoint: SERVICE_MAIN_CLASS is not set (build the image with scripts/build-images.sh)" >&2
    exit 64
fi

# JAVA_OPTS is split on spaces on purpose (several options in one variable).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED \
    -cp '/opt/tocsin/app/*:/opt/tocsin/lib/*' "$SERVICE_MAIN_CLASS" "$@"
