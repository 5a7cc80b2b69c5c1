#!/usr/bin/env bash
# Install everything (system packages included) and run the main job on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/vnplan run corpus/plans corpus/extra --out outputs "$@"
echo "records: outputs/plans/  store: outputs/vnplan.db  report: outputs/comparison.html  errors: outputs/errors.json"
