// Presets (data in python-worker/srlab_worker/presets/*.json) and config validation that
// reports every problem at once.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, zodIssues } from '../../../shared/contract';
import type { TemplateRef } from '../../../shared/contracts/llm';
import { TrainConfig, TrainPreset, type TrainTemplate } from '../../../shared/contracts/training';
import type { Split } from '../../../shared/domain';
import type { DatasetService } from '../datasets';
import type { TemplateStore } from '../llm/templates';
import { workerRoot } from '../worker/paths';

export function loadPresets(): TrainPreset[] {
  const dir = path.join(workerRoot(), 'srlab_worker', 'presets');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => TrainPreset.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
}

/** Preset values with overrides applied, validated; every bad key and value is reported together. */
export function resolveConfig(preset: string, overrides: Record<string, unknown>): TrainConfig {
  const found = loadPresets().find((p) => p.name === preset);
  if (!found)
    throw new ApiError(
      'invalid-input',
      `no preset "${preset}" (known: ${loadPresets()
        .map((p) => p.name)
        .join(', ')})`,
    );
  const unknown = Object.keys(overrides).filter((k) => !(k in TrainConfig.shape));
  const parsed = TrainConfig.safeParse({ ...found.config, ...overrides });
  const issues = [
    ...unknown.map((k) => ({ path: k, message: 'unknown training setting' })),
    ...(parsed.success ? [] : zodIssues(parsed.error)),
    // As the worker's validate_args: one mixed-precision dtype.
    ...(parsed.success && parsed.data.fp16 && parsed.data.bf16
      ? [{ path: 'bf16', message: 'choose fp16 or bf16 compute, not both' }]
      : []),
  ];
  if (issues.length || !parsed.success)
    throw new ApiError(
      'invalid-input',
      `invalid training settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  return parsed.data;
}

/** `--set KEY=VALUE` text → the value's type in TrainConfig (booleans, numbers, comma lists). */
export function parseSetting(raw: string): [string, unknown] {
  const eq = raw.indexOf('=');
  if (eq < 1) throw new ApiError('invalid-input', `--set expects KEY=VALUE, got "${raw}"`);
  const key = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1).trim();
  type Def = { def?: { type?: string; innerType?: Def } };
  const field = (TrainConfig.shape as Record<string, Def>)[key];
  // A defaulted key (num_processes) wraps its real type.
  const kind = field?.def?.type === 'default' ? field.def.innerType?.def?.type : field?.def?.type;
  if (kind === 'array') return [key, text === '' ? [] : text.split(',').map((s) => s.trim())];
  if (kind === 'boolean') return [key, text === 'true' ? true : text === 'false' ? false : text];
  if (kind === 'number') return [key, text !== '' && Number.isFinite(Number(text)) ? Number(text) : text];
  return [key, text];
}

/**
 * The template a run's examples are exported with. Training writes the Llama-2 chat layout
 * (export.llama2ChatText), so only a llama2-chat template can be trained on; generating with the
 * same template then sends the same prompt text up to `[/INST]`.
 */
export function trainingTemplate(templates: Pick<TemplateStore, 'resolve'>, ref: TemplateRef): TrainTemplate {
  const t = templates.resolve(ref);
  const label = t.name === null ? 'the inline template' : `template "${t.name}" version ${t.version}`;
  if (t.format !== 'llama2-chat')
    throw new ApiError(
      'invalid-input',
      `${label} is "${t.format}"; training writes Llama-2 chat examples, so pick a llama2-chat template (e.g. sr-llm-paper)`,
      [{ path: 'template', message: `format ${t.format} is not llama2-chat` }],
    );
  return { name: t.name, version: t.version, systemPrompt: t.systemPrompt, instruction: t.instruction };
}

/**
 * A split written as the worker trains on it: one llama2-chat `{"text"}` line per record, built
 * with the run's template by export.llama2ChatText, whose prompt part is the same function
 * (llama2ChatPrompt) generation runs render with. train.start and train.preflight both use this.
 */
export function exportForTraining(
  datasets: Pick<DatasetService, 'export'>,
  args: { dataset: string; split: Split; out: string; template: TrainTemplate | null },
) {
  return datasets.export({
    dataset: args.dataset,
    split: args.split,
    format: 'llama2-chat',
    out: args.out,
    ...(args.template ? { systemPrompt: args.template.systemPrompt, instruction: args.template.instruction } : {}),
  });
}
