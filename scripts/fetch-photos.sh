#!/usr/bin/env bash
# Natural photographs for the HR side of training pairs, from Debian packages,
# into the git-ignored assets/photos/{training,heldout}/ as PNG. The photos, their
# split and their licences are listed in scripts/photos.tsv. Idempotent: a stamp of the manifest
# and of this script makes a second run a no-op. A photo package that this Debian cannot provide,
# or a listed photo that is missing, stops it with one line naming it and a non-zero exit.
#
#   bash scripts/fetch-photos.sh [MANIFEST]    (default scripts/photos.tsv; tests pass another)
#
# Each photo is downscaled 2x with an area filter (the sources are JPEG q75-90: averaging
# removes most of their artefacts), then further so that the longer side is at most 1600 px
# (the library holds every photo in memory). Photos under 256 px on the short side are dropped.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
manifest="${1:-$root/scripts/photos.tsv}"
target="$root/assets/photos"
stamp="$target/.stamp"
max_side=1600
min_short_side=256

wanted_stamp="$(cat "$manifest" "$0" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted_stamp" ]; then
  exit 0
fi

# Install the packages the manifest names; one that this Debian lacks stops set-up: the
# tests and the pretrainings need every photo of the manifest.
source "$root/scripts/lib/packages.sh"
mapfile -t packages < <(grep -v '^#' "$manifest" | tail -n +2 | cut -f1 | sort -u)
install_packages "${packages[@]}"

# Convert into a temporary folder beside the target, then swap it in whole.
mkdir -p "$root/assets"
work="$(mktemp -d "$root/assets/photos.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/training" "$work/heldout"

kept=0 dropped=0
while IFS=$'\t' read -r package source split _; do
  case "$package" in ''|'#'*|package) continue ;; esac
  [ -f "$source" ] || setup_fail "$source is missing although package $package is installed (photos manifest $manifest)"
  read -r width height < <(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$source" | tr ',' ' ')
  # Half size, then capped at max_side on the longer side; one area resampling does both.
  read -r new_width new_height < <(awk -v w="$width" -v h="$height" -v m="$max_side" 'BEGIN {
    f = 0.5; long = (w > h ? w : h) * f; if (long > m) f = f * m / long
    printf "%d %d\n", int(w * f + 0.5), int(h * f + 0.5) }')
  name="$(basename "$source" .jpg)"
  if [ "$new_width" -lt "$min_short_side" ] || [ "$new_height" -lt "$min_short_side" ]; then
    echo "fetch-photos: $name is ${new_width}x${new_height} after downscaling, under $min_short_side px; dropped" >&2
    dropped=$((dropped + 1))
    continue
  fi
  ffmpeg -nostdin -v error -i "$source" -vf "scale=${new_width}:${new_height}:flags=area" \
    -frames:v 1 -pix_fmt rgb24 "$work/$split/$name.png"
  kept=$((kept + 1))
done < "$manifest"

rm -rf "$target.old"
[ -d "$target" ] && mv "$target" "$target.old"
mv "$work" "$target"
rm -rf "$target.old"
echo "$wanted_stamp" > "$stamp"
trap - EXIT
echo "fetch-photos: $kept photos ($(ls "$target/training" | wc -l) training, $(ls "$target/heldout" | wc -l) held out), $dropped too small" >&2
