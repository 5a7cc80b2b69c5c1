#!/usr/bin/env bash
# Score a records snapshot (scripts/records_snapshot.sh DIR) against every gold file:
# all gold documents and renditions together, then the extra2 documents alone (the plans
# that were new in issue 12). Details per document in DIR/score.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/score_snapshot.sh SNAPSHOT_DIR}
py=${PYTHON:-.venv/bin/python}
gold=corpus/gold; [ -d ../shared/gold ] && gold=../shared/gold
scorer=vnplan/score_gold.py
rm -rf "$dir/all" "$dir/extra2"; mkdir -p "$dir/all" "$dir/extra2"
cp "$dir"/a/*.json "$dir/all/" 2>/dev/null || true
for f in "$dir"/b/*.json; do
    [ -e "$f" ] || continue
    cp "$f" "$dir/all/"
    grep -q '"path": "[^"]*extra2/' "$f" && cp "$f" "$dir/extra2/"
done
$py "$scorer" "$gold" "$dir/all" --only-present --verbose > "$dir/score.txt" 2>&1 || true
echo "== all gold documents, every rendition"; $py "$scorer" "$gold" "$dir/all" --only-present | grep -v "without a record"
if ls "$dir"/extra2/*.json >/dev/null 2>&1; then
    echo "== extra2 only"; $py "$scorer" "$gold" "$dir/extra2" --only-present | grep -v "without a record"
fi
