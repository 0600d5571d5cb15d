#!/usr/bin/env bash
# Install the pgvector extension into the local Debian PostgreSQL server by
# building it from Debian's (trixie) source package.
#
# Why trixie *source*: bookworm's own pgvector is old, and trixie's *binary*
# package needs a newer glibc than bookworm has. Building the upstream tarball
# from trixie's source package against bookworm's server headers works.
#
# Idempotent: exits early (after a quick verification) when vector.control is
# already present for the target server. Non-interactive; safe for CI (run as root).
#
# Environment overrides:
#   PG_MAJOR          PostgreSQL major version (default 15)
#   PG_CONFIG         pg_config to build against (default /usr/lib/postgresql/$PG_MAJOR/bin/pg_config)
#   PG_CLUSTER        Debian cluster name to start if the server is down (default main)
#   PGHOST / PGPORT   server used for the verification (default 127.0.0.1 / 5432)
#   PGUSER            superuser used for the verification (default postgres)
#   PGVECTOR_VERSION  optional Debian source version to fetch (e.g. 0.8.0-1); default: newest
#   PGVECTOR_OPTFLAGS optional value passed as OPTFLAGS= to make (e.g. "" for a portable,
#                     non -march=native build); unset = pgvector's default
#   TRIXIE_MIRROR     mirror for the deb-src line (default http://deb.debian.org/debian)
#   FORCE=1           rebuild/reinstall even if already installed
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
TRIXIE_MIRROR="${TRIXIE_MIRROR:-http://deb.debian.org/debian}"
SRC_LIST=/etc/apt/sources.list.d/frontdesk-trixie-src.list
CHECK_DB=frontdesk_pgvector_check
export DEBIAN_FRONTEND=noninteractive
export PGHOST PGPORT PGUSER
# keep psql output quiet (no "does not exist, skipping" NOTICEs)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

step() { echo; echo "==> [install-pgvector] $*"; }
info() { echo "    $*"; }
die() { echo "ERROR [install-pgvector]: $*" >&2; exit 1; }

START_TS=$(date +%s)

[ "$(id -u)" -eq 0 ] || die "must run as root (needs apt-get and make install into system dirs)"
command -v apt-get >/dev/null || die "apt-get not found: this script only supports Debian/Ubuntu"

# Install the given packages if any of them is missing; on failure, apt-get update and retry.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    info "already installed: $*"
    return 0
  fi
  info "apt-get install -y ${missing[*]}"
  if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    info "install failed; running apt-get update and retrying"
    apt-get update || die "apt-get update failed"
    apt-get install -y --no-install-recommends "${missing[@]}" || die "could not install: ${missing[*]}"
  fi
}

# Make sure the PostgreSQL server answers on $PGHOST:$PGPORT, starting the Debian cluster if needed.
ensure_server_running() {
  step "Ensuring PostgreSQL ${PG_MAJOR}/${PG_CLUSTER} is running on ${PGHOST}:${PGPORT}"
  if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    info "server is up"
    return 0
  fi
  command -v pg_ctlcluster >/dev/null || die "server not reachable and pg_ctlcluster not found"
  info "server not reachable; starting: pg_ctlcluster --skip-systemctl-redirect ${PG_MAJOR} ${PG_CLUSTER} start"
  pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$PG_CLUSTER" start \
    || die "could not start cluster ${PG_MAJOR}/${PG_CLUSTER} (see /var/log/postgresql/postgresql-${PG_MAJOR}-${PG_CLUSTER}.log)"
  local i
  for i in $(seq 1 30); do
    pg_isready -q -h "$PGHOST" -p "$PGPORT" && { info "server is up"; return 0; }
    sleep 1
  done
  die "server still not accepting connections on ${PGHOST}:${PGPORT} after 30s"
}

# create extension in a scratch database, print extversion, drop the database.
verify() {
  ensure_server_running
  step "Verifying: CREATE EXTENSION vector in scratch database ${CHECK_DB}"
  psql -X -v ON_ERROR_STOP=1 -q -d postgres -c "drop database if exists ${CHECK_DB}" >/dev/null \
    || die "cannot connect to ${PGHOST}:${PGPORT} as ${PGUSER}"
  psql -X -v ON_ERROR_STOP=1 -q -d postgres -c "create database ${CHECK_DB}" >/dev/null \
    || die "could not create scratch database ${CHECK_DB}"
  local ver
  if ! ver=$(psql -X -v ON_ERROR_STOP=1 -qtA -d "$CHECK_DB" \
      -c "create extension if not exists vector" \
      -c "select extversion from pg_extension where extname = 'vector'" \
      -c "select '[1,2,3]'::vector <-> '[1,2,4]'::vector" 2>&1); then
    psql -X -q -d postgres -c "drop database if exists ${CHECK_DB}" >/dev/null 2>&1 || true
    die "create extension vector failed: ${ver}"
  fi
  psql -X -v ON_ERROR_STOP=1 -q -d postgres -c "drop database ${CHECK_DB}" >/dev/null \
    || die "could not drop scratch database ${CHECK_DB}"
  info "pgvector extversion: $(echo "$ver" | sed -n 1p) (sanity distance check: $(echo "$ver" | sed -n 2p))"
}

