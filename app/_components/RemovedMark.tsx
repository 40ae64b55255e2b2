import { dateTime } from '../_lib/participants.ts';

/** A day gone from the participant's repository (a force-push): its result stays as history, out of points. */
export function RemovedMark({ at }: { at: number }) {
  return (
    <span className="badge removed" data-testid="removed-mark" title={`gone from the repository since ${dateTime(at)} UTC: kept as history, out of points`}>
      removed
    </span>
  );
}
