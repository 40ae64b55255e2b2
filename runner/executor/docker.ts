import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { AGENT_PATH, BUSYBOX_PATH, ensureToolsVolume, TOOLS_DIR, type Tools } from './docker-tools.ts';
import { AgentSession, mb, type AgentTransport } from './agent-session.ts';
import { dockerImage } from './docker-images.ts';
import { meterAvailable, meterHolds, placeMeter, removeMeter, sweepMeters, type MeterPlacement } from './docker-meter.ts';
import { agentArgs, imageRunAs } from './image-user.ts';
import { SandboxError, type Executor, type ImageOutcome, type ImageRequest, type Limits, type Session, type SessionSpec } from './types.ts';

export { AGENT_PATH, BUSYBOX_PATH };
/**
 * The sandbox, defined once: every container aocbench starts (bench, matrix,
 * `run`, `shell`) is created from this. Nothing of the host is mounted but the
 * memory meter's one cgroup file (docker-meter.ts): the tools come read-only
 * from a volume, persistence dirs are named volumes, and the code copy is
 * written by the agent into the container's own filesystem.
 *
 * The agent starts as root (whatever the image's USER) with only what it needs
 * to place the code copy and give it to that user: chown and write where root
 * could, switch user, empty the bounding set. It gives all of that up before
 * any request but placing the code (runner/agent/user.c); no-new-privileges
 * holds throughout. `args`: the agent's options (image-user.ts).
 */
export const AGENT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'SETPCAP'];

export function sandboxContainer(spec: SessionSpec, tools: Tools, args: string[] = [], meter: MeterPlacement | null = null, name = containerName(spec)): Docker.ContainerCreateOptions {
  const mem = spec.limits.memoryMb * 1024 * 1024;
  return {
    name,
    Image: spec.image,
    Entrypoint: [AGENT_PATH],
    Cmd: args,
    User: '0',
    WorkingDir: spec.workdir,
    Env: spec.env,
    Labels: { aocbench: '1', ...(spec.labels ?? {}) },
    OpenStdin: true,
    // Stdin closes when the one attach (the runner's) ends, killed or not: the agent then ends the sandbox.
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    // With the admin's runonce opt-in the container is made on the bridge and detached before it starts (start()).
    NetworkDisabled: !spec.runonceNetwork,
    HostConfig: {
      Mounts: [
        { Type: 'volume', Source: tools.volume, Target: TOOLS_DIR, ReadOnly: true },
        ...spec.persistence.map((p) => ({ Type: 'volume' as const, Source: p.volume, Target: p.path })),
        ...(meter ? [meter.mount] : []),
      ],
      ...(meter ? { CgroupParent: meter.cgroupParent } : {}),
      NetworkMode: spec.runonceNetwork ? 'bridge' : 'none',
      CapDrop: ['ALL'],
      CapAdd: AGENT_CAPS,
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: spec.limits.pids,
      Memory: mem,
      MemorySwap: mem, // equal to Memory: no swap
      ...(spec.limits.cpus ? { NanoCpus: Math.round(spec.limits.cpus * 1e9) } : {}),
      // No core dumps: a host core_pattern pipe would run a host program on the crashing process.
      Ulimits: [{ Name: 'core', Soft: 0, Hard: 0 }],
      AutoRemove: false,
      Init: false,
    },
  };
}

const containerName = (spec: SessionSpec) => `${spec.name}-${randomBytes(3).toString('hex')}`;

/** Runs sessions as one long-lived container whose PID 1 is the agent. */
export class DockerExecutor implements Executor {
  readonly kind = 'docker';
  /** Containers share the host's CPUs and memory under their own limits: as many as the look-ahead wants. */
  readonly maxSandboxes = Infinity;
  readonly docker: Docker;
  private tools: Promise<Tools> | null = null;
  /** Whether containers get the memory meter (docker-meter.ts): asked once, and given up when a container lands elsewhere. */
  private metering: Promise<boolean> | null = null;

  constructor(docker?: Docker) {
    this.docker = docker ?? new Docker();
  }

  async unavailable(): Promise<string | null> {
    return this.docker.ping().then(
      () => null,
      (e: Error) => `cannot reach the Docker daemon (${e.message}); is dockerd running and is this user allowed to use it?`,
    );
  }

  prepareImage(req: ImageRequest): Promise<ImageOutcome> {
    return dockerImage(this.docker, req);
  }