# --- 0. Is it already there? -------------------------------------------------
if [ -x "$PG_CONFIG" ]; then
  SHAREDIR=$("$PG_CONFIG" --sharedir)
else
  SHAREDIR="/usr/share/postgresql/${PG_MAJOR}"
fi
CONTROL="${SHAREDIR}/extension/vector.control"

step "Checking for existing pgvector install (${CONTROL})"
if [ -f "$CONTROL" ] && [ "${FORCE:-0}" != "1" ]; then
  info "pgvector already installed for PostgreSQL ${PG_MAJOR} ($(grep -E '^default_version' "$CONTROL" | tr -d "'" )); skipping build (FORCE=1 to rebuild)"
  verify
  echo; echo "==> [install-pgvector] done (already installed, $(( $(date +%s) - START_TS ))s)"
  exit 0
fi
if [ -f "$CONTROL" ]; then info "FORCE=1: rebuilding from source"; else info "not installed; building from source"; fi

# --- 1. Build dependencies --------------------------------------------------
step "Installing build dependencies (postgresql-server-dev-${PG_MAJOR}, build-essential, dpkg-dev)"
apt_ensure "postgresql-server-dev-${PG_MAJOR}" build-essential make dpkg-dev ca-certificates
[ -x "$PG_CONFIG" ] || die "pg_config not found/executable at ${PG_CONFIG} (set PG_CONFIG or PG_MAJOR)"
info "building against: $("$PG_CONFIG" --version) ($PG_CONFIG)"
SHAREDIR=$("$PG_CONFIG" --sharedir)
CONTROL="${SHAREDIR}/extension/vector.control"

# --- 2. trixie deb-src ------------------------------------------------------
step "Adding Debian trixie deb-src entry (${SRC_LIST}; source only, no binary 'deb' line)"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
if [ -f "$KEYRING" ]; then
  SRC_LINE="deb-src [signed-by=${KEYRING}] ${TRIXIE_MIRROR} trixie main"
else
  SRC_LINE="deb-src ${TRIXIE_MIRROR} trixie main"
fi
if [ -f "$SRC_LIST" ] && grep -qxF "$SRC_LINE" "$SRC_LIST"; then
  info "already present: ${SRC_LINE}"
else
  printf '# Added by frontdesk scripts/install-pgvector.sh (source packages only)\n%s\n' "$SRC_LINE" > "$SRC_LIST"
  info "wrote: ${SRC_LINE}"
fi

step "apt-get update"
apt-get update || die "apt-get update failed (is ${TRIXIE_MIRROR} reachable? trixie key in debian-archive-keyring?)"

# --- 3. Fetch the source ----------------------------------------------------
WORKDIR=$(mktemp -d /tmp/frontdesk-pgvector.XXXXXX)
trap 'rm -rf "$WORKDIR"' EXIT
# Let the _apt sandbox user write the downloads (avoids the "unsandboxed as root" warning).
chmod 755 "$WORKDIR"
chown _apt "$WORKDIR" 2>/dev/null || true

SRC_SPEC=pgvector
[ -n "${PGVECTOR_VERSION:-}" ] && SRC_SPEC="pgvector=${PGVECTOR_VERSION}"
step "Downloading Debian source package: apt-get source --download-only ${SRC_SPEC} (in ${WORKDIR})"
( cd "$WORKDIR" && apt-get source --download-only "$SRC_SPEC" ) \
  || die "apt-get source ${SRC_SPEC} failed (is the trixie deb-src entry indexed?)"

ORIG=$(find "$WORKDIR" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | sort | tail -n1)
[ -n "$ORIG" ] || die "no pgvector_*.orig.tar.* found in ${WORKDIR}: $(ls "$WORKDIR")"
info "orig tarball: $(basename "$ORIG")"

# --- 4. Unpack, build, install ----------------------------------------------
step "Unpacking $(basename "$ORIG")"
mkdir -p "$WORKDIR/src"
tar -xf "$ORIG" -C "$WORKDIR/src"
SRCDIR=$(find "$WORKDIR/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
[ -n "$SRCDIR" ] && [ -f "$SRCDIR/Makefile" ] || die "unexpected tarball layout (no Makefile) in ${WORKDIR}/src"
info "source dir: ${SRCDIR}"

MAKE_ARGS=("PG_CONFIG=${PG_CONFIG}")
[ -n "${PGVECTOR_OPTFLAGS+x}" ] && MAKE_ARGS+=("OPTFLAGS=${PGVECTOR_OPTFLAGS}")

step "Building: make ${MAKE_ARGS[*]}"
make -C "$SRCDIR" -j"$(nproc 2>/dev/null || echo 2)" "${MAKE_ARGS[@]}" || die "pgvector build failed"

step "Installing: make install ${MAKE_ARGS[*]}"
make -C "$SRCDIR" "${MAKE_ARGS[@]}" install || die "pgvector make install failed"
[ -f "$CONTROL" ] || die "make install finished but ${CONTROL} is missing"
info "installed ${CONTROL}"

# --- 5. Verify --------------------------------------------------------------
verify
echo; echo "==> [install-pgvector] done (built and installed in $(( $(date +%s) - START_TS ))s)"
