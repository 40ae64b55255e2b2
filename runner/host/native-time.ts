import { spawn } from 'node:child_process';
import type { CommandSpec } from '../../lib/command.ts';
import { ensureAgentBinary } from '../executor/agent-binary.ts';
import { AgentReader, parseTimeReply, timeRequest, type TimeReply } from '../executor/protocol.ts';
import type { TimePolicy } from '../executor/types.ts';

/**
 * The agent itself run on the host, outside any sandbox: the native baseline
 * of the timing benchmarks (both sides time with the same fork+exec loop and
 * differ only by the sandbox), and `doctor`'s measure of the host's own noise.
 * At `deadlineMs` the agent is told to end (its run with it), then killed.
 */
export function nativeTime(cmd: CommandSpec, policy: TimePolicy, deadlineMs = 10 * 60_000): Promise<TimeReply> {
  return new Promise((resolve, reject) => {
    const p = spawn(ensureAgentBinary(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const reader = new AgentReader(1 << 20);
    let done: string[] | null = null;
    let late = false;
    // Late: stdin closed first (the agent then ends its run, which is in a process group of its own), killed if it lingers.
    const timer = setTimeout(() => {
      late = true;
      p.stdin.end();
      setTimeout(() => p.kill('SIGKILL'), 2_000).unref();
    }, deadlineMs);
    p.stdout.on('data', (d: Buffer) => {
      for (const m of reader.push(d)) {
        if (m.fields[0] !== 'done') continue;
        done = m.fields;
        // Only now: the agent takes stdin closing before its reply as its host gone, and ends the run.
        p.stdin.end('quit\n');
      }
    });
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('exit', () => {
      clearTimeout(timer);
      if (done) resolve(parseTimeReply(done));
      else reject(new Error(`the native agent gave no reply${late ? ` within ${deadlineMs / 1000} s` : ''}`));
    });
    p.stdin.on('error', () => {});
    p.stdin.write(timeRequest('n', cmd, policy, 65536));
  });
}
