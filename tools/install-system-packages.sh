#!/usr/bin/env bash
# Installs the Debian packages the test suite and the demo's dashboard test need:
#   chromium           headless browser that renders the demo dashboard (system package)
#   kubernetes-client  its kubectl renders deploy/k8s overlays with `kubectl kustomize`;
#                      unpacked under $1 (default .venv/debian) so it never replaces
#                      another kubectl the machine may have on its PATH.
#   prometheus         only its promtool, which checks deploy/monitoring's rules;
#                      unpacked under $1 too (the Prometheus server is not installed).
# Safe to re-run: each step is skipped when its result is already there.
set -euo pipefail

prefix="${1:-.venv/debian}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else
        echo "install-system-packages: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

apt_install() {
    if ! as_root apt-get install -y --no-install-recommends "$@"; then
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends "$@"
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    DEBIAN_FRONTEND=noninteractive apt_install chromium
fi

if [ ! -x "$prefix/usr/bin/kubectl" ]; then
    workdir="$(mktemp -d)"
    trap 'rm -rf "$workdir"' EXIT
    chmod 777 "$workdir"
    if ! (cd "$workdir" && apt-get download kubernetes-client); then
        as_root apt-get update
        (cd "$workdir" && apt-get download kubernetes-client)
    fi
    mkdir -p "$prefix"
    dpkg-deb -x "$workdir"/kubernetes-client_*.deb "$prefix"
fi

if [ ! -x "$prefix/usr/bin/promtool" ]; then
    workdir="$(mktemp -d)"
    chmod 777 "$workdir"
    if ! (cd "$workdir" && apt-get download prometheus); then
        as_root apt-get update
        (cd "$workdir" && apt-get download prometheus)
    fi
    mkdir -p "$prefix"
    dpkg-deb --fsys-tarfile "$workdir"/prometheus_*.deb | tar -x -C "$prefix" ./usr/bin/promtool
    rm -rf "$workdir"
fi

/usr/bin/chromium --version
"$prefix/usr/bin/kubectl" version --client --short 2>/dev/null || "$prefix/usr/bin/kubectl" version --client
"$prefix/usr/bin/promtool" --version | head -n 1
