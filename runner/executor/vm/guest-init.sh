#!/bin/busybox sh
# aocbench guest init: PID 1 of the VM until it hands over to the agent.
#
# aocbench.mode=probe  boot, say so on the console, power off (is this accelerator usable?)
# aocbench.mode=build  vda: a `docker export` tar (read-only), vdb: an empty disk;
#                      make an ext4 root file system on vdb from the tar, power off
# aocbench.mode=run    vda: that root file system (QEMU discards every write: snapshot=on),
#                      vdb: the session (env.sh), vdc...: persistence disks in the order of
#                      aocbench.persist; then become the agent, talking on the virtio port
#                      named "aocbench", inside a chroot and a memory/pids cgroup; the agent
#                      places the code copy as root, then runs everything as the image's
#                      USER without any capability, as in a Docker container.
export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk virtio_console; do
  [ -f "/lib/modules/$m.ko" ] && insmod "/lib/modules/$m.ko" 2>/dev/null
done

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^aocbench\.$1=//p"; }
say() { echo "aocbench-guest: $*" > /dev/ttyS0; }
fail() { say "error: $*"; poweroff -f; }
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done; [ -e "$1" ]; }

mode=$(arg mode)
if [ "$mode" = probe ]; then say probe-ok; poweroff -f; fi

wait_for /dev/vda || fail "no disk"
if [ "$mode" = build ]; then
  wait_for /dev/vdb || fail "no target disk"
  mke2fs -q -F /dev/vdb > /dev/null || fail "mke2fs"
  mount -t ext4 /dev/vdb /mnt || fail "cannot mount the new root file system"
  tar -xf /dev/vda -C /mnt || fail "tar"
  sync
  umount /mnt
  say build-ok
  poweroff -f
fi

R=/newroot
mount -t ext4 /dev/vda $R || fail "cannot mount the root file system"
wait_for /dev/vdb || fail "no session disk"
mkdir -p /session && tar -xf /dev/vdb -C /session || fail "cannot read the session"
n=0
for p in $(arg persist | tr ',' ' '); do
  [ "$p" = - ] && continue
  dev=/dev/vd$(echo cdefghijklmnopqrstuvwxyz | cut -c$((n + 1)))
  wait_for "$dev" || fail "no disk for persistence dir $p"
  mkdir -p "$R$p"
  # A new disk is all zeros: only then is it formatted; an existing file system that will not mount is an error, never wiped.
  if [ "$(dd if="$dev" bs=1 skip=1080 count=2 2> /dev/null | od -An -tx1 | tr -d ' ')" != 53ef ]; then
    mke2fs -q -F "$dev" > /dev/null || fail "cannot format the disk of persistence dir $p"
  fi
  mount -t ext4 "$dev" "$R$p" || fail "cannot mount persistence dir $p"
  n=$((n + 1))
done

# The tools, read-only; /proc, /sys and a /dev with the usual nodes only (no disks, no agent port).
mkdir -p $R/.aocbench $R/proc $R/sys $R/dev $R/tmp
mount -t tmpfs -o size=16m tools $R/.aocbench
cp /bin/busybox /aocbench/agent $R/.aocbench/ && mount -o remount,ro $R/.aocbench
mount -t proc proc $R/proc
mount --bind $R/proc/sys $R/proc/sys && mount -o remount,ro,bind $R/proc/sys
mount -t sysfs -o ro sys $R/sys
mount -t tmpfs -o mode=755,size=64k dev $R/dev
for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  mknod -m 666 "$R/dev/${d%%:*}" c "$(echo $d | cut -d: -f2)" "$(echo $d | cut -d: -f3)"
done
mkdir -p $R/dev/shm $R/dev/pts && mount -t tmpfs -o size=64m shm $R/dev/shm
ln -s /proc/self/fd $R/dev/fd && ln -s /proc/self/fd/0 $R/dev/stdin && ln -s /proc/self/fd/1 $R/dev/stdout && ln -s /proc/self/fd/2 $R/dev/stderr

# The memory and pids limits, as the container's. Memory is a cgroup v1 hierarchy, as Docker's here: its
# high-water mark can be reset, so the agent measures each run's peak (runner/agent/meter.c) from fd 4; the
# agent reads its OOM count from the sandbox's memory cgroup, read-only at /sys/fs/cgroup/memory as in Docker.
C=/sys/fs/cgroup
mount -t tmpfs -o size=64k cgroups $C && mkdir $C/memory $C/unified
mount -t cgroup2 none $C/unified && echo "+pids" > $C/unified/cgroup.subtree_control
mkdir $C/unified/sandbox && echo "$(arg pids)" > $C/unified/sandbox/pids.max && echo $$ > $C/unified/sandbox/cgroup.procs
meter=/dev/null
if mount -t cgroup -o memory memory $C/memory 2> /dev/null; then
  mkdir $C/memory/sandbox
  echo "$(arg memory)" > $C/memory/sandbox/memory.limit_in_bytes
  echo "$(arg memory)" > $C/memory/sandbox/memory.memsw.limit_in_bytes 2> /dev/null
  echo $$ > $C/memory/sandbox/cgroup.procs
  meter=$C/memory/sandbox/memory.max_usage_in_bytes
  mkdir -p $R/sys/fs/cgroup 2> /dev/null
  mount -t tmpfs -o size=4k cgroups $R/sys/fs/cgroup && mkdir $R/sys/fs/cgroup/memory
  mount --bind $C/memory/sandbox $R/sys/fs/cgroup/memory && mount -o remount,ro,bind $R/sys/fs/cgroup/memory
  mount -o remount,ro $R/sys/fs/cgroup
else
  # A kernel without cgroup v1: the limit in v2 (the agent then reports each run's largest process).
  echo "+memory" > $C/unified/cgroup.subtree_control
  echo "$(arg memory)" > $C/unified/sandbox/memory.max
  echo 0 > $C/unified/sandbox/memory.swap.max 2> /dev/null
  mkdir -p $R/sys/fs/cgroup 2> /dev/null
  mount -t cgroup2 -o ro none $R/sys/fs/cgroup 2> /dev/null
fi

port=
shell=/dev/null
for d in /sys/class/virtio-ports/*; do
  case "$(cat "$d/name" 2> /dev/null)" in
    aocbench) port=/dev/$(basename "$d") ;;
    aocbench-shell) shell=/dev/$(basename "$d") ;;
  esac
done
[ -n "$port" ] && wait_for "$port" || fail "no agent port"
cp /session/env.sh $R/.aocbench-env.sh 2> /dev/null || true
# The agent's options (the image's USER, persistence dirs to hand to it), one per line.
cp /session/agent-args $R/.aocbench-args 2> /dev/null || : > $R/.aocbench-args
mkdir -p "$R$(cat /session/workdir)"
say run
# exec all the way: the agent becomes PID 1, as in a container.
exec chroot $R /.aocbench/busybox env -i AOCBENCH_GUEST=1 /.aocbench/busybox sh -c '. /.aocbench-env.sh; set --; while IFS= read -r a; do set -- "$@" "$a"; done < /.aocbench-args; rm -f /.aocbench-env.sh /.aocbench-args; cd "$AOCBENCH_WORKDIR" && unset AOCBENCH_WORKDIR a && exec /.aocbench/agent "$@"' 0<> "$port" 1>&0 2> /dev/ttyS0 3<> "$shell" 4<> "$meter"
