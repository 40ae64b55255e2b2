import Docker from 'dockerode';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../../lib/data-dir.ts';
import { guestMemoryMb, type VmConfig } from '../../../lib/instance-config.ts';
import { AgentSession, type AgentTransport } from '../agent-session.ts';
import { dockerImage } from '../docker-images.ts';
import { agentArgs, imageRunAs } from '../image-user.ts';
import { tarOf } from '../tar.ts';
import { SandboxError, type Executor, type ImageOutcome, type ImageRequest, type Limits, type Session, type SessionSpec } from '../types.ts';
import { ensureInitramfs } from './guest.ts';
import { findKernel, kernelRoots } from './kernel.ts';
import { parseCpuList } from '../../../lib/doctor.ts';
import { bootArgs, connectWhenReady, consoleTail, exited, pinVcpus, probeAccel, QEMU, startQemu } from './qemu.ts';
import { ensureRootfs, sparseDisk, type GuestBoot } from './rootfs.ts';

export interface VmSettings {
  dataDir: string;
  vm: VmConfig;
  /** Told once when `accel: auto` falls back to software emulation. */
  warn?: (message: string) => void;
}

/**
 * Connects this process's stdin and stdout to the guest's shell port (run by
 * `aocbench shell`): input goes over once the shell has spoken (earlier bytes
 * would reach no reader), and the agent's end marker ends the relay.
 */
const SHELL_RELAY = `const END = '\\x04aocbench-shell-ended';
const s = require('node:net').connect(process.argv[1]);
let started = false;
s.on('data', (d) => {
  const t = d.toString();
  const i = t.indexOf(END);
  process.stdout.write(i < 0 ? t : t.slice(0, i));
  if (i >= 0) process.exit(0);
  if (!started) { started = true; process.stdin.pipe(s, { end: false }); }
});
s.on('close', () => process.exit(0));
s.on('error', (e) => { console.error('aocbench: the shell is gone: ' + e.message); process.exit(1); });`;

const mib = (bytes: number): number => Math.ceil(bytes / (1024 * 1024));

