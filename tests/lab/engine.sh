#!/usr/bin/env bash
# Stops or starts one lab host's dockerd, as an administrator would (`systemctl stop docker`),
# for tests of what Berth shows while a host's engine is down and how it recovers.
#   bash tests/lab/engine.sh stop h2
#   bash tests/lab/engine.sh start h2
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=hosts.sh
source "$here/hosts.sh"

[[ $(id -u) == 0 ]] || die "engine.sh must run as root"
action=${1:-} h=${2:-}
[[ -n $h && -d $(host_run "$h") ]] || die "usage: engine.sh stop|start hN (a host of the running lab)"
pidfile=$(host_run "$h")/docker.pid

case $action in
  stop)
    pid=$(cat "$pidfile" 2>/dev/null) || die "dockerd of $h is not running"
    kill -TERM "$pid"
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
    die "dockerd of $h did not stop within 20 s"
    ;;
  start)
    start_dockerd "$h"
    for _ in $(seq 1 300); do dk "$h" version >/dev/null 2>&1 && exit 0; sleep 0.1; done
    tail -5 "$(host_run "$h")/dockerd.log" >&2
    die "dockerd of $h did not answer within 30 s"
    ;;
  *) die "usage: engine.sh stop|start hN" ;;
esac
