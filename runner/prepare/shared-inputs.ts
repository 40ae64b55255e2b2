import type { Consensus } from '../../lib/matrix.ts';
import { disputedAnswersFiles, sharedInputs } from '../../lib/plan.ts';
import type { InputCandidate } from '../../lib/shared-input.ts';
import { inputVersion } from '../../lib/versions.ts';
import type { Db } from '../../db/client.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import { listMatrixCells, listMatrixInputs } from '../../db/queries/matrix.ts';
import { inputsDirCandidate, type ParticipantState } from './participant-state.ts';

export type SharedInputs = Map<number, InputCandidate | null>;

/**
 * Each day's shared input as every command chooses it (bench, `run`,
 * `shell`): the inputs dir's, else the first participant's with answers
 * (lib/plan.ts sharedInputs), passing over an answers file the last matrix
 * run contradicts (`disputes`, keyed `day/participant`).
 */
export async function currentSharedInputs(db: Db, inst: LoadedInstance, valid: ParticipantState[]): Promise<{ shared: SharedInputs; disputes: Map<string, Consensus> }> {
  const fromDir = new Map<number, InputCandidate | null>();
  for (let day = 1; day <= inst.config.days; day++) fromDir.set(day, await inputsDirCandidate(inst.inputsDir, day, inst.config.ignoreAnswers));
  const current = new Map(valid.map((state) => [state.entry.name, state]));
  const disputes = disputedAnswersFiles({ cells: listMatrixCells(db), inputs: listMatrixInputs(db) }, (day, name) => {
    const info = current.get(name)?.days.get(day);
    return info?.input ? inputVersion(info.input, info.answers) : null;
  });
  const shared = sharedInputs(inst.config.days, fromDir, valid.map((state) => ({ ...state.entry, days: state.days })), (day, name) => disputes.has(`${day}/${name}`));
  return { shared, disputes };
}
