#!/bin/bash
# Fetches the programs that judge a target's rendered files (etcd, haproxy, Patroni with its Python, PostgreSQL) from that
# Debian release's own packages into DEST/root, without installing anything on the build host:
#   build/target-tools.sh d13 /var/tmp/pigsty-appliance/tools/d13
# The .debs come from the mirror the host's apt sources use for bookworm (the same archive serves trixie), through apt with a
# private state directory; dpkg-deb -x unpacks them. Tests run the dynamically linked programs through the release's own
# loader (DEST/root/usr/lib64/ld-linux-x86-64.so.2 --library-path ...), see tests/Pigsty.Appliance.Testing/TargetTools.cs.
# A stamp (the package list and what apt chose) makes a second run a no-op; PIGSTY_DEBIAN_MIRROR and
# PIGSTY_DEBIAN_SECURITY_MIRROR override the mirrors read from the host.
set -euo pipefail
# Readable by every user: the tests run PostgreSQL 17 as postgres.
umask 022

target=${1:?usage: target-tools.sh d13 DEST}
dest=${2:?usage: target-tools.sh d13 DEST}

case "$target" in
  d13) suite=trixie ;;
  *) echo "target-tools.sh: no tools for target '$target' (known: d13)" >&2; exit 2 ;;
esac

# The programs, then every library they load (found with readelf -d: NEEDED, until none is missing). Names are trixie's.
packages=(
  etcd-server haproxy patroni postgresql-17 postgresql-client-17
  libc6 libgcc-s1 libstdc++6 zlib1g libzstd1 liblz4-1 liblzma5 libxxhash0 libssl3t64 libcrypt1 libsystemd0 libcap2
  libpam0g libaudit1 libcap-ng0 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1
  libldap2 libsasl2-2 libgnutls30t64 libgmp10 libhogweed6t64 libnettle8t64 libidn2-0 libp11-kit0 libtasn1-6 libunistring5
  libffi8 libicu76 libxml2 libpq5 libjemalloc2 liblua5.4-0 libpcre2-8-0 libopentracing-c-wrapper0t64 libopentracing1
  python3.13-minimal libpython3.13-minimal libpython3.13-stdlib libyaml-0-2
  python3-yaml python3-psycopg2 python3-click python3-prettytable python3-dateutil python3-urllib3 python3-psutil
  python3-ydiff python3-etcd python3-dnspython python3-six python3-wcwidth
)

# The first URI of the host's apt source for SUITE (deb822 .sources files, then one-line sources.list).
host_mirror() {
  local wanted=$1 file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -e "$file" ] || continue
    awk -v s="$wanted" '
      /^[ \t]*$/ { if (uri != "" && hit) { print uri; exit } uri = ""; hit = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
      END { if (uri != "" && hit) print uri }' "$file" | head -n 1
  done | head -n 1
  if [ -e /etc/apt/sources.list ]; then
    awk -v s="$wanted" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i + 1) == s) print $i; break } }' /etc/apt/sources.list | head -n 1
  fi
}

mirror=${PIGSTY_DEBIAN_MIRROR:-$(host_mirror bookworm | head -n 1)}
security=${PIGSTY_DEBIAN_SECURITY_MIRROR:-$(host_mirror bookworm-security | head -n 1)}
if [ -z "$mirror" ]; then
  echo "target-tools.sh: the host's apt sources name no mirror for bookworm; set PIGSTY_DEBIAN_MIRROR" >&2
  exit 1
fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
stamp="$dest/stamp"
wanted="$target ${packages[*]}"
if [ -e "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$wanted" ] && [ -x "$dest/root/usr/bin/etcd" ]; then
  echo "target-tools.sh: $target tools are in $dest/root"
  exit 0
fi

apt="$dest/apt"
rm -rf "$apt" "$dest/root" "$stamp"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$dest/root"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  echo "deb [signed-by=$keyring] $mirror $suite main"
  echo "deb [signed-by=$keyring] $mirror $suite-updates main"
  if [ -n "$security" ]; then echo "deb [signed-by=$keyring] $security $suite-security main"; fi
} > "$apt/sources.list"
: > "$apt/status"
options=(
  -o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$apt/lists"
  -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1
  -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Sandbox::User=root
  -o Acquire::Languages=none -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
)

apt-get "${options[@]}" -q update
(cd "$apt/debs" && apt-get "${options[@]}" -q download "${packages[@]}")
for deb in "$apt/debs"/*.deb; do
  dpkg-deb -x "$deb" "$dest/root"
done

{
  echo "$wanted"
  (cd "$apt/debs" && ls -1 ./*.deb)
} > "$stamp"
rm -rf "$apt/lists" "$apt/cache"
echo "target-tools.sh: $target tools unpacked into $dest/root ($(du -sh "$dest/root" | cut -f1))"
