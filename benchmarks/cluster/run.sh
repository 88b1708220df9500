#!/usr/bin/env bash
# Three Plinth nodes behind nginx on loopback, under wrk, while (1) each node in turn is stopped with SIGTERM and
# started again ("rolling restart"), and (2) each node in turn gets a new build of a handler bundle in deploy/
# ("rolling handler update"). Counts every answer wrk gets through nginx: the figure is failed requests per
# scenario (responses not 2xx/3xx, nginx's 502/504 among them, plus connect, read and write errors); the target
# is 0. See README.md.
#
#   benchmarks/cluster/run.sh [all|restart|update]        (default: all, both scenarios; about 2 minutes)
#
# Environment (defaults in brackets):
#   PLINTH_HOME      the built distribution, copied once per node       [distribution/target/plinth]
#   HELLO_JAR        the handler bundle updated in scenario 2           [distribution/example-hello/target/example-hello-*.jar]
#   PLINTH_COMMIT    noted in the output: the commit PLINTH_HOME was built from
#   WORK             scratch folder (node copies, logs, nginx)         [/tmp/plinth-cluster]
#   NODE_PORTS       the nodes' ports on 127.0.0.1                      [28181 28182 28183]
#   NGINX_PORT       nginx's port on 127.0.0.1                          [18080]
#   RESTART_SECONDS  wrk's run in scenario 1                            [75]
#   UPDATE_SECONDS   wrk's run in scenario 2                            [20]
#   CONNS, THREADS   wrk's connections and threads                      [16, 2]
#   FAIL_TIMEOUT     nginx's fail_timeout per upstream, seconds         [2]
#   JAVA_OPTS        options of each node's JVM                         [-Xmx256m]
#   RETRY            on: nginx sends a request that failed on a node to another one (proxy_next_upstream);
#                    off: it does not, as a load balancer without retries (a Kubernetes Service) [on]
#   ENDPOINTS        on: in the rolling restart, the script also takes the node out of nginx's upstream
#                    (configuration rewritten, nginx reloaded) ENDPOINT_LAG seconds after its SIGTERM, and puts it
#                    back once the node is ready, as Kubernetes does with a Service's endpoints and an ingress
#                    controller with its upstreams; off: nginx only learns from failures [off]
#   ENDPOINT_LAG     seconds from SIGTERM to the node's removal from the upstream [1]
#                    (with ENDPOINTS=on, wrk opens one connection per request in the restart scenario: a reload
#                    of nginx closes its idle client connections, which wrk would count as read errors)
#
# Readiness: a node counts as ready when GET /health/ready answers 200. A distribution without health endpoints
# answers 404 there; the script then says so and waits for / (and /hello) to answer 200 instead.
# Exit status 0 when both scenarios ran to the end (whatever they counted), 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODE=${1:-all}
WORK=${WORK:-/tmp/plinth-cluster}
# log, die, now_ms, loadavg, hello_jar, two_builds, describe_run, await_exit, end_process
# shellcheck source-path=SCRIPTDIR source=../hotdeploy/lib.sh
source "$ROOT/benchmarks/hotdeploy/lib.sh"
# shellcheck source=../tools.sh
source "$ROOT/benchmarks/tools.sh"

read -r -a PORTS <<<"${NODE_PORTS:-28181 28182 28183}"
NGINX_PORT=${NGINX_PORT:-18080}
RESTART_SECONDS=${RESTART_SECONDS:-75}
UPDATE_SECONDS=${UPDATE_SECONDS:-20}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
FAIL_TIMEOUT=${FAIL_TIMEOUT:-2}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
RETRY=${RETRY:-on}
ENDPOINTS=${ENDPOINTS:-off}
ENDPOINT_LAG=${ENDPOINT_LAG:-1}
LEAD=3                      # seconds of load before the first node is touched, and after the last one
GAP=$((FAIL_TIMEOUT + 1))   # seconds between two nodes: nginx has tried the last one again before the next goes
STOP_LIMIT=40               # seconds a node may take to exit after SIGTERM (drain: 5 s delay + up to 20 s grace)
READY_LIMIT=60              # seconds a node may take to be ready after its start
START_MS=$(now_ms)
case $MODE in all | restart | update) ;; *) die "usage: $0 [all|restart|update]" ;; esac
case $RETRY in
on) NEXT_UPSTREAM="error timeout http_502 http_503 http_504" ;;
off) NEXT_UPSTREAM=off ;; # error and timeout still count against max_fails
*) die "RETRY is on or off" ;;
esac
[[ $ENDPOINTS == on || $ENDPOINTS == off ]] || die "ENDPOINTS is on or off"
OUT_OF_UPSTREAM= # the node (0-2) left out of nginx's upstream, if any

