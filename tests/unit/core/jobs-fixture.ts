// A job service on a fresh SQLite file, with every event it emits collected in `seen`.
import path from 'node:path';
import type { ApiEvent } from '../../../src/shared/api';
import { openDb } from '../../../src/main/core/db';
import { createEventBus } from '../../../src/main/core/events';
import { createJobService } from '../../../src/main/core/jobs';
import { tempDir } from '../../helpers';

export function jobsFixture(file = path.join(tempDir(), 'jobs.sqlite')) {
  const db = openDb(file);
  const events = createEventBus();
  const seen: ApiEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return { db, events, jobs: createJobService({ db, events }), seen, file };
}
