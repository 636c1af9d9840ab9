#!/usr/bin/env bash
# Search the property tests at random, deeper than CI does (CI draws the same examples every run).
#
#   scripts/fuzz_properties.sh                       # tests/test_properties.py, 3 rounds
#   FUZZ_ROUNDS=10 scripts/fuzz_properties.sh tests/test_claims.py tests/test_disclaimer.py
#
# Each round uses a fresh random seed, printed first: a failure prints the falsifying example and
# a @reproduce_failure blob, and `--hypothesis-seed=SEED` replays the round. Tests that fix their
# own max_examples keep it, so the rounds are what makes them deeper.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
ROUNDS=${FUZZ_ROUNDS:-3}
[ "$#" -gt 0 ] || set -- tests/test_properties.py
for round in $(seq 1 "$ROUNDS"); do
    seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
    echo "round $round of $ROUNDS: --hypothesis-seed=$seed"
    HYPOTHESIS_PROFILE=deep "$PYTEST" -q -p no:cacheprovider --hypothesis-seed="$seed" "$@"
done
