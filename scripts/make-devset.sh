#!/usr/bin/env bash
# Makes the development set of issue 14 (samples/README.md, "Development set") into
# ./assets/devset (git-ignored: 100 MB of lossless truth), once per version of its generator.
# Needs the set-up's photos (scripts/fetch-photos.sh) and python3 with numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
folder=assets/devset
stamp="$folder/generator.sha256"
generator=$(cat samples/make_devset.py samples/make_samples.py | sha256sum | cut -d' ' -f1)
if [ -f "$folder/devset.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$generator" ]; then
  exit 0
fi
echo "make-devset: rendering the development set into $folder (about 3 minutes)" >&2
rm -rf "$folder.partial"
python3 samples/make_devset.py --out "$folder.partial" >"$folder.log" 2>&1 ||
  setup_fail "samples/make_devset.py failed: $(tail -n 1 "$folder.log")"
echo "$generator" >"$folder.partial/generator.sha256"
rm -rf "$folder"
mv "$folder.partial" "$folder"
