#!/usr/bin/env bash
# Runs one scensim scenario as N shard processes on one big machine with GNU
# parallel, then merges them. Usage:
#   deploy/parallel.sh [SCENARIO] [TRIALS] [SHARDS] [SEED]
# e.g. deploy/parallel.sh baseline 1e8 32 20250319
# Needs scensim and GNU parallel on PATH. The shards go into
# OUT/shards/NAME-shard-K-of-N/, the merged result into OUT/NAME/ (OUT from
# the environment, default out). Stops at the first failed shard.
set -euo pipefail
SCENARIO=${1:-baseline}
TRIALS=${2:-1e7}
SHARDS=${3:-$(nproc)}
SEED=${4:-20250319}
OUT=${OUT:-out}
command -v scensim >/dev/null || { echo "parallel.sh: scensim is not on PATH" >&2; exit 2; }
command -v parallel >/dev/null || { echo "parallel.sh: GNU parallel is not on PATH (Debian/Ubuntu: apt-get install parallel)" >&2; exit 2; }
name=$(basename "$SCENARIO" .yaml)
seq 0 $((SHARDS - 1)) | parallel --halt now,fail=1 \
  scensim run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --workers 1 --quiet --format none \
  --shard "{}/$SHARDS" --out "$OUT/shards"
scensim merge --out "$OUT" "$OUT/shards/$name"-shard-*-of-"$SHARDS"
