// The rounds capability's reads and writes of its own tables (schema.ts), and the few reads of
// the records it labels. Every write here is one statement or one IMMEDIATE transaction, so the
// service can retry it through whenWritable while an import holds the lock.
import { ApiError } from '../../../shared/contract';
import { RoundAnswer, type RoundInfo, type RoundLabels } from '../../../shared/contracts/rounds';
import type { Db } from '../db';

export interface RoundRow {
  id: number;
  title: string | null;
  dataset: string;
  split: string;
  seed: number;
  per_record: number;
  annotators: string;
  created_at: string;
  applied_at: string | null;
}

export interface ItemRow {
  round_id: number;
  annotator: string;
  record_id: number;
  key: string;
  position: number;
  answer: string | null;
  answered_at: string | null;
}

export interface AdjudicationRow {
  round_id: number;
  record_id: number;
  labels: string;
  benign: string | null;
  by: string;
  at: string;
  note: string;
}

/** A record as a round needs it: its text and current benign variation, nothing that would anchor. */
export interface RecordText {
  id: number;
  text: string;
  benign: string | null;
}

export function defaultTitle(id: number): string {
  return `Annotation round ${id}`;
}

export function parseAnswer(json: string | null): RoundAnswer | null {
  return json === null ? null : RoundAnswer.parse(JSON.parse(json));
}

export function parseLabels(json: string): RoundLabels {
  return JSON.parse(json) as RoundLabels;
}

export function roundInfo(r: RoundRow, records: number): RoundInfo {
  return {
    id: r.id,
    title: r.title ?? defaultTitle(r.id),
    dataset: r.dataset,
    split: r.split as RoundInfo['split'],
    seed: r.seed,
    records,
    perRecord: r.per_record,
    annotators: JSON.parse(r.annotators) as string[],
    createdAt: r.created_at,
    appliedAt: r.applied_at,
  };
}

