// The scorers capability: scorer specs → scorers, the score cache, and srlab's embedded classifiers.
import { contracts } from '../../../shared/contracts/scorers';
import { defineCapability, type CapabilityContext } from '../capability';
import type { ClassifiersService } from '../classifiers';
import type { LlmService } from '../llm';
import type { WorkerService } from '../worker';
import { createScorersService } from '.';

export const capability = defineCapability({
  name: 'scorers',
  contracts,
  migrations: [
    {
      id: 'embedded-and-cache',
      sql: `
-- srlab's own classifiers: logistic regression over hashed n-grams (core/scorers/embedded-*.ts).
CREATE TABLE embedded_classifiers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  dataset TEXT NOT NULL,
  label TEXT NOT NULL,
  positive TEXT NOT NULL,
  -- A hash of the weights, bias, calibration and feature settings: the score cache's version.
  version TEXT NOT NULL,
  options TEXT NOT NULL,
  counts TEXT NOT NULL,
  calibration TEXT NOT NULL,
  bias REAL NOT NULL,
  buckets INTEGER NOT NULL,
  char_ngrams INTEGER NOT NULL,
  -- Float32, little-endian, one per bucket.
  weights BLOB NOT NULL,
  validation TEXT,
  duration_ms REAL NOT NULL,
  created_at TEXT NOT NULL
);

-- Every score a scorer gave a text, by the scorer's id and version and the text's sha256. Errors
-- are not cached (error stays NULL), so a failed text is scored again next time.
CREATE TABLE score_cache (
  scorer_id TEXT NOT NULL,
  scorer_version TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  score REAL,
  label TEXT,
  probs TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scorer_id, scorer_version, text_hash)
) WITHOUT ROWID;
`,
    },
  ],
  create({
    db,
    paths,
    jobs,
    events,
    now,
    services,
  }: CapabilityContext<{ llm: LlmService; worker: WorkerService; classifiers: ClassifiersService }>) {
    const { llm, worker, classifiers } = services;
    const scorers = createScorersService({
      db,
      paths,
      llm,
      worker,
      classifiers,
      endpoints: llm.endpoints,
      secrets: llm.secrets,
      jobs,
      events,
      now,
    });
    return {
      service: scorers,
      handlers: {
        'scorers.list': () => ({ embedded: scorers.listEmbedded(), kinds: scorers.kinds() }),
        'scorers.trainEmbedded': (input) => ({ job: scorers.startTrainEmbedded(input).job }),
        'scorers.score': async (input) => {
          const r = await scorers.score(input.spec, input.texts);
          return { scorer: r.scorer, results: r.results, cached: r.cached };
        },
        'scorers.remove': (input) => scorers.removeEmbedded(input.name),
      },
    };
  },
});
