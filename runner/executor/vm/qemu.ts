import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const QEMU = 'qemu-system-x86_64';

export interface QemuPlan {
  accel: 'kvm' | 'tcg';
  memoryMb: number;
  /** Host CPUs, one per vCPU; the vCPU threads are pinned to them. Empty: one unpinned vCPU. */
  cpus: number[];
  hugepages: boolean;
  /** mlock all guest memory (QEMU's -overcommit mem-lock=on). */
  memLock: boolean;
  kernel: string;
  initrd: string;
  append: string;
  drives: Array<{ file: string; readonly?: boolean; snapshot?: boolean }>;
  agentSocket?: string;
  /** A second port, for an operator's shell. */
  shellSocket?: string;
  qmpSocket?: string;
  consoleLog: string;
}

/**
 * QEMU's command line: guest memory reserved up front (preallocated, locked,
 * from hugepages when asked), no network device at all, the kernel booted
 * directly, the agent on a virtio serial port. `-machine pc`: under TCG,
 * microvm hangs with preallocated memory (docs/vm.md).
 */
export function qemuArgs(p: QemuPlan): string[] {
  const size = `${p.memoryMb}M`;
  const backend = p.hugepages
    ? `memory-backend-file,id=mem0,size=${size},mem-path=/dev/hugepages,prealloc=on`
    : `memory-backend-ram,id=mem0,size=${size},prealloc=on`;
  return [
    '-machine', `pc,accel=${p.accel},memory-backend=mem0`,
    '-object', backend,
    '-m', size,
    '-smp', String(Math.max(1, p.cpus.length)),
    ...(p.accel === 'kvm' ? ['-cpu', 'host'] : []),
    ...(p.memLock ? ['-overcommit', 'mem-lock=on'] : []),
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-nic', 'none',
    '-kernel', p.kernel, '-initrd', p.initrd, '-append', p.append,
    '-serial', `file:${p.consoleLog}`,
    ...p.drives.flatMap((d) => ['-drive', `file=${d.file},if=virtio,format=raw${d.readonly ? ',readonly=on' : ''}${d.snapshot ? ',snapshot=on' : ''}`]),
    ...(p.agentSocket
      ? ['-device', 'virtio-serial-pci', '-chardev', `socket,id=agent,path=${p.agentSocket},server=on,wait=off`, '-device', 'virtserialport,chardev=agent,name=aocbench']
      : []),
    ...(p.shellSocket ? ['-chardev', `socket,id=shell,path=${p.shellSocket},server=on,wait=off`, '-device', 'virtserialport,chardev=shell,name=aocbench-shell'] : []),
    ...(p.qmpSocket ? ['-qmp', `unix:${p.qmpSocket},server=on,wait=off`] : []),
  ];
}

export const bootArgs = (mode: string, extra: Record<string, string | number> = {}) =>
  ['console=ttyS0', 'quiet', 'panic=-1', 'reboot=t', `aocbench.mode=${mode}`, ...Object.entries(extra).map(([k, v]) => `aocbench.${k}=${v}`)].join(' ');

/** setpriv (util-linux) gives QEMU a parent-death signal: a runner killed with -9 leaves no guest running. */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** Starts QEMU; its snapshot overlays go to `workDir`, removed with it. */
export function startQemu(plan: QemuPlan, workDir: string): ChildProcess {
  const [cmd, ...args] = SETPRIV ? [SETPRIV, '--pdeathsig', 'KILL', QEMU, ...qemuArgs(plan)] : [QEMU, ...qemuArgs(plan)];
  return spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: workDir } });
}

/** The last `max` bytes of the guest's console (written by QEMU; its text comes from the guest). */
export function consoleTail(file: string, max = 4096): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  return readFileSync(file).subarray(Math.max(0, size - max)).toString('utf8');
}

export function exited(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode) : p.once('exit', (code) => resolve(code))));
}

