#!/usr/bin/env bash
# Plinth against Jetty, Netty, the JDK's HttpServer and nginx on loopback, with wrk. See README.md.
#
#   benchmarks/server/run.sh [all|throughput|idle|counters|profile]   (default: all = throughput then idle)
#
# Environment (defaults in brackets):
#   SCHEME    http or https: https runs every server over TLS with one key and certificate made for the run in
#             WORK/tls (see TLS_KEY_TYPE); `idle` is http only                                        [http]
#   SERVERS   servers to measure, in order         [plinth jetty netty jdk nginx; https: netty-openssl after netty]
#             (netty-openssl: Netty with SslProvider.OPENSSL, BoringSSL from netty-tcnative; https only)
#   TESTS     throughput tests: a /plaintext, b /4k.bin, c /1m.bin, h /plaintext with `Connection: close`
#             (a new connection per request; over https a handshake per request)   [a b c; https: a c h]
#   TLS_KEY_TYPE  https: the key made for the run, ec (ECDSA P-256) or rsa (RSA 2048)                  [ec]
#   WARMUP    wrk warm-up per test                  [10s]
#   DURATION  wrk measured run per test             [15s]
#   IDLE_N    connections held by the idle test     [10000]
#   WORK      scratch folder (docroot, copies, logs)[/tmp/plinth-bench]
#   OUT       results folder                        [benchmarks/server/results/<date>]
#   PLINTH_HOME  a built Plinth distribution to measure [distribution/target/plinth]; it is copied to WORK
#               (the copy gets the /plaintext bundle in its deploy/), the original is never changed.
#   PLINTH_COMMIT  noted in env.txt: which commit PLINTH_HOME was built from
#   BASE_HOME  another built Plinth distribution, measured as the server `plinth-base` (add it to SERVERS): a
#              commit compared with PLINTH_HOME in the same run. BASE_COMMIT is noted in env.txt.
#   PLINTH_ACCESS_LOG  on: Plinth's copies keep the access log the distribution ships; off: its .cfg is removed,
#               as the peers log nothing (nginx runs with access_log off) [off]
#   PROFILE_JDK    `profile` only: a JDK 25+ folder, for its CPU-time sampler (see profile())
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODE=${1:-all}
SCHEME=${SCHEME:-http}
case $SCHEME in
http) SERVERS=${SERVERS:-"plinth jetty netty jdk nginx"}; TESTS=${TESTS:-"a b c"} ;;
https) SERVERS=${SERVERS:-"plinth jetty netty netty-openssl jdk nginx"}; TESTS=${TESTS:-"a c h"} ;;
*) echo "SCHEME is http or https, not $SCHEME" >&2; exit 2 ;;
esac
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-15s}
IDLE_N=${IDLE_N:-10000}
WORK=${WORK:-/tmp/plinth-bench}
OUT=${OUT:-$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)}
PLINTH_HOME=${PLINTH_HOME:-$ROOT/distribution/target/plinth}
PORT=${PORT:-18080}
BASE_URL=$SCHEME://127.0.0.1:$PORT
HEAP="-Xmx512m -Xms512m"
PEERS=$HERE/peers
BUNDLE=$HERE/plaintext-bundle
DOC=$WORK/docroot
CLK_TCK=$(getconf CLK_TCK)
# https: the key material every server of the run is given (PEM chain and PEM PKCS#8 key), made by tls_key()
TLS_DIR=$WORK/tls
TLS_CERT=$TLS_DIR/cert.pem
TLS_KEY=$TLS_DIR/key.pem
TLS_KEY_TYPE=${TLS_KEY_TYPE:-ec}
PROBE=(curl -s --max-time 1) # asks a server for /plaintext while it starts; https: checks its certificate too
PEER_TLS=()                  # the peers' optional arguments CERT KEY
if [[ $SCHEME == https ]]; then
    PROBE+=(--cacert "$TLS_CERT")
    PEER_TLS=("$TLS_CERT" "$TLS_KEY")
elif [[ " $SERVERS " == *" netty-openssl "* ]]; then
    echo "netty-openssl differs from netty only in its TLS: use it with SCHEME=https" >&2
    exit 2
fi

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=../tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/../tools.sh"

# ---------------------------------------------------------------- tools and builds
ensure_tools() {
    if [[ $SCHEME == https ]]; then ensure_load_tools openssl; else ensure_load_tools; fi
    command -v jcmd >/dev/null || { echo "jcmd (a JDK) is needed" >&2; exit 1; }
}

