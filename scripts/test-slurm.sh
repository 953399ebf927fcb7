#!/usr/bin/env bash
# A real single-node Slurm cluster on loopback: restores the reel through `filmsr submit` and
# `filmsr status`, with one adaptation task failing on its first try and the node set down while
# a render task runs, and checks that the film equals a local `filmsr restore` frame for frame
# with the same sound packets; then the same job under GNU parallel. Installs slurmctld, slurmd,
# slurm-client, munge and parallel when missing; starts munged, slurmctld and slurmd itself (no
# systemd), on ports of its own, and stops only them. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
install_packages slurmctld slurmd slurm-client munge parallel

filmsr="$PWD/.build/release/filmsr"
[ -x "$filmsr" ] || swift build -c release --product filmsr >/dev/null || setup_fail "cannot build filmsr"
input="$PWD/samples/reel_old.mp4"
# Few iterations: the test is about running the same job elsewhere, not about its quality.
options=(--iterations 10 --threads 1)

root="$(mktemp -d /tmp/filmsr-slurm.XXXXXX)"
chmod 755 "$root"
passed=0 failed=0
check() {
  local name="$1"; shift
  if "$@"; then echo "ok: $name"; passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}
started=()
stop_daemons() {
  local pid
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 1
  for pid in "${started[@]}"; do kill -9 "$pid" 2>/dev/null; done
}
trap stop_daemons EXIT

# munge: a key and a socket of our own, so that a munged already running is left alone.
mkdir -p "$root/munge"
chown munge: "$root/munge"
dd if=/dev/urandom of="$root/munge/munge.key" bs=1024 count=1 status=none
chown munge: "$root/munge/munge.key"
chmod 400 "$root/munge/munge.key"
socket="$root/munge/munge.socket"
runuser -u munge -- munged --key-file="$root/munge/munge.key" --socket="$socket" \
  --pid-file="$root/munge/munged.pid" --log-file="$root/munge/munged.log" --seed-file="$root/munge/seed" ||
  setup_fail "munged did not start (see $root/munge/munged.log)"
started+=("$(cat "$root/munge/munged.pid")")

mkdir -p "$root/slurm/state" "$root/slurm/spool"
export SLURM_CONF="$root/slurm/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=filmsr-test
SlurmctldHost=localhost
SlurmctldPort=6917
SlurmdPort=6918
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$root/slurm/state
SlurmdSpoolDir=$root/slurm/spool
SlurmctldPidFile=$root/slurm/slurmctld.pid
SlurmdPidFile=$root/slurm/slurmd.pid
SlurmctldLogFile=$root/slurm/slurmctld.log
SlurmdLogFile=$root/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i -f "$SLURM_CONF" || setup_fail "slurmctld did not start (see $root/slurm/slurmctld.log)"
sleep 1
started+=("$(cat "$root/slurm/slurmctld.pid")")
slurmd -N localhost -f "$SLURM_CONF" || setup_fail "slurmd did not start (see $root/slurm/slurmd.log)"
sleep 1
started+=("$(cat "$root/slurm/slurmd.pid")")
for _ in $(seq 60); do
  [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break
  sleep 1
done
check "the node comes up idle" test "$(sinfo -h -o %T)" = idle

# The reference: the same job in one local process.
"$filmsr" restore "$input" "$root/local.mkv" "${options[@]}" >"$root/local.log" 2>&1
check "a local restore succeeds" test -s "$root/local.mkv"
pictures() { ffmpeg -v error -i "$1" -map 0:v -f framemd5 - | grep -v '^#'; }
sound() { ffprobe -v error -select_streams a -show_entries packet=pts,dts,duration,size -of csv "$1"; }
same_film() { [ -s "$1" ] && [ "$(pictures "$1")" = "$(pictures "$root/local.mkv")" ] && [ "$(sound "$1")" = "$(sound "$root/local.mkv")" ]; }

# A worker that fails the adaptation of unit 1 once, as a crashed task would.
cat > "$root/flaky-filmsr" <<FLAKY
#!/bin/bash
if [ "\$3" = adapt ] && [ "\$4" = 1 ] && [ ! -e "$root/failed-once" ]; then touch "$root/failed-once"; exit 7; fi
exec "$filmsr" "\$@"
FLAKY
chmod 755 "$root/flaky-filmsr"

"$filmsr" submit "$input" "$root/slurm.mkv" "${options[@]}" --worker "$root/flaky-filmsr" >"$root/submit.log" 2>&1
check "submit prints the three job ids" grep -q '^join [0-9]' "$root/submit.log"
"$filmsr" status "$root/slurm.mkv.work" >/dev/null
check "status exits 3 while work remains" test $? -eq 3

# The node goes down while a render task runs, and comes back.
downed=no
for _ in $(seq 600); do
  if squeue -h -o '%j %t' | grep -q '^filmsr-render R'; then
    scontrol update nodename=localhost state=down reason=filmsr-test
    sleep 3
    # ReturnToService=2 may have brought it back already when slurmd answered.
    sinfo -h -o %T | grep -q down && scontrol update nodename=localhost state=resume
    downed=yes
    break
  fi
  sleep 0.5
done
check "the node was set down during a render task" test "$downed" = yes

status=3
for _ in $(seq 900); do
  "$filmsr" status "$root/slurm.mkv.work" >"$root/status.txt"
  status=$?
  [ "$status" -ne 3 ] && break
  sleep 1
done
cat "$root/status.txt"
check "status exits 0 once the film is complete" test "$status" -eq 0
check "the failed adaptation was tried again" test "$(grep -c attempt.*on "$root/slurm.mkv.work/cluster/adapt-1.attempts")" -ge 2
check "the Slurm film equals the local one, frames and sound" same_film "$root/slurm.mkv"

"$filmsr" submit "$input" "$root/parallel.mkv" "${options[@]}" --via parallel --jobs 2 >"$root/parallel.log" 2>&1
check "the GNU parallel film equals the local one, frames and sound" same_film "$root/parallel.mkv"

# What a task costs besides its work: its own start (plan, networks; timed on a unit already
# done), and Slurm's dispatch of a job (an empty one, submitted and waited for).
start=$(date +%s%3N)
"$filmsr" worker "$root/slurm.mkv.work" adapt 0 >/dev/null 2>&1
task=$(($(date +%s%3N) - start))
start=$(date +%s%3N)
sbatch --quiet --wait --output=/dev/null --wrap=true >/dev/null 2>&1
dispatch=$(($(date +%s%3N) - start))
echo "measured: a task starts in $task ms (plan, networks), Slurm dispatches a job in $dispatch ms"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$root"
[ "$failed" -eq 0 ]
