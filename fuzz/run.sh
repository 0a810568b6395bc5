#!/usr/bin/env bash
# Builds every fuzz target and runs each one for a bounded time (60 s by
# default; FUZZ_SECONDS=N changes it), starting from the small seeds in
# fuzz/seeds/ plus whatever earlier runs left in fuzz/corpus/. Prints one line
# per target: executions, run time, corpus size, and crashes (a crash's input
# is in fuzz/artifacts/TARGET/). Exits 1 when any target crashed.
#
# cargo-fuzz drives libFuzzer with AddressSanitizer, which needs a nightly
# toolchain (-Zsanitizer); `rustup toolchain install nightly` and
# `cargo install cargo-fuzz` set it up. CI does not run this: it runs the
# property tests (tests/library/outside_data_props.rs) instead.
set -uo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-60}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked || exit 1

cargo "+$toolchain" fuzz build -O || exit 1

failed=0
results=()
for target in $(cargo "+$toolchain" fuzz list); do
  mkdir -p "corpus/$target" "artifacts/$target" logs
  cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null
  before=$(find "artifacts/$target" -type f | wc -l)
  log="logs/$target.log"
  # -rss_limit_mb: a parser that balloons on a small input is a finding too.
  cargo "+$toolchain" fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  corpus=$(find "corpus/$target" -type f | wc -l)
  crashes=$(( $(find "artifacts/$target" -type f | wc -l) - before ))
  if [ "$code" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    status="CRASHED (exit $code; see fuzz/$log and fuzz/artifacts/$target/)"
  else
    status="no crash"
  fi
  results+=("$(printf '%-15s %12s executions in %4s s, corpus %5s inputs, %s' \
    "$target" "${runs:-?}" "${took:-?}" "$corpus" "$status")")
done

echo
echo "fuzz/run.sh, $(date -u +%Y-%m-%d), ${seconds} s per target, $(rustc "+$toolchain" --version):"
printf '%s\n' "${results[@]}"
exit "$failed"
