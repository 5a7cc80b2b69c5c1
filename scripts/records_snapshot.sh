#!/usr/bin/env bash
# Build the record of every corpus rendition (and of ../shared's extra2 and unlabeled plans,
# when present) into OUT, without Prefect. Two snapshots compare with `diff -r A B`:
# a refactor that must not change records shows no difference.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/records_snapshot.sh OUT_DIR}
rm -rf "$out"; mkdir -p "$out"
py=${PYTHON:-.venv/bin/python}
$py -m pipeline.build corpus/plans corpus/extra --out "$out/a" > "$out/a.log" 2>&1 &
if [ -d ../shared/corpus/extra2 ]; then
    $py -m pipeline.build ../shared/corpus/extra2 ../shared/corpus/unlabeled --out "$out/b" > "$out/b.log" 2>&1 &
fi
wait
ls "$out"/a "$out"/b 2>/dev/null | grep -c json
