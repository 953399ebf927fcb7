# Debian package helpers shared by the set-up scripts (sourced, not run).
#
# No `producer | grep -q` here: under `set -o pipefail` grep -q exits at its first match, the
# producer dies of SIGPIPE and the whole pipeline counts as failed (exit 141). That once made
# fetch-photos.sh call every photo package unavailable and succeed with no photos (issue 13).

# Fails the calling script with one line on stderr: "<script>: <message>".
setup_name() { basename "$0" .sh; }

setup_fail() {
  echo "$(setup_name): $*" >&2
  exit 1
}

package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# The version apt would install, or nothing when this Debian has no candidate.
package_candidate() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
  [ "$candidate" = "(none)" ] || printf '%s' "$candidate"
}

# Installs every named package that is missing; fails with one line naming any that this
# Debian cannot provide, before installing anything.
install_packages() {
  local missing=() package
  for package in "$@"; do
    package_installed "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  export DEBIAN_FRONTEND=noninteractive
  local log
  log="$(mktemp)"
  apt-get update -qq >"$log" 2>&1 || setup_fail "apt-get update failed: $(tail -n 1 "$log")"
  rm -f "$log"
  for package in "${missing[@]}"; do
    [ -n "$(package_candidate "$package")" ] ||
      setup_fail "Debian package $package is not available from the configured apt sources (apt-cache policy shows no candidate)"
  done
  echo "$(setup_name): installing ${missing[*]}" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    setup_fail "apt-get install ${missing[*]} failed"
  for package in "${missing[@]}"; do
    package_installed "$package" || setup_fail "Debian package $package is still not installed after apt-get install"
  done
}

# Downloads one PyPI distribution into a folder (extra pip options before it) with $PYTHON's pip
# (default python3); fails with one line naming it and pip's last word.
pypi_download() {
  local folder="$1" requirement="${*: -1}" log
  log="$(mktemp)"
  "${PYTHON:-python3}" -m pip download --quiet --no-deps --disable-pip-version-check -d "$folder" "${@:2}" >"$log" 2>&1 ||
    setup_fail "cannot download $requirement from PyPI: $(grep -v '^\s*$' "$log" | tail -n 1)"
  rm -f "$log"
}

# Checks files in a folder against the lines of scripts/assets.sha256 that match a pattern, each
# file name with an optional suffix (".partial": a file not yet moved to its final name).
verify_checksums() {
  local folder="$1" pattern="$2" suffix="${3:-}" sums
  sums="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/assets.sha256"
  (cd "$folder" && grep -- "$pattern" "$sums" | sed "s/\$/$suffix/" | sha256sum --check --quiet --status) ||
    setup_fail "checksum mismatch for $pattern in $folder (expected as scripts/assets.sha256)"
}
