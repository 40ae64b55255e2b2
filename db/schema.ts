import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Seasons (an Advent of Code year each) share the database: a participant is a row per season, and what is not keyed by participant carries `season`. 0: written before seasons, adopted by the newest season on open. */
const season = () => integer('season').notNull().default(0);

export const participants = sqliteTable('participants', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  season: season(),
  name: text('name').notNull(),
  dirName: text('dir_name').notNull(),
  repo: text('repo').notNull(),
  branch: text('branch'),
  subheading: text('subheading'),
  language: text('language'),
  /** Position in the instance config; the shared input follows this order. */
  position: integer('position').notNull().default(0),
  /** The parsed `.aocbench.yaml` after defaults, as JSON. */
  config: text('config'),
  validationState: text('validation_state'),
  validationMessages: text('validation_messages'),
  head: text('head'),
  updatedAt: integer('updated_at'),
}, (t) => [uniqueIndex('participants_season_name').on(t.season, t.name)]);

/** The latest git sync of each participant, with the output of the failing step. */
export const repoUpdates = sqliteTable('repo_updates', {
  participantId: integer('participant_id').primaryKey().references(() => participants.id, { onDelete: 'cascade' }),
  at: integer('at').notNull(),
  ok: integer('ok', { mode: 'boolean' }).notNull(),
  operation: text('operation').notNull(),
  failedStep: text('failed_step'),
  output: text('output').notNull().default(''),
  head: text('head'),
});

export const images = sqliteTable('images', {
  participantId: integer('participant_id').primaryKey().references(() => participants.id, { onDelete: 'cascade' }),
  at: integer('at').notNull(),
  ok: integer('ok', { mode: 'boolean' }).notNull(),
  kind: text('kind').notNull(),
  ref: text('ref').notNull(),
  imageId: text('image_id'),
  built: integer('built', { mode: 'boolean' }).notNull().default(false),
  log: text('log').notNull().default(''),
});

const resultColumns = {
  participantId: integer('participant_id').notNull().references(() => participants.id, { onDelete: 'cascade' }),
  day: integer('day').notNull(),
  runAt: integer('run_at').notNull(),
  version: text('version').notNull(),
  inputVersion: text('input_version').notNull(),
  imageId: text('image_id').notNull(),
  /** correct | wrong | error | timeout | oom | output-limit | unchecked */
  status: text('status').notNull(),
  /** Which step produced a failure verdict: runonce | prerun | check | timing. */
  failedStep: text('failed_step'),
  exitCode: integer('exit_code'),
  inputSource: text('input_source'),
  /** Every timed sample in milliseconds, JSON array in run order. */
  samples: text('samples').notNull().default('[]'),
  /** Length of `samples`, so listings need not parse the JSON. */
  sampleCount: integer('sample_count').notNull().default(0),
  /** Why the timed runs stopped: fixed (repeat.runs), target (the interval was tight enough), run cap, time budget. */
  stopReason: text('stop_reason'),
  medianMs: real('median_ms'),
  meanMs: real('mean_ms'),
  minMs: real('min_ms'),
  maxMs: real('max_ms'),
  stddevMs: real('stddev_ms'),
  ciLowMs: real('ci_low_ms'),
  ciHighMs: real('ci_high_ms'),
  checkMs: real('check_ms'),
  /** Per sample, in run order, JSON [[peak KiB, user ms, sys ms], ...]; null when the executor measured none. */
  usage: text('usage'),
  /** Median peak memory of the run's whole process tree (KiB), and the 95% interval of that median. */
  peakMemoryKb: integer('peak_memory_kb'),
  memoryLowKb: integer('memory_low_kb'),
  memoryHighKb: integer('memory_high_kb'),
  /** Median user and system CPU time of all the run's processes. */
  userMs: real('user_ms'),
  sysMs: real('sys_ms'),
  /** cgroup (the whole process tree's peak) or rusage (the largest single process's). */
  memoryMeter: text('memory_meter'),
  expected: text('expected'),
  message: text('message'),
  runonceOutput: text('runonce_output'),
  checkOutput: text('check_output'),
  durationMs: integer('duration_ms'),
  /** JSON: where it was measured (executor, accelerator, pinned CPUs, memory locked, CPU model, kernel, image id). */
  env: text('env'),
};

