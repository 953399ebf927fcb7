# Sourced by scripts that run test processes. The kernel rule lives in one place,
# BLASRuntime.recommendedCoreType, applied by filmsr itself (it re-executes with OPENBLAS_CORETYPE
# set); a test process links OpenBLAS directly, so it is given the kernel that filmsr reports getting.
# Needs a built filmsr: export_openblas_kernel PATH_TO_FILMSR
export_openblas_kernel() {
  [ -z "${OPENBLAS_CORETYPE:-}" ] || return 0
  local kernel
  kernel="$("$1" lab info | sed -n 's/^openblas kernel: *\([A-Za-z0-9]*\),.*/\1/p')"
  [ -n "$kernel" ] || { echo "$(basename "$0"): $1 lab info printed no OpenBLAS kernel" >&2; return 1; }
  export OPENBLAS_CORETYPE="$kernel"
}
