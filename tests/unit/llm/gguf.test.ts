import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectGguf } from '../../../src/main/core/llm/gguf';
import { tempDir } from '../../helpers';
import { tinyModelFiles } from './tiny-model';

describe('reading a GGUF header', () => {
  it('describes the tiny model: architecture, parameters, quantization, context, chat template', async () => {
    const g = await inspectGguf(tinyModelFiles().model);
    expect(g.summary).toMatchObject({
      architecture: 'llama',
      title: 'srlab tiny test model',
      quantization: 'ALL_F32',
      contextLength: 2048,
      layers: 2,
      embeddingLength: 64,
      fileKind: 'model',
    });
    expect(g.summary.parameters).toBeGreaterThan(200_000);
    expect(g.summary.vocabularySize).toBeGreaterThan(259);
    expect(g.summary.chatTemplate).toContain('[INST]');
  });

  it('recognises a LoRA adapter file', async () => {
    const g = await inspectGguf(tinyModelFiles().adapter);
    expect(g.summary).toMatchObject({ architecture: 'llama', fileKind: 'adapter' });
  });

  const dir = tempDir();
  const write = (name: string, content: Buffer | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const cases: [string, () => string, string, RegExp][] = [
    ['a missing file', () => path.join(dir, 'nope.gguf'), 'not-found', /no file at/],
    ['an empty file', () => write('empty.gguf', ''), 'invalid-input', /not a GGUF file \(it is empty\)/],
    [
      'a text file',
      () => write('notes.gguf', 'hello, I am not a model'),
      'invalid-input',
      /not a GGUF file \(it starts with "hell"\)/,
    ],
    [
      'a safetensors file',
      () => write('model.safetensors', Buffer.from([8, 0, 0, 0, 0, 0, 0, 0, 123, 125])),
      'invalid-input',
      /not a GGUF file.*convert/,
    ],
    [
      'a model cut short',
      () => write('cut.gguf', fs.readFileSync(tinyModelFiles().model).subarray(0, 500_000)),
      'invalid-input',
      /truncated: its header describes .* of data but the file has 500\.0 kB/,
    ],
    [
      'a header cut short',
      () => write('header.gguf', fs.readFileSync(tinyModelFiles().model).subarray(0, 300)),
      'invalid-input',
      /truncated|not a readable GGUF file/,
    ],
  ];
  it.each(cases)('refuses %s with a clear message', async (_label, file, kind, message) => {
    await expect(inspectGguf(file())).rejects.toMatchObject({ kind, message: expect.stringMatching(message) });
  });
});
