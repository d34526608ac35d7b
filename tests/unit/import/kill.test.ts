// An import killed halfway (the process gets SIGKILL) never committed its one transaction, so
// the database is exactly as before and opens fine. The kill comes once the import's page
// cache has spilled uncommitted pages into the WAL file, so SQLite's recovery has to skip them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { openDb } from '../../../src/main/core/db';
import { REPO_ROOT } from '../../helpers';
import { FIXTURES, test } from './harness';

/** A CSV in the authors' layout, big enough that importing it takes a while. */
function writeBigCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'biased_text,dimension,biased_words,aspect,label,Done (x),debiased_text,comments,text_length\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const text = `Row ${i}: some people say that group is lazy, and others say it is not; a long enough text to matter`;
    chunk += `"${text}",toxicity,['lazy'],Ageism,Slightly Biased,x,"Row ${i}: a rewritten, neutral sentence about the same topic",,${text.length}.0\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

test(
  'an import killed halfway leaves the database as it was, and it opens fine',
  { timeout: 120_000 },
  async ({ lab }) => {
    await lab.run(path.join(FIXTURES, 'flat.json'), { dataset: 'kept' });
    const before = lab.counts();
    const big = path.join(lab.dir, 'big.csv');
    writeBigCsv(big, 700_000);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(FIXTURES, 'import-child.ts'), lab.dbFile, lab.rejectsDir, big, 'killed'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killedAt = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('finished')) return reject(new Error('the import finished before it could be killed'));
        const last = [...out.matchAll(/progress (\d+) (\d+)/g)].at(-1);
        const wal = fs.existsSync(`${lab.dbFile}-wal`) ? fs.statSync(`${lab.dbFile}-wal`).size : 0;
        if (last && wal > 4 << 20 && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve(Number(last[1]) / Number(last[2]));
        }
      });
      child.on('exit', (code) => reject(new Error(`the import exited (${code}) before it could be killed: ${stderr}`)));
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    expect(child.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(1);
    expect(fs.statSync(`${lab.dbFile}-wal`).size).toBeGreaterThan(4 << 20);

    const db = openDb(lab.dbFile);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare("SELECT count(*) AS n FROM datasets WHERE name = 'killed'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(lab.counts()).toEqual(before);
    expect(lab.records('kept')).toHaveLength(3);
    // And the library still takes imports.
    expect(await lab.run(path.join(FIXTURES, 'nested.json'), { dataset: 'after' })).toMatchObject({ imported: 2 });
  },
);
