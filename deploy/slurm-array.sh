#!/usr/bin/env bash
# Runs one scensim scenario as a Slurm job array of N shards, then merges
# them in a job that starts only if every shard succeeded.
#
#   sbatch deploy/slurm-array.sh            # submits the shards and the merge
#
# Settings (environment): SCENARIO, TRIALS, SEED, SHARDS, OUT.
#SBATCH --job-name=scensim-shard
#SBATCH --cpus-per-task=2
#SBATCH --mem=512M
#SBATCH --time=02:00:00
set -euo pipefail
SCENARIO=${SCENARIO:-baseline}
TRIALS=${TRIALS:-1e8}
SEED=${SEED:-20250319}
SHARDS=${SHARDS:-16}
OUT=${OUT:-results}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Not inside the array yet: submit it, and the merge after it.
  jid=$(sbatch --parsable --array="0-$((SHARDS - 1))" \
    --export=ALL,SCENARIO="$SCENARIO",TRIALS="$TRIALS",SEED="$SEED",SHARDS="$SHARDS",OUT="$OUT" "$0")
  sbatch --dependency="afterok:${jid}" --job-name=scensim-merge --cpus-per-task=1 --mem=512M \
    --wrap="scensim merge --out '$OUT/merged' '$OUT'/*-shard-*-of-$SHARDS"
  echo "submitted shards as job $jid and the merge after them"
  exit 0
fi

scensim run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --quiet --format none \
  --workers "${SLURM_CPUS_PER_TASK:-2}" --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" --out "$OUT"
