import type { Session } from '../executor/types.ts';
import { matrixCell, type MatrixCell, type MatrixInput } from '../records.ts';
import { checkRun, commandOf, placeholders, prepareDay, writeInput, type DaySetup } from './recipe.ts';

/**
 * A solver's day on several inputs in one sandbox (by `aocbench matrix` here
 * and by a worker's matrix job): runonce and prerun once, with the first
 * input in place, as AoCBench's bulk input; then one untimed checked run per input.
 */
export async function runMatrixInputs(session: Session, setup: DaySetup, todo: MatrixInput[]): Promise<MatrixCell[]> {
  const prep = await prepareDay(session, setup, todo[0].input);
  if (prep.failure) {
    const f = prep.failure;
    return todo.map((i) => matrixCell(i, { status: f.status, exitCode: f.exitCode, message: f.message, output: f.step === 'runonce' ? (prep.runonceOutput?.slice(0, 4096) ?? null) : null }));
  }
  const cmd = commandOf(setup.config, placeholders(setup));
  const out: MatrixCell[] = [];
  for (const [n, i] of todo.entries()) {
    const problem = n === 0 ? null : await writeInput(session, setup, i.input);
    if (problem) {
      out.push(matrixCell(i, { status: 'error', message: problem.message }));
      continue;
    }
    const r = await checkRun(session, cmd, i.answers, setup);
    out.push(matrixCell(i, { status: r.status, exitCode: r.exitCode, message: r.message, output: r.output, wallMs: r.wallMs }));
  }
  return out;
}