# Whether Plinth is among the servers (a run of the peers alone needs no distribution).
measures_plinth() { [[ " $SERVERS " == *" plinth "* || " $SERVERS " == *" plinth-base "* ]]; }

build() {
    if [[ ! -f $PEERS/target/classes/bench/NettyServer.class || $PEERS/pom.xml -nt $PEERS/target/classes/bench/NettyServer.class
          || -n $(find "$PEERS/src" -newer "$PEERS/target/classes/bench/NettyServer.class" -type f) ]]; then
        log "building the peer servers"
        mvn -q -f "$PEERS/pom.xml" package
    fi
    measures_plinth || return 0
    if [[ ! -f $PLINTH_HOME/plinth.jar ]]; then
        log "building Plinth's distribution (mvn -q -DskipTests package)"
        (cd "$ROOT" && mvn -q -DskipTests package)
    fi
    if [[ -n ${BASE_HOME:-} ]]; then # built against the base's own handler-api, so that it resolves there
        log "building the /plaintext bundle for plinth-base"
        mvn -q -f "$BUNDLE/pom.xml" -Dhandler.api.jar="$(ls "$BASE_HOME"/bundles/handler-api-*.jar | head -1)" clean package
        mkdir -p "$WORK" && cp "$BUNDLE"/target/plaintext-bundle-*.jar "$WORK/plaintext-bundle-base.jar"
    fi
    log "building the /plaintext bundle"
    mvn -q -f "$BUNDLE/pom.xml" -Dhandler.api.jar="$(ls "$PLINTH_HOME"/bundles/handler-api-*.jar | head -1)" clean package
}

