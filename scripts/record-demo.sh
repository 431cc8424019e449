#!/usr/bin/env bash
# Records the demo data again: trains the example pipeline's classifiers for
# real (Debian's python3-sklearn) and records the API calls it would make.
# `npm run demo` replays this recording through the HTTP API.
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/sklearn-pipeline/recorded-run.json
rm -f "$out"
/usr/bin/python3 examples/sklearn-pipeline/pipeline.py --offline --record "$out" \
  --dataset breast_cancer --classifiers logreg,random_forest,gradient_boosting
/usr/bin/python3 examples/sklearn-pipeline/pipeline.py --offline --record "$out" \
  --dataset wine --classifiers logreg,decision_tree
echo "recorded $out"
