import { describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { TrainPreset } from '../../../src/shared/contracts/training';
import {
  checkForm,
  defaultText,
  fieldsOf,
  isDefault,
  missingFields,
  overridesOf,
  parseValue,
  sourceOf,
  toFormValues,
  TRAIN_FIELDS,
  TRAIN_GROUPS,
} from '../../../src/renderer/src/areas/training/trainForm';
import { REPO_ROOT } from '../../helpers';

const paper = TrainPreset.parse(
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'python-worker/srlab_worker/presets/srllm-paper.json'), 'utf8')),
);
const field = (key: string) => TRAIN_FIELDS.find((f) => f.key === key)!;

describe('preset form grouping', () => {
  test('every contract key is in exactly one group', () => {
    expect(missingFields()).toEqual([]);
    const keys = TRAIN_GROUPS.flatMap((g) => fieldsOf(g.id).map((f) => f.key));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(TRAIN_FIELDS.length);
  });
  test.each([
    ['lora_r', 'lora'],
    ['use_4bit', 'quant'],
    ['optimizer', 'optim'],
    ['lr_scheduler_type', 'schedule'],
    ['max_seq_length', 'data'],
    ['early_stopping_patience', 'checkpoints'],
  ])('%s is in %s', (key, group) => expect(field(key).group).toBe(group));
});

describe('preset form validation', () => {
  test('the paper preset is valid, unchanged, and every field is at its default', () => {
    const values = toFormValues(paper.config);
    const check = checkForm(values);
    expect(check.issues).toEqual([]);
    expect(check.config).toEqual(paper.config);
    expect(overridesOf(check.config!, paper.config)).toEqual({});
    for (const f of TRAIN_FIELDS) expect(isDefault(f, values[f.key], paper.config)).toBe(true);
  });
  test.each([
    ['lora_r', '0', /out of range/],
    ['lora_r', '2.5', /whole number|integer/i],
    ['lora_dropout', '1.5', /out of range.*≤ 0.99/],
    ['learning_rate', '0', /out of range.*> 0/],
    ['max_seq_length', '8', /out of range.*≥ 16/],
    ['per_device_train_batch_size', 'abc', /number/],
    ['save_steps', '', /required/],
  ])('%s = %j → %s', (key, text, message) => {
    const check = checkForm({ ...toFormValues(paper.config), [key]: text });
    expect(check.config).toBeNull();
    expect(check.issues.find((i) => i.key === key)?.message).toMatch(message);
  });
  test('every problem is reported at once, one per key', () => {
    const check = checkForm({ ...toFormValues(paper.config), lora_r: '0', warmup_ratio: '2', seed: '-1' });
    expect(check.issues.map((i) => i.key).sort()).toEqual(['lora_r', 'seed', 'warmup_ratio']);
  });
  test('changed values become overrides only', () => {
    const check = checkForm({
      ...toFormValues(paper.config),
      lora_r: '8',
      use_4bit: false,
      lora_target_modules: 'q_proj, k_proj, v_proj',
    });
    expect(overridesOf(check.config!, paper.config)).toEqual({
      lora_r: 8,
      use_4bit: false,
      lora_target_modules: ['q_proj', 'k_proj', 'v_proj'],
    });
  });
  test('4-bit on a machine without CUDA warns and offers the LoRA path', () => {
    const check = checkForm(toFormValues(paper.config), { cuda: false });
    expect(check.issues).toEqual([]);
    expect(check.warnings.find((w) => w.key === 'use_4bit')?.message).toMatch(/untick/);
  });
  test('parseValue and defaultText', () => {
    expect(parseValue(field('lora_target_modules'), ' ')).toEqual([]);
    expect(parseValue(field('learning_rate'), '2e-4')).toBe(0.0002);
    expect(parseValue(field('use_4bit'), true)).toBe(true);
    expect(defaultText(field('lora_target_modules'), paper.config)).toBe('q_proj, v_proj');
    expect(defaultText(field('lora_target_modules'), { ...paper.config, lora_target_modules: [] })).toBe('all linear');
    expect(defaultText(field('lora_r'), paper.config)).toBe('64');
    expect(isDefault(field('learning_rate'), '2e-4', paper.config)).toBe(true);
  });
});

