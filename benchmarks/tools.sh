# Sourced by the benchmark scripts: installs the load tools they share from Debian's packages when missing.
# Needs a log function in the sourcing script.

# wrk, nginx and curl, installed if missing; nginx's packaged service is stopped (the scripts run their own).
# Arguments: more commands needed, each installed from the Debian package of the same name (openssl, ...).
ensure_load_tools() {
    local missing=() more
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    for more in "$@"; do command -v "$more" >/dev/null || missing+=("$more"); done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        # Debian starts the packaged nginx service on port 80.
        command -v systemctl >/dev/null && systemctl stop nginx 2>/dev/null || true
    fi
    PATH=$PATH:/usr/sbin
}
