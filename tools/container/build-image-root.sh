#!/usr/bin/env bash
# The container image's build stage (deploy/Dockerfile runs exactly this), also run by CI
# outside Docker (ctest deploy_image_root_runs): installs the build dependencies, builds (a
# no-op when build/ is current) and installs the programs, the sample configuration and the
# docs under DEST/usr/local, stripped. Usage: build-image-root.sh DEST
set -euo pipefail
dest=$(realpath -m "${1:?usage: build-image-root.sh DEST}")
cd "$(dirname "$0")/../.."
tools/install_deps.sh
tools/build.sh
DESTDIR="$dest" cmake --install build --prefix /usr/local --strip
