#!/usr/bin/env bash
# A rehearsal of one pod of plinth-deployment.yaml without a container engine: what can be checked on a machine
# with no Docker daemon and no registry. Needs root (it makes a private mount and PID namespace with unshare).
#
#   kubernetes/rehearse-pod.sh          (about 10 s; loopback only)
#
# It lays out /opt/plinth as kubernetes/image/Dockerfile does (the distribution owned by root; data/, logs/,
# deploy/ for user 10001), then, in new mount and PID namespaces:
#   - the root filesystem and that layout are read-only (readOnlyRootFilesystem);
#   - data/, logs/, deploy/ and /tmp are empty tmpfs mounts owned by 10001 (the emptyDir volumes, fsGroup);
#   - etc/ is a read-only folder laid out as the kubelet lays out a ConfigMap volume (each key a symbolic link
#     through ..data to a timestamped folder), with the files of distribution/src/main/dist/etc/ (and
#     kubernetes/etc/, if any), which is what plinth-etc-configmap.yaml holds (validate.sh checks that);
#   - the init container's step: the handler bundle copied into deploy/ as user 10001;
#   - then java runs as user 10001, as PID 1 of the namespace, with the image's entrypoint (on 127.0.0.1 here).
# Checks: / and /hello answer 200, and the probes' paths /health/live and /health/ready; the process runs as 10001
# and is PID 1; a ConfigMap update (the kubelet's swap of ..data) reaches the server; nothing failed on the
# read-only filesystem; the framework wrote its storage to data/; on SIGTERM readiness turns 503 at once while /
# is still served, and the server exits with status 0 within the 30 s grace period. Not checked: the base image
# itself (eclipse-temurin:17-jre; this machine's JDK 17 stands in for it), pulling, and the kubelet's probes (the
# script asks the same paths with curl).
#
# Environment: PLINTH_HOME [distribution/target/plinth], HELLO_JAR [distribution/example-hello/target/*.jar],
#   WORK [/tmp/plinth-pod], PORT [28190].
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${WORK:-/tmp/plinth-pod}
PORT=${PORT:-28190}
# log, die, now_ms, hello_jar, await_exit, end_process
# shellcheck source-path=SCRIPTDIR source=../benchmarks/hotdeploy/lib.sh
source "$ROOT/benchmarks/hotdeploy/lib.sh"

((EUID == 0)) || die "needs root (unshare of mount and PID namespaces)"
if ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null; then die "needs unshare and setpriv (util-linux)"; fi
[[ -f $PLINTH_HOME/plinth.jar ]] || die "no distribution at $PLINTH_HOME (build it: see README.md)"
JAR=$(hello_jar)
POD_UID=10001
IMAGE=$WORK/image-opt-plinth # what the image's /opt/plinth holds
ETC_VOLUME=$WORK/etc-volume  # what the kubelet makes of the ConfigMap
POD_PID=
FAILED=()
check() { # description, then a command that must succeed
    local what=$1; shift
    if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; FAILED+=("$what"); fi
}
cleanup() { [[ -z $POD_PID ]] || end_process "$POD_PID" 40; }
trap cleanup EXIT

# ---------------------------------------------------------------- the image's layout (Dockerfile's COPY and RUN)
rm -rf "$WORK" && mkdir -p "$WORK"
cp -r "$PLINTH_HOME" "$IMAGE"
rm -rf "$IMAGE/data"
mkdir -p "$IMAGE/data" "$IMAGE/logs" "$IMAGE/deploy"
chown -R root:root "$IMAGE"
chown "$POD_UID:$POD_UID" "$IMAGE/data" "$IMAGE/logs" "$IMAGE/deploy"
chmod -R a+rX,go-w "$IMAGE"
cp "$JAR" "$WORK/handler.jar" && chmod a+r "$WORK/handler.jar"

