import { hasAnyAnswer, type Answers } from './answers.ts';

export interface InputCandidate {
  /** Participant name, or "inputs" for the instance's inputs dir. */
  source: string;
  input: string | null;
  answers: Answers;
}

/**
 * The input everyone is benchmarked on: the instance's inputs dir when it has
 * the day, else the first participant (config order) that actually has both an
 * input and answers for it. AoCBench always took participant #1, even without the day.
 */
export function chooseSharedInput(fromInputsDir: InputCandidate | null, participants: InputCandidate[]): InputCandidate | null {
  if (fromInputsDir?.input) return fromInputsDir;
  return participants.find((c) => c.input !== null && c.input.trim() !== '' && hasAnyAnswer(c.answers)) ?? null;
}
