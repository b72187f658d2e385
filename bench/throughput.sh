#!/usr/bin/env bash
# Throughput of `ikz extract` end to end (read, all stages, every table in
# Parquet and CSV) beside the read floor (`cat` of the same files) and the
# spaCy rule peer, measured side by side in one run of this script.
#
#   bash bench/throughput.sh [MB ...]     corpus sizes, default: 20 200 (add 1000 for 1 GB)
#
# Settings (environment):
#   RUNS=3       runs of each command per size; the median is reported
#   PEER=1       also time the spaCy peer (0 skips it); it runs on the smallest
#                size only (about 0.4 MB/s: a minute per run on 20 MB, and
#                its speed does not depend on the corpus size)
#   THREADS="2 1"  the --threads values to time ikz with
#   JSONL=1      also time one JSON Lines file of the largest size
#   KEEP=DIR     keep the corpora in DIR (made once, reused next time)
#   GAZ=N        also time ikz with N gazetteer names (today's lists padded
#                with made-up organisation names by make_gazetteer.py, added
#                to a copy of rules/organisations.tsv) against today's lists,
#                run by run in turn, on the smallest corpus
#   VS=REV       also time the ikz of git revision REV (built once, with its
#                own rules and data, in target/bench-vs/REV), run by run in
#                turn with this one, and print the median of the per-pair
#                time ratios (this / REV; below 1 means this one is faster)
#
# The corpora come from ../shared/bench/throughput/make_corpus.py over the
# seeds, ../shared/dev/docs and ../shared/dev2/docs. Peak RSS is the largest
# resident size of the process (GNU time). Machines here are 2-core and
# noisy: compare the ratios printed by one run, not times from other days.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
BENCH=$SHARED/bench/throughput
SIZES=(${@:-20 200})
RUNS=${RUNS:-3}
PEER=${PEER:-1}
THREADS=${THREADS:-2 1}
WORK=$(mktemp -d)
CORPORA=${KEEP:-$WORK}
trap 'rm -rf "$WORK"' EXIT

for tool in python3 /usr/bin/time awk; do
  command -v "$tool" > /dev/null || { echo "bench/throughput.sh needs $tool" >&2; exit 2; }
done
cargo build --release --quiet
IKZ=$PWD/target/release/ikz

if [ -n "${VS:-}" ]; then
  VS_REV=$(git rev-parse --short "$VS^{commit}")
  VS_DIR=$PWD/target/bench-vs/$VS_REV
  if [ ! -d "$VS_DIR/src" ]; then
    mkdir -p "$VS_DIR/src.part"
    git archive "$VS_REV" | tar -x -C "$VS_DIR/src.part"
    mv "$VS_DIR/src.part" "$VS_DIR/src"
  fi
  echo "building ikz $VS_REV in $VS_DIR" >&2
  (cd "$VS_DIR/src" && CARGO_TARGET_DIR="$VS_DIR/target" cargo build --release --quiet)
  VS_IKZ=("$VS_DIR/target/release/ikz" extract --rules "$VS_DIR/src/rules" --data "$VS_DIR/src/data")
fi

if [ "$PEER" = 1 ]; then
  VENV=$PWD/target/bench-venv
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spacy' 2> /dev/null; then
    echo "setting up the spaCy peer in $VENV (once)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet 'spacy==3.8.18'
  fi
  python3 "$BENCH/make_gazetteer.py" "$WORK/gazetteer.tsv" > /dev/null
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Runs a command RUNS times; prints the median seconds and the median peak RSS in MB.
timed() {
  local runs=$1; shift
  : > "$WORK/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$WORK/one" "$@" > /dev/null 2> "$WORK/stderr" || {
      echo "failed: $*" >&2; cat "$WORK/stderr" >&2; exit 1; }
    cat "$WORK/one" >> "$WORK/times"
  done
  echo "$(cut -d' ' -f1 "$WORK/times" | median) $(cut -d' ' -f2 "$WORK/times" | median | awk '{printf "%.0f", $1 / 1024}')"
}