/** A connected Unix socket QEMU listens on, retried while QEMU starts. */
export async function connectWhenReady(path: string, qemu: ChildProcess, timeoutMs = 30_000): Promise<import('node:net').Socket> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (qemu.exitCode !== null || qemu.signalCode !== null) throw new Error('QEMU exited before the guest could be reached');
    if (existsSync(path)) {
      const s = await new Promise<import('node:net').Socket | null>((resolve) => {
        const sock = connect(path);
        sock.once('connect', () => resolve(sock));
        sock.once('error', () => resolve(null));
      });
      if (s) return s;
    }
    if (Date.now() > end) throw new Error(`QEMU did not open ${path} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks QEMU (QMP) for the host thread of each vCPU. */
async function vcpuThreads(qmpSocket: string, qemu: ChildProcess): Promise<number[]> {
  const sock = await connectWhenReady(qmpSocket, qemu);
  try {
    const replies: Array<Record<string, unknown>> = [];
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        replies.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
        buf = buf.slice(nl + 1);
      }
    });
    const reply = async () => {
      const end = Date.now() + 10_000;
      while (Date.now() < end) {
        const i = replies.findIndex((r) => 'return' in r || 'error' in r);
        if (i >= 0) return replies.splice(i, 1)[0];
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('QMP did not answer');
    };
    sock.write('{"execute":"qmp_capabilities"}\n');
    await reply();
    sock.write('{"execute":"query-cpus-fast"}\n');
    const r = (await reply()) as { return?: Array<{ 'cpu-index': number; 'thread-id': number }> };
    return (r.return ?? []).sort((a, b) => a['cpu-index'] - b['cpu-index']).map((c) => c['thread-id']);
  } finally {
    sock.destroy();
  }
}

/** Pins each vCPU thread to its host CPU; returns what was pinned, or why not. */
export async function pinVcpus(qmpSocket: string, qemu: ChildProcess, cpus: number[]): Promise<{ pinned: number[]; problem: string | null }> {
  if (!cpus.length) return { pinned: [], problem: null };
  const threads = await vcpuThreads(qmpSocket, qemu);
  const pinned: number[] = [];
  for (const [i, tid] of threads.entries()) {
    const cpu = cpus[i];
    if (cpu === undefined) break;
    const r = spawnSync('taskset', ['-pc', String(cpu), String(tid)], { encoding: 'utf8' });
    if (r.status !== 0) return { pinned, problem: `taskset could not pin vCPU ${i} to CPU ${cpu}: ${(r.stderr || r.error?.message || '').trim()}` };
    pinned.push(cpu);
  }
  return { pinned, problem: null };
}

/**
 * Whether a guest really boots with this accelerator: the device file alone
 * says nothing (a /dev/kvm may exist that stock kernels cannot run on).
 */
export async function probeAccel(accel: 'kvm' | 'tcg', kernel: string, initrd: string, timeoutMs = 30_000): Promise<{ ok: boolean; why: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'aocbench-probe-'));
  const consoleLog = join(dir, 'console.log');
  const started = Date.now();
  const qemu = startQemu({ accel, memoryMb: 128, cpus: [], hugepages: false, memLock: false, kernel, initrd, append: bootArgs('probe'), drives: [], consoleLog }, dir);
  let stderr = '';
  qemu.stderr?.on('data', (d) => (stderr += d.toString().slice(0, 2000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    qemu.kill('SIGKILL');
  }, timeoutMs);
  const code = await exited(qemu);
  clearTimeout(timer);
  const out = consoleTail(consoleLog);
  rmSync(dir, { recursive: true, force: true });
  const ms = Date.now() - started;
  if (out.includes('probe-ok')) return { ok: true, why: `a guest booted in ${(ms / 1000).toFixed(1)} s`, ms };
  const first = stderr.trim().split('\n')[0] || out.trim().split('\n').pop() || '';
  const how = timedOut ? `no guest came up within ${timeoutMs / 1000} s` : code === null ? `QEMU was killed by ${qemu.signalCode}` : `QEMU exited with ${code}`;
  return { ok: false, why: `${how}${first ? `: ${first}` : ''}`, ms };
}
