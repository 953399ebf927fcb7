#!/usr/bin/env bash
# End-to-end render benchmark (issue 18): `filmsr upscale` against the chain a Video2X or
# Real-ESRGAN video user runs on a CPU (ffmpeg decodes to a pipe, ncnn upscales 200-pixel tiles,
# ffmpeg encodes from a pipe; scripts/reference/ncnn_ffmpeg_chain.py), on the same clip, the same
# compact-x4 weights, the same tiles and the same encoder settings (libx264 CRF 18, preset medium,
# sound copied), 2 threads each, in one run on this machine. Runs alternate between the two so
# that both see the same machine noise; reports frames per second (medians) and the ratio of
# times. Not a test: nothing here gates CI.
#   usage: scripts/bench-render.sh [runs] [frames]   (defaults 3 runs of the DVD sample's first 24 frames)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
frames="${2:-24}"
bash scripts/setup.sh
python3 -c 'import ncnn' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check ncnn==1.0.20261020
swift build -c release --product filmsr >/dev/null
filmsr=.build/release/filmsr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The 720x480 DVD sample's first frames, losslessly (FFV1) so that both sides decode the same pictures.
ffmpeg -nostdin -loglevel error -i samples/dvd_ntsc.mpg -map 0:v:0 -map 0:a:0 -frames:v "$frames" -c:v ffv1 -c:a copy "$work/clip.mkv"

declare -A commands=(
  [filmsr]="$filmsr upscale $work/clip.mkv $work/filmsr.mkv --model compact-x4 --tile 200 --overlap 10 --threads 2 --crf 18 --x264-preset medium"
  [chain]="python3 scripts/reference/ncnn_ffmpeg_chain.py $work/clip.mkv $work/chain.mkv --model compact-x4 --threads 2"
)
declare -A times
for ((run = 0; run < runs; run++)); do
  for name in filmsr chain; do
    rm -f "$work/$name.mkv"
    start=$(date +%s%N)
    ${commands[$name]} >/dev/null 2>&1
    end=$(date +%s%N)
    times[$name]+="$(( (end - start) / 1000000 )) "
  done
done
for name in filmsr chain; do
  read -r count size < <(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$work/$name.mkv" | awk -F, '{print $3, $1 "x" $2}')
  [ "$count" = "$frames" ] || { echo "bench-render: $name wrote $count frames, not $frames" >&2; exit 1; }
  echo "$name: $count frames of $size"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=$(median <<<"${times[filmsr]}")
peer=$(median <<<"${times[chain]}")
python3 - "$frames" "$ours" "$peer" "$runs" <<'PY'
import sys
frames, ours, peer, runs = int(sys.argv[1]), int(sys.argv[2]) / 1000, int(sys.argv[3]) / 1000, sys.argv[4]
print(f"720x480 -> 2880x1920, compact-x4, 2 threads, {frames} frames, medians of {runs} runs")
print(f"filmsr upscale            {ours:8.1f} s  {frames / ours:6.3f} frames/s")
print(f"ffmpeg | ncnn | ffmpeg    {peer:8.1f} s  {frames / peer:6.3f} frames/s")
print(f"ratio of times (filmsr / chain): {ours / peer:.2f}")
PY
