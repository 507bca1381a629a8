# Shared by scripts/test and scripts/demo: install what is missing, then configure and build.
# Sourced, not run. Idempotent: a second run installs nothing and rebuilds only what changed.

TUSKPRINT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TUSKPRINT_BUILD="${TUSKPRINT_BUILD:-$TUSKPRINT_ROOT/build}"

# Debian 12 packages the build, the tests and the demo need.
TUSKPRINT_PACKAGES=(
  cmake g++ make pkg-config
  libopencv-dev libopenjp2-7-dev libeigen3-dev libfaiss-dev
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libbenchmark-dev libgtest-dev libsqlite3-dev
  nlohmann-json3-dev libcli11-dev libssl-dev libxml2-dev
  libxml2-utils graphviz jq
)

tuskprint_install_packages() {
  local missing=()
  local p
  for p in "${TUSKPRINT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "TuskPrint needs these Debian packages. Install them as root, then run this again:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "==> installing ${#missing[@]} Debian package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

tuskprint_build() {
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  echo "==> configuring and building (Release) in $TUSKPRINT_BUILD"
  cmake -S "$TUSKPRINT_ROOT" -B "$TUSKPRINT_BUILD" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$TUSKPRINT_BUILD" -j "$jobs"
}
