#!/usr/bin/env bash
# Builds the container images of the four Tocsin services from docker/Dockerfile: tocsin/<service>:<version>.
#
#   scripts/build-images.sh [options] [service...]      services: collector rules dispatcher cloud (default: all)
#
#   --skip-package   use what the last package left in */target (no Maven run)
#   --stage-only     prepare the build contexts (<module>/target/image) but run no docker build; for machines
#                    without a container engine, or to look at what goes into an image
#   --prefix P       image name prefix (default: tocsin), e.g. registry.example.org/tocsin
#   --tag T          image tag (default: the Maven project version)
#   --push           push each image after building it
#
# Environment: JAVA_HOME must point at a JDK 25 (Maven builds with it); DOCKER names the engine's CLI
# (default: docker; podman works too). Exit status: 0 when every requested image was built (and pushed),
# non-zero at the first failure, with the failing step's own message; an unknown option or service is 64.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DOCKER="${DOCKER:-docker}"
PREFIX="tocsin"
TAG=""
PACKAGE=true
BUILD=true
PUSH=false
SERVICES=()

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-64}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --skip-package) PACKAGE=false ;;
        --stage-only) BUILD=false ;;
        --prefix) PREFIX="${2:?--prefix needs a value}"; shift ;;
        --tag) TAG="${2:?--tag needs a value}"; shift ;;
        --push) PUSH=true ;;
        -h|--help) usage 0 ;;
        collector|rules|dispatcher|cloud) SERVICES+=("$1") ;;
        *) echo "build-images: unknown option or service '$1'" >&2; usage ;;
    esac
    shift
done
[ ${#SERVICES[@]} -gt 0 ] || SERVICES=(collector rules dispatcher cloud)

# The service's HTTP port (also in its application-<service>.yml and docs/CONFIGURATION.md).
port_of() {
    case "$1" in
        collector) echo 8081 ;; rules) echo 8082 ;; dispatcher) echo 8083 ;; cloud) echo 8084 ;;
    esac
}

# The Maven project version, read from the top-level pom (the first <version> after tocsin-parent's artifactId).
project_version() {
    sed -n '/<artifactId>tocsin-parent<\/artifactId>/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1
}

VERSION="$(project_version)"
[ -n "$VERSION" ] || { echo "build-images: no project version found in pom.xml" >&2; exit 1; }
TAG="${TAG:-$VERSION}"

if $PACKAGE; then
    modules=$(printf '%s-service,' "${SERVICES[@]}")
    # The shaded jars are built too (package), but the images use the plain jars and their dependencies: two
    # layers, of which only Tocsin's own (under a megabyte) changes from one build to the next.
    ./mvnw -B -ntp package dependency:copy-dependencies -DskipTests -DincludeScope=runtime \
        -pl "${modules%,}" -am
fi

for service in "${SERVICES[@]}"; do
    module="${service}-service"
    main_class=$(sed -n 's:.*<exec.mainClass>\(.*\)</exec.mainClass>.*:\1:p' "$module/pom.xml")
    jar="$module/target/tocsin-$module-$VERSION.jar"
    [ -n "$main_class" ] || { echo "build-images: no exec.mainClass in $module/pom.xml" >&2; exit 1; }
    [ -f "$jar" ] || { echo "build-images: $jar is missing: run without --skip-package" >&2; exit 1; }
    [ -d "$module/target/dependency" ] || { echo "build-images: $module/target/dependency is missing: run without --skip-package" >&2; exit 1; }

    context="$module/target/image"
    rm -rf "$context"
    mkdir -p "$context/lib" "$context/app"
    for dependency in "$module"/target/dependency/*.jar; do
        case "$(basename "$dependency")" in
            tocsin-*) cp "$dependency" "$context/app/" ;;   # common, schemas: change with every build
            *) cp "$dependency" "$context/lib/" ;;
        esac
    done
    cp "$jar" "$context/app/"
    cp docker/HealthCheck.java "$context/"
    install -m 0755 docker/entrypoint.sh "$context/entrypoint.sh"
    echo "build-images: $context ready ($(ls "$context/lib" | wc -l) library jars, $(ls "$context/app" | wc -l) Tocsin jars)"

    if $BUILD; then
        image="$PREFIX/$service:$TAG"
        "$DOCKER" build -f docker/Dockerfile \
            --build-arg SERVICE="$service" --build-arg MAIN_CLASS="$main_class" \
            --build-arg PORT="$(port_of "$service")" --build-arg VERSION="$VERSION" \
            -t "$image" "$context"
        echo "build-images: built $image"
        if $PUSH; then
            "$DOCKER" push "$image"
        fi
    fi
done
