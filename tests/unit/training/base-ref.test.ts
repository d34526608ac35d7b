import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBase } from '../../../src/main/core/training';
import { tempDir } from '../../helpers';

describe('the base of a training run', () => {
  it('is a Hugging Face id, optionally pinned to a commit, branch or tag', () => {
    expect(resolveBase('meta-llama/Llama-2-7b-chat-hf')).toEqual({
      base: 'meta-llama/Llama-2-7b-chat-hf',
      revision: null,
    });
    expect(resolveBase('meta-llama/Llama-2-7b-chat-hf@08751db2aca9bf2f7f80d2e516117a53d7450235')).toEqual({
      base: 'meta-llama/Llama-2-7b-chat-hf',
      revision: '08751db2aca9bf2f7f80d2e516117a53d7450235',
    });
    expect(resolveBase('gpt2@refs/pr/1')).toEqual({ base: 'gpt2', revision: 'refs/pr/1' });
  });

  it('or a model folder, which must hold a config.json', () => {
    const dir = tempDir();
    expect(() => resolveBase(dir)).toThrow(/is not a Hugging Face model folder \(no config.json\)/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    expect(resolveBase(dir)).toEqual({ base: dir, revision: null });
  });

  it.each(['meta llama/Llama 2', 'a/b/c', 'org/name@', 'org/name@rev with space'])(
    'refuses %j, saying what it expects',
    (bad) => expect(() => resolveBase(bad)).toThrow(/neither a model folder nor a Hugging Face id/),
  );
});
