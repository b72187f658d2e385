#!/usr/bin/env bash
# Throughput of `ikz extract` end to end (read, all stages, Parquet + CSV out)
# against the read floor (`cat` of the same files), measured side by side.
#
#   bash bench/throughput.sh [MB] [RUNS]        (defaults: 20 MB, 5 runs)
#   PEER_PYTHON=/path/to/venv/bin/python bash bench/throughput.sh
#       also times the spaCy peer of ../shared/bench/throughput (slow: ~1 min per run)
#
# The corpus is ../shared/bench/throughput/make_corpus.py over the seeds and the
# dev pages. Prints the median of RUNS runs of each and the ratios. Machines here
# are 2-core and noisy: compare ratios from one run of this script, not times
# from different days.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
RUNS=${2:-5}
SHARED=../shared
BENCH=$SHARED/bench/throughput
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
python3 "$BENCH/make_corpus.py" "$MB" "$WORK/corpus" seeds "$SHARED/dev/docs" > /dev/null
BYTES=$(cat "$WORK"/corpus/* | wc -c)

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

for _ in $(seq "$RUNS"); do seconds sh -c "cat $WORK/corpus/* > /dev/null"; done | median > "$WORK/cat"
for _ in $(seq "$RUNS"); do seconds ./target/release/ikz extract "$WORK/corpus" --out "$WORK/out"; done | median > "$WORK/ikz"
CAT=$(cat "$WORK/cat"); IKZ=$(cat "$WORK/ikz")
mbps() { echo "scale=2; $BYTES / 1000000 / $1" | bc -l; }
echo "corpus: $(ls "$WORK/corpus" | wc -l) files, $BYTES bytes; median of $RUNS runs; $(nproc) cores"
echo "read floor (cat):          $(mbps "$CAT") MB/s"
echo "ikz extract (parquet,csv): $(mbps "$IKZ") MB/s  = $(echo "scale=3; $CAT / $IKZ" | bc -l) of the read floor"
if [ -n "${PEER_PYTHON:-}" ]; then
  python3 "$BENCH/make_gazetteer.py" "$WORK/gaz.tsv" > /dev/null
  PEER=$(for _ in $(seq 3); do seconds "$PEER_PYTHON" "$BENCH/spacy_peer.py" "$WORK/corpus" "$WORK/gaz.tsv" "$WORK/peer.csv"; done | median)
  echo "spaCy peer (3 runs):       $(mbps "$PEER") MB/s; ikz is $(echo "scale=1; $PEER / $IKZ" | bc -l)x faster"
fi
