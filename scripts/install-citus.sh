#!/usr/bin/env bash
# Builds and installs Citus 13.2.2 (the PostgreSQL extension that shards tables across nodes) for
# the local PostgreSQL 15, from a source tarball: no package registry this project reaches has a
# Citus build. Users install Citus from their distribution or Citus' own packages instead.
#
# Idempotent: exits at once when citus.control and citus.so are already installed for the target
# server (FORCE=1 rebuilds). Fails loudly (non-zero, a message naming the step) otherwise.
#
# Environment overrides:
#   CITUS_SOURCE  the source tarball (default ../shared/citus/citus-13.2.2.tar.gz from the repo)
#   PG_MAJOR      PostgreSQL major version (default 15; Citus 13.2 is the newest line for 15)
#   PG_CONFIG     pg_config to build against (default /usr/lib/postgresql/$PG_MAJOR/bin/pg_config)
#   FORCE=1       rebuild and reinstall even if already installed
set -euo pipefail
cd "$(dirname "$0")/.."

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config}"
# ../shared relative to the repository; from a git worktree, relative to the main checkout.
if [ -z "${CITUS_SOURCE:-}" ]; then
  CITUS_SOURCE="$(pwd)/../shared/citus/citus-13.2.2.tar.gz"
  common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  if [ ! -f "$CITUS_SOURCE" ] && [ -n "$common" ]; then
    CITUS_SOURCE="$(dirname "$common")/../shared/citus/citus-13.2.2.tar.gz"
  fi
fi
export DEBIAN_FRONTEND=noninteractive

step() { echo; echo "==> [install-citus] $*"; }
info() { echo "    $*"; }
die() { echo "ERROR [install-citus]: $*" >&2; exit 1; }
START_TS=$(date +%s)

installed() {
  [ -x "$PG_CONFIG" ] || return 1
  [ -f "$("$PG_CONFIG" --sharedir)/extension/citus.control" ] && [ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]
}

step "Checking for an existing Citus install for PostgreSQL ${PG_MAJOR}"
if installed && [ "${FORCE:-0}" != "1" ]; then
  info "citus already installed ($(grep -E '^default_version' "$("$PG_CONFIG" --sharedir)/extension/citus.control" | tr -d "'")); skipping the build (FORCE=1 to rebuild)"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get and make install into system folders)"
[ -f "$CITUS_SOURCE" ] || die "no Citus source tarball at ${CITUS_SOURCE} (set CITUS_SOURCE)"

step "Installing build dependencies"
deps=("postgresql-server-dev-${PG_MAJOR}" liblz4-dev libzstd-dev libkrb5-dev gcc make perl)
missing=()
for p in "${deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  info "apt-get install -y ${missing[*]}"
  if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    apt-get update || die "apt-get update failed"
    apt-get install -y --no-install-recommends "${missing[@]}" || die "could not install: ${missing[*]}"
  fi
else
  info "already installed: ${deps[*]}"
fi
[ -x "$PG_CONFIG" ] || die "pg_config not found at ${PG_CONFIG}"

WORKDIR=$(mktemp -d /tmp/frontdesk-citus.XXXXXX)
trap 'rm -rf "$WORKDIR"' EXIT
step "Unpacking $(basename "$CITUS_SOURCE") into ${WORKDIR}"
tar -xzf "$CITUS_SOURCE" -C "$WORKDIR" || die "could not unpack ${CITUS_SOURCE}"
SRCDIR=$(dirname "$(find "$WORKDIR" -maxdepth 2 -name configure -type f | head -n1)")
[ -f "$SRCDIR/configure" ] || die "no configure script in ${CITUS_SOURCE}"

# PostgreSQL 15.20's headers export have_createdb_privilege(), which Citus 13.2.2 also defines as
# a static inline in pg_version_compat.h: a compile error. Rename Citus' copy (harmless on older
# 15.x, where the server has no such function).
COMPAT="$SRCDIR/src/include/pg_version_compat.h"
line=$(grep -n '^have_createdb_privilege(void)' "$COMPAT" | head -n1 | cut -d: -f1 || true)
if [ -n "$line" ] && ! grep -q 'citus_have_createdb_privilege' "$COMPAT"; then
  step "Applying the PostgreSQL 15.20 header fix (${COMPAT#"$SRCDIR"/}, line ${line})"
  # The definition is `static inline bool` on the line above its name: the #define goes before it.
  sed -i "$((line - 1))i #define have_createdb_privilege citus_have_createdb_privilege" "$COMPAT"
fi

step "Configuring against $("$PG_CONFIG" --version)"
( cd "$SRCDIR" && ./configure PG_CONFIG="$PG_CONFIG" --without-libcurl >"$WORKDIR/configure.log" 2>&1 ) \
  || { tail -n 30 "$WORKDIR/configure.log" >&2; die "configure failed"; }

step "Building (make -j2; about 2.5 minutes on 2 cores)"
make -C "$SRCDIR" -j2 >"$WORKDIR/make.log" 2>&1 || { tail -n 40 "$WORKDIR/make.log" >&2; die "build failed"; }

step "Installing (make install)"
make -C "$SRCDIR" install >"$WORKDIR/install.log" 2>&1 || { tail -n 20 "$WORKDIR/install.log" >&2; die "make install failed"; }
installed || die "make install finished but citus.control or citus.so is missing"

echo; echo "==> [install-citus] done (built and installed in $(( $(date +%s) - START_TS ))s)"
