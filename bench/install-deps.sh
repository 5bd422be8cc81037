#!/usr/bin/env bash
# bench/install-deps.sh — the Debian packages `make bench` needs beyond the build's own:
# libboost-context-dev (Boost.Context's jump_fcontext, the reference for fiber.switch in bench/c).
# Installs what is missing when run as root with apt-get; otherwise says how, and the Boost
# comparison is skipped (bench/c builds without it). Never fails the bench over a missing package.
set -uo pipefail

missing=()
dpkg-query -W -f='${Status}' libboost-context-dev 2>/dev/null | grep -q "install ok installed" \
    || missing+=(libboost-context-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${missing[*]}"
    if ! { apt-get install -y --no-install-recommends "${missing[@]}" \
           || { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; }; }; then
        echo "bench: could not install ${missing[*]}; the Boost.Context comparison will be skipped" >&2
    fi
else
    echo "bench: ${missing[*]} not installed; the Boost.Context comparison will be skipped." >&2
    echo "       to include it: sudo apt-get install -y ${missing[*]}" >&2
fi
exit 0
