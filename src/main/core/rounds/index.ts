// CMD annotation rounds (issue 13): a researcher draws records from a dataset and gives each to
// several annotators; their answers become gold labels by majority vote, ties and flags wait for
// an expert, the gold is written back to the dataset as label edits, and agreement is reported as
// Fleiss' kappa. This module ties the parts together: sample.ts (who labels what), store.ts (the
// tables), annotator.ts (the annotator's side), gold.ts (majority, queue, kappa), apply.ts.
import type { ParsedInput, Output } from '../../../shared/api';
import { ApiError, type Caller } from '../../../shared/contract';
import { roundSessionName, type QueueItem } from '../../../shared/contracts/rounds';
import type { AccessService } from '../access';
import type { DatasetService } from '../datasets';
import { findDataset } from '../datasets/repository';
import type { Db } from '../db';
import { whenWritable } from '../db/busy';
import type { EventBus } from '../events';
import { newInvite, revokeAll } from '../people/invites';
import { randomId } from '../people/random-id';
import { checkRoster } from '../people/roster';
import { actingAs, createAnnotatorSide, type Annotator } from './annotator';
import { applyGold } from './apply';
import { describeVotes, isDone, recordGold, roundAgreement, type RecordAnswers, type RecordGold } from './gold';
import { annotatorOrder, assignBalanced, drawRecords } from './sample';
import { createStore, parseAnswer, parseLabels, type RoundRow } from './store';

export interface RoundServiceDeps {
  db: Db;
  events: EventBus;
  now: () => Date;
  access: AccessService;
  datasets: DatasetService;
}

function invalid(path: string, message: string): ApiError {
  return new ApiError('invalid-input', message, [{ path, message }]);
}

