// The test-sets service: import a benchmark's published files, list, page and remove test sets,
// and hand their items to the likelihood metrics and the evaluation runner (core.testsets).
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type {
  TestsetImportResult,
  TestsetItem,
  TestsetKind,
  TestsetOptions,
  TestsetSource,
  TestsetSummary,
} from '../../../shared/contracts/testsets';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import { removeUpload, resolveUpload } from '../datasets/uploads';
import { readTestset } from './importers';
import { createRepository } from './repository';

export interface TestsetService {
  importTestset(input: {
    source: TestsetSource;
    kind: TestsetKind;
    name: string;
    options: TestsetOptions;
  }): TestsetImportResult;
  list(): TestsetSummary[];
  /** A test set's summary; ApiError 'not-found' when there is none of that name. */
  get(name: string): TestsetSummary;
  /** One page of items in source order, optionally of one group ("(none)" for items without one). */
  items(input: { name: string; group?: string; offset: number; limit: number }): {
    total: number;
    items: TestsetItem[];
  };
  /** Every item in source order (the largest set, ToxiGen's 31,000 prompts, is a few MB). */
  allItems(name: string): TestsetItem[];
  remove(name: string): { removed: string; items: number };
}

export function createTestsetService(o: {
  db: Db;
  paths: HomePaths;
  events: EventBus;
  now: () => Date;
}): TestsetService {
  const repo = createRepository(o.db);

  return {
    importTestset(input) {
      const name = input.name.trim();
      const upload = input.source.kind === 'upload' ? resolveUpload(o.paths, input.source.uploadId) : null;
      const source = upload
        ? { path: upload.file, shownName: upload.displayName }
        : {
            path: path.resolve((input.source as { path: string }).path),
            shownName: (input.source as { path: string }).path,
          };
      try {
        const parsed = readTestset(input.kind, source, input.options);
        if (parsed.items.length === 0) {
          const first = parsed.problems.listed.slice(0, 20);
          throw new ApiError(
            'invalid-input',
            `${source.shownName}: no ${input.kind} items found` +
              (parsed.problems.count ? ` (${parsed.problems.count} records rejected)` : '') +
              ' — is it the right --kind?',
            first.map((e) => ({ path: `${e.file}:${e.line}${e.field ? `:${e.field}` : ''}`, message: e.message })),
          );
        }
        const summary = repo.insert(
          {
            name,
            kind: input.kind,
            sourceFile: parsed.sourceFile ?? source.shownName,
            options: parsed.options,
            createdAt: o.now().toISOString(),
          },
          parsed.items,
        );
        o.events.emit({ type: 'testsets-changed', name });
        return {
          testset: summary.name,
          kind: summary.kind,
          items: summary.items,
          groups: summary.groups,
          rejected: parsed.problems.count,
          errors: parsed.problems.listed,
        };
      } finally {
        // An upload is a copy the browser sent: gone once its import has ended, as for datasets.
        if (input.source.kind === 'upload') removeUpload(o.paths, input.source.uploadId);
      }
    },
    list: () => repo.list(),
    get: (name) => repo.get(name),
    items: (input) => repo.items(input.name, input.group, input.offset, input.limit),
    allItems: (name) => repo.allItems(name),
    remove(name) {
      const out = repo.remove(name);
      o.events.emit({ type: 'testsets-changed', name: out.removed });
      return out;
    },
  };
}
