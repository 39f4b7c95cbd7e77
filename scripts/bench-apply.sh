#!/bin/sh
# Apply benchmarks (issue 7 acceptance), each on a dedicated throwaway
# cluster with the emulator in process:
#   memory      BenchmarkApplyMemory: peak RSS of 'pgsnow apply' on one
#               table of PGSNOW_BENCH_BYTES heap bytes (default 5 GB)
#   throughput  BenchmarkApplyThroughput: extract + compress + stage (client-
#               side encrypted and SNOWFLAKE_SSE stages) vs two raw psql COPY
#               streams, PGSNOW_BENCH_ROWS rows (default 10 M), best of
#               PGSNOW_BENCH_ROUNDS interleaved rounds (default 2)
# Usage: scripts/bench-apply.sh [memory|throughput|all]
# Full size takes several minutes each (table generation included).
set -eu
cd "$(dirname "$0")/.."
case "${1:-all}" in
memory) pat='^BenchmarkApplyMemory$' ;;
throughput) pat='^BenchmarkApplyThroughput$' ;;
all) pat='^BenchmarkApply(Memory|Throughput)$' ;;
*) echo "usage: $0 [memory|throughput|all]" >&2; exit 2 ;;
esac
exec go test -run '^$' -bench "$pat" -benchtime 1x -timeout 90m ./cmd/pgsnow/internal/command/
