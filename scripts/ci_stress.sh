#!/usr/bin/env bash
# Five runs of .ci/run on fresh clones of this repository's main, a CPU-heavy
# neighbour (one busy Python loop) beside them: the proof that CI is not flaky
# under load. Prints one line per run: exit code, seconds, the test summary.
# Usage: scripts/ci_stress.sh [RUNS]   (logs in /tmp/ci-run-N.log)
set -u
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
runs=${1:-5}
python3 -c "while True: pass" & hog=$!
trap 'kill $hog' EXIT
for i in $(seq 1 "$runs"); do
  clone=$(mktemp -d)
  git clone -q "$repo" "$clone"
  start=$(date +%s)
  (cd "$clone" && CI=true bash .ci/run </dev/null > "/tmp/ci-run-$i.log" 2>&1); rc=$?
  echo "run $i: exit $rc, $(( $(date +%s) - start )) s, $(tail -1 "/tmp/ci-run-$i.log")"
  rm -rf "$clone"
done