plinth_copy() { # distribution folder, private copy, /plaintext bundle
    rm -rf "$2"
    cp -r "$1" "$2"
    rm -rf "$2/data" "$2"/deploy/*.jar
    cp "$3" "$2/deploy/"
    [[ ${PLINTH_ACCESS_LOG:-off} == on ]] || rm -f "$2/etc/dev.plinth.accesslog.cfg"
    if [[ $SCHEME == https ]]; then # the main listener's key material (TLS 1.3 and 1.2, default suites: no more keys)
        printf 'tlsCertificate=%s\ntlsPrivateKey=%s\n' "$TLS_CERT" "$TLS_KEY" >>"$2/etc/dev.plinth.http.cfg"
    fi
}

# A new key and a self-signed certificate for 127.0.0.1 and localhost, both PEM (the key PKCS#8), valid 7 days.
declare -A TLS_KEY_NAME=([ec]="ECDSA P-256" [rsa]="RSA 2048")
declare -A TLS_KEY_GEN=([ec]="-algorithm EC -pkeyopt ec_paramgen_curve:P-256" [rsa]="-algorithm RSA -pkeyopt rsa_keygen_bits:2048")
tls_key() {
    [[ -n ${TLS_KEY_GEN[$TLS_KEY_TYPE]:-} ]] || { echo "TLS_KEY_TYPE is ec or rsa, not $TLS_KEY_TYPE" >&2; exit 2; }
    rm -rf "$TLS_DIR"
    mkdir -p "$TLS_DIR"
    # shellcheck disable=SC2086 # the options are words
    openssl genpkey ${TLS_KEY_GEN[$TLS_KEY_TYPE]} -out "$TLS_KEY" 2>/dev/null
    local usage=digitalSignature
    [[ $TLS_KEY_TYPE == ec ]] || usage+=,keyEncipherment
    openssl req -x509 -key "$TLS_KEY" -out "$TLS_CERT" -days 7 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:FALSE" \
        -addext "keyUsage=critical,$usage" -addext "extendedKeyUsage=serverAuth"
}

prepare() {
    mkdir -p "$WORK" "$OUT" "$DOC"
    [[ $SCHEME != https ]] || tls_key
    [[ -f $DOC/4k.bin && $(stat -c %s "$DOC/4k.bin") == 4096 ]] || head -c 4096 /dev/urandom >"$DOC/4k.bin"
    [[ -f $DOC/1m.bin && $(stat -c %s "$DOC/1m.bin") == 1048576 ]] || head -c 1048576 /dev/urandom >"$DOC/1m.bin"
    # 10,000 idle connections need as many descriptors in the server (and in the client, another process).
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    if (($(ulimit -n) < IDLE_N + 1000)); then
        log "ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)): the idle test needs IDLE_N + 1000"
    fi
    # nginx: 2 workers (one per core), sendfile, everything under WORK, 127.0.0.1 only, in the foreground.
    # https: the same server over TLS (OpenSSL's and nginx's defaults otherwise: suites, session tickets).
    mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
    local listen="listen 127.0.0.1:$PORT;"
    if [[ $SCHEME == https ]]; then
        listen="listen 127.0.0.1:$PORT ssl;
        ssl_certificate $TLS_CERT;
        ssl_certificate_key $TLS_KEY;
        ssl_protocols TLSv1.2 TLSv1.3;"
    fi
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
user root;
events { worker_connections 20000; }
worker_rlimit_nofile $(ulimit -n);
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    types { application/octet-stream bin; }
    default_type application/octet-stream;
    server {
        $listen
        root $DOC;
        location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
    }
}
CONF
    # Plinth: a private copy of the distribution, with the /plaintext bundle in deploy/ (the example bundle removed).
    if measures_plinth; then
        plinth_copy "$PLINTH_HOME" "$WORK/plinth-home" "$(ls "$BUNDLE"/target/plaintext-bundle-*.jar | head -1)"
        [[ -z ${BASE_HOME:-} ]] || plinth_copy "$BASE_HOME" "$WORK/plinth-base-home" "$WORK/plaintext-bundle-base.jar"
    fi
    {
        echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "scheme: $SCHEME"
        if [[ $SCHEME == https ]]; then
            echo "tls key: ${TLS_KEY_NAME[$TLS_KEY_TYPE]}, self-signed for 127.0.0.1 and localhost, $TLS_CERT (sha256 $(openssl x509 -in "$TLS_CERT" -noout -fingerprint -sha256 | cut -d= -f2)), $TLS_KEY"
            echo "openssl: $(openssl version)"
        fi
        if measures_plinth; then
            echo "plinth home measured: $PLINTH_HOME${PLINTH_COMMIT:+ (commit $PLINTH_COMMIT)}"
            echo "plinth access log: ${PLINTH_ACCESS_LOG:-off}"
            [[ -z ${BASE_HOME:-} ]] || echo "plinth-base home measured: $BASE_HOME${BASE_COMMIT:+ (commit $BASE_COMMIT)}"
            echo "plinth bundles built: $(stat -c %y "$PLINTH_HOME"/bundles/http-transport-*.jar | cut -c1-19)"
        fi
        echo "work tree: $(git -C "$ROOT" rev-parse --short HEAD), $(git -C "$ROOT" status --porcelain -- handler-api http-parser http-core http-transport handlers-static | wc -l) uncommitted files in Plinth's modules"
        echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
        echo "java: $(java -version 2>&1 | sed -n 2p)"
        echo "wrk: $(wrk -v 2>&1 | head -1)"
        echo "nginx: $(nginx -v 2>&1)"
        echo "kernel: $(uname -r)"
        echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    } >"$OUT/env.txt"
}

# ---------------------------------------------------------------- servers
SERVER_PID=
start_server() { # name [extra JVM options...]
    local name=$1; shift
    # shellcheck disable=SC2016 # $1 is the inner shell's
    if timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$PORT" 2>/dev/null; then # anything accepts there
        echo "something already listens on 127.0.0.1:$PORT: stop it or set PORT" >&2
        exit 1
    fi
    local cp="$PEERS/target/classes:$PEERS/target/lib/*"
    case $name in
    plinth) exec_java "$@" -jar "$WORK/plinth-home/plinth.jar" --port "$PORT" --host 127.0.0.1 --docroot "$DOC" ;;
    plinth-base) exec_java "$@" -jar "$WORK/plinth-base-home/plinth.jar" --port "$PORT" --host 127.0.0.1 --docroot "$DOC" ;;
    jetty)  exec_java "$@" -cp "$cp" bench.JettyServer "$PORT" "$DOC" "${PEER_TLS[@]}" ;;
    netty)  exec_java "$@" -cp "$cp" bench.NettyServer "$PORT" "$DOC" "${PEER_TLS[@]}" ;;
    netty-openssl) exec_java -Dbench.sslProvider=OPENSSL "$@" -cp "$cp" bench.NettyServer "$PORT" "$DOC" "${PEER_TLS[@]}" ;;
    jdk)    exec_java -Dsun.net.httpserver.nodelay=true "$@" -cp "$cp" bench.JdkServer "$PORT" "$DOC" "${PEER_TLS[@]}" ;;
    nginx)  exec nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" ;;
    *)      echo "no server named $name" ;;
    esac >"$OUT/$name.log" 2>&1 &
    SERVER_PID=$!
    local i plain=0
    for ((i = 0; i < 600; i++)); do
        if [[ $("${PROBE[@]}" "$BASE_URL/plaintext" || true) == "Hello, World!" ]]; then
            log "$name up (pid $SERVER_PID)"
            [[ $SCHEME != https ]] || tls_facts "$name"
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/$name.log" >&2; echo "$name died" >&2; exit 1; }
        # Plinth's listener logs why it refuses its configuration (and does not start): no use waiting
        if [[ $name == plinth* ]] && grep -m1 'configuration dev.plinth.http refused' "$OUT/$name.log" >&2; then
            echo "$name's listener did not start$(plinth_tls_hint "$name")" >&2
            exit 1
        fi
        # https: a server that keeps answering in plain HTTP was not given (or does not read) the key material
        if [[ $SCHEME == https && $(curl -s --max-time 1 "http://127.0.0.1:$PORT/plaintext" || true) == "Hello, World!" ]]; then
            plain=$((plain + 1))
            if ((plain == 30)); then
                echo "$name answers plain HTTP on 127.0.0.1:$PORT, not HTTPS$(plinth_tls_hint "$name")" >&2
                exit 1
            fi
        fi
        sleep 0.1
    done
    echo "$name did not answer $BASE_URL/plaintext within 60 s$(plinth_tls_hint "$name")" >&2
    exit 1
}
plinth_tls_hint() { # name: what Plinth was asked to do for TLS
    [[ $SCHEME == https && $1 == plinth* ]] || return 0
    printf ': its transport must read tlsCertificate and tlsPrivateKey from %s (a build without TLS does not)' \
        "$WORK/$1-home/etc/dev.plinth.http.cfg"
}
exec_java() { exec "${JAVA:-java}" $HEAP "$@"; }

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    sleep 1 # let the port and the CPU settle
}
trap stop_server EXIT

# https: what the server just started negotiates with OpenSSL's defaults (those of wrk, on the same library), and
# whether it resumes the session of a previous connection as wrk does on each new connection of (h): a first
# connection saves its session (TLS 1.3: from the server's ticket), a second offers it. One row per server in tls.tsv.
tls_exchange() { # s_client options: one request with Connection: close, read to the end; s_client's report
    printf 'GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
        timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -ign_eof "$@" 2>&1 || true
}
tls_facts() { # name
    local results=$OUT/tls.tsv session=$TLS_DIR/session-$1 first second
    [[ -f $results ]] || printf 'server\tprotocol\tcipher\tkey_exchange\tresumed\n' >"$results"
    rm -f "$session"
    first=$(tls_exchange -sess_out "$session")
    second=
    [[ ! -s $session ]] || second=$(tls_exchange -sess_in "$session")
    awk -v n="$1" -v again="$(grep -c '^Reused,' <<<"$second")" '
        /^(New|Reused), TLS/ {sub(/,$/, "", $2); protocol = $2; cipher = $NF}
        /^Server Temp Key:/ {sub(/^Server Temp Key: */, ""); group = $0}
        END {printf "%s\t%s\t%s\t%s\t%s\n", n, protocol, cipher, group, (again > 0 ? "yes" : "no")}' <<<"$first" >>"$results"
    log "$1 TLS: $(tail -1 "$results" | cut -f2- | tr '\t' ' ')"
}

