#!/usr/bin/env bash
# Hot-deploy soak (issue 12, "Tests"): a private copy of the built distribution under steady load on a stable path
# (the sample site) and on the swapped handler's path (/hello), while the example bundle is installed, updated and
# removed CYCLES times through deploy/. Counts every answer per path and phase (PhaseLoad.java), times each step, and
# compares the server's threads and file descriptors before and after. See README.md.
#
#   benchmarks/hotdeploy/soak.sh
#
# Environment (defaults in brackets):
#   CYCLES        install/update/remove cycles                      [50]
#   MAX_SECONDS   no new cycle starts after this many seconds       [270] (the whole run stays under 5 minutes)
#   STABLE_PATH   the stable path, served by the static handler      [/]
#   STABLE_CONNS, SWAP_CONNS  persistent connections loading each path [2, 2]
#   DWELL         seconds of load after each step is complete        [0.3]
#   WARMUP        seconds of load, then one cycle, before the baseline is taken [5]
#   SETTLE        seconds after the load stops before threads and descriptors are counted [3] (then up to 15 s
#                 more while they differ from the baseline)
#   POLL          override felix.fileinstall.poll of the deploy/ watcher in the copy [as shipped]
#   PLINTH_HOME, HELLO_JAR, WORK, PORT: see lib.sh
#
# Phases, each named to the load generator as it begins:
#   install  the jar moved into deploy/, until /hello answers 200 (404s expected until then)
#   served   DWELL seconds of the installed version
#   update   a different build of the jar (another Bundle-Version) moved over it, until FileInstall logs the
#            bundle started again and /hello answers 200
#   updated  DWELL seconds of the new version
#   remove   the jar deleted, until /hello answers 404
#   removed  DWELL seconds without it
# Exit status 0 only if every criterion holds: no failure on the stable path; none on /hello while served, during
# and after updates; only 200 or 404 while installing and removing, only 404 once removed; threads and descriptors
# back to the baseline.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

CYCLES=${CYCLES:-50}
MAX_SECONDS=${MAX_SECONDS:-270}
STABLE_PATH=${STABLE_PATH:-/}
STABLE_CONNS=${STABLE_CONNS:-2}
SWAP_CONNS=${SWAP_CONNS:-2}
DWELL=${DWELL:-0.3}
WARMUP=${WARMUP:-5}
SETTLE=${SETTLE:-3}
WAIT_MS=10000
START_MS=$(now_ms)
LOAD_PID=

# ---------------------------------------------------------------- the load generator
start_load() { # output file
    rm -f "$WORK/phase.fifo" && mkfifo "$WORK/phase.fifo"
    java -cp "$WORK/load-classes" -Dmax.seconds=$((MAX_SECONDS + 120)) PhaseLoad 127.0.0.1 "$PORT" \
        "stable=$STABLE_PATH:$STABLE_CONNS" "swapped=/hello:$SWAP_CONNS" <"$WORK/phase.fifo" >"$1" 2>>"$WORK/load.err" &
    LOAD_PID=$!
    exec 3>"$WORK/phase.fifo"
    local i
    for ((i = 0; i < 300; i++)); do
        grep -qx ready "$1" && return 0
        kill -0 "$LOAD_PID" 2>/dev/null || die "the load generator died: $(cat "$WORK/load.err")"
        sleep 0.1
    done
    die "the load generator had no answer on every connection within 30 s"
}
phase() { echo "$1" >&3; }
stop_load() { # ends the input: the generator prints its counts and exits (within about 6 s)
    [[ -n $LOAD_PID ]] || return 0
    { echo end >&3; } 2>/dev/null || true
    exec 3>&-
    await_exit "$LOAD_PID" 15 || log "the load generator did not end by itself"
    end_process "$LOAD_PID" 5
    LOAD_PID=
}
cleanup() { stop_load; stop_server; }
trap cleanup EXIT

