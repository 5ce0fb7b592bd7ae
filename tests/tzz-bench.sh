#!/bin/bash
cd "$(dirname "$0")/.." || exit 1
PARTS=2 JOBS="8 32" tests/bench/bench-scale.sh 2>&1
