#!/usr/bin/env bash
# The native trainer from a shell, as a user runs it: options, output formats, model files, and
# every kind of bad input ending in a non-zero exit with a message on stderr (never a crash).
# Usage: test_cli.sh PATH/TO/backprop   (MNIST in $BPL_DATA, fetched by ./build.sh setup)
set -uo pipefail

BIN="$1"
DATA="${BPL_DATA:?set BPL_DATA to the MNIST folder (./build.sh setup fetches it)}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; [[ -n "${2:-}" ]] && sed 's/^/    /' <<<"$2"; }

# expect_fail NAME EXIT_CODE STDERR_SUBSTRING -- ARGS...
expect_fail() {
  local name="$1" code="$2" text="$3"
  shift 4
  local err rc
  err="$(timeout 120 "$BIN" "$@" 2>&1 >/dev/null)"
  rc=$?
  if [[ $rc -eq $code && "$err" == *"$text"* && $rc -lt 128 ]]; then ok "$name"; else not_ok "$name (exit $rc)" "$err"; fi
}

[[ -d "$DATA" ]] || { echo "not ok - MNIST folder $DATA is missing; run ./build.sh setup"; echo "0 passed, 1 failed"; exit 1; }

# --help
out="$("$BIN" --help)" && [[ "$out" == *"--sizes"* && "$out" == *"--json"* ]] && ok "--help lists the options" || not_ok "--help"

# Usage errors: exit 2.
expect_fail "unknown option" 2 "unknown option '--speed'" -- --speed 3
expect_fail "missing value" 2 "--eta needs a value" -- --eta
expect_fail "eta not a number" 2 "--eta expects a number, got 'fast'" -- --eta fast
expect_fail "zero neurons" 2 "0 neurons" -- --sizes 784,0,10
expect_fail "bad activation" 2 "sigmoid" -- --activation softsign
expect_fail "seed out of range" 2 "--seed must be between" -- --seed -1
expect_fail "epochs zero" 2 "--epochs must be between 1" -- --epochs 0
expect_fail "a flag given a value" 2 "--json takes no value" -- --json=1
expect_fail "eta beyond float" 1 "too large" -- --eta 1e39

# Bad hyperparameters and data: exit 1, before or after reading data.
expect_fail "eta <= 0" 1 "eta" -- --eta 0 --data "$DATA"
expect_fail "batch larger than the training set" 1 "larger than the 50000 training images" -- --batch 60000 --data "$DATA"
expect_fail "input layer does not match the images" 1 "784" -- --sizes 100,10 --data "$DATA"
expect_fail "missing data folder" 1 "--data" -- --data "$TMP/nowhere"
expect_fail "a step network cannot train" 1 "cannot be trained by gradient descent" -- --activation step --epochs 1 --data "$DATA"
mkdir -p "$TMP/truncated"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [[ -f "$DATA/$f" ]]; then cp "$DATA/$f" "$TMP/truncated/$f"; else gzip -dc "$DATA/$f.gz" > "$TMP/truncated/$f"; fi
done
truncate -s 7000000 "$TMP/truncated/t10k-images-idx3-ubyte"
expect_fail "truncated image file" 1 "truncated" -- --data "$TMP/truncated"
printf 'not an idx file' > "$TMP/truncated/t10k-images-idx3-ubyte"
expect_fail "corrupt image file" 1 "t10k-images-idx3-ubyte" -- --data "$TMP/truncated"
expect_fail "divergence is caught" 1 "diverged" -- --sizes 784,100,100,10 --activation relu \
  --cost log-likelihood --eta 1000000 --epochs 1 --data "$DATA"

