import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../src/main/core';

/** `n` distinct CMD records (cmd-nested JSON lines), written quickly. */
export function writeRecords(file: string, n: number, prefix = 'r'): void {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'people', 'never', 'always', 'think', 'about', 'policy'];
  const sentiments = ['Negative', 'Neutral', 'Positive'];
  const fd = fs.openSync(file, 'w');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const text = `Record ${prefix}${i} says ${words[i % 10]} ${words[(i * 7) % 10]} and ${words[(i * 3) % 10]}. Then it ends.`;
    chunk +=
      JSON.stringify({
        ID: `${prefix}${i}`,
        Text: text,
        Labels: {
          Bias: i % 2 ? 'Yes' : 'No',
          Toxicity: 'No',
          Sentiment: sentiments[i % 3],
          Harm: 'Low',
          Annotation: i % 4 ? 'Benign' : 'Unsafe',
        },
        'Benign Variation': i % 5 ? null : `${text} Politely.`,
      }) + '\n';
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

/** Write `n` records to `dir`/big.jsonl and import them as dataset "big" through the real import. */
export async function importLargeDataset(core: Core, dir: string, n: number): Promise<void> {
  const file = path.join(dir, 'big.jsonl');
  writeRecords(file, n);
  await core.datasets.startImport({
    dataset: 'big',
    source: { kind: 'path', path: file },
    format: 'cmd-nested',
    strict: true,
  }).done;
}
