#!/usr/bin/env bash
# What `make test` (and `make run`, for PDFs) needs from Debian beyond Python and Node.js.
# Installs what is missing when it can (root with apt-get); otherwise stops at once with the
# one command to run. Usage: scripts/system_deps.sh test|run
set -euo pipefail
want="${1:-test}"

# Debian package -> a file that shows it is installed.
declare -A probe=(
  [libpango-1.0-0]=/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0
  [libpangoft2-1.0-0]=/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
  [libharfbuzz-subset0]=/usr/lib/x86_64-linux-gnu/libharfbuzz-subset.so.0
  [fontconfig]=/usr/bin/fc-list
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  [fonts-liberation]=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf  # Arial metrics for PDFs
)
if [ "$want" = test ]; then
  probe[chromium]=/usr/bin/chromium
  probe[poppler-utils]=/usr/bin/pdftoppm
fi

# promtool checks and unit-tests the alert rules (docs/prometheus-alerts*.yml): only that one
# binary is taken out of Debian's prometheus package (installing the package would start a
# Prometheus server), into var/tools/.
if [ "$want" = test ] && ! command -v promtool >/dev/null && [ ! -x var/tools/promtool ]; then
  if command -v apt-get >/dev/null; then
    echo "Fetching promtool from Debian's prometheus package into var/tools/"
    mkdir -p var/tools
    tmp="$(mktemp -d)"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq; fi
    (cd "$tmp" && apt-get download -qq prometheus >/dev/null 2>&1)
    dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -xO ./usr/bin/promtool > var/tools/promtool
    chmod +x var/tools/promtool
    rm -rf "$tmp"
  else
    echo "promtool is missing: install Prometheus's promtool on the PATH (Debian: apt-get install prometheus)" >&2
    exit 1
  fi
fi

missing=()
for pkg in "${!probe[@]}"; do
  path="${probe[$pkg]}"
  # The library paths differ by architecture: accept the package being installed instead.
  if [ ! -e "$path" ] && ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}. Install them with: sudo $cmd" >&2
  exit 1
fi
