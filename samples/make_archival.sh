#!/usr/bin/env bash
# Archival-input samples with progressive truth (issue 17): an interlaced clip made from a 59.94p
# truth, a hard-telecined clip made from a 23.976p truth, and a flickering clip of three shots. Only the ffmpeg command-line tool
# (Debian 12's 5.1) and one photo of lomiri-wallpapers-16.04 each; see samples/README.md.
#
#     bash samples/make_archival.sh [OUT]     # default: this folder
#
# Deterministic: single-threaded encoders with bitexact flags, no random source.
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")" && pwd)}"
photos=/usr/share/backgrounds
for photo in Picture_1A_by_freespace.jpg aitzgorri_by_Aitzol_Berasategi.jpg picosdeeuropa_by_Aitzol_Berasategi.jpg \
             life_by_Aitzol_Berasategi.jpg sunset_by_Aitzol_Berasategi.jpg; do
  [ -f "$photos/$photo" ] || { echo "make_archival: $photos/$photo missing: apt-get install lomiri-wallpapers-16.04" >&2; exit 1; }
done
command -v ffmpeg >/dev/null || { echo "make_archival: ffmpeg missing: apt-get install ffmpeg" >&2; exit 1; }

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
exact=(-threads 1 -fflags +bitexact)
# The truth: a camera move over a photo, whole pixels per frame (crop), so no resampling blurs it
# and each frame is the photo's own detail. BT.601 limited range, as DVD video is. 352x224: the
# height a multiple of 32, since FFmpeg 5.1's interlaced MPEG-2 encoder gives different bytes from
# run to run when the field height is not a whole number of macroblocks (240 lines: 7.5 of them).
truth() {  # photo, rate, frames, scaled width, first x, first y, x step, y step, output
  ff -loop 1 -framerate "$2" -i "$photos/$1" -frames:v "$3" \
     -vf "scale=$4:-2:flags=lanczos,format=gbrp,crop=352:224:x='$5+$7*n':y='$6+$8*n',scale=out_color_matrix=bt601:out_range=tv:flags=lanczos+accurate_rnd+full_chroma_int,format=yuv420p,setparams=colorspace=smpte170m:color_primaries=smpte170m:color_trc=smpte170m:range=tv" \
     "${exact[@]}" -flags:v +bitexact -c:v libx264 -preset slow -crf 14 -x264-params keyint=30 "$9"
}
# Interlaced MPEG-2 as a DVD writes it: field DCT and field motion, top field first.
# One -flags for all: a second -flags replaces the first, bitexact included.
mpeg2_interlaced=(-c:v mpeg2video -b:v 1200k -maxrate 5000k -bufsize 1835k -g 15 -bf 2
                  -flags:v +bitexact+ilme+ildct -top 1 -alternate_scan 1 -color_primaries smpte170m
                  -color_trc smpte170m -colorspace smpte170m -color_range tv)

# 1. interlaced: 120 progressive frames at 60000/1001 (2.002 s), panning right 2 and down 1 px a
#    frame; fields woven in pairs (top from frame 2k, bottom from 2k+1, no vertical low-pass) into
#    60 frames at 30000/1001 tagged top field first. No sound.
truth Picture_1A_by_freespace.jpg 60000/1001 120 900 24 16 2 1 "$out/interlaced_truth.mkv"
ff -i "$out/interlaced_truth.mkv" -vf "interlace=scan=tff:lowpass=off,setfield=tff" \
   "${exact[@]}" "${mpeg2_interlaced[@]}" "$out/interlaced.mkv"

# 2. telecine: 72 progressive frames at 24000/1001 (3.003 s), panning right 3 px a frame, made
#    30000/1001 by 2:3 pulldown (90 frames: 2 of every 5 mix two film frames), with a 440 Hz tone
#    whose clicks mark every film frame, AC-3 in an MPEG program stream as on a DVD.
truth aitzgorri_by_Aitzol_Berasategi.jpg 24000/1001 72 1400 300 520 3 0 "$out/telecine_truth.mkv"
ff -i "$out/telecine_truth.mkv" \
   -f lavfi -i "aevalsrc=0.3*sin(2*PI*440*t)+0.5*lt(mod(t\,1001/24000)\,0.002):s=48000:d=3.003" \
   -vf "telecine=first_field=top:pattern=23,setfield=tff" -shortest \
   "${exact[@]}" "${mpeg2_interlaced[@]}" -flags:a +bitexact -c:a ac3 -b:a 192k -ac 2 -f dvd "$out/telecine.mpg"

# 3. flicker: three shots of 40, 32 and 24 frames at 24 fps (4.000 s, hard cuts at frames 40 and
#    72), 192x144, each a camera move of whole pixels over a photo; the flickering copy multiplies
#    every frame's R, G and B by one gain, 1 + 0.09 sin(2.1 n) + 0.05 sin(0.77 n + 1) (0.86-1.14,
#    changing every frame, the exposure flicker of old film), on the clean pictures before the one
#    encoding both share (H.264 crf 14, yuv420p, BT.601). No sound.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shot() {  # photo, frames, scaled width, first x, first y, x step, y step, output
  ff -loop 1 -framerate 24 -i "$photos/$1" -frames:v "$2" \
     -vf "scale=$3:-2:flags=lanczos,format=gbrp,crop=192:144:x='$4+$6*n':y='$5+$7*n'" \
     "${exact[@]}" -c:v ffv1 "$8"
}
shot picosdeeuropa_by_Aitzol_Berasategi.jpg 40 640 150 150 2 0 "$work/0.mkv"
shot life_by_Aitzol_Berasategi.jpg 32 560 200 160 -1 1 "$work/1.mkv"
shot sunset_by_Aitzol_Berasategi.jpg 24 600 100 100 1 -1 "$work/2.mkv"
ff -i "$work/0.mkv" -i "$work/1.mkv" -i "$work/2.mkv" -filter_complex "concat=n=3:v=1:a=0" \
   "${exact[@]}" -c:v ffv1 "$work/truth.mkv"
gain='(1+0.09*sin(2.1*N)+0.05*sin(0.77*N+1))'
delivery() {  # extra filter before the BT.601 conversion, output
  ff -i "$work/truth.mkv" \
     -vf "$1scale=out_color_matrix=bt601:out_range=tv:flags=lanczos+accurate_rnd+full_chroma_int,format=yuv420p,setparams=colorspace=smpte170m:color_primaries=smpte170m:color_trc=smpte170m:range=tv" \
     "${exact[@]}" -flags:v +bitexact -c:v libx264 -preset slow -crf 14 -x264-params keyint=24 "$2"
}
delivery "" "$out/flicker_truth.mkv"
delivery "geq=r='clip(r(X\,Y)*$gain\,0\,255)':g='clip(g(X\,Y)*$gain\,0\,255)':b='clip(b(X\,Y)*$gain\,0\,255)'," "$out/flicker.mkv"

for file in interlaced_truth.mkv interlaced.mkv telecine_truth.mkv telecine.mpg flicker_truth.mkv flicker.mkv; do
  frames="$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,field_order -of csv=p=0 "$out/$file")"
  echo "make_archival: $file: $frames, $(stat -c %s "$out/$file") bytes"
done
