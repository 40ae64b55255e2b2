import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../../db/queries/jobs.ts';
import { saveQueueStatus } from '../../db/queries/queue-status.ts';
import { beat } from '../../db/queries/runners.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/**
 * With a queue, runs happen on the workers of the instance's class: while
 * runs wait and only a worker of another class is there, the banner says
 * nobody will take them, and how to start one.
 */
describe('the banner with a queue and no worker of its class', () => {
  const site = seededSite((inst) => {
    // The web reads neither Redis nor the result key: the config only names where the key would come from.
    writeFileSync(inst.config, stringify({ ...parse(readFileSync(inst.config, 'utf8')), queue: { url: 'redis://127.0.0.1:1', hardwareClass: 'fast', resultKeyEnv: 'AOCBENCH_RESULT_KEY' } }));
    withDb(inst.dir, (db) => {
      beat(db, { id: 'coordinator', kind: 'daemon', startedAt: Date.now() });
      enqueueJob(db, { kind: 'cycle', requestedBy: 'test' });
      const now = Date.now();
      saveQueueStatus(db, { workers: [{ id: 'big-host:1', host: 'big-host', hardwareClass: 'big', job: null, message: null, startedAt: now, seenAt: now }], counts: { waiting: 3, active: 0, failed: 0 } });
    });
  });

  it('says that no worker of class "fast" is there and how to start one', async () => {
    const html = await (await fetch(`${site.server.url}/`)).text();
    const banner = html.slice(html.indexOf('data-testid="status-banner"'), html.indexOf('</div>', html.indexOf('data-testid="status-banner"')));
    expect(banner).toMatch(/No worker of hardware class (&quot;|")fast(&quot;|") has been seen yet/);
    expect(banner).toContain('aocbench worker --class fast');
    expect(banner).toContain('big-host:1 idle');
  });

  it('is quiet about workers once one of its class is live', async () => {
    withDb(site.inst.dir, (db) => {
      const now = Date.now();
      saveQueueStatus(db, { workers: [{ id: 'fast-host:1', host: 'fast-host', hardwareClass: 'fast', job: null, message: null, startedAt: now, seenAt: now }], counts: { waiting: 3, active: 0, failed: 0 } });
      // The mirror has no content trigger (heartbeats would empty the page cache): a job change stands in for the next page change.
      enqueueJob(db, { kind: 'matrix', requestedBy: 'test' });
    });
    const html = await (await fetch(`${site.server.url}/`)).text();
    expect(html).not.toContain('No worker of hardware class');
    expect(html).toContain('fast-host:1 idle');
  });
});