# Runs this ikz and the one of VS in turn, RUNS times each, on corpus $1 with
# $2 threads; prints this one's median seconds and peak RSS, the other's, and
# the median of the per-pair ratios of seconds.
timed_vs() {
  : > "$WORK/pairs"
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out" "$WORK/out-vs"
    read -r A RSS_A < <(timed 1 "$IKZ" extract "$1" --out "$WORK/out" --threads "$2")
    read -r B RSS_B < <(timed 1 "${VS_IKZ[@]}" "$1" --out "$WORK/out-vs" --threads "$2")
    echo "$A $RSS_A $B $RSS_B" >> "$WORK/pairs"
  done
  local col
  for col in 1 2 3 4; do printf '%s ' "$(cut -d' ' -f$col "$WORK/pairs" | median)"; done
  awk '{print $1 / $3}' "$WORK/pairs" | median
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.2f", b / 1e6 / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

echo "ikz $(git rev-parse --short HEAD) on $(nproc) cores, $(date -u +%Y-%m-%d); median of $RUNS runs"
printf '%-8s %-34s %10s %10s %12s %10s\n' corpus command "MB/s" "peak MB" "x read floor" "x peer"
PEER_MBPS=""
for MB in "${SIZES[@]}"; do
  CORPUS=$CORPORA/corpus$MB
  if [ ! -d "$CORPUS" ]; then
    python3 "$BENCH/make_corpus.py" "$MB" "$CORPUS" seeds "$SHARED/dev/docs" "$SHARED/dev2/docs" > /dev/null
  fi
  BYTES=$(find "$CORPUS" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  read -r CAT _ < <(timed "$RUNS" sh -c "find '$CORPUS' -name '*.txt' -exec cat {} + > /dev/null")
  FLOOR=$(mbps "$BYTES" "$CAT")
  printf '%-8s %-34s %10s %10s %12s %10s\n' "${MB}MB" "cat (read floor)" "$FLOOR" - 1.00 -
  if [ "$PEER" = 1 ] && [ -z "$PEER_MBPS" ]; then
    read -r SECONDS_PEER RSS_PEER < <(timed "$RUNS" "$VENV/bin/python" "$BENCH/spacy_peer.py" "$CORPUS" "$WORK/gazetteer.tsv" "$WORK/peer.csv")
    PEER_MBPS=$(mbps "$BYTES" "$SECONDS_PEER")
    printf '%-8s %-34s %10s %10s %12s %10s\n' "${MB}MB" "spaCy peer (1 process)" "$PEER_MBPS" "$RSS_PEER" "$(ratio "$PEER_MBPS" "$FLOOR")" 1.00
  fi
  for T in $THREADS; do
    rm -rf "$WORK/out"
    if [ -n "${VS:-}" ]; then
      read -r SECONDS_IKZ RSS_IKZ SECONDS_VS RSS_VS PAIR_RATIO < <(timed_vs "$CORPUS" "$T")
    else
      read -r SECONDS_IKZ RSS_IKZ < <(timed "$RUNS" "$IKZ" extract "$CORPUS" --out "$WORK/out" --threads "$T")
    fi
    SPEED=$(mbps "$BYTES" "$SECONDS_IKZ")
    VS_PEER=$([ -n "$PEER_MBPS" ] && ratio "$SPEED" "$PEER_MBPS" || echo -)
    printf '%-8s %-34s %10s %10s %12s %10s\n' "${MB}MB" "ikz extract --threads $T" "$SPEED" "$RSS_IKZ" "$(ratio "$SPEED" "$FLOOR")" "$VS_PEER"
    if [ -n "${VS:-}" ]; then
      SPEED_VS=$(mbps "$BYTES" "$SECONDS_VS")
      VS_PEER=$([ -n "$PEER_MBPS" ] && ratio "$SPEED_VS" "$PEER_MBPS" || echo -)
      printf '%-8s %-34s %10s %10s %12s %10s\n' "${MB}MB" "ikz $VS_REV --threads $T" "$SPEED_VS" "$RSS_VS" "$(ratio "$SPEED_VS" "$FLOOR")" "$VS_PEER"
      printf '%-8s %-34s %10s\n' "${MB}MB" "time this / $VS_REV, per pair" "$PAIR_RATIO"
    fi
  done
done

if [ -n "${GAZ:-}" ]; then
  MB=${SIZES[0]}
  CORPUS=$CORPORA/corpus$MB
  BYTES=$(find "$CORPUS" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  cp -r rules "$WORK/rules-gaz"
  python3 "$BENCH/make_gazetteer.py" "$WORK/gazetteer-$GAZ.tsv" "$GAZ" > /dev/null
  # Every made-up ORG name becomes one organisation row: id, name, aliases, kind, label.
  awk -F'\t' '$1 == "ORG" && $2 ~ /^(Zweckverband|Stadtwerke|Kommunale Dienste) / {
    printf "org:made-up-%d\t%s\t\tmade up\tORG\n", ++n, $2 }' \
    "$WORK/gazetteer-$GAZ.tsv" >> "$WORK/rules-gaz/organisations.tsv"
  ROWS=$(( $(grep -vc "^#" "$WORK/rules-gaz/organisations.tsv") - 1 ))
  : > "$WORK/pairs"
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out" "$WORK/out-gaz"
    read -r A RSS_A < <(timed 1 "$IKZ" extract "$CORPUS" --out "$WORK/out-gaz" --rules "$WORK/rules-gaz")
    read -r B RSS_B < <(timed 1 "$IKZ" extract "$CORPUS" --out "$WORK/out")
    echo "$A $RSS_A $B $RSS_B" >> "$WORK/pairs"
  done
  read -r SECONDS_GAZ RSS_GAZ SECONDS_TODAY RSS_TODAY < <(for col in 1 2 3 4; do cut -d' ' -f$col "$WORK/pairs" | median; done | tr '\n' ' '; echo)
  PAIR=$(awk '{print $3 / $1}' "$WORK/pairs" | median)
  printf '%-8s %-34s %10s %10s\n' "${MB}MB" "ikz extract, today's lists" "$(mbps "$BYTES" "$SECONDS_TODAY")" "$RSS_TODAY"
  printf '%-8s %-34s %10s %10s\n' "${MB}MB" "ikz extract, $ROWS organisations" "$(mbps "$BYTES" "$SECONDS_GAZ")" "$RSS_GAZ"
  printf '%-8s %-34s %10s\n' "${MB}MB" "throughput with them / today, per pair" "$PAIR"
fi

if [ "${JSONL:-0}" = 1 ]; then
  MB=${SIZES[-1]}
  FILE=$CORPORA/corpus$MB.jsonl
  if [ ! -f "$FILE" ]; then
    python3 - "$CORPORA/corpus$MB" "$FILE" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as fh:
    for name in sorted(os.listdir(src)):
        text = open(os.path.join(src, name), encoding="utf-8").read()
        fh.write(json.dumps({"id": name[:-4], "text": text}, ensure_ascii=False) + "\n")
PY
  fi
  BYTES=$(stat -c %s "$FILE")
  rm -rf "$WORK/out"
  read -r SECONDS_IKZ RSS_IKZ < <(timed "$RUNS" "$IKZ" extract "$FILE" --out "$WORK/out")
  printf '%-8s %-34s %10s %10s %12s %10s\n' "${MB}MB" "ikz extract, one JSON Lines file" "$(mbps "$BYTES" "$SECONDS_IKZ")" "$RSS_IKZ" - -
fi
