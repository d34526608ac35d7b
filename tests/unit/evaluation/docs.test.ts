// docs/evaluation.md's example config is a valid EvaluationConfig (the docs cannot drift from
// the contract unnoticed), and the config refuses what the runner could not do.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvaluationConfig } from '../../../src/shared/contracts/evaluation';
import { REPO_ROOT } from '../../helpers';

describe('docs/evaluation.md', () => {
  it('has an example config reproducing Table 5 that parses, with its three generators and scorers', () => {
    const md = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'evaluation.md'), 'utf8');
    const blocks = [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    const config = EvaluationConfig.parse(JSON.parse(blocks[0]!));
    expect(config.testsets[0]).toEqual({ kind: 'cmd', dataset: 'cmd', split: 'test' });
    expect(config.generators.map((g) => g.label)).toEqual(['SR_LLM', 'Llama-2-chat-7B', 'GPT-4']);
    expect(config.scorers.map((s) => s.kind)).toEqual(['hf', 'hf', 'moderation']);
    expect(config.baselineInitial).toBe(true);
  });
});

describe('EvaluationConfig', () => {
  it('refuses "initial" as a generator label, an adapter with adapterRun, and a config with nothing to run', () => {
    const base = { testsets: [{ testset: 't' }] };
    const issues = (c: unknown) =>
      (EvaluationConfig.safeParse(c).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ ...base, generators: [{ kind: 'local', model: 'm', label: 'initial' }] })[0]).toMatch(
      /^generators\.0\.label: "initial" is the row of the inputs/,
    );
    expect(
      issues({ ...base, generators: [{ kind: 'local', model: 'm', adapter: 'a.gguf', adapterRun: 2 }] })[0],
    ).toMatch(/^generators\.0\.adapterRun: give either adapter/);
    expect(issues({ ...base, baselineInitial: false })[0]).toMatch(/^generators: give at least one generator/);
    expect(issues({ testsets: [{ kind: 'cmd' }] })[0]).toMatch(/^testsets\.0: dataset: .*expected string/);
    expect(issues(base)).toEqual([]);
  });
});