declare -a NODE_PID NODE_HOME
NGINX_PID=
WRK_PID=
HEALTH= # "yes" when the nodes serve /health/ready, "no" when it answers 404 (then / and /hello are awaited)

# ---------------------------------------------------------------- tools
ensure_tools() {
    ensure_load_tools
}

# ---------------------------------------------------------------- nodes
status_of() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }
started_count() { grep -c "^Started bundle: .*/deploy/example-hello.jar" "$WORK/node$1.log" || true; }

make_node() { # i: a private copy of the distribution, the handler bundle in its deploy/, FileInstall at INFO
    local home=$WORK/node$1
    rm -rf "$home"
    cp -r "$PLINTH_HOME" "$home"
    rm -rf "$home/data" "$home"/deploy/*.jar
    local cfg=$home/etc/org.apache.felix.fileinstall-deploy.cfg
    sed -i '/^felix\.fileinstall\.log\.level=/d' "$cfg"
    echo "felix.fileinstall.log.level=3" >>"$cfg" # logs "Started bundle: ..." after each update
    cp "$WORK/hello-a.jar" "$home/deploy/example-hello.jar"
    NODE_HOME[$1]=$home
}

start_node() { # i
    local port=${PORTS[$1]}
    [[ $(status_of "$port" /) == 000 ]] || die "something already answers on 127.0.0.1:$port: stop it or set NODE_PORTS"
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "${NODE_HOME[$1]}/plinth.jar" --host 127.0.0.1 --port "$port" </dev/null \
        >>"$WORK/node$1.log" 2>&1 &
    NODE_PID[$1]=$!
}

# await_ready i: until the node is ready (see the header); prints the milliseconds waited.
await_ready() {
    local port=${PORTS[$1]} t0 code
    t0=$(now_ms)
    while :; do
        kill -0 "${NODE_PID[$1]}" 2>/dev/null || die "node $1 died (log: $WORK/node$1.log)"
        code=$(status_of "$port" /health/ready)
        if [[ $HEALTH == yes ]]; then
            [[ $code == 200 ]] && break
        elif [[ $code != 000 && $(status_of "$port" /) == 200 && $(status_of "$port" /hello) == 200 ]]; then
            break
        fi
        (($(now_ms) - t0 < READY_LIMIT * 1000)) || die "node $1 not ready within $READY_LIMIT s (/health/ready: $code)"
        sleep 0.05
    done
    echo $(($(now_ms) - t0))
}

# await_200 i path: until the node answers 200 on path (15 s at most); prints the milliseconds waited, or "never".
await_200() {
    local t0
    t0=$(now_ms)
    until [[ $(status_of "${PORTS[$1]}" "$2") == 200 ]]; do
        (($(now_ms) - t0 < 15000)) || { echo never; return 0; }
        sleep 0.02
    done
    echo $(($(now_ms) - t0))
}

# stop_node i: SIGTERM, then waits for the exit (SIGKILL after STOP_LIMIT); sets STOP_STATUS and STOP_MS.
stop_node() {
    local pid=${NODE_PID[$1]} t0
    t0=$(now_ms)
    kill -TERM "$pid"
    if await_exit "$pid" "$STOP_LIMIT"; then
        STOP_STATUS=0
        wait "$pid" || STOP_STATUS=$?
    else
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        STOP_STATUS="killed after ${STOP_LIMIT}s"
    fi
    STOP_MS=$(($(now_ms) - t0))
    NODE_PID[$1]=
}

# ---------------------------------------------------------------- nginx
write_nginx_conf() {
    local servers='' i
    for i in 0 1 2; do
        [[ $i != "$OUT_OF_UPSTREAM" ]] || continue
        servers+="        server 127.0.0.1:${PORTS[$i]} max_fails=1 fail_timeout=${FAIL_TIMEOUT}s;"$'\n'
    done
    mkdir -p "$WORK/nginx/tmp"
    cat >"$WORK/nginx/nginx.conf" <<CONF
# Written by benchmarks/cluster/run.sh. One worker (the machine has 2 cores for 3 JVMs, nginx and wrk).
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log notice;
$( ((EUID == 0)) && echo "user root;" )
events { worker_connections 4096; }
http {
    # Logged: every answer that is not 2xx/3xx, and every request nginx had to send to more than one node
    # (\$upstream_addr then lists them, comma-separated): the failures nginx hid from the client.
    map "\$status \$upstream_addr" \$noteworthy {
        "~^[23][0-9][0-9] [^,]*\$" 0;
        default 1;
    }
    log_format tried '\$time_iso8601 \$status upstream_status="\$upstream_status" upstream="\$upstream_addr" \$request_uri';
    access_log $WORK/nginx/noteworthy.log tried if=\$noteworthy;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;

    upstream plinth {
        # Passive health checks: one failed attempt (as proxy_next_upstream defines failure) takes a node out
        # for fail_timeout, then nginx tries it again with one request.
$servers
        # Keep-alive to the nodes; nginx closes an idle one after 20 s, before Plinth would (idleTimeoutMillis 30 s).
        keepalive 32;
        keepalive_timeout 20s;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://plinth;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_connect_timeout 1s;
            proxy_read_timeout 10s;
            proxy_send_timeout 10s;
            # Another node gets the request when this one refused or reset the connection, timed out, or answered
            # 502/503/504, as long as nothing was sent to the client yet. GET is idempotent, so nginx retries it
            # even after it was sent; non_idempotent (retrying POST, PATCH, LOCK) is left out on purpose: a
            # request that reached a node may have had its effect there.
            proxy_next_upstream $NEXT_UPSTREAM;
            proxy_next_upstream_tries 3;
            proxy_next_upstream_timeout 10s;
        }
    }
}
CONF
}

start_nginx() {
    [[ $(status_of "$NGINX_PORT" /) == 000 ]] || die "something already answers on 127.0.0.1:$NGINX_PORT: set NGINX_PORT"
    nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>>"$WORK/nginx/error.log" ||
        die "nginx rejects its configuration: $(tail -3 "$WORK/nginx/error.log")"
    nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>>"$WORK/nginx/error.log" &
    NGINX_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do
        [[ $(status_of "$NGINX_PORT" /) == 200 ]] && return 0
        sleep 0.1
    done
    die "nginx does not answer 200 on 127.0.0.1:$NGINX_PORT: $(tail -3 "$WORK/nginx/error.log")"
}

# upstream_without i|"": rewrites nginx's configuration without node i (or with every node) and reloads it: new
# workers use the new upstream, the old ones finish the requests they have and exit.
upstream_without() {
    OUT_OF_UPSTREAM=$1
    write_nginx_conf
    kill -HUP "$NGINX_PID"
}

# ---------------------------------------------------------------- load
start_wrk() { # seconds path output
    : >"$WORK/nginx/noteworthy.log"
    : >"$WORK/nginx/error.log"
    kill -USR1 "$NGINX_PID" # reopen the (emptied) logs
    # With ENDPOINTS=on nginx is reloaded during the run: one connection per request (count.lua), see there.
    WRK_CLOSE=$([[ $ENDPOINTS == on && $2 == / ]] && echo 1 || echo 0) timeout $(($1 + 30)) wrk -t"$THREADS" -c"$CONNS" -d"$1s" --timeout 5s -s "$HERE/count.lua" \
        "http://127.0.0.1:$NGINX_PORT$2" >"$3" 2>&1 &
    WRK_PID=$!
    WRK_END_MS=$(($(now_ms) + $1 * 1000))
}
finish_wrk() { # output; sets WRK_LINE
    local rc=0
    wait "$WRK_PID" || rc=$?
    WRK_PID=
    WRK_LINE=$(grep '^WRK ' "$1" || true)
    [[ -n $WRK_LINE ]] || die "wrk printed no counts (status $rc): $(cat "$1")"
}
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$WRK_LINE"; }

# scenario_summary name exit-statuses log-copy: one line of figures, then what nginx logged of the failures.
scenario_summary() {
    local noted=$WORK/nginx/noteworthy.log retried
    cp "$noted" "$3"
    retried=$(grep -c ' [23][0-9][0-9] .*upstream="[^"]*,' "$noted" || true)
    echo "$1: requests $(field requests), failures $(field failures)" \
        "(not 2xx/3xx: $(($(field s4xx) + $(field s5xx) + $(field sother))), of them 502: $(field s502)," \
        "503: $(field s503), 504: $(field s504); socket errors: connect $(field connect), read $(field read)," \
        "write $(field write)); answered after a retry on another node: $retried; wrk's timeouts (waits over 5 s," \
        "counted every 2 s): $(field timeout); p99 $(field p99_ms) ms, max $(field max_ms) ms (of those under 5 s);" \
        "node exit statuses: $2"
    # nginx's view, by status sent and the upstreams' statuses (a retried success included), e.g. "8 502 (502)"
    if [[ -s $noted ]]; then
        echo "  nginx's log of the requests that failed or needed a retry (count, status, upstream statuses):"
        awk -F'"' '{split($1, a, " "); n[a[2] " (" $2 ")"]++} END {for (k in n) printf "    %d %s\n", n[k], k}' "$noted" | sort -k2
    fi
    # Why nginx gave up on a node for a request: refused connections, connections closed or reset before an answer.
    if grep -q 'upstream' "$WORK/nginx/error.log"; then
        echo "  nginx's error log, failed attempts on a node by cause (count, cause):"
        grep -o 'connect() failed ([0-9]*: [A-Za-z ]*)\|upstream prematurely closed connection[a-z ]*\|[a-z]*() failed ([0-9]*: [A-Za-z ]*) while reading[a-z ]*\|upstream timed out[a-z ()0-9:]*\|no live upstreams' \
            "$WORK/nginx/error.log" | sort | uniq -c | sed 's/^ */    /'
    fi
}

