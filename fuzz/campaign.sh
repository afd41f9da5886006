#!/usr/bin/env bash
# Runs fuzz targets one after another, each for SECONDS (default 1200), with the limits the
# project uses (-rss_limit_mb=2048 -timeout=10), and prints one line per target:
# target, seconds, executions, crashes found. Logs go to fuzz/fuzz-TARGET.log (gitignored).
# usage: fuzz/campaign.sh [SECONDS] TARGET...
set -uo pipefail
cd "$(dirname "$0")"
secs=1200
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then secs=$1; shift; fi
for t in "$@"; do
  mkdir -p "corpus/$t"
  extra=()
  case $t in xml_*) extra=(-max_len=16384 -dict=xml.dict) ;; esac
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus/$t" -- \
    -rss_limit_mb=2048 -timeout=10 -max_total_time="$secs" "${extra[@]}" \
    > "fuzz-$t.log" 2>&1
  rc=$?
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "fuzz-$t.log" | tail -1)
  crashes=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  echo "$t: exit $rc; ${runs:-no summary (see fuzz-$t.log)}; artifacts: $crashes"
done
