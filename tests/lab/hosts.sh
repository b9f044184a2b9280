# shellcheck shell=bash disable=SC2034 # DOCKERD_PID is read by up.sh
# Per-host pieces of the lab, sourced by up.sh after lib.sh: starting a host's daemons, seeding its
# engine, and the small probes up.sh polls with.

declare -A DOCKERD_PID=()

# Starts dockerd of host $1 in its namespace (also used by engine.sh to restart it).
start_dockerd() {
  local h=$1 r v ns
  r=$(host_run "$h") v=$(host_var "$h") ns=/run/netns/$(host_netns "$h")
  setsid nsenter --net="$ns" dockerd --config-file "$r/daemon.json" \
    --containerd "$r/containerd/containerd.sock" \
    --data-root "$v/docker" --exec-root "$r/exec" -H "unix://$r/docker.sock" --pidfile "$r/docker.pid" \
    --bridge none --iptables=false --group docker --insecure-registry "$LAB_NET" \
    >>"$r/dockerd.log" 2>&1 </dev/null &
  DOCKERD_PID[$h]=$! # dockerd writes its own pid file only once it is up
}
# Starts containerd, dockerd and sshd of host $1 in its namespace, without waiting for them.
start_host() {
  local h=$1 r v ns
  r=$(host_run "$h") v=$(host_var "$h") ns=/run/netns/$(host_netns "$h")
  mkdir -p "$r/containerd" "$v"
  # Each host gets a containerd of its own that we start ourselves. dockerd's managed containerd
  # would be per host too (under --exec-root), but dockerd silently uses a system containerd
  # instead whenever /run/containerd/containerd.sock exists, and then all hosts would share it.
  cat >"$r/containerd/config.toml" <<EOF
version = 2
root = "$v/containerd"
state = "$r/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$r/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$v/containerd/opt"
EOF
  # Own daemon.json: never read /etc/docker/daemon.json, and keep the engine's identity key out of
  # the shared /etc/docker/key.json, else every host reports the same engine ID in `docker info`.
  printf '{"deprecated-key-path": "%s"}\n' "$v/key.json" >"$r/daemon.json"
  # setsid: own session, survives this script. nsenter --net and not `ip netns exec`, which remounts
  # /sys and makes dockerd fail with "Devices cgroup isn't mounted". nsenter execs, so $! is the daemon.
  setsid nsenter --net="$ns" containerd --config "$r/containerd/config.toml" \
    >"$r/containerd.log" 2>&1 </dev/null &
  echo $! >"$r/containerd.pid"
  start_dockerd "$h"

  ssh-keygen -q -t ed25519 -N '' -C "berth-lab-$h" -f "$r/ssh_host_ed25519_key"
  cat >"$r/sshd_config" <<EOF
Port 22
ListenAddress $(host_addr "$h")
HostKey $r/ssh_host_ed25519_key
PidFile $r/sshd.pid
AllowUsers $(host_user "$h") $(host_bare_user "$h")
PermitUserEnvironment PATH
PermitRootLogin no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
AllowTcpForwarding yes
# h1 lets Berth open its agent's socket directly; h2 refuses, so Berth must use its bridge:
# the lab covers both ways an SSH server may be set up.
AllowStreamLocalForwarding $([[ $h == h2 ]] && echo no || echo yes)
# Login sessions (and so Berth's commands) find this host's engine, as on a real host.
SetEnv DOCKER_HOST=unix://$r/docker.sock
Subsystem sftp internal-sftp
# Keep interactive shells free of motd/last-login noise so terminal tests see only the prompt.
PrintMotd no
PrintLastLog no
# The bare login also takes a password, for Berth's password prompt (must stay last: Match).
Match User $(host_bare_user "$h")
  PasswordAuthentication yes
EOF
  /usr/sbin/sshd -t -f "$r/sshd_config" # a config error is reported here rather than as a timeout
  # nsenter --net for the same reason as dockerd: `ip netns exec` remounts /sys, which hides
  # /sys/fs/cgroup from logins (the agent reads container stats there, as on a real host)
  nsenter --net="$ns" /usr/sbin/sshd -f "$r/sshd_config" -E "$r/sshd.log" # daemonizes
}

# True once an SSH server answers with its banner on $1 port 22.
ssh_banner() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/22" && read -r -t 1 l <&3 && [[ $l == SSH-* ]]' "$1"; }
# (curl, not busybox-static's wget: that one segfaults here.)
http_get() { curl -fsS --max-time 2 --noproxy '*' "http://$LAB_REGISTRY$1"; }

# Seeds host $1: the image and one container in each state. The first host also pushes the image.
seed_host() {
  local h=$1 st c p pids=()
  # A main process that exits at once on SIGTERM, as real services do: `sleep` as PID 1 ignores
  # it, which would make every `docker stop` wait its full 10 s before the engine kills.
  local -a serve=(sh -c 'trap "exit 0" TERM; sleep 1000000 & wait')
  dk "$h" import -c 'CMD ["/bin/sh"]' "$LAB_VAR/rootfs.tar" "$LAB_IMAGE"
  # --network none everywhere: these engines run with --bridge none. Created one by one so that
  # the creation order (and so `docker ps -a` order) is always the same...
  dk "$h" create --name web --network none "$LAB_IMAGE" "${serve[@]}"
  dk "$h" create --name worker --network none "$LAB_IMAGE" "${serve[@]}"
  dk "$h" create --name job --network none "$LAB_IMAGE" sh -c 'exit 3'
  dk "$h" create --name fresh --network none "$LAB_IMAGE" "${serve[@]}"
  dk "$h" create --name frozen --network none "$LAB_IMAGE" "${serve[@]}"
  # ...but started in parallel: a start takes ~0.5 s here, a create ~0.1 s. `fresh` is never started.
  for c in web worker job frozen; do dk "$h" start "$c" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  dk "$h" pause frozen
  # `docker wait` returns once `job` has exited, with its exit code.
  st=$(timeout 20 "$DOCKER" -H "unix://$(host_sock "$h")" wait job)
  [[ $st == 3 ]] || { echo "job exited with '$st', expected 3" >&2; return 1; }
  st=$(dk "$h" inspect -f '{{.Name}}={{.State.Status}}' web worker job fresh frozen | tr '\n' ' ')
  [[ $st == "/web=running /worker=running /job=exited /fresh=created /frozen=paused " ]] ||
    { echo "unexpected container states: $st" >&2; return 1; }
  if [[ $h == "${LAB_HOSTS[0]}" ]]; then
    dk "$h" tag "$LAB_IMAGE" "$LAB_REGISTRY/$LAB_IMAGE"
    dk "$h" push "$LAB_REGISTRY/$LAB_IMAGE"
  fi
}