export function createRoundService(deps: RoundServiceDeps) {
  const { db, events, now, access, datasets } = deps;
  const store = createStore(db);
  const annotatorSide = createAnnotatorSide({ store });
  const changed = (round: number | null) => events.emit({ type: 'rounds-changed', round });

  /** Every record of a round with its annotators' answers and adjudication, in the order drawn. */
  function answers(round: RoundRow): { rows: RecordAnswers; annotators: string[] }[] {
    const order = JSON.parse(round.annotators) as string[];
    const byRecord = new Map<number, { annotator: string; answer: ReturnType<typeof parseAnswer> }[]>();
    for (const it of store.items(round.id)) {
      const list = byRecord.get(it.record_id) ?? [];
      list.push({ annotator: it.annotator, answer: parseAnswer(it.answer) });
      byRecord.set(it.record_id, list);
    }
    const adjudications = store.adjudications(round.id);
    return store.records(round.id).map((record) => {
      const list = (byRecord.get(record.id) ?? []).sort(
        (a, b) => order.indexOf(a.annotator) - order.indexOf(b.annotator),
      );
      const adj = adjudications.get(record.id);
      return {
        rows: {
          record,
          answers: list,
          adjudication: adj
            ? { labels: parseLabels(adj.labels), benign: adj.benign, by: adj.by, at: adj.at, note: adj.note }
            : null,
        },
        annotators: list.map((a) => a.annotator),
      };
    });
  }

  function golds(round: RoundRow): { gold: RecordGold; annotators: string[]; rows: RecordAnswers }[] {
    return answers(round).map(({ rows, annotators }) => ({ gold: recordGold(rows), annotators, rows }));
  }

  return {
    async create(input: ParsedInput<'rounds.create'>): Promise<Output<'rounds.create'>> {
      const ref = findDataset(db, input.dataset);
      checkRoster(input.annotators, input.perRecord, {
        list: 'annotators',
        per: 'perRecord',
        person: 'annotator',
        unit: 'record',
      });
      const population = store.recordIds(ref.id, input.split);
      if (input.records > population.length)
        throw invalid(
          'records',
          `dataset "${ref.name}"${input.split === 'all' ? '' : ` (split ${input.split})`} has ${population.length} record${population.length === 1 ? '' : 's'}; cannot draw ${input.records}`,
        );
      const drawn = drawRecords(population, input.records, input.seed);
      const assigned = assignBalanced(drawn, input.annotators, input.perRecord, input.seed);
      const items = input.annotators.flatMap((annotator) => {
        const mine = drawn.filter((r) => assigned.get(r)!.includes(annotator));
        return annotatorOrder(mine, input.seed, annotator).map((record, i) => ({
          annotator,
          record,
          key: randomId(),
          position: i + 1,
        }));
      });
      const createdAt = now().toISOString();
      let invites: Output<'rounds.create'>['invites'] = [];
      // One transaction: the round, its assignments and the annotators' invitations, or nothing.
      const id = await whenWritable(db, () =>
        store.insertRound(
          {
            title: input.title ?? null,
            dataset: ref.name,
            split: input.split,
            seed: input.seed,
            per_record: input.perRecord,
            annotators: JSON.stringify(input.annotators),
            created_at: createdAt,
          },
          drawn,
          input.annotators,
          items,
          (roundId) => {
            invites = input.annotators.map((a) => newInvite(access, roundSessionName(roundId), a, input.expiresInDays));
          },
        ),
      );
      changed(id);
      return { round: store.info(id), records: drawn.length, invites };
    },

    list: (): Output<'rounds.list'> => ({ rounds: store.list() }),

    status(id: number): Output<'rounds.status'> {
      const round = store.round(id);
      const all = golds(round);
      const items = store.items(id);
      const session = roundSessionName(id);
      const annotators = (JSON.parse(round.annotators) as string[]).map((annotator) => {
        const mine = items.filter((i) => i.annotator === annotator);
        const parsed = mine.map((i) => parseAnswer(i.answer));
        const times = mine.map((i) => i.answered_at).filter((t): t is string => t !== null);
        return {
          annotator,
          assigned: mine.length,
          done: parsed.filter(isDone).length,
          flagged: parsed.filter((a) => a?.flagged === true).length,
          lastActivityAt: times.length ? times.reduce((a, b) => (a > b ? a : b)) : null,
          submittedAt: store.submittedAt(id, annotator) ?? null,
          invites: access.forSession(session, annotator),
        };
      });
      const count = (state: RecordGold['state']) => all.filter((g) => g.gold.state === state).length;
      return {
        round: store.info(id),
        progress: {
          done: items.filter((i) => isDone(parseAnswer(i.answer))).length,
          total: items.length,
        },
        annotators,
        gold: {
          agreed: count('agreed'),
          queued: count('queued'),
          adjudicated: count('adjudicated'),
          incomplete: count('incomplete'),
        },
        ...roundAgreement(
          all.map((g) => g.rows),
          round.per_record,
        ),
      };
    },

    queue(input: ParsedInput<'rounds.queue'>): Output<'rounds.queue'> {
      const round = store.round(input.id);
      const items: QueueItem[] = golds(round)
        .map((g) => g.gold)
        .filter((g) => g.state === 'queued' || (input.includeResolved && g.state === 'adjudicated'))
        .map((g) => g.item);
      return { items };
    },

    async adjudicate(input: ParsedInput<'rounds.adjudicate'>): Promise<Output<'rounds.adjudicate'>> {
      const round = store.round(input.id);
      const found = golds(round).find((g) => g.gold.record.id === input.record);
      if (!found) throw new ApiError('not-found', `record ${input.record} is not in annotation round ${input.id}`);
      const g = found.gold;
      // A record already adjudicated can be adjudicated again (the new one replaces it).
      if (!g.complete || g.reasons.length === 0)
        throw new ApiError('conflict', `record ${input.record} is not waiting for adjudication`);
      const missing = g.tied.filter((l) => input.labels[l] === null);
      if (missing.length > 0)
        throw new ApiError(
          'invalid-input',
          missing.map((l) => `${l} is tied (${describeVotes(g.votes[l])}): give the expert's label`).join('; '),
          missing.map((l) => ({ path: `labels.${l}`, message: `${l} is tied: give the expert's label` })),
        );
      const at = now().toISOString();
      await whenWritable(db, () =>
        store.adjudicate({
          round_id: input.id,
          record_id: input.record,
          labels: JSON.stringify(input.labels),
          benign: input.benign,
          by: input.by,
          at,
          note: input.note,
        }),
      );
      changed(input.id);
      const item = golds(round).find((x) => x.gold.record.id === input.record)!.gold.item;
      return { item };
    },

    async apply(input: ParsedInput<'rounds.apply'>): Promise<Output<'rounds.apply'>> {
      const round = store.round(input.id);
      const out = await applyGold(
        {
          record: (id) => datasets.record({ id }).record,
          editRecord: (e) => datasets.editRecord(e),
        },
        input.id,
        golds(round),
        input.by,
      );
      const appliedAt = now().toISOString();
      await whenWritable(db, () => store.setApplied(input.id, appliedAt));
      changed(input.id);
      return { ...out, appliedAt };
    },

    async invite(input: ParsedInput<'rounds.invite'>): Promise<Output<'rounds.invite'>> {
      const round = store.round(input.id);
      const names = JSON.parse(round.annotators) as string[];
      if (!names.includes(input.annotator))
        throw new ApiError(
          'not-found',
          `${input.annotator} is not an annotator of round ${input.id} (annotators: ${names.join(', ')})`,
        );
      const session = roundSessionName(input.id);
      if (input.revoke) {
        const revoked = await whenWritable(db, () => access.revokeFor(session, input.annotator));
        changed(input.id);
        return { invite: null, revoked };
      }
      const invite = await whenWritable(db, () => newInvite(access, session, input.annotator, input.expiresInDays));
      changed(input.id);
      return { invite, revoked: [] };
    },

    /** Revokes the round's invitations and deletes it; labels it already wrote stay, with their edits. */
    async remove(id: number): Promise<Output<'rounds.remove'>> {
      const round = store.round(id);
      const names = JSON.parse(round.annotators) as string[];
      const removed = await whenWritable(db, () =>
        store.remove(id, () => revokeAll(access, roundSessionName(id), names)),
      );
      changed(null);
      return { removed };
    },

    // The annotator's side: `as` and the caller decide whose assignment it is (annotator.ts).
    assignment(caller: Caller, as: Annotator | undefined): Output<'rounds.assignment'> {
      return annotatorSide.assignment(actingAs(caller, as));
    },

    async annotate(caller: Caller, input: ParsedInput<'rounds.annotate'>): Promise<Output<'rounds.annotate'>> {
      const who = actingAs(caller, input.as);
      const item = annotatorSide.check(who, input.key, input.answer);
      const savedAt = now().toISOString();
      await whenWritable(db, () => store.saveAnswer(item, input.answer, savedAt));
      changed(who.round);
      return { savedAt, ...annotatorSide.progress(who) };
    },

    async submit(caller: Caller, as: Annotator | undefined): Promise<Output<'rounds.submit'>> {
      const who = actingAs(caller, as);
      const state = annotatorSide.checkSubmit(who);
      if (state.submittedAt !== null) return { ...state, submittedAt: state.submittedAt };
      const at = now().toISOString();
      await whenWritable(db, () => store.submit(who.round, who.annotator, at));
      changed(who.round);
      return { submittedAt: at, done: state.done, total: state.total };
    },

    /** Every save of a round's answers, oldest first (who, when, what). */
    answerLog: (id: number) => store.answerLog(store.round(id).id),
  };
}

export type RoundService = ReturnType<typeof createRoundService>;