# A real epoch with --json and --save.
json="$("$BIN" --epochs 1 --json --save "$TMP/net.bplm" --data "$DATA" 2>"$TMP/err")"
if [[ $? -eq 0 ]] && node -e '
  const r = JSON.parse(process.argv[1]);
  for (const k of ["epoch", "test_correct", "test_total", "validation_correct", "cost", "seconds"])
    if (!(k in r)) throw new Error("missing " + k);
  if (r.epoch !== 0 || r.test_total !== 10000 || r.test_correct < 9000 || !(r.seconds > 0)) throw new Error(JSON.stringify(r));
' "$json"; then ok "one epoch, --json: fields present, >= 90% on test"; else not_ok "--json epoch" "$json $(cat "$TMP/err")"; fi

# Nielsen's lines without --json, continuing from the saved model.
out="$("$BIN" --epochs 1 --load "$TMP/net.bplm" --data "$DATA" 2>&1)"
if [[ $? -eq 0 && "$out" =~ Epoch\ 0:\ (9[0-9]{3})\ /\ 10000 ]]; then ok "--load continues training: ${BASH_REMATCH[0]}"; else not_ok "--load" "$out"; fi

expect_fail "--load with other --sizes" 1 "784,30,10" -- --load "$TMP/net.bplm" --sizes 784,100,10 --data "$DATA"
head -c 1000 "$TMP/net.bplm" > "$TMP/short.bplm"
expect_fail "--load of a truncated model" 1 "short.bplm" -- --load "$TMP/short.bplm" --data "$DATA"
expect_fail "--load of a missing model" 1 "missing.bplm" -- --load "$TMP/missing.bplm" --data "$DATA"
expect_fail "--save into a missing folder fails before training" 1 "cannot write --save" -- --epochs 1 --save "$TMP/nodir/x.bplm" --data "$DATA"

# network2.py's JSON: written for a .json --save, read by content whatever the name.
evaluate_count() { "$BIN" --load "$1" --evaluate --json --data "$DATA" 2>&1 | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).test_correct));'; }
bplm_count="$(evaluate_count "$TMP/net.bplm")"
if "$BIN" --load "$TMP/net.bplm" --evaluate --save "$TMP/net.json" --data "$DATA" >/dev/null 2>"$TMP/err" &&
   [[ "$(head -c 10 "$TMP/net.json")" == '{"sizes": ' ]] &&
   "$BIN" --load "$TMP/net.json" --evaluate --save "$TMP/again.bplm" --data "$DATA" >/dev/null 2>>"$TMP/err" &&
   cmp -s "$TMP/net.bplm" "$TMP/again.bplm"; then
  ok "bplm -> json -> bplm: the same bytes (weights bit-identical)"
else not_ok "bplm -> json -> bplm round trip" "$(cat "$TMP/err")"; fi
cp "$TMP/net.json" "$TMP/json-named.bplm"
json_count="$(evaluate_count "$TMP/json-named.bplm")"
if [[ -n "$bplm_count" && "$json_count" == "$bplm_count" ]]; then ok "--load tells JSON by content (a .bplm name), --evaluate: $json_count / 10000"
else not_ok "--load by content" "bplm $bplm_count, json $json_count"; fi
out="$("$BIN" --load "$TMP/net.json" --evaluate --data "$DATA" 2>&1)"
if [[ "$out" == *"Test: $bplm_count / 10000"* ]]; then ok "--evaluate prints Nielsen-style: Test: N / 10000"; else not_ok "--evaluate text" "$out"; fi
out="$("$BIN" --epochs 1 --load "$TMP/net.json" --data "$DATA" 2>&1)"
if [[ $? -eq 0 && "$out" =~ Epoch\ 0:\ (9[0-9]{3})\ /\ 10000 ]]; then ok "--load of JSON continues training: ${BASH_REMATCH[0]}"; else not_ok "--load json" "$out"; fi
expect_fail "--evaluate without --load" 2 "--evaluate needs --load" -- --evaluate

