# Shared by latency.sh and soak.sh (sourced, not run): a private copy of the built distribution, one server
# started from it on 127.0.0.1 and stopped on exit, bounded waits on HTTP status codes, figures from /proc.
#
# The sourcing script sets ROOT (the project) before sourcing; these variables may be set by the caller:
#   PLINTH_HOME  the built distribution copied   [$ROOT/distribution/target/plinth]
#   HELLO_JAR    the example handler bundle     [$ROOT/distribution/example-hello/target/example-hello-*.jar]
#   WORK         scratch folder (the copy, logs) [/tmp/plinth-hotdeploy]
#   PORT         loopback port of the server     [28080]
#   PLINTH_COMMIT noted in the output: the commit PLINTH_HOME was built from

PLINTH_HOME=${PLINTH_HOME:-$ROOT/distribution/target/plinth}
WORK=${WORK:-/tmp/plinth-hotdeploy}
PORT=${PORT:-28080}
HOME_COPY=$WORK/plinth
DEPLOY=$HOME_COPY/deploy
SERVER_LOG=$WORK/server.log
BASE_URL=http://127.0.0.1:$PORT
SERVER_PID=
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); } # bash 5: no process per timestamp
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

hello_jar() {
    local jar=${HELLO_JAR:-}
    if [[ -z $jar ]]; then
        jar=$(ls "$ROOT"/distribution/example-hello/target/example-hello-*.jar 2>/dev/null | grep -v -- '-sources' | head -1 || true)
    fi
    [[ -f $jar ]] || die "no example bundle (build it: mvn -o -q -DskipTests package -pl distribution/example-hello,distribution)"
    echo "$jar"
}