server_pids() { echo "$SERVER_PID"; pgrep -P "$SERVER_PID" || true; } # nginx: master and workers
cpu_ticks() { local t=0 p; for p in $(server_pids); do t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat"))); done; echo $t; }
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; } # user nice system irq softirq steal
peak_rss_kib() { local t=0 p; for p in $(server_pids); do t=$((t + $(awk '/VmHWM/ {print $2}' "/proc/$p/status"))); done; echo $t; }

# ---------------------------------------------------------------- throughput
declare -A TEST_PATH=([a]=/plaintext [b]=/4k.bin [c]=/1m.bin [h]=/plaintext)
declare -A TEST_CONNS=([a]=64 [b]=16 [c]=16 [h]=16)
declare -A TEST_BYTES=([a]=13 [b]=4096 [c]=1048576 [h]=13)
declare -A TEST_HEADER=([h]="Connection: close") # (h): every request on a new connection (a new handshake)

# test [wrk options...]: wrk -t2 with the test's connections (and header) on its URL. With WRK_SAY set, the
# command is logged after that text.
wrk_test() {
    local t=$1; shift
    local cmd=(wrk -t2 -c"${TEST_CONNS[$t]}")
    [[ -z ${TEST_HEADER[$t]:-} ]] || cmd+=(-H "${TEST_HEADER[$t]}")
    cmd+=("$@" "$BASE_URL${TEST_PATH[$t]}")
    [[ -z ${WRK_SAY:-} ]] || log "$WRK_SAY: ${cmd[*]}"
    "${cmd[@]}"
}

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

