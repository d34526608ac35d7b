// Writing a round's gold labels back to its dataset. Only records whose gold is settled are
// written: complete and agreed (a strict majority in every category, no flag), or adjudicated by
// an expert. Each goes through the datasets service's editRecord, so the change is a label edit
// like any other (record_edits: field, before, after, editor, note, time) and the record's
// derived annotation is recomputed. Only fields that change are sent.
import { ROUND_LABELS } from '../../../shared/contracts/rounds';
import type { CmdRecord } from '../../../shared/domain';
import type { ParsedInput } from '../../../shared/api';
import type { RecordGold } from './gold';

/** A label edit's changes, as the datasets service takes them. */
export type RecordChanges = ParsedInput<'datasets.editRecord'>['changes'];

/** The fields of `current` that the gold changes (empty: nothing to write). */
export function goldChanges(current: CmdRecord, g: RecordGold): RecordChanges {
  const changes: RecordChanges = {};
  for (const label of ROUND_LABELS) {
    const value = g.gold[label];
    // A category with no gold (none possible once settled, but never write a null over a label).
    if (value !== null && value !== current.labels[label]) changes[label] = value;
  }
  // srlab's rule for biased words: the words a strict majority marked; when no word has a
  // majority the record's own list stays (annotators who marked nothing do not erase it).
  const words = g.majorityWords;
  if (words.length > 0 && JSON.stringify(words) !== JSON.stringify(current.biasedWords)) changes.biasedWords = words;
  if (g.benign !== null && g.benign !== current.benignVariation) changes.benignVariation = g.benign;
  return changes;
}

/** What a label edit's note says about where the gold came from. */
export function editNote(roundId: number, g: RecordGold, annotators: readonly string[]): string {
  const adj = g.item.adjudication;
  return adj
    ? `round ${roundId}: adjudicated by ${adj.by} at ${adj.at}${adj.note ? ` (${adj.note})` : ''}`
    : `round ${roundId}: majority of ${annotators.join(', ')}`;
}

/** Settled records: their gold may be written. */
export function isSettled(g: RecordGold): boolean {
  return g.state === 'agreed' || g.state === 'adjudicated';
}

export interface ApplyDeps {
  record(id: number): CmdRecord;
  editRecord(input: { id: number; changes: RecordChanges; editor: string; note: string }): Promise<unknown>;
}

export async function applyGold(
  deps: ApplyDeps,
  roundId: number,
  golds: readonly { gold: RecordGold; annotators: string[] }[],
  by: string,
): Promise<{ records: number; edits: number; pending: number }> {
  let records = 0;
  let edits = 0;
  let pending = 0;
  for (const { gold, annotators } of golds) {
    if (!isSettled(gold)) {
      pending++;
      continue;
    }
    const changes = goldChanges(deps.record(gold.record.id), gold);
    const n = Object.keys(changes).length;
    // editRecord refuses an empty change set; a record already at its gold needs nothing.
    if (n === 0) continue;
    await deps.editRecord({ id: gold.record.id, changes, editor: by, note: editNote(roundId, gold, annotators) });
    records++;
    edits += n;
  }
  return { records, edits, pending };
}
