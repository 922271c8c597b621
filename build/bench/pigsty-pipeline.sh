#!/usr/bin/env bash
# The reference `pigsty-appliance bench` measures our bundle against: an offline repo built the way Pigsty's repo role
# builds one, in four timed phases.
#   resolve   apt-cache depends --recurse over the packages (no recommends or suggests; virtual names dropped)
#   download  apt-get download of that whole list from this host's apt sources
#   index     dpkg-scanpackages into Packages.gz (gzip -9), and an md5sum list of the .debs as repo_complete
#   tar_gz9   tar of the repo directory through gzip -9
# Usage: pigsty-pipeline.sh OUT PACKAGE...
#   OUT/pigsty becomes the repo (OUT is emptied first); the tarball is written beside OUT as OUT.tgz.
# The last line is what `bench` reads (BenchFigures.Pipeline), seconds with one decimal:
#   closure=N debs=N MiB=N resolve=S download=S index=S tar_gz9=S total=S tgz_MiB=N
set -euo pipefail
export LC_ALL=C

if (( $# < 2 )); then
    echo "usage: $0 OUT PACKAGE..." >&2
    exit 2
fi

out=${1%/}
shift
repo=$out/pigsty
tarball=$out.tgz

# Microseconds since the epoch, from bash itself (no bc or awk needed).
micros() { local t=$EPOCHREALTIME; echo "${t/./}"; }
seconds() { local tenths=$(( ($2 - $1) / 100000 )); printf '%d.%d' $(( tenths / 10 )) $(( tenths % 10 )); }

rm -rf "$out" "$tarball"
mkdir -p "$repo"

start=$(micros)
# apt-cache prints each package of the closure unindented and its dependencies indented; <name> marks a virtual package.
mapfile -t closure < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$@" \
    | grep -v -e '^ ' -e '^<' | sort -u)
resolved=$(micros)

# As in Pigsty, a package that fails to download does not stop the build; the count of .debs shows what arrived.
(cd "$repo" && apt-get download "${closure[@]}" > /dev/null 2>&1) || true
downloaded=$(micros)

(cd "$repo" && dpkg-scanpackages . /dev/null 2> /dev/null | gzip -9 > Packages.gz && md5sum ./*.deb > repo_complete)
indexed=$(micros)

tar -C "$out" -cf - pigsty | gzip -9 > "$tarball"
packed=$(micros)

debs=$(find "$repo" -maxdepth 1 -name '*.deb' | wc -l)
printf 'closure=%d debs=%d MiB=%d resolve=%s download=%s index=%s tar_gz9=%s total=%s tgz_MiB=%d\n' \
    "${#closure[@]}" "$debs" "$(du -sm "$repo" | cut -f1)" \
    "$(seconds "$start" "$resolved")" "$(seconds "$resolved" "$downloaded")" "$(seconds "$downloaded" "$indexed")" \
    "$(seconds "$indexed" "$packed")" "$(seconds "$start" "$packed")" "$(du -sm "$tarball" | cut -f1)"
