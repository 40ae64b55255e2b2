import { Command, Option } from 'commander';
import { ConfigError } from '../lib/instance-config.ts';
import { guardTerminal } from './report/terminal-guard.ts';

// Each command loads what it uses when it runs: a `validate` or `results` starts without Docker, BullMQ or the runner.
const dbModule = () => import('../db/client.ts');
const instanceModule = () => import('../db/instance.ts');

// Before anything prints: participant text never reaches the terminal raw.
guardTerminal();

const program = new Command('aocbench').description('Self-hosted Advent of Code benchmarking leaderboard');
const configOption = () => new Option('-c, --config <file>', 'instance config (default: $AOCBENCH_CONFIG or config/aocbench.yaml)');

/** The selection and options every cycle command takes (bench, matrix). */
const cycleCommand = (name: string, description: string, who: string, force: string) =>
  program
    .command(name)
    .description(description)
    .addOption(configOption())
    .option('-p, --participant <regex>', `only ${who} whose name matches (anchored)`)
    .option('-d, --day <regex>', 'only days that match (anchored), e.g. "1|2" or "1[0-9]"')
    .option('-f, --force', force)
    .option('--no-update', 'do not fetch the repositories')
    .option('--season <year>', 'only this season (default: every season not marked frozen)', seasonArg)
    .option('-v, --verbose', 'also print where the wall time went (process start, sync, images, sandboxes, runs, storage)');

cycleCommand('bench', 'sync participant repos and benchmark every day whose code, input or image changed', 'participants', 're-run even when nothing changed')
  .option('--dry-run', 'show what would run, run nothing, store no results')
  .action(async (o) => {
    // The process's own start-up (Node, loading the code) is part of what a user waits for.
    const started = performance.now();
    const [{ formatProfile, Profile }, { bench }, { loadInstance }, { asCommandLineJob }, { summaryTable }] = await Promise.all([
      import('./report/profile.ts'), import('./cycle/bench.ts'), instanceModule(), import('./cycle/presence.ts'), import('./report/summary-table.ts'),
    ]);
    const profile = new Profile(started);
    const opts = { config: o.config, season: o.season, participant: o.participant, day: o.day, force: o.force, noUpdate: o.update === false, dryRun: o.dryRun, profile };
    const summary = o.dryRun ? await bench(opts) : await asCommandLineJob(loadInstance(o.config).dataDir, { kind: 'bench', ...opts }, (progress) => bench({ ...opts, progress }));
    process.stdout.write(summaryTable(summary));
    if (o.verbose) process.stdout.write(`\n${formatProfile(summary.profile)}`);
  });

cycleCommand('matrix', "run every solution on everyone's inputs (and custom inputs): only cells whose solution or input changed", 'solvers', 're-run every selected cell')
  .option('-i, --input <regex>', 'only these inputs (anchored): participant names, "inputs", "custom:NAME"')
  .action(async (o) => {
    const started = performance.now();
    const [{ formatProfile, Profile }, { matrix }, { loadInstance }, { asCommandLineJob }] = await Promise.all([
      import('./report/profile.ts'), import('./cycle/matrix.ts'), instanceModule(), import('./cycle/presence.ts'),
    ]);
    const profile = new Profile(started);
    const opts = { config: o.config, season: o.season, participant: o.participant, day: o.day, input: o.input, force: o.force, noUpdate: o.update === false, profile };
    const s = await asCommandLineJob(loadInstance(o.config).dataDir, { kind: 'matrix', ...opts }, (progress) => matrix({ ...opts, progress }));
    const counts = new Map<string, number>();
    for (const c of s.cells) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const where = loadInstance(o.config).config.queue ? 'by the queue\'s workers' : `in ${s.containers} container(s)`;
    process.stdout.write(`${s.cells.length} cell(s) run ${where} (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}), ${s.skipped} unchanged.\n`);
    if (s.notRun.length) process.stdout.write(`\nNot run:\n${s.notRun.map((n) => `  ${n.participant}: ${n.why}`).join('\n')}\n`);
    process.stdout.write(await disputeHint(o.config, o.season));
    if (o.verbose) process.stdout.write(`\n${formatProfile(s.profile)}`);
  });

