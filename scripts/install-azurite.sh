#!/usr/bin/env bash
# Installs Azurite, Microsoft's Azure Storage emulator (https://github.com/Azure/Azurite), for the Azure Blob tests
# (cloud-service's AzuriteServer starts its Blob service). Pinned, into a cache directory, never globally; running it
# again when that version is there does nothing. The tests look in the same place:
#   $TOCSIN_AZURITE_HOME, else ${XDG_CACHE_HOME:-$HOME/.cache}/tocsin/azurite-<version>
# Needs node and npm (Azurite 3.37 declares Node 22; the Blob service runs on Node 20, which the tests use).
set -euo pipefail

VERSION=3.37.0
DIR="${TOCSIN_AZURITE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/tocsin/azurite-$VERSION}"
PACKAGE="$DIR/node_modules/azurite/package.json"

installed() {
  [ -f "$PACKAGE" ] && [ -f "$DIR/node_modules/azurite/dist/src/blob/main.js" ] \
    && [ "$(node -p "require(process.argv[1]).version" "$PACKAGE" 2>/dev/null)" = "$VERSION" ]
}

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is needed to install Azurite $VERSION (the Azure Blob tests' emulator): install Node.js 20+ and npm." >&2
    exit 1
  fi
done

if installed; then
  echo "Azurite $VERSION: $DIR"
  exit 0
fi

# Installed beside the target and moved into place, so that an interrupted install never looks complete.
mkdir -p "$(dirname "$DIR")"
TMP="$(mktemp -d "$DIR.partial.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
npm install --prefix "$TMP" --no-audit --no-fund --no-update-notifier --loglevel=error "azurite@$VERSION" >&2
rm -rf "$DIR"
mv "$TMP" "$DIR"
trap - EXIT
installed || { echo "Azurite $VERSION did not install into $DIR" >&2; exit 1; }
echo "Azurite $VERSION: $DIR"
