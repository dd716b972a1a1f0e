# Shared by the client conformance checks (sourced, not run).
# need_apt PKG... installs the Debian packages that are missing (as root, or with sudo).
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "   installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ ! -f /tmp/.quarry-apt-updated ]; then
    "${sudo[@]}" apt-get update -qq && touch /tmp/.quarry-apt-updated
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Debian Python (its packages install there; the first python3 on PATH may be another).
PY=/usr/bin/python3