program
  .command('shell')
  .description("an interactive shell in a participant's day container: same image, mounts, workdir and environment as a benchmark run, no network")
  .addOption(configOption())
  .requiredOption('-p, --participant <name>', 'participant name')
  .option('-d, --day <n>', 'day', '1')
  .option('--season <year>', 'of this season (default: the newest)', seasonArg)
  .action(async (o) => {
    const { operatorShell } = await import('./commands/operator.ts');
    process.exitCode = await operatorShell({ config: o.config, season: o.season, participant: o.participant, day: Number(o.day) });
  });

program
  .command('run')
  .description('run one day once, print its output and verdict; nothing is stored')
  .addOption(configOption())
  .requiredOption('-p, --participant <name>', 'participant name')
  .requiredOption('-d, --day <n>', 'day')
  .option('--input <file>', 'run on this input instead of the shared one')
  .option('--answers <file>', 'answers to check against (line 1: part 1, line 2: part 2)')
  .option('--season <year>', 'of this season (default: the newest)', seasonArg)
  .action(async (o) => {
    const { operatorRun } = await import('./commands/operator.ts');
    const { result, answers, runonce } = await operatorRun({ config: o.config, season: o.season, participant: o.participant, day: Number(o.day), input: o.input, answers: o.answers });
    if (runonce) process.stdout.write(`--- runonce output ---\n${runonce}\n`);
    process.stdout.write(`--- output (${result.wallMs.toFixed(1)} ms) ---\n${result.output}${result.output.endsWith('\n') ? '' : '\n'}`);
    process.stdout.write(`--- verdict: ${result.status}${result.message ? ` — ${result.message}` : ''} (expected part 1: ${answers.part1 ?? 'unknown'}, part 2: ${answers.part2 ?? 'unknown'})\n`);
    if (result.status !== 'correct' && result.status !== 'unchecked') process.exitCode = 1;
  });

program
  .command('daemon')
  .description('keep the leaderboard current: poll the repositories and run the job queue (one daemon per data dir)')
  .addOption(configOption())
  .action(async (o) => {
    const { daemon } = await import('./cycle/daemon.ts');
    await daemon({ config: o.config });
  });

program
  .command('worker')
  .description('a benchmark host: run the queued (participant, day) jobs of one hardware class, one at a time (needs `queue:` in the config)')
  .addOption(configOption())
  .option('--class <name>', 'hardware class (default: queue.hardwareClass)')
  .action(async (o) => {
    const { worker } = await import('./queue/worker/worker.ts');
    const w = await worker({ config: o.config, hardwareClass: o.class });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void w.close().finally(() => process.exit(0)));
  });

program
  .command('web')
  .description('serve the site: Next.js behind a page cache invalidated when results land, with live updates for open pages (builds the site first if needed)')
  .addOption(configOption())
  .option('-p, --port <n>', 'port', process.env.PORT ?? '3000')
  .option('-H, --host <addr>', 'address to listen on (default: all)')
  .action(async (o) => {
    if (o.config) process.env.AOCBENCH_CONFIG = o.config;
    // The site is not the runner: it is loaded only for this command.
    const { ensureSiteBuilt, serveWeb } = await import('../app/_server/serve.ts');
    ensureSiteBuilt();
    const web = await serveWeb({ port: Number(o.port), host: o.host, log: (line) => process.stderr.write(`${line}\n`) });
    process.stderr.write(`aocbench web: http://${o.host ?? 'localhost'}:${o.port}\n`);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void web.close().finally(() => process.exit(0)));
  });

program
  .command('trigger')
  .description('queue a re-run for the daemon (everything, one participant, or one participant and day)')
  .addOption(configOption())
  .option('-p, --participant <name>', 'participant name')
  .option('-d, --day <n>', 'day')
  .option('-f, --force', 're-run even when nothing changed')
  .option('--matrix', 'queue a matrix run instead of a benchmark')
  .option('--season <year>', 'for this season only (default: every season not marked frozen)', seasonArg)
  .action(async (o) => {
    const [{ loadInstance }, { inSeason, openDataDb }, { requestRun }, { everySeason }] = await Promise.all([instanceModule(), dbModule(), import('../db/queries/jobs.ts'), import('../lib/seasons.ts')]);
    const inst = loadInstance(o.config, o.season);
    // Without --season the job is every open season's (season 0).
    const db = o.season === undefined ? openDataDb(inst.dataDir) : inSeason(openDataDb(inst.dataDir), inst.season);
    const asked = { kind: o.matrix ? 'matrix' : 'bench', participant: o.participant, day: o.day === undefined ? undefined : Number(o.day), force: !!o.force };
    const queued = (() => {
      try {
        // A job for every open season may name any season's participant and day.
        return requestRun(db, o.season === undefined ? everySeason(inst.all) : inst.config, asked, 'cli');
      } finally {
        db.$client.close();
      }
    })();
    if (!queued.ok) throw new Error(queued.error);
    process.stdout.write(`queued job ${queued.id}\n`);
  });

