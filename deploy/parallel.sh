#!/usr/bin/env bash
# Runs one scensim scenario as N shard processes on one big machine with GNU
# parallel, then merges them. Usage:
#   deploy/parallel.sh [SCENARIO] [TRIALS] [SHARDS] [SEED]
# e.g. deploy/parallel.sh baseline 1e8 32 20250319
set -euo pipefail
SCENARIO=${1:-baseline}
TRIALS=${2:-1e7}
SHARDS=${3:-$(nproc)}
SEED=${4:-20250319}
OUT=${OUT:-out}
command -v parallel >/dev/null || { apt-get install -y parallel || { apt-get update && apt-get install -y parallel; }; } >/dev/null
name=$(basename "$SCENARIO" .yaml)
seq 0 $((SHARDS - 1)) | parallel --halt now,fail=1 \
  scensim run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --workers 1 --quiet --format none \
  --shard "{}/$SHARDS" --out "$OUT/shards"
scensim merge --out "$OUT" "$OUT/shards/$name"-shard-*-of-"$SHARDS"
