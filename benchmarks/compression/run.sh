#!/usr/bin/env bash
# On-the-fly gzip at the server: wrk against a copy of the distribution, each path with and without
# `Accept-Encoding: gzip`, in both orders, in one server process. See README.md.
#
#   benchmarks/compression/run.sh
#
# Environment (defaults in brackets):
#   PLINTH_HOME  a built distribution [distribution/target/plinth]; copied to WORK, never changed. Its
#                etc/dev.plinth.http.cfg must say compression=true (the shipped one does).
#   LEVEL        compressionLevel written into the copy's listener configuration [none: the listener's default, 6]
#   PATHS        paths measured, each a file of the docroot [/index.html /style.css /README.md /README-precompressed.md]
#   WARMUP, DURATION  wrk warm-up and measured run per measurement [10s, 15s]
#   THREADS, CONNS    wrk -t and -c [2, 50]
#   WORK         scratch folder [/tmp/plinth-gzbench]
#   OUT          results folder [benchmarks/compression/results/<date>]
#   PORT         [18090]
# The docroot is the sample site (distribution/src/main/dist/www), the project's README.md, the same as
# README-precompressed.md with a sibling README-precompressed.md.gz (gzip -6 -n: the static handler serves it
# instead of compressing on the fly) and GzipCost's generated.json (needs benchmarks/target/benchmarks.jar).
#
# Per measurement (results.tsv): requests/s, p99, the server's CPU per request (utime + stime of every thread, from
# /proc/PID/stat, as benchmarks/server/run.sh counts it) and its share on the selector (I/O) threads and on the
# worker threads (/proc/PID/task/*/stat), wrk's own CPU, the bytes of one response (head and body, from curl),
# and wrk's read bytes per request (which counts the responses cut off at the end: use the curl figure).
# Each path's pair of measurements (identity then gzip, or gzip then identity) has a server started for it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PLINTH_HOME=${PLINTH_HOME:-$ROOT/distribution/target/plinth}
PATHS=${PATHS:-"/index.html /style.css /README.md /README-precompressed.md"}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}
WORK=${WORK:-/tmp/plinth-gzbench}
OUT=${OUT:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${PORT:-18090}
BASE_URL=http://127.0.0.1:$PORT
HEAP="-Xmx512m -Xms512m"
DOC=$WORK/docroot
HOME_COPY=$WORK/plinth-home
CLK_TCK=$(getconf CLK_TCK)
GZIP_HEADER="Accept-Encoding: gzip"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=../tools.sh
source "$HERE/../tools.sh"

prepare() {
    ensure_load_tools
    [[ -f $PLINTH_HOME/plinth.jar ]] || { echo "no distribution at $PLINTH_HOME (build it: mvn -q -DskipTests install)" >&2; exit 1; }
    grep -q '^compression=true' "$PLINTH_HOME/etc/dev.plinth.http.cfg" ||
        { echo "$PLINTH_HOME/etc/dev.plinth.http.cfg does not say compression=true" >&2; exit 1; }
    mkdir -p "$WORK" "$OUT"
    rm -rf "$HOME_COPY" "$DOC"
    cp -r "$PLINTH_HOME" "$HOME_COPY"
    rm -rf "$HOME_COPY/data" "$HOME_COPY/logs" "$HOME_COPY/etc/dev.plinth.accesslog.cfg" # as benchmarks/server
    [[ -z ${LEVEL:-} ]] || echo "compressionLevel=$LEVEL" >>"$HOME_COPY/etc/dev.plinth.http.cfg"
    cp -r "$ROOT/distribution/src/main/dist/www" "$DOC"
    cp "$ROOT/README.md" "$DOC/README.md"
    cp "$ROOT/README.md" "$DOC/README-precompressed.md"
    gzip -6 -n -c "$DOC/README-precompressed.md" >"$DOC/README-precompressed.md.gz"
    local jar=$ROOT/benchmarks/target/benchmarks.jar
    [[ ! -f $jar ]] || java -cp "$jar" dev.plinth.benchmarks.compress.GzipCost --write-json "$DOC/generated.json"
    {
        echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "plinth home measured: $PLINTH_HOME${PLINTH_COMMIT:+ (commit $PLINTH_COMMIT)}"
        echo "plinth bundles built: $(stat -c %y "$PLINTH_HOME"/bundles/http-core-*.jar | cut -c1-19)"
        echo "listener: $(grep '^compression' "$HOME_COPY/etc/dev.plinth.http.cfg" | tr '\n' ' ')"
        echo "work tree: $(git -C "$ROOT" rev-parse --short HEAD)"
        echo "docroot: $(cd "$DOC" && for f in *; do printf '%s %s B; ' "$f" "$(stat -c %s "$f")"; done)"
        echo "wrk: -t$THREADS -c$CONNS, warm-up $WARMUP, measured $DURATION"
        echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
        echo "java: $(java -version 2>&1 | sed -n 2p), $HEAP"
        echo "wrk version: $(wrk -v 2>&1 | head -1)"
        echo "kernel: $(uname -r)"
        echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    } >"$OUT/env.txt"
}

SERVER_PID=
SERVER_LOG=
start_server() { # name of its log
    if timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$PORT" 2>/dev/null; then
        echo "something already listens on 127.0.0.1:$PORT: stop it or set PORT" >&2
        exit 1
    fi
    # shellcheck disable=SC2086 # HEAP is words
    SERVER_LOG=$OUT/plinth-$1.log
    java $HEAP -jar "$HOME_COPY/plinth.jar" --port "$PORT" --host 127.0.0.1 --docroot "$DOC" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 600; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE_URL/index.html" || true) == 200 ]]; then
            log "plinth up (pid $SERVER_PID)"
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; echo "plinth died" >&2; exit 1; }
        sleep 0.1
    done
    echo "plinth did not answer $BASE_URL/index.html within 60 s" >&2
    exit 1
}
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 300; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done # drains 5 s
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
trap stop_server EXIT

