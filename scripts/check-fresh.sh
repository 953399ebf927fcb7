#!/usr/bin/env bash
# The fresh-machine check: what a new user gets from a clean clone on a machine that has none
# of what set-up installs. Run it as root before ending a change that touches set-up, the
# scripts or the assets (and before a release); it takes about 30 minutes on 2 cores.
#
#   bash scripts/check-fresh.sh [--keep]
#
# It clones the committed HEAD (uncommitted changes are not in it), REMOVES the Debian packages
# set-up installs (the photo packages, ffmpeg and the -dev libraries: set-up puts them back),
# starts from no fetched asset and an empty pip cache, runs the README's two commands in the
# clone, and checks that the test command ran every test of the suite and that none failed.
# --keep leaves the clone and its logs in place for a look.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/packages.sh"
[ "$(id -u)" = 0 ] || setup_fail "run as root: it removes and reinstalls Debian packages"

work="$(mktemp -d /tmp/filmsr-fresh.XXXXXX)"
[ "${1:-}" = "--keep" ] || trap 'rm -rf "$work"' EXIT
clone="$work/filmsr"
git clone --quiet "$root" "$clone"
echo "check-fresh: clone of $(git -C "$clone" rev-parse --short HEAD) in $clone" >&2

# What set-up installs: its own list and the photo manifest's packages; and the test suite's.
mapfile -t system < <(sed -n '/^system_packages=(/,/^)/p' "$clone/scripts/setup.sh" | sed '1d;$d' | tr ' ' '\n' | sed '/^$/d')
mapfile -t -O "${#system[@]}" system < <(sed -n 's/^install_packages //p' "$clone/scripts/test.sh" "$clone/scripts/test-slurm.sh" | tr ' ' '\n' | sed '/^$/d')
mapfile -t photos < <(grep -v '^#' "$clone/scripts/photos.tsv" | tail -n +2 | cut -f1 | sort -u)
installed=()
for package in "${system[@]}" "${photos[@]}"; do
  if package_installed "$package"; then installed+=("$package"); fi
done
if [ ${#installed[@]} -gt 0 ]; then
  echo "check-fresh: removing ${installed[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "${installed[@]}" >/dev/null
fi
export PIP_NO_CACHE_DIR=1

# The README's two commands, as it writes them: the first two indented lines of its first block.
mapfile -t commands < <(awk '/^    [^ ]/ { sub(/^    /, ""); sub(/ +#.*/, ""); print; if (++n == 2) exit }' "$clone/README.md")
[ ${#commands[@]} -eq 2 ] || setup_fail "README.md does not open with two indented commands"
for index in 0 1; do
  echo "check-fresh: ${commands[$index]}" >&2
  (cd "$clone" && bash -c "${commands[$index]}") >"$work/command-$index.log" 2>&1 ||
    setup_fail "'${commands[$index]}' failed on the fresh clone; last lines of $work/command-$index.log: $(tail -n 3 "$work/command-$index.log" | tr '\n' ' ')"
done

# Every test of the suite ran, none failed.
summary="$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$work/command-1.log" | tail -n 1)"
[ -n "$summary" ] || setup_fail "the test command printed no 'tests: N passed, N failed' line"
read -r passed failed skipped < <(sed -E 's/^tests: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$summary")
listed="$(cd "$clone" && swift test list -c release -Xswiftc -enable-testing --skip-build 2>/dev/null | grep -c '/')"
echo "check-fresh: $summary; the suite lists $listed tests" >&2
cluster="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/command-1.log" | tail -n 1)"
[ -n "$cluster" ] && [ "${cluster#* passed, }" = "0 failed" ] || setup_fail "the cluster test (scripts/test-slurm.sh) did not pass: ${cluster:-no summary}"
[ "$failed" = 0 ] && [ "$skipped" = 0 ] && [ "$passed" = "$listed" ] ||
  setup_fail "fresh clone: $passed of $listed tests passed, $failed failed, $skipped skipped"
echo "check-fresh: passed: both README commands work on a fresh clone, $passed of $listed tests passed" >&2