program
  .command('doctor')
  .description('check what this host offers a benchmark (Docker, KVM, hugepages, memlock, isolated CPUs, governor, turbo, THP, SMT, its own run-to-run noise); exit 1 when the configured executor cannot work')
  .addOption(configOption())
  .option('--json', 'as JSON')
  .action(async (o) => {
    const [{ loadInstance }, { doctor, formatChecks }, { usable }] = await Promise.all([instanceModule(), import('./commands/doctor.ts'), import('../lib/doctor.ts')]);
    const inst = loadInstance(o.config);
    const checks = await doctor(inst);
    const ok = usable(checks);
    if (o.json) process.stdout.write(`${JSON.stringify({ executor: inst.config.executor, usable: ok, checks }, null, 2)}\n`);
    else process.stdout.write(`executor: ${inst.config.executor}\n${formatChecks(checks)}`);
    if (!ok) process.exitCode = 1;
  });

program
  .command('seed')
  .description('fill the instance with synthetic results, without Docker: to try the web pages or load-test them')
  .addOption(configOption())
  .option('--participants <n>', 'participants', '100')
  .option('--days <n>', 'days with results', '25')
  .option('--history <n>', 'previous results per day', '10')
  .option('--season <year>', 'into this season (default: the newest)', seasonArg)
  .action(async (o) => {
    const [{ loadInstance }, { dbPath, openSeasonDb }, { seed, syntheticSeason }] = await Promise.all([instanceModule(), dbModule(), import('../db/seed.ts')]);
    const inst = loadInstance(o.config, o.season);
    const n = { participants: Number(o.participants), days: Math.min(Number(o.days), inst.config.days), history: Number(o.history) };
    if (!Object.values(n).every((v) => Number.isInteger(v) && v >= 0) || n.participants < 1) throw new Error('--participants, --days and --history take whole numbers (at least one participant)');
    const t = Date.now();
    const db = openSeasonDb(inst);
    db.transaction(() => seed(db, syntheticSeason(n)));
    // As after a cycle: the board's ranking stored for the site's first view.
    const { storeDefaultBoard } = await import('../db/queries/board.ts');
    storeDefaultBoard(db, { podium: inst.config.podium, configuredClass: inst.config.queue?.hardwareClass });
    db.$client.close();
    process.stdout.write(`seeded ${n.participants} participants × ${n.days} days (+${n.history} previous results each) into ${dbPath(inst.dataDir)} in ${Date.now() - t} ms\n`);
  });

program
  .command('notify')
  .description('news targets (notify: in the config): --test sends a sample message to each now')
  .addOption(configOption())
  .option('--test', 'send a sample message to every target and say how each went')
  .action(async (o) => {
    if (!o.test) throw new Error('nothing to do: aocbench notify --test sends a sample message to every configured target');
    const { notifyTest } = await import('./commands/notify.ts');
    if (!(await notifyTest(o.config, (l) => process.stdout.write(`${l}\n`)))) process.exitCode = 1;
  });

program
  .command('hash-password')
  .description('read a password on stdin and print the admin.passwordHash value for the instance config')
  .action(async () => {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const pw = text.replace(/\r?\n$/, '');
    if (!pw) throw new Error('no password on stdin');
    const { hashPassword } = await import('../lib/session.ts');
    process.stdout.write(`${hashPassword(pw)}\n`);
  });