  async sweep(instanceLabel: string): Promise<number> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`aocbench.instance=${instanceLabel}`] } });
    // v: an image's VOLUME gives each container an anonymous volume, removed with it.
    await Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})));
    sweepMeters();
    return list.length;
  }

  async environment(_limits?: Pick<Limits, 'memoryMb'>): Promise<Record<string, unknown>> {
    const v = await this.docker.version().catch(() => null);
    return { executor: 'docker', docker: v?.Version ?? 'unknown' };
  }

  /** `metered`: false to start this one sandbox without the memory meter (docker-meter.ts). */
  async start(spec: SessionSpec, metered = true): Promise<Session> {
    const treeBytes = spec.tree.reduce((a, f) => a + f.data.length, 0);
    if (treeBytes > spec.limits.diskBytes) {
      throw new SandboxError(`the committed files take ${mb(treeBytes)} MB, over the ${mb(spec.limits.diskBytes)} MB disk limit`);
    }
    this.tools ??= ensureToolsVolume(this.docker, spec.image).catch((e) => {
      this.tools = null;
      throw e;
    });
    const tools = await this.tools;
    const runAs = await imageRunAs(this.docker, spec.image);
    const args = agentArgs(runAs, spec);
    const name = containerName(spec);
    this.metering ??= meterAvailable(this.docker);
    const meter = metered && (await this.metering) ? placeMeter(name) : null;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(sandboxContainer(spec, tools, args, meter, name));
    } catch (e) {
      if (!meter) throw e;
      // The meter's folder went away before Docker used it (another runner's sweep, a cgroup fault): this sandbox goes without.
      removeMeter(name);
      return this.start(spec, false);
    }
    // What the image's VOLUMEs hold (the code copy, with `VOLUME /code`) is not in SizeRw: the agent measures it.
    const volumes = runAs.volumes.filter((v) => !spec.persistence.some((p) => p.path === v));
    try {
      if (spec.runonceNetwork) await this.docker.getNetwork('bridge').disconnect({ Container: container.id });
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      const session = new AgentSession(spec, containerTransport(this.docker, container, stream, spec, tools, args, volumes, () => meter && removeMeter(name)));
      await container.start();
      if (meter && !meterHolds(meter, container.id)) {
        // The daemon's cgroups are not the ones seen here (a runner in a container): no meter from now on.
        this.metering = Promise.resolve(false);
        await container.remove({ force: true, v: true }).catch(() => {});
        removeMeter(name);
        return this.start(spec);
      }
      await session.open();
      return session;
    } catch (e) {
      await container.remove({ force: true, v: true }).catch(() => {});
      if (meter) removeMeter(name);
      throw e;
    }
  }
}

/** A container as the agent's transport: its attach stream, Docker's account of how it ended and what it wrote. */
function containerTransport(docker: Docker, container: Docker.Container, stream: NodeJS.ReadWriteStream, spec: SessionSpec, tools: Tools, args: string[], volumes: string[], removed: () => void): AgentTransport {
  const output = new PassThrough();
  const stderr = new PassThrough();
  container.modem.demuxStream(stream, output, stderr);
  for (const ev of ['end', 'close', 'error']) stream.on(ev, () => output.end());
  return {
    input: stream,
    output,
    stderr,
    volumePaths: volumes,
    readyTimeoutMs: 60_000,
    kill: () => container.kill().then(() => {}),
    async postmortem() {
      const info = await container.inspect().catch(() => null);
      return { oom: !!info?.State?.OOMKilled, exitCode: info?.State?.ExitCode ?? null, error: info?.State?.Error || undefined };
    },
    async writtenBytes() {
      // ?size=1: Docker measures the container's writable layer; dockerode's types omit the option, its code passes it on.
      const info = await container.inspect({ size: true } as Docker.ContainerInspectOptions).catch(() => null);
      return info ? ((info as { SizeRw?: number }).SizeRw ?? 0) : null;
    },
    async setNetwork(on) {
      if (!spec.runonceNetwork) throw new SandboxError('this sandbox never gets network');
      const bridge = docker.getNetwork('bridge');
      if (on) await bridge.connect({ Container: container.id });
      else await bridge.disconnect({ Container: container.id, Force: true });
    },
    async openShell(_session, tty) {
      const pick = `if [ -x /bin/bash ]; then exec /bin/bash; elif [ -x /bin/sh ]; then exec /bin/sh; else exec ${BUSYBOX_PATH} sh; fi`;
      const shell = tools.busybox ? [BUSYBOX_PATH, 'sh', '-c', pick] : ['/bin/sh'];
      // `docker exec` starts as the container's user (root) with its capabilities: the agent gives them up and becomes the image's user first.
      const asUser = [AGENT_PATH, '-x', ...args, '--'];
      return { command: 'docker', args: ['exec', '-i', ...(tty ? ['-t'] : []), '-w', spec.workdir, container.id, ...asUser, ...shell] };
    },
    async teardown({ wipePersistence }) {
      const stopped = container.wait({ condition: 'not-running' }).catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((r) => (timer = setTimeout(r, 5000, 'late')));
      const how = await Promise.race([stopped, late]);
      // A pending timer would keep the process alive 5 s after the last close (every `aocbench bench` paid that).
      clearTimeout(timer);
      if (how === 'late') await container.kill().catch(() => {});
      await container.remove({ force: true, v: true }).catch(() => {});
      removed();
      if (wipePersistence) for (const p of spec.persistence) await docker.getVolume(p.volume).remove().catch(() => {});
    },
  };
}
