#!/usr/bin/env bash
# What an idle warm pool member costs the host running, paused or stopped, and what each state adds
# to a claim (docs/architecture.md, "Warm pools"). Makes five busybox containers with a lease's
# limits, labelled pool-idle-states=1, reads their containerd shims' RSS and their cgroups (v1
# memory and cpuacct, as on the test engine), times the engine calls a claim would add, and
# removes them. Usage: scripts/pool-idle-states.sh [image]
set -euo pipefail
IMG=${1:-local/busybox:latest}
N=5
SOCK=/var/run/docker.sock
opts=(--label pool-idle-states=1 --memory 64m --pids-limit 64 --cap-drop ALL --security-opt no-new-privileges:true --init)
trap 'docker ps -aq --filter label=pool-idle-states=1 | xargs -r docker rm -f >/dev/null' EXIT
ids=()
for _ in $(seq "$N"); do ids+=("$(docker run -d "${opts[@]}" "$IMG" sleep infinity)"); done
sleep 3
shim_rss() { local total=0; for id in "${ids[@]}"; do pid=$(pgrep -f "containerd-shim-runc-v2 -namespace moby -id $id" | head -1); total=$((total + $(awk '/VmRSS/{print $2}' "/proc/$pid/status"))); done; echo $((total / N)); }
cgroup_kib() { local total=0; for id in "${ids[@]}"; do total=$((total + $(cat "/sys/fs/cgroup/memory/docker/$id/memory.usage_in_bytes"))); done; echo $((total / N / 1024)); }
cpu_us() { local total=0; for id in "${ids[@]}"; do total=$((total + $(cat "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage") / 1000)); done; echo "$total"; }
api_ms() { local t0 t1; t0=$(date +%s%N); for id in "${ids[@]}"; do curl -sf --unix-socket "$SOCK" -X POST "http://engine/containers/$id/$1" >/dev/null; done; t1=$(date +%s%N); echo $(((t1 - t0) / N / 1000000)); }
c0=$(cpu_us); sleep 10; c1=$(cpu_us)
echo "running: shim $(shim_rss) KiB, cgroup $(cgroup_kib) KiB, CPU $(((c1 - c0) / N / 10)) µs/s each"
echo "rename (a claim of a running member): $(api_ms "rename?name=pool-idle-states-$RANDOM") ms each"
for id in "${ids[@]}"; do docker pause "$id" >/dev/null; done
echo "paused: shim $(shim_rss) KiB, cgroup $(cgroup_kib) KiB each"
echo "unpause (added to a claim of a paused member): $(api_ms unpause) ms each"
for id in "${ids[@]}"; do docker stop -t 0 "$id" >/dev/null; done
echo "stopped: no shim, no cgroup"
echo "start (added to a claim of a stopped member): $(api_ms start) ms each"
t0=$(date +%s%N)
for _ in $(seq "$N"); do curl -sf --unix-socket "$SOCK" -H 'content-type: application/json' -X POST http://engine/containers/create -d "{\"Image\":\"$IMG\",\"Cmd\":[\"sleep\",\"infinity\"],\"Labels\":{\"pool-idle-states\":\"1\"}}" >/dev/null; done
t1=$(date +%s%N)
echo "create alone, for scale: $(((t1 - t0) / N / 1000000)) ms each"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