# Bad model files, each with its message (exit 1, nothing trained).
bad() { printf '%s' "$2" > "$TMP/$1"; }
bad notjson.json '{"sizes": [784, 30, 10], "weights": [[[1, 2'
expect_fail "JSON cut off" 1 "notjson.json: not valid JSON at byte" -- --load "$TMP/notjson.json" --evaluate --data "$DATA"
bad list.json '[784, 30, 10]'
expect_fail "JSON that is not a network" 1 "not a network: the JSON is a list" -- --load "$TMP/list.json" --evaluate --data "$DATA"
bad shape.json '{"sizes": [784, 2, 10], "weights": [[[0.5]], [[1, 2]]], "biases": [[0, 0], [0]], "cost": "QuadraticCost"}'
expect_fail "JSON lists of the wrong shape" 1 "weights[0] has 1 rows, but sizes [784,2,10] need 2" -- --load "$TMP/shape.json" --evaluate --data "$DATA"
sed 's/\[\[\[[-0-9.e]*/[[[NaN/' "$TMP/net.json" > "$TMP/nan.json"
expect_fail "JSON with NaN" 1 "weights[0][0][0] is NaN or Infinity" -- --load "$TMP/nan.json" --evaluate --data "$DATA"
sed 's/"sizes": \[784, 30, 10\]/"sizes": [785, 30, 10]/' "$TMP/net.json" > "$TMP/785.json"
expect_fail "JSON sizes that are not MNIST's" 1 "weights[0][0] has 784 numbers, but sizes [785,30,10] need 785" -- --load "$TMP/785.json" --evaluate --data "$DATA"
bad png.bplm $'\x89PNG\r\n'
expect_fail "neither format" 1 "png.bplm: not a model file" -- --load "$TMP/png.bplm" --evaluate --data "$DATA"
truncate -s 200M "$TMP/huge.json"
expect_fail "a 200 MB file is refused unread" 1 "the file has 200 MB; a model file is at most 64 MB" -- --load "$TMP/huge.json" --evaluate --data "$DATA"

# --dataset: Fashion-MNIST (in $BPL_FASHION_DATA, set by build.sh) by name; its first labels are
# 9 0 0 3 (ankle boot, T-shirt, T-shirt, dress), so a run that had read MNIST instead would differ.
expect_fail "an unknown dataset" 2 "--dataset must be mnist or fashion, got 'cifar'" -- --dataset cifar
expect_fail "--dataset and --data together" 2 "give one of them" -- --dataset fashion --data "$DATA"
BPL_FASHION_DATA="$TMP/nowhere" expect_fail "Fashion-MNIST missing" 1 "dataset-fashion-mnist" -- \
  --dataset fashion --epochs 1 --sizes 784,10
if [[ -d "${BPL_FASHION_DATA:-}" ]]; then
  fashion="$("$BIN" --dataset fashion --sizes 784,30,10 --epochs 1 --json 2>/dev/null)"
  mnist="$("$BIN" --dataset mnist --sizes 784,30,10 --epochs 1 --json 2>/dev/null)"
  same="$("$BIN" --data "$BPL_FASHION_DATA" --sizes 784,30,10 --epochs 1 --json 2>/dev/null)"
  count() { grep -o '"test_correct": [0-9]*' <<<"$1" | head -1 | grep -o '[0-9]*$'; }
  f="$(count "$fashion")" m="$(count "$mnist")" s="$(count "$same")"
  # One epoch of [784,30,10]: about 73% on the clothes, about 90% on the digits.
  if [[ -n "$f" && -n "$m" && "$f" -gt 6000 && "$f" -lt 8500 && "$m" -gt 8500 && "$f" == "$s" ]]; then
    ok "--dataset fashion trains on Fashion-MNIST ($f / 10000), --dataset mnist on MNIST ($m / 10000)"
  else
    not_ok "--dataset fashion / mnist" "fashion: $fashion"$'\n'"mnist: $mnist"
  fi
else
  not_ok "BPL_FASHION_DATA is not set to a folder: run through ./build.sh test"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
