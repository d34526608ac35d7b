// Presets (data in python-worker/srlab_worker/presets/*.json) and config validation that
// reports every problem at once.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, zodIssues } from '../../../shared/contract';
import { TrainConfig, TrainPreset } from '../../../shared/contracts/training';
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