# two_builds JAR: $WORK/hello-a.jar, a copy of the bundle, and $WORK/hello-b.jar, the same bundle with another
# Bundle-Version (VERSION-b), so that moving one over the other is an update FileInstall logs; sets BUNDLE_VERSION.
two_builds() {
    BUNDLE_VERSION=$(unzip -p "$1" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Bundle-Version: //p')
    cp "$1" "$WORK/hello-a.jar"
    cp "$1" "$WORK/hello-b.jar"
    printf 'Bundle-Version: %s-b\n' "$BUNDLE_VERSION" >"$WORK/manifest-b.txt"
    jar --update --file "$WORK/hello-b.jar" --manifest "$WORK/manifest-b.txt" 2>/dev/null
    unzip -p "$WORK/hello-b.jar" META-INF/MANIFEST.MF | tr -d '\r' | grep -qx "Bundle-Version: $BUNDLE_VERSION-b" ||
        die "could not make the second build of $1"
}

# The facts printed at the head of a run's output.
describe_run() {
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "scripts: $(git -C "$ROOT" rev-parse --short HEAD)"
    echo "distribution: $PLINTH_HOME${PLINTH_COMMIT:+ (built from $PLINTH_COMMIT)}, bundles built $(stat -c %y "$PLINTH_HOME"/bundles/http-core-*.jar | cut -c1-19)"
    echo "java: $(java -version 2>&1 | sed -n 2p); $(nproc) cores"
    echo "load average before: $(loadavg)"
}

# A private copy of the distribution in $HOME_COPY: no framework cache, an empty deploy/.
# set_cfg FILE KEY VALUE then changes one of its settings (the original is never touched).
private_copy() {
    [[ -f $PLINTH_HOME/plinth.jar ]] || die "no distribution at $PLINTH_HOME (build it: see README.md)"
    rm -rf "$HOME_COPY"
    mkdir -p "$WORK"
    cp -r "$PLINTH_HOME" "$HOME_COPY"
    rm -rf "$HOME_COPY/data" "$DEPLOY"/*.jar
}
set_cfg() { # file (relative to etc/) key value
    local f=$HOME_COPY/etc/$1
    sed -i "/^${2//./\\.}=/d" "$f"
    printf '%s=%s\n' "$2" "$3" >>"$f"
}

http_status() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$BASE_URL$1" || true; }

# await_status PATH WANT [TIMEOUT_MS]: polls PATH about every 10 ms until it answers WANT (a code, or !CODE for
# anything else); prints the milliseconds waited, or fails after TIMEOUT_MS (default 10000).
await_status() {
    local path=$1 want=$2 limit=${3:-10000} t0 code
    t0=$(now_ms)
    while :; do
        code=$(http_status "$path")
        if [[ $want == !* && $code != "${want#!}" || $want != !* && $code == "$want" ]]; then
            echo $(($(now_ms) - t0))
            return 0
        fi
        (($(now_ms) - t0 < limit)) || { log "$path did not answer $want within $limit ms (last: $code)"; return 1; }
        sleep 0.01
    done
}

# Starts $HOME_COPY/plinth.jar on 127.0.0.1:$PORT (standard input closed: no shell), waits until / answers.
start_server() {
    [[ $(http_status /) == 000 ]] || die "something already answers on 127.0.0.1:$PORT: stop it or set PORT"
    java -jar "$HOME_COPY/plinth.jar" --port "$PORT" --host 127.0.0.1 </dev/null >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(http_status /) == 200 ]] && { log "server up (pid $SERVER_PID, $BASE_URL, log $SERVER_LOG)"; return 0; }
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server died"; }
        sleep 0.1
    done
    die "the server did not answer / within 60 s"
}

# await_exit PID SECONDS: whether the process ended within SECONDS.
await_exit() {
    local deadline=$(($(now_ms) + $2 * 1000))
    while kill -0 "$1" 2>/dev/null; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.1
    done
}
# end_process PID SECONDS: ends a process this script started, by its pid only: TERM, then KILL after SECONDS.
end_process() {
    kill "$1" 2>/dev/null || true
    await_exit "$1" "$2" || kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
stop_server() {
    [[ -z $SERVER_PID ]] || end_process "$SERVER_PID" 10
    SERVER_PID=
}

cpu_ms() { awk -v hz="$CLK_TCK" '{sub(/.*\) /, ""); printf "%d\n", ($12 + $13) * 1000 / hz}' "/proc/$SERVER_PID/stat"; } # utime+stime
threads() { awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status"; }
fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
# thread_cpu FILE REGEX: CPU ms (0.01 ms precision) of the server's threads whose name matches, from a
# `jcmd PID Thread.print` saved in FILE (each thread line: "name" #n ... cpu=12.34ms ...).
thread_cpu() {
    awk -v re="$2" '/^"/ {name = $0; sub(/^"/, "", name); sub(/".*/, "", name)
                        if (name ~ re && match($0, / cpu=[0-9.]+ms/)) t += substr($0, RSTART + 5, RLENGTH - 7)}
                  END {printf "%.2f\n", t}' "$1"
}

# Installs a jar into deploy/ as NAME: written aside under a name FileInstall ignores, then renamed in one step.
# mode cp: copied in place, as a user's plain cp does (FileInstall may then see it half written).
drop_jar() { # jar name [mv|cp]
    if [[ ${3:-mv} == cp ]]; then
        cp "$1" "$DEPLOY/$2"
    else
        cp "$1" "$DEPLOY/.$2.part"
        mv -f "$DEPLOY/.$2.part" "$DEPLOY/$2"
    fi
}

# stats LABEL VALUES...: n, median, p90, max (nearest rank: the ceil(q*n)-th smallest).
stats() {
    local label=$1; shift
    (($#)) || { printf '%-28s n=0\n' "$label"; return 0; }
    printf '%s\n' "$@" | sort -n | awk -v label="$label" '
        {v[NR] = $1}
        END {
            p50 = v[int((NR * 50 + 99) / 100)]; p90 = v[int((NR * 90 + 99) / 100)]
            printf "%-28s n=%d  median %d ms  p90 %d ms  max %d ms  (min %d)\n", label, NR, p50, p90, v[NR], v[1]
        }'
}