throughput() {
    local results=$OUT/throughput.tsv
    [[ -f $results ]] || printf 'server\ttest\treq_s\tp99_ms\tmib_s\tcores\twrk_cores\tbusy_cores\tpeak_rss_mib\terrors\n' >"$results"
    local name t
    for name in $SERVERS; do
        start_server "$name"
        local rows=()
        for t in $TESTS; do
            WRK_SAY="$name ($t) warm-up" wrk_test "$t" -d"$WARMUP" >"$OUT/$name-$t-warmup.txt"
            local t0 w0 t1 w1
            local b0 b1
            t0=$(cpu_ticks); b0=$(busy_ticks); w0=$(date +%s.%N)
            # `times` in the subshell: the CPU time of its child, wrk
            (wrk_test "$t" -d"$DURATION" --latency >"$OUT/$name-$t.txt"; times >"$OUT/$name-$t.times")
            t1=$(cpu_ticks); b1=$(busy_ticks); w1=$(date +%s.%N)
            local wrk_cores busy
            wrk_cores=$(awk -v a="$w0" -v b="$w1" 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, p, /[ms]/); s += p[1] * 60 + p[2]}; printf "%.2f", s / (b - a)}' "$OUT/$name-$t.times")
            busy=$(awk -v d=$((b1 - b0)) -v hz="$CLK_TCK" -v a="$w0" -v b="$w1" 'BEGIN {printf "%.2f", d / hz / (b - a)}')
            local f=$OUT/$name-$t.txt
            local rps p99 errors cores mib
            rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
            p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
            errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$f")
            cores=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v a="$w0" -v b="$w1" 'BEGIN {printf "%.2f", d / hz / (b - a)}')
            mib=$(awk -v r="$rps" -v n="${TEST_BYTES[$t]}" 'BEGIN {printf "%.1f", r * n / 1048576}')
            log "$name ($t): $rps req/s, p99 $p99 ms, $mib MiB/s body, server $cores cores, wrk $wrk_cores, machine busy $busy, errors $errors"
            rows+=("$name	$t	$rps	$p99	$mib	$cores	$wrk_cores	$busy")
        done
        local rss
        rss=$(awk -v k="$(peak_rss_kib)" 'BEGIN {printf "%.0f", k / 1024}')
        local errs row
        for row in "${rows[@]}"; do
            t=$(cut -f2 <<<"$row")
            errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$OUT/$name-$t.txt")
            printf '%s\t%s\t%s\n' "$row" "$rss" "$errs" >>"$results"
        done
        stop_server
    done
}