export const dayResults = sqliteTable(
  'day_results',
  {
    ...resultColumns,
    /** When the runner found the day gone from the repository (a force-push): kept as history, out of points; null when present. */
    removedAt: integer('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.participantId, t.day] })],
);

/** Results replaced by a newer run, newest first when ordered by run_at desc. */
export const dayHistory = sqliteTable(
  'day_history',
  { id: integer('id').primaryKey({ autoIncrement: true }), ...resultColumns },
  (t) => [index('day_history_by_day').on(t.participantId, t.day, t.runAt)],
);

/** Health messages per participant (day 0) or per day; a topic's message is replaced on every check. */
export const health = sqliteTable(
  'health',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    participantId: integer('participant_id').notNull().references(() => participants.id, { onDelete: 'cascade' }),
    day: integer('day').notNull().default(0),
    topic: text('topic').notNull(),
    level: text('level').notNull(),
    message: text('message').notNull(),
    detail: text('detail'),
    /** A `day` row: the day is marked work in progress (.wip or .nobench), so it is left out and its results show as WIP. */
    wip: integer('wip', { mode: 'boolean' }).notNull().default(false),
    at: integer('at').notNull().default(sql`(unixepoch())`),
  },
  (t) => [uniqueIndex('health_topic').on(t.participantId, t.day, t.topic)],
);

/** One row per `bench` cycle: when it ran and what it did. */
export const cycles = sqliteTable('cycles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  containers: integer('containers').notNull().default(0),
  daysRun: integer('days_run').notNull().default(0),
  hardware: text('hardware'),
});

/** One solver's verdict on one input of a day (the input matrix). */
export const matrixCells = sqliteTable(
  'matrix_cells',
  {
    solverId: integer('solver_id').notNull().references(() => participants.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    /** A participant's name, "inputs" (the instance's inputs dir) or "custom:<name>". */
    input: text('input').notNull(),
    inputVersion: text('input_version').notNull(),
    /** The solver's day version and image id: a change re-runs the cell. */
    solverVersion: text('solver_version').notNull(),
    status: text('status').notNull(),
    exitCode: integer('exit_code'),
    message: text('message'),
    output: text('output'),
    expected: text('expected'),
    wallMs: real('wall_ms'),
    runAt: integer('run_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.solverId, t.day, t.input] })],
);

/** The inputs of the matrix as last seen: owner, answers (if any) and version. */
export const matrixInputs = sqliteTable(
  'matrix_inputs',
  {
    season: season(),
    day: integer('day').notNull(),
    name: text('name').notNull(),
    ownerId: integer('owner_id'),
    version: text('version').notNull(),
    part1: text('part1'),
    part2: text('part2'),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.season, t.day, t.name] })],
);

/** Inputs submitted from the web or the API; run by the matrix like everyone's inputs. */
export const customInputs = sqliteTable(
  'custom_inputs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    season: season(),
    day: integer('day').notNull(),
    name: text('name').notNull(),
    input: text('input').notNull(),
    part1: text('part1'),
    part2: text('part2'),
    submittedBy: text('submitted_by').notNull(),
    createdAt: integer('created_at').notNull(),
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('custom_inputs_season_day_name').on(t.season, t.day, t.name)],
);

/** Work for the daemon: queued by the daemon's poll, the admin UI, the API, webhooks or `aocbench trigger`. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** cycle (sync, bench, then matrix) | bench | matrix */
    kind: text('kind').notNull(),
    /** The season it is for; 0: every season that is not frozen (the poll's cycle, `aocbench trigger` without --season). */
    season: season(),
    participant: text('participant'),
    day: integer('day'),
    force: integer('force', { mode: 'boolean' }).notNull().default(false),
    /** queued | running | done | failed | interrupted | cancelled */
    status: text('status').notNull().default('queued'),
    requestedBy: text('requested_by').notNull(),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    /** What runs now (participant, day, step, ETA), updated while running. */
    progress: text('progress'),
    message: text('message'),
    /** The runner (host:pid, as in `runners`) working on it: a running job whose runner stopped beating is not running. */
    runner: text('runner'),
  },
  (t) => [index('jobs_by_status').on(t.status, t.id), index('jobs_by_participant').on(t.participant, t.startedAt)],
);