# ---------------------------------------------------------------- threads and descriptors
snapshot() { # file: thread count, descriptor count, then thread names and descriptor kinds, for a diff
    {
        echo "threads $(threads)"
        echo "fds $(fds)"
        cat "/proc/$SERVER_PID"/task/*/comm | sed 's/[0-9][0-9]*$/N/' | sort | uniq -c | sed 's/^/thread /'
        for f in "/proc/$SERVER_PID"/fd/*; do readlink "$f" || true; done | sed 's/:\[[0-9]*\]$//; s/^anon_inode://' |
            sort | uniq -c | sed 's/^/fd /'
    } >"$1"
}
count_of() { awk -v k="$1" '$1 == k {print $2}' "$2"; }

# ---------------------------------------------------------------- setup
JAR=$(hello_jar)
private_copy
# FileInstall logs at INFO in the copy: its "Installing / Updating / Started bundle" lines show each Bundle.update
# and tell when the updated bundle is started again (the answer of /hello does not change with the version).
set_cfg config.properties felix.fileinstall.log.level 3
set_cfg org.apache.felix.fileinstall-deploy.cfg felix.fileinstall.log.level 3
[[ -z ${POLL:-} ]] || set_cfg org.apache.felix.fileinstall-deploy.cfg felix.fileinstall.poll "$POLL"
deploy_poll=$(sed -n 's/^felix\.fileinstall\.poll=//p' "$HOME_COPY/etc/org.apache.felix.fileinstall-deploy.cfg" | tail -1)

# The second build: the same bundle with another Bundle-Version.
two_builds "$JAR"
version=$BUNDLE_VERSION
mkdir -p "$WORK/load-classes"
javac -d "$WORK/load-classes" "$HERE/PhaseLoad.java"

describe_run
echo "bundle: $JAR, version $version, updated to $version-b"
echo "deploy/ watcher poll: $deploy_poll ms; load: $STABLE_CONNS connections on $STABLE_PATH, $SWAP_CONNS on /hello"

start_server

# ---------------------------------------------------------------- cycles
started() { grep -c "^Started bundle: .*/deploy/example-hello.jar" "$SERVER_LOG" || true; }
await_started() { # count: until FileInstall has logged that many starts of the bundle
    local t0
    t0=$(now_ms)
    until (($(started) >= $1)); do
        (($(now_ms) - t0 < WAIT_MS)) || { log "no new start of the bundle logged within $WAIT_MS ms"; return 1; }
        sleep 0.01
    done
}

# One cycle; sets CYCLE_INSTALL, CYCLE_UPDATE, CYCLE_REMOVAL (ms), or CYCLE_FAILED and returns 1.
run_cycle() {
    local n t0
    phase install
    drop_jar "$WORK/hello-a.jar" example-hello.jar
    CYCLE_INSTALL=$(await_status /hello 200 $WAIT_MS) || { CYCLE_FAILED="install not served"; return 1; }
    phase served
    sleep "$DWELL"

    n=$(started)
    phase update
    t0=$(now_ms)
    drop_jar "$WORK/hello-b.jar" example-hello.jar
    await_started $((n + 1)) && await_status /hello 200 $WAIT_MS >/dev/null ||
        { CYCLE_FAILED="update not served"; return 1; }
    CYCLE_UPDATE=$(($(now_ms) - t0))
    phase updated
    sleep "$DWELL"

    phase remove
    rm -f "$DEPLOY/example-hello.jar"
    CYCLE_REMOVAL=$(await_status /hello 404 $WAIT_MS) || { CYCLE_FAILED="removal not seen"; return 1; }
    phase removed
    sleep "$DWELL"
}

# Warm-up under load, with one cycle (not counted): what the server creates once, at its first install or update
# (JIT, lazily started threads), exists before the baseline is taken.
log "warming up for $WARMUP s and one cycle"
start_load "$WORK/warmup.txt"
phase warmup
sleep "$WARMUP"
run_cycle || die "warm-up cycle: $CYCLE_FAILED"
stop_load
sleep "$SETTLE"
snapshot "$WORK/before.txt"

installs=() updates=() removals=() aborted= done_cycles=0
start_load "$WORK/load.txt"
phase baseline
sleep 1
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
    if (($(now_ms) - START_MS > MAX_SECONDS * 1000)); then
        aborted="time limit ($MAX_SECONDS s) reached after $done_cycles cycles"
        break
    fi
    run_cycle || { aborted="cycle $cycle: $CYCLE_FAILED"; break; }
    installs+=("$CYCLE_INSTALL") updates+=("$CYCLE_UPDATE") removals+=("$CYCLE_REMOVAL")
    done_cycles=$cycle
    log "cycle $cycle: install $CYCLE_INSTALL ms, update $CYCLE_UPDATE ms, removal $CYCLE_REMOVAL ms"
done
phase after
sleep 1
stop_load
sleep "$SETTLE"
snapshot "$WORK/after.txt"
for ((i = 0; i < 15; i++)); do
    [[ $(count_of threads "$WORK/after.txt") == $(count_of threads "$WORK/before.txt") &&
        $(count_of fds "$WORK/after.txt") == $(count_of fds "$WORK/before.txt") ]] && break
    sleep 1
    snapshot "$WORK/after.txt"
done

# ---------------------------------------------------------------- report
fails=()
echo
echo "cycles: $done_cycles of $CYCLES${aborted:+ (stopped: $aborted)}; $((($(now_ms) - START_MS) / 1000)) s in all"
[[ -z $aborted ]] || fails+=("$aborted")
fi_count() { grep -c "$1" "$SERVER_LOG" || true; }
fi_installs=$(fi_count '^Installing bundle dev.plinth.example.hello')
fi_updates=$(fi_count '^Updating bundle dev.plinth.example.hello')
fi_uninstalls=$(fi_count '^Uninstalling bundle [0-9]* (dev.plinth.example.hello)')
echo "FileInstall log, with the warm-up cycle: $fi_installs installs, $fi_updates updates (Bundle.update)," \
    "$(started) starts, $fi_uninstalls uninstalls"
n=$((done_cycles + 1))
[[ -n $aborted || $fi_installs == "$n" && $fi_updates == "$n" && $fi_uninstalls == "$n" ]] ||
    fails+=("FileInstall did not install, update and uninstall the bundle once a cycle")
stats "install (copy to 200)" "${installs[@]}"
stats "update (copy to started)" "${updates[@]}"
stats "removal (delete to 404)" "${removals[@]}"
echo
printf '%-8s %-9s %9s %9s %7s %6s %7s  %s\n' path phase requests 2xx 404 other errors details
field() { sed -En "s/(^|.* )$1=([0-9]*).*/\2/p" <<<"$2"; }
while read -r _ path ph rest; do
    req=$(field requests "$rest") ok=$(field 2xx "$rest") nf=$(field 404 "$rest") other=$(field other "$rest")
    err=$(field errors "$rest") details=$(sed 's/requests=[0-9]* 2xx=[0-9]* 404=[0-9]* other=[0-9]* errors=[0-9]* *//' <<<"$rest")
    printf '%-8s %-9s %9d %9d %7d %6d %7d  %s\n' "$path" "$ph" "$req" "$ok" "$nf" "$other" "$err" "$details"
    bad=
    case $path/$ph in
    stable/*) ((req - ok == 0)) || bad="$((req - ok)) failures on the stable path ($ph)" ;;
    swapped/served | swapped/update | swapped/updated) ((req - ok == 0)) || bad="$((req - ok)) non-2xx on /hello ($ph)" ;;
    swapped/install | swapped/remove) ((other + err == 0)) || bad="$((other + err)) answers neither 200 nor 404 on /hello ($ph)" ;;
    swapped/removed) ((req - nf == 0)) || bad="$((req - nf)) answers other than 404 on /hello after removal" ;;
    swapped/*) ((other + err == 0)) || bad="$((other + err)) failures on /hello ($ph)" ;;
    esac
    [[ -z $bad ]] || fails+=("$bad")
done < <(grep '^result ' "$WORK/load.txt")
echo
for k in threads fds; do
    b=$(count_of "$k" "$WORK/before.txt") a=$(count_of "$k" "$WORK/after.txt")
    echo "$k: before $b, after $a"
    [[ $a == "$b" ]] || fails+=("$k not back to the baseline: $b before, $a after")
done
diff <(grep -v '^threads\|^fds' "$WORK/before.txt") <(grep -v '^threads\|^fds' "$WORK/after.txt") | sed 's/^/  /' || true
echo "load average after: $(loadavg)"
echo
if ((${#fails[@]})); then
    printf 'NOT MET: %s\n' "${fails[@]}"
    exit 1
fi
echo "all criteria met"