cleanup() {
    local rc=$?
    [[ -z $WRK_PID ]] || end_process "$WRK_PID" 2
    [[ -z $NGINX_PID ]] || end_process "$NGINX_PID" 5
    local i
    for i in 0 1 2; do
        [[ -z ${NODE_PID[$i]:-} ]] || end_process "${NODE_PID[$i]}" "$STOP_LIMIT"
    done
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- scenarios
rolling_restart() {
    local out=$WORK/wrk-restart.txt statuses=() i ready hello lag_pid
    log "scenario 1, rolling restart: wrk on / through nginx for $RESTART_SECONDS s"
    start_wrk "$RESTART_SECONDS" / "$out"
    sleep "$LEAD"
    for i in 0 1 2; do
        lag_pid=
        if [[ $ENDPOINTS == on ]]; then # the endpoints reach the proxy a little after the SIGTERM
            (sleep "$ENDPOINT_LAG" && upstream_without "$i") &
            lag_pid=$!
        fi
        stop_node "$i"
        [[ -z $lag_pid ]] || wait "$lag_pid" # the removal from the upstream is done
        statuses+=("$STOP_STATUS")
        start_node "$i"
        ready=$(await_ready "$i")
        [[ $ENDPOINTS == off ]] || upstream_without ""
        hello=$(await_200 "$i" /hello) # deploy/'s bundles are no configured mount: readiness does not wait for them
        log "node $((i + 1)) (port ${PORTS[$i]}): exited $STOP_STATUS ${STOP_MS} ms after SIGTERM; started again, ready after $ready ms"
        echo "node $((i + 1)): exit status $STOP_STATUS, ${STOP_MS} ms from SIGTERM to exit, ready ${ready} ms after its start, /hello served ${hello} ms after that"
        sleep "$GAP"
    done
    (($(now_ms) + LEAD * 1000 <= WRK_END_MS)) || echo "WARNING: the restarts outlasted the load (raise RESTART_SECONDS)"
    finish_wrk "$out"
    scenario_summary "rolling restart" "${statuses[*]}" "$WORK/noteworthy-restart.log"
}

rolling_update() {
    local out=$WORK/wrk-update.txt i n t0 jar
    for i in 0 1 2; do [[ $(await_200 "$i" /hello) != never ]] || die "node $((i + 1)) does not serve /hello"; done
    log "scenario 2, rolling handler update: wrk on /hello through nginx for $UPDATE_SECONDS s"
    start_wrk "$UPDATE_SECONDS" /hello "$out"
    sleep "$LEAD"
    for i in 0 1 2; do
        n=$(started_count "$i")
        jar=$WORK/hello-b.jar
        t0=$(now_ms)
        # Written aside under a name FileInstall ignores, then renamed over the old jar in one step.
        cp "$jar" "${NODE_HOME[$i]}/deploy/.example-hello.jar.part"
        mv -f "${NODE_HOME[$i]}/deploy/.example-hello.jar.part" "${NODE_HOME[$i]}/deploy/example-hello.jar"
        until (($(started_count "$i") > n)) && [[ $(status_of "${PORTS[$i]}" /hello) == 200 ]]; do
            (($(now_ms) - t0 < 15000)) || die "node $((i + 1)): the updated bundle did not start within 15 s"
            sleep 0.02
        done
        log "node $((i + 1)): bundle updated to $(basename "$jar") and serving after $(($(now_ms) - t0)) ms"
        echo "node $((i + 1)): handler bundle updated, started and serving $(($(now_ms) - t0)) ms after the rename"
        sleep "$GAP"
    done
    (($(now_ms) + LEAD * 1000 <= WRK_END_MS)) || echo "WARNING: the updates outlasted the load (raise UPDATE_SECONDS)"
    finish_wrk "$out"
    scenario_summary "rolling handler update" "none stopped" "$WORK/noteworthy-update.log"
}

# ---------------------------------------------------------------- main
ensure_tools
[[ -f $PLINTH_HOME/plinth.jar ]] || die "no distribution at $PLINTH_HOME (build it: see README.md)"
JAR=$(hello_jar)
mkdir -p "$WORK"
rm -rf "$WORK"/node* "$WORK"/nginx "$WORK"/wrk-*.txt
mkdir -p "$WORK/nginx"
# Two builds of the handler bundle, told apart by Bundle-Version: the nodes start with a, scenario 2 moves b in.
two_builds "$JAR"
version=$BUNDLE_VERSION

describe_run
echo "nodes: 127.0.0.1:${PORTS[0]}, :${PORTS[1]}, :${PORTS[2]} (JVM options: $JAVA_OPTS); nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$NGINX_PORT (max_fails=1 fail_timeout=${FAIL_TIMEOUT}s, keepalive 32, proxy_next_upstream $NEXT_UPSTREAM; nodes taken out of the upstream at SIGTERM: $ENDPOINTS$([[ $ENDPOINTS == off ]] || echo ", ${ENDPOINT_LAG} s after it")); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $THREADS threads, $CONNS connections"
echo "bundle: $JAR, version $version, updated to $version-b"

for i in 0 1 2; do make_node "$i"; : >"$WORK/node$i.log"; start_node "$i"; done
HEALTH=no
for i in 0 1 2; do await_ready "$i" >/dev/null; done # with HEALTH=no: /, /hello answer 200
sleep 1 # the health endpoints, if any, register with the other handlers; give them a moment
case $(status_of "${PORTS[0]}" /health/ready) in
200) HEALTH=yes; echo "readiness: GET /health/ready" ;;
404) echo "readiness: GET /health/ready answers 404 (no health endpoints in this build): waiting for / and /hello to answer 200 instead" ;;
*) die "GET /health/ready answers $(status_of "${PORTS[0]}" /health/ready) on a running node" ;;
esac
write_nginx_conf
start_nginx
log "3 nodes and nginx up"

[[ $MODE == update ]] || rolling_restart
[[ $MODE == restart ]] || rolling_update

final=()
for i in 0 1 2; do stop_node "$i"; final+=("$STOP_STATUS (${STOP_MS} ms)"); done
echo "final SIGTERM of the 3 nodes, exit statuses: ${final[*]}"
echo "load average after: $(loadavg); $((($(now_ms) - START_MS) / 1000)) s in all"
