#!/usr/bin/env bash
# Brings the Berth test lab up: a bridge in the root namespace, one network namespace per host
# with its own sshd, login user, containerd and dockerd, a registry on the bridge, and seeded
# images and containers. Describes the result in /run/berth-lab/lab.json. See README.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
source "$HERE/hosts.sh"
require_root
umask 022 # the lab users must be able to traverse /run/berth-lab/hN to reach the engine socket
T0=$(now_ms)

STEP=start
SEED_PIDS=()
# Prints each step with the time since the start, so that a slow step shows in CI logs.
step() { local ms=$(($(now_ms) - T0)); STEP=$*; printf '==> %3d.%ds  %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
# On any failure: say which step failed, and leave nothing half-built behind.
on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  echo "up.sh: FAILED during step: $STEP (exit $rc). Tearing the lab down." >&2
  ((${#SEED_PIDS[@]})) && kill "${SEED_PIDS[@]}" 2>/dev/null
  bash "$HERE/down.sh" || true
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM # turn signals into an exit so that on_exit runs

step "remove leftovers of earlier runs (down.sh)"
bash "$HERE/down.sh"
step "install missing packages (install.sh)"
bash "$HERE/install.sh"

step "client key pair"
mkdir -p "$LAB_RUN/client" "$LAB_RUN/registry" "$LAB_VAR/registry" /run/sshd
chmod 700 "$LAB_RUN/client"
ssh-keygen -q -t ed25519 -N '' -C berth-lab-client -f "$LAB_KEY"

step "network: bridge $LAB_BRIDGE ($LAB_GW) and one namespace per host"
ip link add "$LAB_BRIDGE" type bridge
ip addr add "$LAB_GW/24" dev "$LAB_BRIDGE"
ip link set "$LAB_BRIDGE" up
# br_netfilter is loaded here, so host-to-host traffic on the bridge passes the FORWARD chain, and
# a root-namespace dockerd (which may run here for other purposes) sets its policy to DROP.
if command -v iptables >/dev/null; then
  iptables -C FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -j ACCEPT
fi
for h in "${LAB_HOSTS[@]}"; do
  ns=$(host_netns "$h")
  ip netns add "$ns"
  ip link add "$(host_veth "$h")" type veth peer name eth0 netns "$ns"
  ip link set "$(host_veth "$h")" master "$LAB_BRIDGE" up
  ip -n "$ns" addr add "$(host_addr "$h")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
done

step "login users"
getent group docker >/dev/null || groupadd --system docker
# The bare users' PATH: what a host without Node.js has (a shell's basics and the docker CLI).
install -d -m 755 "$LAB_RUN/bare-bin"
for c in uname cat ls rm mkdir docker; do ln -sf "$(command -v "$c")" "$LAB_RUN/bare-bin/$c"; done
for h in "${LAB_HOSTS[@]}"; do
  for u in "$(host_user "$h")" "$(host_bare_user "$h")"; do
    useradd -m -s /bin/sh -G docker "$u"
    passwd -d "$u" >/dev/null # useradd leaves the account locked, and sshd refuses locked accounts
    home=$(getent passwd "$u" | cut -d: -f6)
    # sshd StrictModes: home and ~/.ssh owned by the user and not writable by others.
    chown "$u:$u" "$home" && chmod 755 "$home"
    install -d -m 700 -o "$u" -g "$u" "$home/.ssh"
    install -m 600 -o "$u" -g "$u" "$LAB_KEY.pub" "$home/.ssh/authorized_keys"
  done
  echo "$(host_bare_user "$h"):$LAB_BARE_PASSWORD" | chpasswd
  # read by sshd (PermitUserEnvironment PATH): this login finds no node
  echo "PATH=$LAB_RUN/bare-bin" | install -m 600 -o "$(host_bare_user "$h")" /dev/stdin "$(getent passwd "$(host_bare_user "$h")" | cut -d: -f6)/.ssh/environment"
done

step "start containerd, dockerd and sshd of ${LAB_HOSTS[*]}"
for h in "${LAB_HOSTS[@]}"; do start_host "$h"; done

step "start the registry on $LAB_REGISTRY"
cat >"$LAB_RUN/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $LAB_VAR/registry
  delete:
    enabled: true
http:
  addr: $LAB_REGISTRY
EOF
setsid docker-registry serve "$LAB_RUN/registry/config.yml" >"$LAB_RUN/registry/registry.log" 2>&1 </dev/null &
echo $! >"$LAB_RUN/registry/pid"

step "build the busybox rootfs"
rootfs=$LAB_VAR/rootfs
mkdir -p "$rootfs/bin"
cp /bin/busybox "$rootfs/bin/busybox"
for a in sh ls cat echo sleep stty top env id uname; do ln -s busybox "$rootfs/bin/$a"; done
tar -C "$rootfs" -cf "$LAB_VAR/rootfs.tar" .

for h in "${LAB_HOSTS[@]}"; do
  step "wait for the engine of $h"
  WAIT_PID=${DOCKERD_PID[$h]} wait_for 30 "dockerd of $h" dk "$h" version ||
    { tail -n 15 "$(host_run "$h")"/{containerd,dockerd}.log >&2; exit 1; }
  step "wait for sshd of $h on $(host_addr "$h"):22"
  wait_for 10 "sshd of $h" ssh_banner "$(host_addr "$h")" || { tail -n 15 "$(host_run "$h")/sshd.log" >&2; exit 1; }
done
step "wait for the registry"
WAIT_PID=$(cat "$LAB_RUN/registry/pid") wait_for 10 "registry" http_get /v2/ || { tail -n 15 "$LAB_RUN/registry/registry.log" >&2; exit 1; }

step "seed images and containers on ${LAB_HOSTS[*]} (in parallel)"
for h in "${LAB_HOSTS[@]}"; do
  seed_host "$h" >"$(host_run "$h")/seed.log" 2>&1 &
  SEED_PIDS+=($!)
done
for i in "${!LAB_HOSTS[@]}"; do
  h=${LAB_HOSTS[i]}
  wait "${SEED_PIDS[i]}" || { STEP="seed $h"; tail -n 15 "$(host_run "$h")/seed.log" >&2; exit 1; }
done
SEED_PIDS=()

step "verify the push, engine identities and reachability between namespaces"
http_get "/v2/${LAB_IMAGE%:*}/tags/list" | grep -q "\"${LAB_IMAGE#*:}\"" || die "$LAB_REGISTRY has no $LAB_IMAGE"
ids=$(for h in "${LAB_HOSTS[@]}"; do dk "$h" info -f '{{.ID}}'; done)
[[ $(sort -u <<<"$ids" | wc -l) == "${#LAB_HOSTS[@]}" ]] || die "hosts share an engine ID: $ids"
# Later tests jump from one host to another (ProxyJump) and pull from the registry inside a host.
for h in "${LAB_HOSTS[@]}"; do
  for o in "${LAB_HOSTS[@]}"; do
    [[ $o == "$h" ]] || ip netns exec "$(host_netns "$h")" bash -c "$(declare -f ssh_banner); ssh_banner $(host_addr "$o")" ||
      die "$h cannot reach sshd of $o"
  done
  ip netns exec "$(host_netns "$h")" timeout 2 bash -c "exec 3<>/dev/tcp/${LAB_REGISTRY/://}" || die "$h cannot reach $LAB_REGISTRY"
done

step "write $LAB_RUN/lab.json"
json="{\"identityFile\":\"$LAB_KEY\",\"registry\":\"$LAB_REGISTRY\",\"image\":\"$LAB_IMAGE\",\"hosts\":["
sep=
for h in "${LAB_HOSTS[@]}"; do
  pub=$(host_run "$h")/ssh_host_ed25519_key.pub
  json+="$sep"$'\n  '"{\"name\":\"$h\",\"address\":\"$(host_addr "$h")\",\"port\":22,\"user\":\"$(host_user "$h")\",\"bareUser\":\"$(host_bare_user "$h")\",\"barePassword\":\"$LAB_BARE_PASSWORD\""
  json+=",\"dockerHost\":\"unix://$(host_sock "$h")\",\"netns\":\"$(host_netns "$h")\""
  json+=",\"hostKeyPublic\":\"$(awk '{print $1 " " $2}' "$pub")\",\"hostKeyFingerprint\":\"$(ssh-keygen -lf "$pub" | awk '{print $2}')\"}"
  sep=,
done
printf '%s\n]}\n' "$json" >"$LAB_RUN/lab.json"
# The same host keys as an OpenSSH known_hosts file, for tests that check host keys strictly.
for h in "${LAB_HOSTS[@]}"; do
  echo "$(host_addr "$h") $(awk '{print $1 " " $2}' "$(host_run "$h")/ssh_host_ed25519_key.pub")"
done >"$LAB_RUN/client/known_hosts"
if command -v node >/dev/null; then
  node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$LAB_RUN/lab.json"
fi

STEP=finished
ms=$(($(now_ms) - T0))
echo
echo "Berth lab is up (${LAB_HOSTS[*]}) in $((ms / 1000)).$((ms % 1000 / 100)) s"
for h in "${LAB_HOSTS[@]}"; do
  echo "  $h  ssh -i $LAB_KEY $(host_user "$h")@$(host_addr "$h")   engine unix://$(host_sock "$h")"
done
echo "  registry http://$LAB_REGISTRY   image $LAB_IMAGE   description $LAB_RUN/lab.json"
echo "  tear down: bash $HERE/down.sh"
