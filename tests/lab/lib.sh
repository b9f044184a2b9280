# shellcheck shell=bash disable=SC2034,SC2207
# (SC2034: the settings are used by the scripts that source this file; SC2207: word-splitting
#  command output is intended, it is lists of pids and names without spaces.)
# Shared settings and helpers for the Berth test lab. Sourced by up.sh and down.sh.

# The lab hosts. Adding a host is a one-line change here: host hN gets 10.77.0.(10+N).
LAB_HOSTS=(h1 h2)

LAB_BRIDGE=berthlab0            # bridge in the root namespace; the veths' root ends are berthlab-hN
LAB_GW=10.77.0.1                # bridge address = address of the registry
LAB_NET=10.77.0.0/24
LAB_RUN=/run/berth-lab          # sockets, pid files, logs, keys, configs (tmpfs: gone after a reboot)
LAB_VAR=/var/lib/berth-lab      # engine data and registry storage (too big for /run)
LAB_REGISTRY=$LAB_GW:5000
LAB_IMAGE=lab/busybox:1
LAB_KEY=$LAB_RUN/client/id_ed25519
# The 20.10 client from docker.io. The `docker` first on PATH (/usr/local/bin) is another version.
DOCKER=/usr/bin/docker

# Lab traffic must never go through a proxy, and the docker client must only ever talk to the
# engine named with -H (never to a DOCKER_HOST/context inherited from the caller).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY \
  DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

host_num()   { echo "${1#h}"; }
host_addr()  { echo "10.77.0.$((10 + $(host_num "$1")))"; }
host_user()  { echo "berth-$1"; }
# A second login on each host whose PATH has no node: Berth must fall back to agentless mode.
host_bare_user() { echo "berth-$1-bare"; }
# Its password (sshd also accepts it for that login only): a lab secret, nothing real.
LAB_BARE_PASSWORD=lab-bare-password
host_netns() { echo "berth-$1"; }
host_veth()  { echo "berthlab-$1"; }
host_run()   { echo "$LAB_RUN/$1"; }
host_var()   { echo "$LAB_VAR/$1"; }
host_sock()  { echo "$LAB_RUN/$1/docker.sock"; }
dk()         { local h=$1; shift; "$DOCKER" -H "unix://$(host_sock "$h")" "$@"; }

die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
require_root() { [[ $(id -u) == 0 ]] || die "$(basename "$0") must run as root (the lab is made of network namespaces, users and daemons)"; }

# Milliseconds since the epoch. EPOCHREALTIME's decimal separator follows the locale, so strip it.
now_ms() { local t=${EPOCHREALTIME//[^0-9]/}; echo $((t / 1000)); }

# wait_for SECONDS WHAT CMD...: poll CMD every 0.1 s (no fixed sleeps) until it succeeds or time
# runs out. With WAIT_PID set, give up at once when that process (the daemon waited for) has died.
wait_for() {
  local secs=$1 what=$2; shift 2
  local deadline=$(($(now_ms) + secs * 1000))
  until "$@" >/dev/null 2>&1; do
    if [[ -n ${WAIT_PID:-} ]] && ! pid_alive "$WAIT_PID"; then echo "$what: the process exited" >&2; return 1; fi
    (($(now_ms) < deadline)) || { echo "timed out after ${secs}s waiting for $what" >&2; return 1; }
    sleep 0.1
  done
}

# True if PID runs and is not a zombie. kill -0 alone is not enough: killed daemons are reparented
# to PID 1, and until it reaps them they would look alive and make every wait run to its timeout.
pid_alive() {
  local st
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ ${st:0:1} != Z ]]
}

# PID from a pid file, but only if that process still is COMM (a stale file may name a reused pid).
pid_from_file() {
  local pid
  [[ -r $1 ]] || return 0
  pid=$(tr -dc 0-9 <"$1")
  [[ -n $pid ]] && pid_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] && echo "$pid"
  return 0
}

# Lab users present on this machine (also those of hosts since removed from LAB_HOSTS).
lab_users() { getent passwd | awk -F: '$1 ~ /^berth-h[0-9]+(-bare)?$/ {print $1}'; }

# Every process that belongs to the lab, our own ancestors excluded:
#  - everything inside a berth-* namespace (sshd, sessions, agents, dockerd, containerd, shims),
#  - lab daemons recognised by a lab path on their command line (also if their namespace is gone;
#    ssh-agent: tests put agent sockets next to the client key),
#  - everything run by a lab user,
#  - all descendants of those: container processes are children of the containerd shims.
lab_pids() {
  local seeds=() ns p comm u
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^berth-/ {print $1}'); do
    seeds+=($(ip netns pids "$ns" 2>/dev/null))
  done
  for p in /proc/[0-9]*; do
    { read -r comm <"$p/comm"; } 2>/dev/null || continue # `read`, not $(cat): no fork per process
    case $comm in
      dockerd | containerd | containerd-shim* | sshd | docker-registry | ssh-agent)
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -e "$LAB_RUN/" -e "$LAB_VAR/" && seeds+=("${p#/proc/}") ;;
    esac
  done
  for u in $(lab_users); do seeds+=($(pgrep -u "$u" 2>/dev/null)); done
  ((${#seeds[@]})) || return 0
  local self=("$BASHPID") q=$$
  while [[ $q =~ ^[0-9]+$ ]] && ((q > 1)); do self+=("$q"); q=$(awk '{print $4}' "/proc/$q/stat" 2>/dev/null); done
  ps -e -o pid=,ppid=,stat= | awk -v seeds="${seeds[*]}" -v self="${self[*]}" '
    BEGIN { n = split(seeds, a, " "); for (i = 1; i <= n; i++) keep[a[i]] = 1
            n = split(self, s, " "); for (i = 1; i <= n; i++) skip[s[i]] = 1 }
    { parent[$1] = $2; if ($3 ~ /^Z/) zombie[$1] = 1 }
    END { do { grown = 0
            for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; grown = 1 } } while (grown)
          for (p in keep) if ((p in parent) && !(p in skip) && !(p in zombie)) print p }'
}

# SIGKILL the given pids, then thaw their freezer cgroups: a paused container's processes sit in a
# frozen cgroup (v1 freezer here) and do not die from SIGKILL until thawed. Records the cgroup dirs
# of containers in LAB_CGROUPS so that down.sh can remove them once empty.
LAB_CGROUPS=()
kill_and_thaw() {
  local p path f
  (($#)) || return 0
  for p in "$@"; do
    while IFS=: read -r _ _ path; do
      [[ $path == / || -z $path ]] && continue
      [[ $path =~ /[0-9a-f]{64}$ ]] && LAB_CGROUPS+=("$path")
    done <"/proc/$p/cgroup" 2>/dev/null || true
  done
  kill -KILL "$@" 2>/dev/null || true
  for path in $(printf '%s\n' "${LAB_CGROUPS[@]}" | sort -u); do
    f=/sys/fs/cgroup/freezer$path/freezer.state
    [[ -w $f ]] && echo THAWED >"$f" 2>/dev/null
    for f in /sys/fs/cgroup"$path"/cgroup.freeze /sys/fs/cgroup/unified"$path"/cgroup.freeze; do
      [[ -w $f ]] && echo 0 >"$f" 2>/dev/null
    done
  done
  return 0
}