# ---------------------------------------------------------------- the ConfigMap volume, as the kubelet writes it
configmap_version() { # name of the new timestamped folder; files from the sources, then optional KEY=LINE to append
    local dir f
    dir=$ETC_VOLUME/..$(date -u +%Y_%m_%d_%H_%M_%S.%N)
    mkdir -p "$dir"
    for f in "$ROOT"/distribution/src/main/dist/etc/* "$HERE"/etc/*; do [[ ! -f $f ]] || cp "$f" "$dir/"; done
    [[ $# -eq 0 ]] || printf '%s\n' "${1#*=}" >>"$dir/${1%%=*}"
    chmod -R a+rX "$dir"
    ln -sfn "$(basename "$dir")" "$ETC_VOLUME/..data_tmp"
    mv -T "$ETC_VOLUME/..data_tmp" "$ETC_VOLUME/..data" # atomic swap, as the kubelet's AtomicWriter does
    for f in "$dir"/*; do ln -sfn "..data/$(basename "$f")" "$ETC_VOLUME/$(basename "$f")"; done
}
mkdir -p "$ETC_VOLUME"
configmap_version

# ---------------------------------------------------------------- the pod
# Inside the namespaces: the mounts, the init step, then exec: java becomes PID 1.
cat >"$WORK/pod.sh" <<POD
set -eu
mount --make-rprivate /
mount -t tmpfs -o mode=0755 pod-root /srv
mkdir /srv/plinth
mount --bind "$IMAGE" /srv/plinth
for v in data logs deploy; do mount -t tmpfs -o uid=$POD_UID,gid=$POD_UID,mode=2775,size=64m "\$v" /srv/plinth/\$v; done
setpriv --reuid=$POD_UID --regid=$POD_UID --clear-groups cp "$WORK/handler.jar" /srv/plinth/deploy/example-hello.jar
mount --bind "$ETC_VOLUME" /srv/plinth/etc
mount -o remount,bind,ro /srv/plinth/etc
mount -o remount,bind,ro /srv/plinth
mount -t tmpfs -o mode=1777,size=64m tmp /tmp
mount -o remount,bind,ro /
exec setpriv --reuid=$POD_UID --regid=$POD_UID --clear-groups --no-new-privs \\
    java -XX:MaxRAMPercentage=50 -jar /srv/plinth/plinth.jar --host 127.0.0.1 --port $PORT
POD
[[ $(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$PORT/" || true) == 000 ]] ||
    die "something already answers on 127.0.0.1:$PORT: set PORT"
unshare --mount --pid --fork --mount-proc bash "$WORK/pod.sh" </dev/null >"$WORK/pod.log" 2>&1 &
POD_PID=$!

status() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$PORT$1" || true; }
t0=$(now_ms)
until [[ $(status /) == 200 && $(status /hello) == 200 ]]; do
    kill -0 "$POD_PID" 2>/dev/null || { cat "$WORK/pod.log" >&2; die "the pod's server died"; }
    (($(now_ms) - t0 < 60000)) || { cat "$WORK/pod.log" >&2; die "/ and /hello did not answer 200 within 60 s"; }
    sleep 0.2
done
JAVA_PID=$(pgrep -P "$POD_PID" | head -1)
log "server up after $(($(now_ms) - t0)) ms (host pid $JAVA_PID)"
echo "rehearsal of one pod: $(git -C "$ROOT" rev-parse --short HEAD), distribution $PLINTH_HOME, $(java -version 2>&1 | sed -n 2p)"
check "/ and /hello (handler bundle from the init step) answer 200" true
check "java runs as user $POD_UID" grep -Eq "^Uid:\s+$POD_UID\s" "/proc/$JAVA_PID/status"
check "java is PID 1 of its namespace" bash -c "grep -Eq '^NSpid:\s+$JAVA_PID\s+1$' /proc/$JAVA_PID/status"
check "the root filesystem is read-only for it" bash -c "grep -Eq '^\S+ / \S+ ro[, ]' /proc/$JAVA_PID/mounts"
check "the framework storage is in data/ (emptyDir)" test -d "/proc/$JAVA_PID/root/srv/plinth/data/felix-cache"
check "the probes' paths answer 200: /health/live $(status /health/live), /health/ready $(status /health/ready)" \
    test "$(status /health/live) $(status /health/ready)" == "200 200"

# A ConfigMap update: the static mount gets a Cache-Control header.
configmap_version "dev.plinth.handlers.static-www.cfg=cacheControl=max-age=60"
t0=$(now_ms)
until curl -s -D - -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/" | tr -d '\r' | grep -qix 'cache-control: max-age=60'; do
    (($(now_ms) - t0 < 20000)) || break
    sleep 0.2
done
check "a ConfigMap update (..data swapped) applies without a restart ($(($(now_ms) - t0)) ms)" \
    bash -c "curl -s -D - -o /dev/null --max-time 2 http://127.0.0.1:$PORT/ | tr -d '\r' | grep -qix 'cache-control: max-age=60'"
check "no write failed on the read-only filesystem" bash -c "! grep -Eiq 'read-only file system|AccessDenied|Permission denied' '$WORK/pod.log'"

# SIGTERM to PID 1, as the kubelet sends it: readiness 503 at once, / still served during delayMillis, exit 0.
t0=$(now_ms)
kill -TERM "$JAVA_PID"
sleep 0.5
ready_after=$(status /health/ready) page_after=$(status /) live_after=$(status /health/live)
check "after SIGTERM: /health/ready 503 ($ready_after), / still 200 ($page_after), /health/live 200 ($live_after)" \
    test "$ready_after $page_after $live_after" == "503 200 200"
rc=0
if await_exit "$POD_PID" 40; then wait "$POD_PID" || rc=$?; else rc="none: still running after 40 s"; fi
POD_PID=
stop_ms=$(($(now_ms) - t0))
check "SIGTERM: exit status 0 ($rc) within terminationGracePeriodSeconds, 30 s ($stop_ms ms)" \
    test "$rc $((stop_ms < 30000))" == "0 1"
grep -iE 'drain|graceful|shutdown|stop' "$WORK/pod.log" | tail -6 | cut -c1-220 | sed 's/^/      log: /'

echo "log: $WORK/pod.log"
((${#FAILED[@]} == 0)) || die "${#FAILED[@]} checks failed"
echo "all checks passed"
