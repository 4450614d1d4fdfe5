#!/usr/bin/env bash
# Runs one scensim scenario as a Slurm job array of N shards, then merges
# them in a job that starts only if every shard succeeded (and is cancelled
# if one fails).
#
#   sbatch deploy/slurm-array.sh            # submits the shards and the merge
#   SHARDS=4 TRIALS=1e6 sbatch deploy/slurm-array.sh
#
# Settings (environment): SCENARIO (an embedded name or a path every node
# can read), TRIALS, SEED, SHARDS, OUT (a folder every node can write;
# relative paths are relative to the submit folder). scensim must be on
# PATH on every node. The shards go into OUT/NAME-shard-K-of-N/, the merged
# result into OUT/merged/NAME/.
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
name=$(basename "$SCENARIO" .yaml)
command -v scensim >/dev/null || { echo "slurm-array.sh: scensim is not on PATH" >&2; exit 2; }

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Not inside the array yet: submit it, and the merge after it.
  jid=$(sbatch --parsable --array="0-$((SHARDS - 1))" \
    --export=ALL,SCENARIO="$SCENARIO",TRIALS="$TRIALS",SEED="$SEED",SHARDS="$SHARDS",OUT="$OUT" "$0")
  jid=${jid%%;*} # --parsable prints "id;cluster" on multi-cluster setups
  mid=$(sbatch --parsable --dependency="afterok:${jid}" --kill-on-invalid-dep=yes \
    --job-name=scensim-merge --cpus-per-task=1 --mem=512M \
    --wrap="scensim merge --out '$OUT/merged' '$OUT/$name'-shard-*-of-$SHARDS")
  echo "submitted shards as job $jid and the merge as job $mid"
  exit 0
fi

scensim run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --quiet --format none \
  --workers "${SLURM_CPUS_PER_TASK:-2}" --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" --out "$OUT"