program
  .command('demo')
  .description('create a demo season (git repos in data/demo), benchmark it and print the results; --serve: then serve the site with a daemon beside it')
  .option('--serve', 'serve the site on $PORT (3000) and run the daemon, until Ctrl-C')
  .action(async (o) => {
    const { runDemo, serveDemo } = await import('./demo/run-demo.ts');
    const config = await runDemo();
    process.stdout.write(`\nStored in ${config.replace(/aocbench\.yaml$/, 'data/aocbench.db')}\n`);
    if (o.serve) await serveDemo(config);
  });

program
  .command('results')
  .description('print the stored results')
  .addOption(configOption())
  .option('--json', 'as JSON')
  .option('--season <year>', 'of this season (default: the newest)', seasonArg)
  .action(async (o) => {
    const [{ loadInstance }, { openSeasonDb }, { resultsJson }] = await Promise.all([instanceModule(), dbModule(), import('./report/results-json.ts')]);
    const inst = loadInstance(o.config, o.season);
    const db = openSeasonDb(inst);
    const data = resultsJson(db);
    db.$client.close();
    if (o.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else {
      for (const p of data.participants) {
        process.stdout.write(`${p.name}\n`);
        for (const [day, d] of Object.entries(p.days)) {
          const mem = d.peakMemoryKb === null ? '' : `, peak ${(d.peakMemoryKb / 1024).toFixed(1)} MB`;
          process.stdout.write(`  day ${day.padStart(2)}  ${d.status.padEnd(12)} ${d.medianMs === null ? '' : `${d.medianMs.toFixed(3)} ms (${d.samples} runs${mem})`}\n`);
        }
      }
    }
  });

program
  .command('validate')
  .description("check a repository's .aocbench.yaml; exit 1 on error")
  .argument('[dir]', 'repository checkout', '.')
  .option('--json', 'as JSON')
  .action(async (dir: string, o) => {
    const { validateDir, validationReport } = await import('./commands/validate.ts');
    const r = validateDir(dir);
    if (o.json) process.stdout.write(`${JSON.stringify({ file: r.file, state: r.validation.state, messages: r.validation.messages, config: r.config }, null, 2)}\n`);
    else process.stdout.write(validationReport(r, dir));
    if (r.validation.state === 'error') process.exitCode = 1;
  });

program
  .command('merge')
  .description('merge single-year instances (configs, databases, clones) into one instance with seasons:, running nothing')
  .requiredOption('-o, --out <file>', 'the new instance config (must not exist)')
  .option('--data-dir <dir>', "the new instance's data dir (default: data beside the new config); its database must hold no participant")
  .argument('<configs...>', 'the single-year instance configs (year:), one per year')
  .action(async (configs: string[], o) => {
    const { merge, mergeReport } = await import('./commands/merge.ts');
    process.stdout.write(mergeReport(await merge({ out: o.out, dataDir: o.dataDir, configs })));
  });

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`aocbench: ${e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});

/** After a matrix: which stored results stand on an answers file it disputes, and that a bench re-runs them. */
async function disputeHint(config: string | undefined, season: number | undefined): Promise<string> {
  const [{ loadInstance }, { openSeasonDb }, { daysOnDisputedFiles }, { seasonsToRun }] = await Promise.all([instanceModule(), dbModule(), import('./cycle/settle-disputes.ts'), import('./cycle/seasons.ts')]);
  let out = '';
  for (const year of seasonsToRun(config, season)) {
    const inst = loadInstance(config, year);
    const db = openSeasonDb(inst);
    try {
      const stale = daysOnDisputedFiles(db);
      if (!stale.length) continue;
      const lines = stale.map((s) => `  day ${s.day}: ${s.source}'s answers file (${s.disputed.agree} of ${s.disputed.of} solvers print other answers)`);
      const flag = inst.config.seasonal ? ` --season ${year}` : '';
      out += `\nResults measured on a disputed answers file; \`aocbench bench${flag} -d '${[...new Set(stale.map((s) => s.day))].join('|')}'\` (or the next cycle) runs them on the next input with answers:\n${lines.join('\n')}\n`;
    } finally {
      db.$client.close();
    }
  }
  return out;
}

/** `--season 2024`: a year, checked against the instance when the command loads it. */
function seasonArg(v: string): number {
  const year = Number(v);
  if (!Number.isInteger(year) || year < 2015 || year > 2100) throw new Error(`--season takes a year (2015 or later), not "${v}"`);
  return year;
}