export function createStore(db: Db) {
  const roundById = db.prepare<[number], RoundRow>('SELECT * FROM rounds WHERE id = ?');
  const countRecords = db.prepare<[number], number>('SELECT COUNT(*) FROM round_records WHERE round_id = ?').pluck();

  const textById = db.prepare<[number], RecordText>('SELECT id, text, benign FROM records WHERE id = ?');
  const itemsOfAnnotator = db.prepare<[number, string], ItemRow>(
    'SELECT * FROM round_items WHERE round_id = ? AND annotator = ? ORDER BY position',
  );
  const itemWithKey = db.prepare<[number, string, string], ItemRow>(
    'SELECT * FROM round_items WHERE round_id = ? AND annotator = ? AND key = ?',
  );

  return {
    /** The round, or not-found naming it. */
    round(id: number): RoundRow {
      const r = roundById.get(id);
      if (!r) throw new ApiError('not-found', `no annotation round ${id}`);
      return r;
    },
    maybeRound: (id: number): RoundRow | undefined => roundById.get(id),
    info(id: number): RoundInfo {
      const r = this.round(id);
      return roundInfo(r, countRecords.get(id)!);
    },
    list(): RoundInfo[] {
      return db
        .prepare<[], RoundRow & { n: number }>(
          `SELECT r.*, (SELECT COUNT(*) FROM round_records rr WHERE rr.round_id = r.id) AS n
             FROM rounds r ORDER BY r.id DESC`,
        )
        .all()
        .map((r) => roundInfo(r, r.n));
    },

    /** Record ids of a dataset (one split, or all), in id order: the population a round draws from. */
    recordIds(datasetId: number, split: string): number[] {
      return split === 'all'
        ? db.prepare<[number], number>('SELECT id FROM records WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId)
        : db
            .prepare<[number, string], number>('SELECT id FROM records WHERE dataset_id = ? AND split = ? ORDER BY id')
            .pluck()
            .all(datasetId, split);
    },

    /** The round's records with text and benign variation, in the order drawn. */
    records(roundId: number): RecordText[] {
      return db
        .prepare<[number], RecordText>(
          `SELECT r.id, r.text, r.benign FROM round_records rr JOIN records r ON r.id = rr.record_id
            WHERE rr.round_id = ? ORDER BY rr.idx`,
        )
        .all(roundId);
    },

    items(roundId: number): ItemRow[] {
      return db
        .prepare<[number], ItemRow>('SELECT * FROM round_items WHERE round_id = ? ORDER BY record_id, annotator')
        .all(roundId);
    },
    itemsOf: (roundId: number, annotator: string): ItemRow[] => itemsOfAnnotator.all(roundId, annotator),
    itemByKey: (roundId: number, annotator: string, key: string): ItemRow | undefined =>
      itemWithKey.get(roundId, annotator, key),
    recordText: (id: number): RecordText | undefined => textById.get(id),
    submittedAt(roundId: number, annotator: string): string | null | undefined {
      const row = db
        .prepare<[number, string], { submitted_at: string | null }>(
          'SELECT submitted_at FROM round_annotators WHERE round_id = ? AND annotator = ?',
        )
        .get(roundId, annotator);
      return row === undefined ? undefined : row.submitted_at;
    },

    adjudications(roundId: number): Map<number, AdjudicationRow> {
      const rows = db
        .prepare<[number], AdjudicationRow>('SELECT * FROM round_adjudications WHERE round_id = ?')
        .all(roundId);
      return new Map(rows.map((r) => [r.record_id, r]));
    },

    /** Insert a whole round in one transaction; returns its id. `items` carry their keys and places. */
    insertRound(
      round: Omit<RoundRow, 'id' | 'applied_at'>,
      records: readonly number[],
      annotators: readonly string[],
      items: readonly { annotator: string; record: number; key: string; position: number }[],
      also: (id: number) => void,
    ): number {
      const tx = db.transaction(() => {
        const { lastInsertRowid } = db
          .prepare(
            `INSERT INTO rounds (title, dataset, split, seed, per_record, annotators, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            round.title,
            round.dataset,
            round.split,
            round.seed,
            round.per_record,
            round.annotators,
            round.created_at,
          );
        const id = Number(lastInsertRowid);
        const rec = db.prepare('INSERT INTO round_records (round_id, record_id, idx) VALUES (?, ?, ?)');
        records.forEach((r, i) => rec.run(id, r, i));
        const ann = db.prepare('INSERT INTO round_annotators (round_id, annotator) VALUES (?, ?)');
        for (const a of annotators) ann.run(id, a);
        const item = db.prepare(
          'INSERT INTO round_items (round_id, annotator, record_id, key, position) VALUES (?, ?, ?, ?, ?)',
        );
        for (const it of items) item.run(id, it.annotator, it.record, it.key, it.position);
        also(id);
        return id;
      });
      return tx.immediate();
    },

    /** Save one answer and log it (one transaction). */
    saveAnswer(item: ItemRow, answer: RoundAnswer, at: string): void {
      const json = JSON.stringify(answer);
      db.transaction(() => {
        db.prepare(
          'UPDATE round_items SET answer = ?, answered_at = ? WHERE round_id = ? AND annotator = ? AND record_id = ?',
        ).run(json, at, item.round_id, item.annotator, item.record_id);
        db.prepare(
          'INSERT INTO round_answer_log (round_id, annotator, record_id, answer, at) VALUES (?, ?, ?, ?, ?)',
        ).run(item.round_id, item.annotator, item.record_id, json, at);
      }).immediate();
    },

    /** Every save of one round, oldest first (the history behind the current answers). */
    answerLog(roundId: number) {
      return db
        .prepare<[number], { annotator: string; record_id: number; answer: string; at: string }>(
          'SELECT annotator, record_id, answer, at FROM round_answer_log WHERE round_id = ? ORDER BY id',
        )
        .all(roundId);
    },

    submit(roundId: number, annotator: string, at: string): void {
      db.prepare(
        'UPDATE round_annotators SET submitted_at = ? WHERE round_id = ? AND annotator = ? AND submitted_at IS NULL',
      ).run(at, roundId, annotator);
    },

    /** Store an adjudication; the one it replaces goes to the log (one transaction). */
    adjudicate(row: AdjudicationRow): void {
      db.transaction(() => {
        const old = db
          .prepare<[number, number], AdjudicationRow>(
            'SELECT * FROM round_adjudications WHERE round_id = ? AND record_id = ?',
          )
          .get(row.round_id, row.record_id);
        if (old) {
          db.prepare(
            `INSERT INTO round_adjudication_log (round_id, record_id, labels, benign, by, at, note, replaced_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(old.round_id, old.record_id, old.labels, old.benign, old.by, old.at, old.note, row.at);
        }
        db.prepare(
          `INSERT OR REPLACE INTO round_adjudications (round_id, record_id, labels, benign, by, at, note)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(row.round_id, row.record_id, row.labels, row.benign, row.by, row.at, row.note);
      }).immediate();
    },

    setApplied(roundId: number, at: string): void {
      db.prepare('UPDATE rounds SET applied_at = ? WHERE id = ?').run(at, roundId);
    },

    remove(roundId: number, also: () => void): boolean {
      return db
        .transaction(() => {
          also();
          return db.prepare('DELETE FROM rounds WHERE id = ?').run(roundId).changes > 0;
        })
        .immediate();
    },
  };
}

export type RoundStore = ReturnType<typeof createStore>;
