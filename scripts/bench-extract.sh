#!/bin/sh
# Extraction throughput benchmark (issue 7 acceptance): raw psql COPY vs
# pgsnow CSV+zstd and CSV uncompressed, two CTID-range streams each, on a
# dedicated throwaway cluster. Usage: scripts/bench-extract.sh [rows]
# (default 10000000; the 10 M-row setup takes several minutes).
set -eu
cd "$(dirname "$0")/.."
PGSNOW_BENCH_ROWS="${1:-10000000}" exec go test -run '^$' -bench '^BenchmarkExtract$' -benchtime 1x \
	-timeout 60m ./providers/postgres/extract/
