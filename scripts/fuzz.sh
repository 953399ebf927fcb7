#!/usr/bin/env bash
# libFuzzer, with AddressSanitizer, over every reader of untrusted bytes: one target per file in
# Fuzz/ (not a SwiftPM target, so `swift build` and CI never see it). Each target runs until RUNS
# executions (default 1,000,000) or SECONDS, whichever comes first, from a fresh corpus seeded with
# files FilmSR's own writers make (Fuzz/Seeds), slices of the real weights and assets, and every
# input that once crashed (Fuzz/Regression/TARGET, also read by the XCTests). Deterministic (-seed=1).
# Prints executions and crashes per target; exits non-zero on any crash.
#
#   bash scripts/fuzz.sh SECONDS [RUNS] [TARGET ...]    targets: see `targets` below
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [RUNS] [TARGET ...]}
runs=${2:-1000000}
shift $(( $# < 2 ? $# : 2 ))

# target name -> its file in Fuzz/
declare -A targets=(
  [safetensors]=Safetensors [ncnn]=NCNNModel [niqe]=NIQEParameters [lpips]=LPIPSWeights
  [segment]=RenderSegment [job]=JobRecord [scenes]=SceneList [units]=AdaptationUnits [summary]=UnitSummary
)
chosen=("$@")
[ ${#chosen[@]} -gt 0 ] || chosen=(safetensors ncnn niqe lpips segment job scenes units summary)
for target in "${chosen[@]}"; do
  [ -n "${targets[$target]:-}" ] || { echo "fuzz: no target '$target' (${!targets[*]})" >&2; exit 2; }
done
for asset in assets/niqe/niqe_pris_params.safetensors assets/lpips/alexnet.safetensors assets/models/REALESRGAN_ANIMAVIDEOV3_UP4X.param; do
  [ -f "$asset" ] || { echo "fuzz: $asset is missing (a seed); run scripts/setup.sh" >&2; exit 2; }
done

# The three libraries, instrumented for coverage and AddressSanitizer; -enable-testing lets the
# targets reach the internal byte-taking readers.
scratch=.build-fuzz
mkdir -p "$scratch/fuzz"
swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing --target Pipeline >"$scratch/fuzz/build.log" 2>&1 \
  || { tail -20 "$scratch/fuzz/build.log" >&2; echo "fuzz: building the libraries failed (log: $scratch/fuzz/build.log)" >&2; exit 1; }
build=$scratch/release
libraries=("$build"/Engine.build/*.o "$build"/Media.build/*.o "$build"/Pipeline.build/*.o
           -I "$build/Modules" -I Sources/COpenBLAS -I Sources/CFFmpeg
           -lopenblas $(pkg-config --libs libavformat libavcodec libswscale libavutil))
link() {  # link OUTPUT SANITIZERS SOURCES...
  local output=$1 sanitizers=$2; shift 2
  # gold warns about every ASan stub it cannot export; the warnings mean nothing here.
  swiftc -O -sanitize="$sanitizers" -parse-as-library "$@" "${libraries[@]}" -o "$output" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
  [ -x "$output" ] || { echo "fuzz: linking $output failed" >&2; exit 1; }
}
swiftc -sanitize=address Fuzz/Seeds/WriteSeeds.swift "${libraries[@]}" -o "$scratch/fuzz/write-seeds" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
rm -rf "$scratch/fuzz/seeds" "$scratch/fuzz/corpus" "$scratch/fuzz/crashes"
"$scratch/fuzz/write-seeds" "$scratch/fuzz/seeds"

# Slices of real files: a safetensors file's header and its first kilobyte of values, the first
# 8 KB of an ncnn .bin (the first convolution's weights): what the readers parse, small enough to
# mutate fast.
slice() { head -c $(( 8 + $(od -An -t u8 -N8 "$1") + 1024 )) "$1" >"$2"; }
seed() {  # seed TARGET: fills $scratch/fuzz/corpus/TARGET
  local corpus=$scratch/fuzz/corpus/$1
  mkdir -p "$corpus"
  cp "$scratch/fuzz/seeds/$1"/* "$corpus"/ 2>/dev/null || true
  cp Fuzz/Regression/"$1"/* "$corpus"/ 2>/dev/null || true
  case $1 in
    safetensors)
      for file in weights/*.safetensors Tests/EngineTests/Reference/peer.safetensors; do slice "$file" "$corpus/$(basename "$file").slice"; done
      cp assets/niqe/niqe_pris_params.safetensors "$corpus"/ ;;
    ncnn)
      # x4plus's 117 KB .param is left out (so large a seed slows every mutation); the small seed
      # network has each of its layer types.
      for file in assets/models/REALESRGAN_ANIMAVIDEOV3_*.param; do
        { cat "$file"; printf '\0'; head -c 8192 "${file%.param}.bin"; } >"$corpus/$(basename "$file")+bin"
      done ;;
    niqe) cp assets/niqe/niqe_pris_params.safetensors "$corpus"/ ;;
    lpips) slice assets/lpips/alexnet.safetensors "$corpus/alexnet.slice"; cp "$scratch/fuzz/seeds/safetensors"/* "$corpus"/ ;;
  esac
}

# Swift's own crash handler would stand between a trap and libFuzzer's, which saves the input.
export SWIFT_BACKTRACE=enable=no
failed=0
results=()
for target in "${chosen[@]}"; do
  binary=$scratch/fuzz/$target
  link "$binary" fuzzer,address Fuzz/Support/*.swift "Fuzz/${targets[$target]}.swift"
  seed "$target"
  mkdir -p "$scratch/fuzz/crashes/$target"
  log=$scratch/fuzz/$target.log
  status=0
  "$binary" "$scratch/fuzz/corpus/$target" -seed=1 -runs="$runs" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$scratch/fuzz/crashes/$target/" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$scratch/fuzz/crashes/$target" -type f | wc -l)
  [ "$status" -eq 0 ] && [ "$crashes" -eq 0 ] || { failed=1; [ "$crashes" -gt 0 ] || crashes="failed (status $status)"; }
  results+=("$(printf '%-12s %12s %s' "$target" "${executions:-?}" "$crashes")")
  echo "fuzz: $target: ${executions:-?} executions, crashes: $crashes (log: $log)"
done
printf '\n%-12s %12s %s\n' target executions crashes
printf '%s\n' "${results[@]}"
[ "$failed" -eq 0 ] || { echo "fuzz: crashes or failures; inputs in $scratch/fuzz/crashes/" >&2; exit 1; }
