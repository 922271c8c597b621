#!/usr/bin/env bash
# Can stock apt install these packages from this flat repository alone? `pigsty-appliance bench` asks it of both repos.
# Usage: apt-sim.sh REPO PACKAGE...
# apt runs in a root of its own (empty dpkg status, REPO as its only source, its own lists and cache), so nothing of this
# host's packages or sources plays a part, and simulates the install (-s): nothing is installed and no root is needed.
# Prints "apt-sim ok: N packages would be installed" (what bench reads, BenchFigures.AptSim), or apt's complaint and exits 1.
set -euo pipefail
export LC_ALL=C

if (( $# < 2 )); then
    echo "usage: $0 REPO PACKAGE..." >&2
    exit 2
fi

repo=$(readlink -f "$1")
shift
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/etc/apt/apt.conf.d" "$root/etc/apt/preferences.d" "$root/etc/apt/sources.list.d" "$root/etc/apt/trusted.gpg.d" \
    "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial" "$root/var/lib/dpkg" "$root/var/log/apt"
touch "$root/var/lib/dpkg/status"
# The repo is trusted as a local directory: this checks completeness, not signatures (verify does those).
printf 'deb [trusted=yes] file:%s ./\n' "$repo" > "$root/etc/apt/sources.list"

arch=$(dpkg --print-architecture)
apt=(apt-get -o "Dir=$root" -o "Dir::State::status=$root/var/lib/dpkg/status" -o "Dir::Etc::trusted=$root/etc/apt/trusted.gpg"
    -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o "APT::Install-Recommends=false" -o "Debug::NoLocking=true" -o "APT::Sandbox::User=$(id -un)")

"${apt[@]}" -qq update
if ! "${apt[@]}" -s install "$@" > "$root/simulation.log" 2>&1; then
    tail -n 20 "$root/simulation.log" >&2
    exit 1
fi

echo "apt-sim ok: $(grep -c '^Inst ' "$root/simulation.log") packages would be installed"