/**
 * Admin sessions, kept on the server so that they can end: sign-out deletes
 * the row, and a new admin password ends every session signed in with the
 * old one (`passwordTag` no longer matches).
 */
export const adminSessions = sqliteTable('admin_sessions', {
  /** Random, 32 bytes; the cookie carries it with an HMAC. */
  id: text('id').primaryKey(),
  csrf: text('csrf').notNull(),
  passwordTag: text('password_tag').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * Processes that run benchmarks (the daemon, a command-line bench or matrix):
 * each says it is alive every few seconds, so the site can tell a queue that
 * waits for nobody from one that is being worked through.
 */
export const runners = sqliteTable('runners', {
  /** host:pid */
  id: text('id').primaryKey(),
  /** daemon | cli */
  kind: text('kind').notNull(),
  startedAt: integer('started_at').notNull(),
  seenAt: integer('seen_at').notNull(),
  /** What keeps this runner from working (Docker unreachable, disk full), shown on every page; null when nothing does. */
  problem: text('problem'),
});

/**
 * One row counting changes to what the pages show (results, matrix, health,
 * participants, the queue's shape, a runner arriving or leaving), bumped by
 * triggers (migration 0007). Heartbeats and progress lines do not count, so they do not throw away the
 * site's page cache; the counter is the same for every connection, unlike
 * SQLite's data_version.
 */
export const contentVersion = sqliteTable('content_version', {
  id: integer('id').primaryKey(),
  n: integer('n').notNull(),
});

/**
 * With a queue: the benchmark hosts as the coordinator last heard of them
 * (mirrored from Redis every few seconds), for the banner and /admin. Not
 * content: a heartbeat here does not empty the page cache.
 */
export const queueWorkers = sqliteTable('queue_workers', {
  /** host:pid */
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  hardwareClass: text('hardware_class').notNull(),
  job: text('job'),
  message: text('message'),
  startedAt: integer('started_at').notNull(),
  seenAt: integer('seen_at').notNull(),
});

/** With a queue: how many jobs wait, run, or finished without being stored yet (one row). */
export const queueCounts = sqliteTable('queue_counts', {
  id: integer('id').primaryKey(),
  waiting: integer('waiting').notNull(),
  active: integer('active').notNull(),
  failed: integer('failed').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Webhook deliveries already acted on, by GitHub's delivery id (X-GitHub-Delivery):
 * a captured signed delivery replayed queues nothing. Pruned after the replay window.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('webhook_deliveries_by_time').on(t.receivedAt)],
);

/**
 * What pages compute over the whole board (its ranking, the memory board,
 * everyone's health level), stored per content version as JSON: a restarted
 * site reads it instead of ranking 10,000 participants again, and the runner
 * writes the default views after a cycle, before anyone asks. One row per key,
 * replaced when the content moves. Not content itself: no trigger counts it.
 */
export const viewSnapshots = sqliteTable('view_snapshots', {
  key: text('key').primaryKey(),
  version: integer('version').notNull(),
  body: text('body').notNull(),
  writtenAt: integer('written_at').notNull(),
});

/**
 * News waiting to be delivered, and what became of it (lib/news.ts): one row
 * per target per cycle, sent by the runner after the cycle (never during it),
 * retried with backoff, kept a week. The URL itself is never stored: only the
 * name of the variable that holds it.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `kind:urlEnv`, what the health page names. */
    target: text('target').notNull(),
    kind: text('kind').notNull(),
    urlEnv: text('url_env').notNull(),
    secretEnv: text('secret_env'),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: integer('next_at').notNull(),
    /** pending, sent, or failed (gave up). */
    status: text('status').notNull().default('pending'),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
  },
  (t) => [index('notifications_due').on(t.status, t.nextAt)],
);