describe('advice', () => {
  test('4-bit advice shows even while another field is invalid', () => {
    const check = checkForm({ ...toFormValues(paper.config), lora_r: '0' }, { cuda: true, bitsandbytes: false });
    expect(check.config).toBeNull();
    expect(check.warnings.find((w) => w.key === 'use_4bit')?.message).toMatch(/bitsandbytes/);
  });
  test('the paper’s constant schedule notes that warmup is ignored', () => {
    expect(checkForm(toFormValues(paper.config)).warnings.map((w) => w.key)).toContain('warmup_ratio');
  });
});

describe('the form’s words for the paper preset and srlab’s', () => {
  const recommended = TrainPreset.parse(
    JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'python-worker/srlab_worker/presets/srlab-recommended.json'), 'utf8'),
    ),
  );
  test('every field shows where the preset’s value comes from, and the paper is credited only for its own', () => {
    for (const p of [paper, recommended])
      for (const f of TRAIN_FIELDS) expect(sourceOf(f, p.sources), `${p.name} ${f.key}`).toBeTruthy();
    expect(sourceOf(field('fp16'), paper.sources)).toMatch(/^paper, Table 4/);
    expect(sourceOf(field('lora_r'), paper.sources)).toMatch(/^paper, Tables 3–4/);
    for (const key of [
      'response_only_loss',
      'lora_target_modules',
      'group_by_length',
      'logging_steps',
      'final_checkpoint',
    ])
      expect(sourceOf(field(key), paper.sources), key).toMatch(/^authors’ code|^authors' code/);
    for (const key of ['response_only_loss', 'lora_target_modules', 'bf16', 'lr_scheduler_type', 'final_checkpoint'])
      expect(sourceOf(field(key), recommended.sources), key).toMatch(/^srlab/);
  });
  test('no hint or warning says "as the paper does"', () => {
    const words = [
      ...TRAIN_FIELDS.map((f) => f.hint),
      ...checkForm(toFormValues(paper.config), { cuda: false }).warnings.map((w) => w.message),
    ];
    for (const w of words) expect(w).not.toMatch(/as the paper does|paper’s setup|paper's setup/);
    expect(field('response_only_loss').hint).toMatch(/whole sequence, as the authors’ SFTTrainer/);
  });
  test('fp16 and bf16 together is one problem; fp16 without CUDA is advice; warmup with constant does nothing', () => {
    const both = checkForm({ ...toFormValues(paper.config), bf16: true });
    expect(both.config).toBeNull();
    expect(both.issues).toEqual([{ key: 'bf16', message: 'choose fp16 or bf16 compute, not both' }]);
    const cpu = checkForm(toFormValues(paper.config), { cuda: false });
    expect(cpu.warnings.find((w) => w.key === 'fp16')?.message).toMatch(/fp32/);
    expect(cpu.warnings.find((w) => w.key === 'warmup_ratio')?.message).toMatch(
      /does nothing with the constant schedule/,
    );
    // With srlab's cosine schedule the warmup takes effect: no such note.
    expect(checkForm(toFormValues(recommended.config)).warnings.map((w) => w.key)).not.toContain('warmup_ratio');
  });
  test('“best” without an eval split says the adapter will be the last step’s', () => {
    const noEval = checkForm(toFormValues(recommended.config), { evalSplit: false });
    expect(noEval.warnings.find((w) => w.key === 'final_checkpoint')?.message).toMatch(/last step/);
    expect(checkForm(toFormValues(recommended.config), { evalSplit: true }).warnings).toEqual([]);
  });
});
