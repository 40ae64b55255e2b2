import { listParticipantViews, latestHardware, lastUpdate } from '../../db/queries/views.ts';
import { listAllHistory, listDayResults } from '../../db/queries/results.ts';
import { db } from './data.ts';

/** Rows for the JSON exports, read in one place. */
export function exportRows() {
  return {
    participants: listParticipantViews(db()),
    current: listDayResults(db()),
    history: listAllHistory(db()),
    lastUpdate: lastUpdate(db()),
    hardware: latestHardware(db()),
  };
}
