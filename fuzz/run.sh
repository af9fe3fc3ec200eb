#!/usr/bin/env bash
# Runs one fuzz target for SECONDS, seeded from fuzz/seeds/TARGET and the project's own fixtures,
# growing CORPUS (default: a fresh temporary folder). Needs cargo-fuzz; the stable toolchain takes
# cargo-fuzz's -Z flags through RUSTC_BOOTSTRAP, as no nightly can be fetched here.
#   fuzz/run.sh decode|rules|clean [SECONDS] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
target="$1"
seconds="${2:-60}"
corpus="${3:-$(mktemp -d)}"
mkdir -p "$corpus"
case "$target" in
  decode) seeds=(fuzz/seeds/decode tests/fixtures/html/encodings tests/fixtures/encodings tests/fixtures/bad) ;;
  rules) seeds=(rules) ;;
  clean) seeds=(samples tests/fixtures/html tests/fixtures/lbcgroup tests/fixtures/cnn-arabic) ;;
  *) echo "unknown fuzz target $target (decode, rules, clean)" >&2; exit 2 ;;
esac
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" "$corpus" "${seeds[@]}" -- \
  -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
