#!/usr/bin/env bash
# Installs the Debian packages the lab needs, but only those whose command is missing, so that a
# prepared machine (or CI runner) pays nothing and prints nothing. Nothing installed by hand
# survives to CI or a new machine, hence this script.
set -euo pipefail

[[ $(id -u) == 0 ]] || { echo "ERROR: install.sh must run as root (apt-get)" >&2; exit 1; }

# "command or file that proves it is there" -> package
declare -A NEED=(
  [/usr/sbin/dockerd]=docker.io       # dockerd 20.10, containerd, runc and the /usr/bin/docker client
  [/usr/bin/containerd]=docker.io
  [/usr/sbin/sshd]=openssh-server     # also pulls in ssh and ssh-keygen (openssh-client)
  [/usr/bin/ssh-keygen]=openssh-client
  [/usr/bin/docker-registry]=docker-registry
  [/usr/sbin/ip]=iproute2
  [/usr/bin/chromium]=chromium        # headless browser tests
  [/usr/bin/pkill]=procps             # ps/pgrep/pkill used by down.sh
  [/usr/bin/curl]=curl                # registry checks (busybox-static's wget segfaults)
  [/usr/bin/htpasswd]=apache2-utils   # a registry that wants a login (registry-auth.test.ts)
  [/usr/bin/aarch64-linux-gnu-g++]=g++-aarch64-linux-gnu   # node-pty for arm64 hosts (scripts/build-pty.sh)
  [/usr/bin/arm-linux-gnueabihf-g++]=g++-arm-linux-gnueabihf # node-pty for armv7 hosts
  [/usr/bin/oathtool]=oathtool        # one-time codes for the two-factor login (ssh-two-factor.test.ts)
)
# files that are there but not executable -> package
declare -A NEED_FILE=(
  [/lib/x86_64-linux-gnu/security/pam_google_authenticator.so]=libpam-google-authenticator # a TOTP second factor
)

missing=()
for f in "${!NEED[@]}"; do
  [[ -x $f ]] || missing+=("${NEED[$f]}")
done
for f in "${!NEED_FILE[@]}"; do
  [[ -e $f ]] || missing+=("${NEED_FILE[$f]}")
done
# /bin/busybox alone is not enough: the dynamically linked `busybox` package ships the same path,
# and a dynamic binary cannot run in the FROM-scratch image the lab builds. Require the static one.
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
  missing+=(busybox-static)
fi

((${#missing[@]})) || exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep the packages' maintainer scripts from starting system services (a root-namespace dockerd,
# containerd, sshd): the lab runs its own daemons and wants none of those side effects.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
# --no-install-recommends keeps chromium and docker.io from dragging in desktop/extra packages.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install.sh: done"
