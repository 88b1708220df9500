#!/usr/bin/env bash
# Hot-deploy latency of a private copy of the built distribution (see README.md):
#   install: the example bundle copied into deploy/ until its path /hello first answers 200;
#   removal: its jar deleted until /hello no longer answers 200;
#   config:  etc/dev.plinth.http.cfg rewritten (a new serverName) until the Server field shows it;
#   idle:    the server's CPU time (utime+stime) over IDLE_SECONDS of idleness, as ms of CPU per minute.
#
#   benchmarks/hotdeploy/latency.sh
#
# Environment (defaults in brackets):
#   RUNS         installs and removals per mode                       [10]
#   MODES        how the jar gets into deploy/: mv (written aside, renamed in place), cp (a plain copy) [mv cp]
#   CONFIG_RUNS  configuration changes timed                          [10]
#   IDLE_SECONDS idle CPU measurement; 0 skips it                     [60]
#   POLL         override felix.fileinstall.poll of the deploy/ watcher in the copy [as shipped]
#   ETC_POLL     override felix.fileinstall.poll of the etc/ watcher in the copy    [as shipped]
#   DEPLOY_SET   more settings of the deploy/ watcher in the copy, KEY=VALUE separated by spaces [none]
#   PLINTH_HOME, HELLO_JAR, WORK, PORT: see lib.sh
# Every wait is bounded (10 s per install, removal or change); the server is stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

RUNS=${RUNS:-10}
MODES=${MODES:-mv cp}
CONFIG_RUNS=${CONFIG_RUNS:-10}
IDLE_SECONDS=${IDLE_SECONDS:-60}
WAIT_MS=10000

trap stop_server EXIT

# A pause of 0-999 ms, so that the file lands at a random point of the watcher's poll cycle, as a user's does
# (right after a removal is seen, the watcher has just scanned: the next copy would always wait longest).
random_pause() { sleep "0.$(printf '%03d' $((RANDOM % 1000)))"; }

JAR=$(hello_jar)
private_copy
[[ -z ${POLL:-} ]] || set_cfg org.apache.felix.fileinstall-deploy.cfg felix.fileinstall.poll "$POLL"
[[ -z ${ETC_POLL:-} ]] || set_cfg config.properties felix.fileinstall.poll "$ETC_POLL"
for kv in ${DEPLOY_SET:-}; do set_cfg org.apache.felix.fileinstall-deploy.cfg "${kv%%=*}" "${kv#*=}"; done
deploy_poll=$(sed -n 's/^felix\.fileinstall\.poll=//p' "$HOME_COPY/etc/org.apache.felix.fileinstall-deploy.cfg")
etc_poll=$(sed -n 's/^felix\.fileinstall\.poll=//p' "$HOME_COPY/etc/config.properties")

describe_run
echo "bundle: $JAR ($(stat -c %s "$JAR") bytes)"
echo "deploy/ watcher poll: ${deploy_poll} ms${DEPLOY_SET:+ ($DEPLOY_SET)}; etc/ watcher poll: ${etc_poll} ms"

start_server
[[ $(http_status /hello) == 404 ]] || die "/hello answers before any install"

one_cycle() { # mode -> "install_ms removal_ms"
    local install removal
    random_pause
    drop_jar "$JAR" example-hello.jar "$1"
    install=$(await_status /hello 200 $WAIT_MS) || exit 1
    random_pause
    rm -f "$DEPLOY/example-hello.jar"
    removal=$(await_status /hello '!200' $WAIT_MS) || exit 1
    [[ $(http_status /hello) == 404 ]] || die "/hello after removal: $(http_status /hello), not 404"
    echo "$install $removal"
}

if ((RUNS > 0)); then
    read -r w_install w_removal < <(one_cycle mv)
    echo "warm-up cycle (not counted): install ${w_install} ms, removal ${w_removal} ms"
fi
for mode in $MODES; do
    ((RUNS > 0)) || break
    installs=() removals=()
    for ((i = 1; i <= RUNS; i++)); do
        read -r a b < <(one_cycle "$mode")
        [[ -n ${a:-} && -n ${b:-} ]] || die "cycle $i ($mode) failed"
        installs+=("$a") removals+=("$b")
        log "$mode $i/$RUNS: install $a ms, removal $b ms"
    done
    echo "$mode installs (ms): ${installs[*]}"
    echo "$mode removals (ms): ${removals[*]}"
    stats "install ($mode)" "${installs[@]}"
    stats "removal ($mode)" "${removals[@]}"
done

if ((CONFIG_RUNS > 0)); then
    cfg=$HOME_COPY/etc/dev.plinth.http.cfg
    original=$(cat "$cfg")
    changes=()
    for ((i = 1; i <= CONFIG_RUNS; i++)); do
        random_pause
        name=Probe$i-$RANDOM
        printf '%s\nserverName=%s\n' "$original" "$name" >"$HOME_COPY/etc/.changed.part"
        t0=$(now_ms)
        mv -f "$HOME_COPY/etc/.changed.part" "$cfg"
        while [[ $(curl -s -o /dev/null -D - --max-time 2 "$BASE_URL/" | tr -d '\r' | sed -n 's/^[Ss]erver: //p') != "$name" ]]; do
            (($(now_ms) - t0 < WAIT_MS)) || die "serverName=$name did not apply within $WAIT_MS ms"
            sleep 0.01
        done
        changes+=($(($(now_ms) - t0)))
        log "config $i/$CONFIG_RUNS: ${changes[-1]} ms"
    done
    echo "config changes (ms): ${changes[*]}"
    stats "config change (etc/)" "${changes[@]}"
fi

if ((IDLE_SECONDS > 0)); then
    log "settling 10 s, then measuring idle CPU for $IDLE_SECONDS s"
    sleep 10
    jcmd "$SERVER_PID" Thread.print >"$WORK/threads-0.txt"
    c0=$(cpu_ms)
    sleep "$IDLE_SECONDS"
    c1=$(cpu_ms)
    jcmd "$SERVER_PID" Thread.print >"$WORK/threads-1.txt"
    per_min() { awk -v a="$1" -v b="$2" -v s="$IDLE_SECONDS" 'BEGIN {printf "%.1f", (b - a) * 60 / s}'; }
    echo "idle CPU, whole server: $(per_min "$c0" "$c1") ms per minute ($((c1 - c0)) ms over $IDLE_SECONDS s; $(threads) threads)"
    for t in 'deploy/ watcher:^fileinstall-.*/deploy$' 'etc/ watcher:^fileinstall-.*/etc$' \
        "WatchService threads:^FileSystemWatchService$" "plinth-loop-watchdog:^plinth-loop-watchdog"; do
        echo "idle CPU, ${t%%:*}: $(per_min "$(thread_cpu "$WORK/threads-0.txt" "${t#*:}")" \
            "$(thread_cpu "$WORK/threads-1.txt" "${t#*:}")") ms per minute"
    done
fi
echo "load average after: $(loadavg)"
