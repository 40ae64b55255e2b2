import type { Answers } from '../../lib/answers.ts';
import type { MeasureEnv } from '../../lib/env.ts';
import type { DayOutcome, MatrixCell } from '../records.ts';
import type { MeasureSettings } from './job-content.ts';

/** A (participant, day, code version) to time, as the coordinator planned it. */
export interface TimeJobData {
  participant: string;
  /** The commit the plan was made from: the worker runs exactly this content. */
  commit: string;
  day: number;
  version: string;
  inputVersion: string;
  /** The image as the plan knows it (a content tag or an image reference). */
  imageKey: string;
  /** The input's content hash: its text is stored once in Redis (job-content.ts). */
  inputHash: string;
  inputSource: string;
  answers: Answers;
  reason: string;
  /** The coordinator's repeat and limits: every host measures the same way. */
  settings: MeasureSettings;
  /** When the coordinator queued it (ms), for the time a job waited. */
  queuedAt: number;
}

export interface TimeJobResult {
  outcome: DayOutcome;
  /** The participant's image did not build or pull on the worker: its log's end, for the participant's health (the coordinator built nothing). */
  imageProblem?: { ref: string; host: string; log: string } | null;
  imageId: string | null;
  env: MeasureEnv;
  host: string;
  durationMs: number;
}

/** One input of a matrix job. */
export interface MatrixInput {
  name: string;
  inputHash: string;
  inputVersion: string;
  answers: Answers;
}

/** A solver's day against several inputs (untimed). */
export interface MatrixJobData {
  solver: string;
  commit: string;
  day: number;
  solverVersion: string;
  imageKey: string;
  inputs: MatrixInput[];
  settings: MeasureSettings;
  queuedAt: number;
}

export interface MatrixJobResult {
  cells: MatrixCell[];
  host: string;
}

/** A worker heartbeat, as stored in the workers hash and mirrored into SQLite for the site. */
export interface WorkerStatus {
  id: string;
  host: string;
  hardwareClass: string;
  job: string | null;
  seenAt: number;
  startedAt: number;
  message?: string | null;
}
