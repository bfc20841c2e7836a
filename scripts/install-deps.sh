#!/usr/bin/env bash
# Install the real services the test suite needs (Debian 12): Redis, coturn, Chromium, PostgreSQL.
# Idempotent: does nothing (fast) when everything is already present.
# Our tests start their own service instances on free ports, so any system instance that a
# package post-install script starts is stopped again.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

# package -> binary that proves it is installed
declare -A WANT=(
    [redis-server]=redis-server
    [coturn]=turnserver
    [chromium]=chromium
)

have_bin() {
    command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" || -x "/usr/bin/$1" ]]
}

have_pkg() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for pkg in redis-server coturn chromium; do
    if ! have_bin "${WANT[$pkg]}"; then
        missing+=("$pkg")
    fi
done
if ! have_pkg fonts-liberation; then
    missing+=(fonts-liberation)
fi
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all present (redis-server, coturn, chromium, fonts-liberation, postgresql)"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing ${missing[*]}; re-run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: apt-get failed installing ${missing[*]}" >&2
    exit 1
fi

# Leave no system instance running: the tests start their own on free ports. A system
# instance runs as its own user (redis / turnserver), so only those processes are touched.
pids_of() {  # pids_of COMM USER -> pids of processes named COMM owned by USER (no procps needed)
    local comm=$1 uid d
    uid=$(id -u "$2" 2>/dev/null) || return 0
    for d in /proc/[0-9]*; do
        [[ $(cat "$d/comm" 2>/dev/null) == "$comm" ]] || continue
        [[ $(awk '/^Uid:/ {print $2}' "$d/status" 2>/dev/null) == "$uid" ]] || continue
        echo "${d#/proc/}"
    done
}
stop_service() {
    local svc=$1 comm=$2 user=$3 pids
    if command -v service >/dev/null 2>&1; then
        service "$svc" stop >/dev/null 2>&1 || true
    fi
    pids=$(pids_of "$comm" "$user")
    [[ -n $pids ]] || return 0
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    for _ in $(seq 50); do
        [[ -n $(pids_of "$comm" "$user") ]] || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -9 $(pids_of "$comm" "$user") 2>/dev/null || true
}
for pkg in "${missing[@]}"; do
    case $pkg in
        redis-server) stop_service redis-server redis-server redis ;;
        coturn) stop_service coturn turnserver turnserver ;;
        postgresql) stop_service postgresql postgres postgres ;;
    esac
done

echo "install-deps: installed ${missing[*]}; no system redis/coturn left running"