# ---------------------------------------------------------------- idle connections
heap_used_kib() { # G1: " garbage-first heap   total 524288K, used 12345K [..."
    jcmd "$SERVER_PID" GC.heap_info | awk '/heap.*total/ {for (i = 1; i <= NF; i++) if ($i == "used") {sub(/K.*/, "", $(i + 1)); print $(i + 1); exit}}'
}
histogram() { jcmd "$SERVER_PID" GC.class_histogram >"$1"; awk '$1 == "Total" {print $3}' "$1"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

idle() {
    if [[ $SCHEME == https ]]; then
        log "idle connections are measured over http only (IdleClient speaks plain HTTP): skipped"
        return 0
    fi
    local results=$OUT/idle.tsv
    [[ -f $results ]] || printf 'server\tconnections_open\theap_used_delta_bytes\tbytes_per_conn_heap_info\tlive_bytes_delta\tbytes_per_conn_histogram\trss_delta_per_conn\n' >"$results"
    local name
    for name in $SERVERS; do
        [[ $name == nginx ]] && continue # not a JVM: no heap to measure
        local opts=()
        case $name in
        plinth | plinth-base)
            local cfg=$WORK/${name}-home/etc/dev.plinth.http.cfg
            sed -i '/^idleTimeoutMillis=/d' "$cfg"
            echo "idleTimeoutMillis=600000" >>"$cfg" ;;
        jetty) opts=(-Dbench.idleTimeoutMillis=600000) ;;
        jdk) opts=(-Dsun.net.httpserver.idleInterval=600 -Dsun.net.httpserver.maxIdleConnections=20000) ;;
        esac
        start_server "$name" "${opts[@]}"
        wrk -t1 -c4 -d2s "http://127.0.0.1:$PORT/plaintext" >/dev/null # load the classes of the request path
        jcmd "$SERVER_PID" GC.run >/dev/null; sleep 1
        local h0 l0 r0 h1 l1 r1
        h0=$(heap_used_kib); l0=$(histogram "$OUT/$name-idle-histo-0.txt"); r0=$(rss_kib)
        local release=$WORK/release-$name
        rm -f "$release"
        log "$name: opening $IDLE_N idle keep-alive connections"
        java -Xmx256m -cp "$PEERS/target/classes" bench.IdleClient "$PORT" "$IDLE_N" /plaintext "$release" >"$OUT/$name-idle-client.txt" 2>&1 &
        local client=$!
        local i
        for ((i = 0; i < 1200; i++)); do grep -q '^HELD' "$OUT/$name-idle-client.txt" && break; kill -0 $client 2>/dev/null || break; sleep 0.1; done
        grep -q '^HELD' "$OUT/$name-idle-client.txt" || { cat "$OUT/$name-idle-client.txt" >&2; echo "idle client failed on $name" >&2; kill $client 2>/dev/null; stop_server; continue; }
        sleep 2
        jcmd "$SERVER_PID" GC.run >/dev/null; sleep 1
        h1=$(heap_used_kib); l1=$(histogram "$OUT/$name-idle-histo-1.txt"); r1=$(rss_kib)
        touch "$release"
        wait $client || true
        local open
        open=$(awk '/^OPEN/ {print $2}' "$OUT/$name-idle-client.txt")
        [[ -n $open && $open -gt 0 ]] || open=0
        awk -v n="$name" -v o="$open" -v h0="$h0" -v h1="$h1" -v l0="$l0" -v l1="$l1" -v r0="$r0" -v r1="$r1" 'BEGIN {
            d = (h1 - h0) * 1024; ld = l1 - l0; rd = (r1 - r0) * 1024
            printf "%s\t%d\t%d\t%.0f\t%d\t%.0f\t%.0f\n", n, o, d, o ? d / o : 0, ld, o ? ld / o : 0, o ? rd / o : 0 }' >>"$results"
        log "$name idle: $(tail -1 "$results")"
        python3 "$HERE/histo_diff.py" "$OUT/$name-idle-histo-0.txt" "$OUT/$name-idle-histo-1.txt" "$open" >"$OUT/$name-idle-classes.txt" 2>/dev/null || true
        stop_server
    done
}

# ---------------------------------------------------------------- per-request counters (all servers)
# Per request: read-type and write-type system calls (/proc/PID/io syscr, syscw: read/readv/recv and
# write/writev/send/sendfile; epoll_wait and futex are not counted) and context switches summed over the server's
# threads (/proc/PID/task/*/status), voluntary (a thread blocked: park, epoll_wait) and involuntary (preempted).
# strace and perf cannot attach here (ptrace and perf events are not permitted in this container).
proc_counters() {
    local p sr=0 sw=0 vol=0 inv=0
    for p in $(server_pids); do
        sr=$((sr + $(awk '/^syscr/ {print $2}' "/proc/$p/io")))
        sw=$((sw + $(awk '/^syscw/ {print $2}' "/proc/$p/io")))
        read -r v i < <(cat /proc/"$p"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt/ {v += $2} /^nonvoluntary_ctxt/ {i += $2} END {print v + 0, i + 0}')
        vol=$((vol + v)); inv=$((inv + i))
    done
    echo "$sr $sw $vol $inv"
}

counters() {
    local results=$OUT/counters.tsv
    [[ -f $results ]] || printf 'server\ttest\trequests\treq_s\tsyscr_per_req\tsyscw_per_req\tvol_cs_per_req\tinvol_cs_per_req\n' >"$results"
    local name t
    for name in $SERVERS; do
        for t in ${COUNTER_TESTS:-a b}; do
            start_server "$name"
            wrk_test "$t" -d5s >/dev/null
            local c0 c1
            c0=$(proc_counters)
            wrk_test "$t" -d10s >"$OUT/$name-$t-counted.txt"
            c1=$(proc_counters)
            local requests rps
            requests=$(awk '/requests in/ {print $1}' "$OUT/$name-$t-counted.txt")
            rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$name-$t-counted.txt")
            if [[ $name == plinth && $t == a ]]; then
                # what a loaded Plinth holds: the handler-timeout tasks of the scheduled executor in particular
                jcmd "$SERVER_PID" GC.class_histogram >"$OUT/plinth-a-loaded-histo.txt" || true
            fi
            awk -v n="$name" -v t="$t" -v r="$requests" -v rps="$rps" -v a="$c0" -v b="$c1" 'BEGIN {
                split(a, x, " "); split(b, y, " ");
                printf "%s\t%s\t%d\t%s\t%.2f\t%.2f\t%.3f\t%.3f\n", n, t, r, rps, (y[1] - x[1]) / r, (y[2] - x[2]) / r, (y[3] - x[3]) / r, (y[4] - x[4]) / r }' >>"$results"
            log "$name ($t) counters: $(tail -1 "$results")"
            stop_server
        done
    done
}

