import { spawn } from 'node:child_process';
import type { CommandSpec } from '../lib/command.ts';
import { ensureAgentBinary } from '../runner/executor/agent-binary.ts';
import { AgentReader, parseTimeReply, timeRequest, type TimeReply } from '../runner/executor/protocol.ts';
import type { TimePolicy } from '../runner/executor/types.ts';

/**
 * The native baseline of the timing benchmarks: the agent itself run on the
 * host, outside any sandbox, so both sides time with the same fork+exec loop
 * and differ only by the sandbox.
 */
export function nativeTime(cmd: CommandSpec, policy: TimePolicy): Promise<TimeReply> {
  return new Promise((resolve, reject) => {
    const p = spawn(ensureAgentBinary(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const reader = new AgentReader(1 << 20);
    let done: string[] | null = null;
    p.stdout.on('data', (d: Buffer) => {
      for (const m of reader.push(d)) {
        if (m.fields[0] !== 'done') continue;
        done = m.fields;
        // Only now: the agent takes stdin closing before its reply as its host gone, and ends the run.
        p.stdin.end('quit\n');
      }
    });
    p.on('exit', () => (done ? resolve(parseTimeReply(done)) : reject(new Error('the native agent gave no reply'))));
    p.stdin.write(timeRequest('n', cmd, policy, 65536));
  });
}
