#!/usr/bin/env bash
# shellcheck disable=SC2207 # splitting command output into arrays is intended: lists of pids
# Tears the lab down: everything up.sh made and whatever a killed run left behind. Namespaces,
# veths, users and mounts outlive the processes that made them, and CI runs on the same machine
# right after a session, so this must work from any half-built state and never fail on a missing
# piece. Exits 0 unless not run as root. Touches nothing outside the lab (no other dockerd).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
require_root
set +e # from here on every step is best effort: a missing piece is not an error

# All hosts, also those of an earlier run with another LAB_HOSTS (found by their traces).
hosts=$({
  printf '%s\n' "${LAB_HOSTS[@]}"
  for d in "$LAB_RUN"/h[0-9]* "$LAB_VAR"/h[0-9]*; do [[ -e $d ]] && basename "$d"; done
  ip netns list 2>/dev/null | awk '$1 ~ /^berth-h[0-9]+$/ {sub(/^berth-/, "", $1); print $1}'
  lab_users | sed 's/^berth-//'
} | sort -u)

all_dead() { local p; for p in "$@"; do pid_alive "$p" && return 1; done; return 0; }

# stop_pids SECONDS PID...: SIGTERM, wait (bounded) for the processes to exit, then SIGKILL.
stop_pids() {
  local secs=$1 p left; shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null
  wait_for "$secs" "pids $*" all_dead "$@" 2>/dev/null && return 0
  left=$(for p in "$@"; do pid_alive "$p" && echo "$p"; done)
  echo "down.sh: still running after ${secs}s, sending SIGKILL: $left" >&2
  kill_and_thaw $left
}

# 1. Programs the tests started as lab users over ssh (agents, shells): they hold the users and
#    would keep `userdel` from working.
for u in $(lab_users); do pkill -KILL -u "$u" 2>/dev/null; done

# 2. Containers, through their own engine while it still answers, all hosts in parallel. Going
#    through the engine matters: a stopping dockerd gives each `sleep` container 10 s to react to
#    SIGTERM (which PID 1 ignores), and a paused container would not die at all.
for h in $hosts; do
  [[ -S $(host_sock "$h") ]] || continue
  (ids=$(timeout 5 "$DOCKER" -H "unix://$(host_sock "$h")" ps -q 2>/dev/null) &&
    [[ -n $ids ]] && timeout 30 "$DOCKER" -H "unix://$(host_sock "$h")" rm -f $ids >/dev/null 2>&1) &
done
wait

# 3. The daemons, by their pid files: dockerd first (it talks to containerd while shutting down).
pids=()
for h in $hosts; do pids+=($(pid_from_file "$(host_run "$h")/docker.pid" dockerd)); done
stop_pids 15 "${pids[@]}"
pids=($(pid_from_file "$LAB_RUN/registry/pid" docker-registry))
for h in $hosts; do
  pids+=($(pid_from_file "$(host_run "$h")/containerd.pid" containerd))
  pids+=($(pid_from_file "$(host_run "$h")/sshd.pid" sshd))
done
stop_pids 10 "${pids[@]}"

# 4. Whatever is left: shims and their containers, session processes, daemons whose pid file was
#    lost. Found by namespace, command line, user and parentage (see lab_pids in lib.sh).
for _ in 1 2 3; do
  left=$(lab_pids)
  [[ -z $left ]] && break
  kill_and_thaw $left
  wait_for 5 "lab processes to die" all_dead $left
done
[[ -n $(lab_pids) ]] && { echo "down.sh: WARNING: lab processes still running:" >&2; ps -o pid,user,cmd -p "$(lab_pids | paste -sd,)" >&2; }

# 5. Mounts under the lab dirs (overlay2 layers, container netns bind mounts, dockerd's bind mount
#    of its data root), deepest first; lazy unmount if something still holds one.
for _ in 1 2 3; do
  mounts=$(awk '{print $5}' /proc/self/mountinfo | grep -E "^($LAB_VAR|$LAB_RUN)(/|$)" | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
  [[ -z $mounts ]] && break
  for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
done

# 6. Network: namespaces, veths (their root ends are berthlab-hN), the bridge, the firewall rule.
for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^berth-/ {print $1}'); do ip netns del "$ns" 2>/dev/null; done
for l in $(ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep '^berthlab'); do
  ip link del "$l" 2>/dev/null
done
if command -v iptables >/dev/null; then
  while iptables -D FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -j ACCEPT 2>/dev/null; do :; done
fi

# 7. Users with their homes (userdel -r also removes their group and subuid/subgid lines).
for u in $(lab_users); do
  home=$(getent passwd "$u" | cut -d: -f6)
  userdel -r "$u" >/dev/null 2>&1 || userdel "$u" >/dev/null 2>&1
  [[ $home == /home/berth-h* ]] && rm -rf "$home"
done

# 8. Cgroup dirs of containers that were killed behind their engine's back (empty by now).
for path in $(printf '%s\n' "${LAB_CGROUPS[@]}" | sort -u); do
  for d in /sys/fs/cgroup/*"$path" /sys/fs/cgroup"$path"; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done
done

# 9. Sockets of shims that were killed behind containerd's back: containerd 1.6 keeps them in the
#    shared /run/containerd/s/, named sha256(<containerd address>/<namespace>/<container id>).
for d in "$LAB_VAR"/h*/docker/containers/*/; do
  [[ -d $d ]] || continue
  id=$(basename "$d") h=$(basename "$(dirname "$(dirname "$(dirname "$d")")")")
  rm -f "/run/containerd/s/$(printf '%s' "$(host_run "$h")/containerd/containerd.sock/moby/$id" | sha256sum | cut -d' ' -f1)"
done

# 10. Files. --one-file-system: never follow a mount that survived step 5 into another file system.
rm -rf --one-file-system "$LAB_RUN" "$LAB_VAR" 2>/dev/null

exit 0