/** A shell-safe `export` line: the session's environment reaches the agent through a script the guest sources. */
const exportLine = (kv: string) => {
  const i = kv.indexOf('=');
  return `export ${kv.slice(0, i)}='${kv.slice(i + 1).replace(/'/g, `'\\''`)}'`;
};

/**
 * Each (participant, day) in its own QEMU guest whose memory is reserved up
 * front (preallocated, locked, hugepages when configured) and whose vCPUs are
 * pinned to host CPUs. Images still come from Docker builds; the guest runs
 * their root file system with the same agent, protocol and limits, and no
 * network device at all (docs/vm.md).
 */
export class VmExecutor implements Executor {
  readonly kind = 'vm';
  readonly maxSandboxes = 1;
  readonly docker: Docker;
  private boot: Promise<GuestBoot> | null = null;
  private pinProblem: string | null = null;
  private readonly vmDir: string;

  constructor(
    private readonly s: VmSettings,
    docker?: Docker,
  ) {
    this.docker = docker ?? new Docker();
    this.vmDir = dataPaths(s.dataDir).vm;
  }

  async unavailable(): Promise<string | null> {
    if (spawnSync(QEMU, ['--version']).status !== 0) return `${QEMU} is not installed (Debian: apt-get install qemu-system-x86)`;
    if (!findKernel(this.s.vm, this.vmDir)) {
      return `no guest kernel: set vm.kernel, or unpack a Debian linux-image-*-cloud-amd64 package into ${kernelRoots(this.vmDir)[0]} (see docs/vm.md)`;
    }
    return this.docker.ping().then(
      () => null,
      (e: Error) => `cannot reach the Docker daemon, which builds the images the VM runs (${e.message})`,
    );
  }

  /** Kernel, initramfs and accelerator, settled once; `auto` boots a tiny guest on KVM to see whether it really works. */
  guestBoot(): Promise<GuestBoot> {
    this.boot ??= (async () => {
      const kernel = findKernel(this.s.vm, this.vmDir);
      if (!kernel) throw new SandboxError('no guest kernel (see `aocbench doctor`)');
      const initrd = this.s.vm.initrd ?? ensureInitramfs(this.vmDir, kernel);
      let accel: 'kvm' | 'tcg' = this.s.vm.accel === 'kvm' ? 'kvm' : 'tcg';
      if (this.s.vm.accel === 'auto') {
        const kvm = await probeAccel('kvm', kernel.kernel, initrd);
        if (kvm.ok) accel = 'kvm';
        else this.s.warn?.(`KVM is not usable here (${kvm.why}); the VM executor falls back to software emulation (TCG): it works, but its times are not comparable`);
      }
      return { accel, kernel: kernel.kernel, initrd };
    })().catch((e) => {
      this.boot = null;
      throw e;
    });
    return this.boot;
  }

  async prepareImage(req: ImageRequest): Promise<ImageOutcome> {
    const image = await dockerImage(this.docker, req);
    if (!image.ok || !image.imageId || req.dryRun || req.sandboxDiskBytes === undefined) return image;
    try {
      const started = Date.now();
      await ensureRootfs(this.docker, this.vmDir, image.imageId, await this.guestBoot(), mib(req.sandboxDiskBytes));
      return { ...image, log: `${image.log}Guest root file system ready (${((Date.now() - started) / 1000).toFixed(1)} s).\n` };
    } catch (e) {
      return { ...image, ok: false, log: `${image.log}${(e as Error).message}\n` };
    }
  }

  async start(spec: SessionSpec): Promise<Session> {
    const boot = await this.guestBoot();
    const rootfs = await ensureRootfs(this.docker, this.vmDir, spec.image, boot, mib(spec.limits.diskBytes));
    const runDir = join(this.vmDir, 'run');
    mkdirSync(runDir, { recursive: true });
    const work = mkdtempSync(join(runDir, `${spec.name}-`));
    try {
      const runAs = await imageRunAs(this.docker, spec.image);
      const env = [...runAs.env, ...spec.env, `AOCBENCH_WORKDIR=${spec.workdir}`];
      // One option per line: the guest reads them back as the agent's arguments (a path with a newline cannot be a persistence dir).
      const args = agentArgs(runAs, spec);
      if (args.some((a) => a.includes('\n'))) throw new SandboxError('the image\'s USER or a persistence dir contains a newline');
      const session = join(work, 'session.tar');
      writeFileSync(session, await tarOf([
        { path: 'env.sh', kind: 'file', mode: 0o644, data: Buffer.from(`${env.map(exportLine).join('\n')}\n`) },
        { path: 'workdir', kind: 'file', mode: 0o644, data: Buffer.from(spec.workdir) },
        { path: 'agent-args', kind: 'file', mode: 0o644, data: Buffer.from(args.map((a) => `${a}\n`).join('')) },
      ]));
      const persistDir = join(this.vmDir, 'persist');
      mkdirSync(persistDir, { recursive: true });
      const disks = spec.persistence.map((p) => {
        const file = join(persistDir, `${p.volume}.img`);
        if (!existsSync(file)) sparseDisk(file, Math.max(64, mib(spec.limits.diskBytes)));
        return { file };
      });
      const cpus = parseCpuList(this.s.vm.cpus);
      const agentSocket = join(work, 'agent.sock');
      const shellSocket = spec.interactive ? join(work, 'shell.sock') : undefined;
      const qmpSocket = join(work, 'qmp.sock');
      const consoleLog = join(work, 'console.log');
      const qemu = startQemu({
        ...boot, memoryMb: guestMemoryMb(this.s.vm, spec.limits.memoryMb), cpus, hugepages: this.s.vm.hugepages, memLock: true, consoleLog,
        append: bootArgs('run', { memory: spec.limits.memoryMb * 1024 * 1024, pids: spec.limits.pids, persist: spec.persistence.map((p) => p.path).join(',') || '-' }),
        drives: [{ file: rootfs, snapshot: true }, { file: session, readonly: true }, ...disks],
        agentSocket, shellSocket, qmpSocket,
      }, work);
      writeFileSync(join(work, 'qemu.pid'), String(qemu.pid));
      let qemuErr = '';
      qemu.stderr?.on('data', (d) => (qemuErr = (qemuErr + d.toString()).slice(-2000)));
      const sock = await connectWhenReady(agentSocket, qemu).catch((e: Error) => {
        throw new SandboxError(`${e.message}${qemuErr ? `: ${qemuErr.trim()}` : ''}`);
      });
      const pin = await pinVcpus(qmpSocket, qemu, cpus).catch((e: Error) => ({ pinned: [], problem: e.message }));
      this.pinProblem = pin.problem;
      const s = new AgentSession(spec, this.transport(spec, qemu, sock, work, consoleLog, boot, shellSocket));
      await s.open();
      return s;
    } catch (e) {
      this.stopDir(work);
      throw e;
    }
  }

  private transport(spec: SessionSpec, qemu: ChildProcess, sock: import('node:net').Socket, work: string, consoleLog: string, boot: GuestBoot, shellSocket?: string): AgentTransport {
    let baseline = 0;
    return {
      input: sock,
      output: sock,
      readyTimeoutMs: boot.accel === 'tcg' ? 180_000 : 60_000,
      kill: async () => {
        qemu.kill('SIGKILL');
      },
      onReady: async (session) => {
        baseline = (await session.df('/')) ?? 0;
      },
      async postmortem() {
        const tail = consoleTail(consoleLog);
        const oom = /Out of memory|oom-kill|Memory cgroup out of memory/i.test(tail);
        const lines = tail.trim().split('\n');
        const said = lines.filter((l) => l.includes('aocbench-guest: error')).pop();
        return { oom, exitCode: qemu.exitCode, error: (said ?? lines.slice(-3).join(' | ')).trim() };
      },
      async writtenBytes(session) {
        const now = await session.df('/');
        return now === null ? null : Math.max(0, now - baseline);
      },
      setNetwork: async (on) => {
        if (on) throw new SandboxError('a VM guest has no network device: runonceNetwork works with executor: docker only');
      },
      openShell: async (session) => {
        if (!shellSocket) throw new SandboxError('this sandbox was not started for a shell');
        session.startShell();
        // The guest's port is no terminal: the operator's terminal keeps its line editing, lines go over whole.
        return { command: process.execPath, args: ['-e', SHELL_RELAY, shellSocket] };
      },
      teardown: async ({ wipePersistence }) => {
        const late = setTimeout(() => qemu.kill('SIGKILL'), 10_000);
        await exited(qemu);
        clearTimeout(late);
        sock.destroy();
        rmSync(work, { recursive: true, force: true });
        if (wipePersistence) for (const p of spec.persistence) rmSync(join(this.vmDir, 'persist', `${p.volume}.img`), { force: true });
      },
    };
  }

  /** Stops the QEMU of a session dir (by its pid file, only if that process is a QEMU) and removes the dir. */
  private stopDir(work: string): boolean {
    let killed = false;
    try {
      const pid = Number(readFileSync(join(work, 'qemu.pid'), 'utf8'));
      if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(QEMU)) {
        process.kill(pid, 'SIGKILL');
        killed = true;
      }
    } catch {
      // no pid file, or the process is gone
    }
    rmSync(work, { recursive: true, force: true });
    return killed;
  }

  async sweep(): Promise<number> {
    const runDir = join(this.vmDir, 'run');
    if (!existsSync(runDir)) return 0;
    return readdirSync(runDir).filter((d) => this.stopDir(join(runDir, d))).length;
  }

  async environment(limits: Pick<Limits, 'memoryMb'>): Promise<Record<string, unknown>> {
    const boot = await this.guestBoot().catch(() => null);
    const version = spawnSync(QEMU, ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'unknown';
    return {
      executor: 'vm',
      accel: boot?.accel ?? 'unknown',
      qemu: version,
      guestKernel: findKernel(this.s.vm, this.vmDir)?.version ?? 'unknown',
      guestMemoryMb: guestMemoryMb(this.s.vm, limits.memoryMb),
      pinnedCpus: this.s.vm.cpus ?? null,
      ...(this.pinProblem ? { pinProblem: this.pinProblem } : {}),
      memoryPreallocated: true,
      memoryLocked: true,
      hugepages: this.s.vm.hugepages,
    };
  }
}
