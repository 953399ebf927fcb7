#!/usr/bin/env bash
# Media throughput benchmark: decode -> float RGB -> encode of the 720x480 DVD sample with
# filmsr, against the ffmpeg command-line tool doing the same transcode, in one run on this
# machine. Runs alternate between the two so that both see the same machine noise; reports
# medians and their ratio. Not a test: nothing here gates CI.
#   usage: scripts/bench-media.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
bash scripts/setup.sh
swift build -c release --product filmsr >/dev/null
filmsr=.build/release/filmsr
input=samples/dvd_ntsc.mpg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
frames=$("$filmsr" probe --json "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin)["video"]["frameCount"])')

# The same encoder settings on both sides: libx264 CRF 18 preset medium, audio copied.
x264=(-c:v libx264 -crf 18 -preset medium)
declare -A commands=(
  [filmsr]="$filmsr transcode $input $work/filmsr.mkv --crf 18 --x264-preset medium"
  [ffmpeg]="ffmpeg -nostdin -loglevel error -y -i $input -map 0:v -map 0:a ${x264[*]} -c:a copy $work/ffmpeg.mkv"
  # ffmpeg forced through the same planar float RGB round trip filmsr makes for every frame.
  [ffmpeg_rgbf32]="ffmpeg -nostdin -loglevel error -y -i $input -map 0:v -map 0:a -vf format=gbrpf32le,format=yuv420p ${x264[*]} -c:a copy $work/ffmpeg_rgb.mkv"
  # Decode and colour conversion alone: FFV1 (cheap, lossless) instead of x264.
  [filmsr_ffv1]="$filmsr transcode $input $work/filmsr_ffv1.mkv --codec ffv1"
  [ffmpeg_ffv1_rgb]="ffmpeg -nostdin -loglevel error -y -i $input -map 0:v -map 0:a -pix_fmt bgr0 -c:v ffv1 -level 3 -slicecrc 1 -g 1 -c:a copy $work/ffmpeg_ffv1.mkv"
)
order=(filmsr ffmpeg ffmpeg_rgbf32 filmsr_ffv1 ffmpeg_ffv1_rgb)
declare -A times
for ((run = 0; run < runs; run++)); do
  for name in "${order[@]}"; do
    start=$(date +%s%N)
    ${commands[$name]} >/dev/null
    end=$(date +%s%N)
    times[$name]+="$(( (end - start) / 1000000 )) "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "decode -> RGB -> encode, $input ($frames frames, 720x480), median of $runs runs"
declare -A medians
for name in "${order[@]}"; do
  medians[$name]=$(echo "${times[$name]}" | median)
  printf '  %-16s %6d ms  %6.1f frames/s   (runs: %s)\n' "$name" "${medians[$name]}" \
    "$(awk "BEGIN {print $frames * 1000 / ${medians[$name]}}")" "${times[$name]}"
done
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
echo "time ratios (filmsr / peer; 1.00 = as fast):"
echo "  H.264, filmsr vs ffmpeg:                      $(ratio "${medians[filmsr]}" "${medians[ffmpeg]}")"
echo "  H.264, filmsr vs ffmpeg with float RGB trip:  $(ratio "${medians[filmsr]}" "${medians[ffmpeg_rgbf32]}")"
echo "  FFV1 RGB master, filmsr vs ffmpeg:            $(ratio "${medians[filmsr_ffv1]}" "${medians[ffmpeg_ffv1_rgb]}")"