# ---------------------------------------------------------------- profile (Plinth only)
profile() {
    # PROFILE_JDK=/path/to/jdk25 profiles on that JDK with its CPU-time sampler (jdk.CPUTimeSample, JDK 25+, Linux):
    # every thread sampled per 2 ms of the CPU it uses, wherever it runs. Otherwise the JDK on PATH with
    # jdk.ExecutionSample every 2 ms (wall-clock; a thread is caught only while in Java code).
    local t jdk=${PROFILE_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
    local jfc=$WORK/profile-fine.jfc event=jdk.ExecutionSample
    sed -e '/<event name="jdk.ExecutionSample">/,/<\/event>/ s|<setting name="period">[^<]*<|<setting name="period">2 ms<|' \
        -e '/<event name="jdk.NativeMethodSample">/,/<\/event>/ s|<setting name="period">[^<]*<|<setting name="period">10 ms<|' \
        "$jdk/lib/jfr/profile.jfc" >"$jfc"
    if grep -q 'jdk.CPUTimeSample' "$jfc"; then
        event=jdk.CPUTimeSample
        sed -i -e '/<event name="jdk.CPUTimeSample">/,/<\/event>/ s|<setting name="enabled">false<|<setting name="enabled">true<|' \
            -e '/<event name="jdk.CPUTimeSample">/,/<\/event>/ s|<setting name="throttle">[^<]*<|<setting name="throttle">2ms<|' "$jfc"
    fi
    JAVA=$jdk/bin/java start_server plinth
    "$jdk/bin/java" -version 2>&1 | sed -n 2p >"$OUT/profile-jdk.txt"
    for t in ${PROFILE_TESTS:-a b}; do
        wrk_test "$t" -d"$WARMUP" >/dev/null
        "$jdk/bin/jcmd" "$SERVER_PID" JFR.start name=bench-$t settings="$jfc" filename="$OUT/plinth-$t.jfr" >/dev/null
        wrk_test "$t" -d20s --latency >"$OUT/plinth-$t-profiled.txt"
        "$jdk/bin/jcmd" "$SERVER_PID" JFR.stop name=bench-$t >/dev/null
        log "profiled ($t): $(awk '/^Requests\/sec:/ {print $2}' "$OUT/plinth-$t-profiled.txt") req/s under JFR"
        local requests
        requests=$(awk '/requests in/ {print $1}' "$OUT/plinth-$t-profiled.txt")
        JFR_TOOL=$jdk/bin/jfr SAMPLE_EVENT=$event python3 "$HERE/jfr_top.py" "$OUT/plinth-$t.jfr" "$requests" >"$OUT/plinth-$t-profile.txt"
    done
    stop_server
}

ensure_tools
build
prepare
log "results in $OUT"
case $MODE in
all) throughput; idle ;;
throughput) throughput ;;
idle) idle ;;
profile) profile ;;
counters) counters ;;
*) echo "usage: $0 [all|throughput|idle|counters|profile]" >&2; exit 2 ;;
esac
python3 "$HERE/report.py" "$OUT" | tee "$OUT/report.md" || true
log "done: $OUT"