# CPU ticks of the server's threads, as "all selector worker" (thread names: plinth-selector-N, plinth-worker-N)
thread_ticks() {
    local t name ticks all=0 sel=0 wrk=0
    for t in /proc/"$SERVER_PID"/task/*; do
        name=$(cat "$t/comm" 2>/dev/null) || continue
        ticks=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "$t/stat" 2>/dev/null) || continue
        all=$((all + ticks))
        case $name in plinth-selector*) sel=$((sel + ticks)) ;; plinth-worker*) wrk=$((wrk + ticks)) ;; esac
    done
    echo "$all $sel $wrk"
}
# the process's own count, which keeps the CPU of threads that ended (the per-thread sum is for the shares)
process_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$SERVER_PID/stat"; }

# Checks each path: compressed when asked (Content-Encoding: gzip) and not otherwise, the same bytes once
# decompressed; notes the bytes of one response each way (response.tsv).
check() {
    printf 'path\tfile_bytes\tencoding\thead_bytes\tbody_bytes\tresponse_bytes\tframing\n' >"$OUT/responses.tsv"
    local path enc
    for path in $PATHS; do
        for enc in identity gzip; do
            local args=(-s -D "$WORK/head")
            [[ $enc == identity ]] || args+=(-H "$GZIP_HEADER")
            local sizes # on the wire: head, and body with its chunk lines if chunked
            sizes="$(curl "${args[@]}" --raw -o "$WORK/raw" -w '%{size_header}' "$BASE_URL$path") $(stat -c %s "$WORK/raw")"
            curl "${args[@]}" -o "$WORK/body" "$BASE_URL$path"
            local coding framing
            coding=$(awk -F': ' 'tolower($1) == "content-encoding" {sub(/\r$/, "", $2); print $2}' "$WORK/head")
            framing=$(awk -F': ' 'tolower($1) == "content-length" {print "length"} tolower($1) == "transfer-encoding" {print "chunked"}' "$WORK/head")
            if [[ $enc == gzip ]]; then
                [[ $coding == gzip ]] || { echo "$path: not compressed ($coding)" >&2; exit 1; }
                gunzip -c "$WORK/body" | cmp -s - "$DOC$path" || { echo "$path: gzip body differs from the file" >&2; exit 1; }
            else
                [[ -z $coding ]] || { echo "$path: compressed without Accept-Encoding" >&2; exit 1; }
                cmp -s "$WORK/body" "$DOC$path" || { echo "$path: body differs from the file" >&2; exit 1; }
            fi
            read -r h b <<<"$sizes"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$path" "$(stat -c %s "$DOC$path")" "$enc" "$h" "$b" $((h + b)) "$framing" >>"$OUT/responses.tsv"
        done
    done
    column -t "$OUT/responses.tsv" >&2
}

measure() { # pass path encoding
    local pass=$1 path=$2 enc=$3 name
    name=$(basename "$path")-$enc-$pass
    local cmd=(wrk -t"$THREADS" -c"$CONNS")
    [[ $enc == identity ]] || cmd+=(-H "$GZIP_HEADER")
    "${cmd[@]}" -d"$WARMUP" "$BASE_URL$path" >"$OUT/$name-warmup.txt"
    local p0 p1 t0 t1 w0 w1
    p0=$(process_ticks); t0=$(thread_ticks); w0=$(date +%s.%N)
    ("${cmd[@]}" -d"$DURATION" --latency "$BASE_URL$path" >"$OUT/$name.txt"; times >"$OUT/$name.times")
    p1=$(process_ticks); t1=$(thread_ticks); w1=$(date +%s.%N)
    local f=$OUT/$name.txt requests rps p99 read errors
    requests=$(awk '/requests in/ {print $1}' "$f")
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
    p99=$(awk '$1 == "99%" {print $2}' "$f")
    read=$(awk '/requests in/ {v = $5; sub(/,$/, "", v); n = v + 0; if (v ~ /KB$/) n *= 1024; else if (v ~ /MB$/) n *= 1048576; else if (v ~ /GB$/) n *= 1073741824; printf "%.0f", n}' "$f")
    errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$f")
    local wrk_s
    wrk_s=$(awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, p, /[ms]/); s += p[1] * 60 + p[2]}; printf "%.2f", s}' "$OUT/$name.times")
    local resp
    resp=$(awk -v p="$path" -v e="$enc" '$1 == p && $3 == e {print $6}' "$OUT/responses.tsv")
    awk -v pass="$pass" -v path="$path" -v enc="$enc" -v n="$requests" -v rps="$rps" -v p99="$p99" \
        -v p0="$p0" -v p1="$p1" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" -v w0="$w0" -v w1="$w1" \
        -v wrk_s="$wrk_s" -v resp="$resp" -v read="$read" -v errors="$errors" -v demoted="$(demoted)" 'BEGIN {
        split(t0, a, " "); split(t1, b, " ")
        cpu = (p1 - p0) / hz; all = b[1] - a[1]; sel = b[2] - a[2]; wk = b[3] - a[3]
        printf "%s\t%s\t%s\t%d\t%s\t%s\t%.1f\t%.2f\t%.0f\t%.0f\t%.2f\t%s\t%.0f\t%d\t%s\n", pass, path, enc, n, rps, p99,
            cpu * 1e6 / n, cpu / (w1 - w0), all ? 100 * sel / all : 0, all ? 100 * wk / all : 0,
            wrk_s / (w1 - w0), resp, read / n, errors, demoted }' >>"$OUT/results.tsv"
    log "$(tail -1 "$OUT/results.tsv" | tr '\t' ' ')"
}

# The static handler answers files held in memory on the I/O thread; the core demotes a handler that held an I/O
# thread too long 3 times to the workers (a loaded machine can preempt it there): "demoted" says whether that had
# happened by the end of a measurement (its log line then), as it changes where the CPU goes for what follows.
demoted() { grep -m1 -o '^[0-9: -]*WARNING.*StaticHandler.*runs on workers from now on' "$SERVER_LOG" | cut -c12-19 || echo no; }

prepare
log "results in $OUT"
start_server check
check
stop_server
printf 'pass\tpath\tencoding\trequests\treq_s\tp99\tcpu_us_per_req\tserver_cores\tselector_pct\tworker_pct\twrk_cores\tresponse_bytes\twrk_read_bytes_per_req\terrors\tdemoted_at\n' >"$OUT/results.tsv"
# a fresh server for each path and order, so that one path's measurements do not change the next path's
for pass in identity-first gzip-first; do
    for path in $PATHS; do
        start_server "$pass-$(basename "$path")"
        if [[ $pass == identity-first ]]; then
            measure "$pass" "$path" identity
            measure "$pass" "$path" gzip
        else
            measure "$pass" "$path" gzip
            measure "$pass" "$path" identity
        fi
        stop_server
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/env.txt"
column -t "$OUT/results.tsv"
log "done: $OUT"
