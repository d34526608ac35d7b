// Prompt templates: the paper's Llama-2 chat format (default), the model's own chat template, or
// raw text; named and versioned in the database, and copied into every run that uses one.
import type { JinjaTemplateChatWrapper, LlamaTextJSON } from 'node-llama-cpp';
import { nodeLlamaCpp } from './node-llama-cpp';
import { ApiError } from '../../../shared/contract';
import {
  DEFAULT_TEMPLATE_NAME,
  type PromptTemplate,
  type TemplateRef,
  type TemplateSpec,
} from '../../../shared/contracts/llm';
import type { Db } from '../db';
import { EXPORT_DEFAULTS, fillInstruction } from '../datasets/export';

/** The paper's template (Appendix C), version 1 of "sr-llm-paper": seeded once, never edited. */
export const PAPER_TEMPLATE: TemplateSpec = {
  format: 'llama2-chat',
  systemPrompt: EXPORT_DEFAULTS.systemPrompt,
  instruction: EXPORT_DEFAULTS.instruction,
};

/** What a template renders with: the model's chat template and special-token texts, when known. */
export interface ModelPromptInfo {
  chatTemplate: string | null;
  bos: string | null;
  eos: string | null;
}

/**
 * The Llama-2 chat prompt up to the response: `<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST]`
 * (the system block is left out when the system prompt is empty), as the training export writes it.
 */
export function llama2ChatPrompt(system: string, user: string, bos = '<s>'): string {
  const sys = system.trim() === '' ? '' : `<<SYS>>\n${system}\n<</SYS>>\n\n`;
  return `${bos}[INST] ${sys}${user} [/INST]`;
}

function llamaTextToString(json: LlamaTextJSON, model: ModelPromptInfo): string {
  const parts = Array.isArray(json) ? json : [json];
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p.type === 'specialTokensText') return p.value;
      if (p.type === 'specialToken') {
        if (p.value === 'BOS') return model.bos ?? '';
        if (p.value === 'EOS') return model.eos ?? '';
        return '';
      }
      return '';
    })
    .join('');
}

/**
 * The exact prompt text for one input. Special tokens are written out (e.g. `<s>`); the local
 * engine tokenizes the whole text with special tokens parsed, as llama.cpp's server does.
 */
export function renderPrompt(spec: TemplateSpec, text: string, model: ModelPromptInfo | null): string {
  const user = fillInstruction(spec.instruction, text);
  const bos = model ? (model.bos ?? '') : '<s>';
  switch (spec.format) {
    case 'llama2-chat':
      return llama2ChatPrompt(spec.systemPrompt, user, bos);
    case 'raw':
      return `${bos}${spec.systemPrompt.trim() === '' ? '' : `${spec.systemPrompt}\n\n`}${user}`;
    case 'model': {
      if (!model?.chatTemplate) return llama2ChatPrompt(spec.systemPrompt, user, bos);
      let wrapper: JinjaTemplateChatWrapper;
      try {
        wrapper = new (nodeLlamaCpp().JinjaTemplateChatWrapper)({ template: model.chatTemplate });
      } catch (err) {
        throw new ApiError(
          'invalid-input',
          `the model's chat template cannot be used: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const history = [
        ...(spec.systemPrompt.trim() === '' ? [] : [{ type: 'system' as const, text: spec.systemPrompt }]),
        { type: 'user' as const, text: user },
        { type: 'model' as const, response: [] },
      ];
      const { contextText } = wrapper.generateContextState({ chatHistory: history });
      return llamaTextToString(contextText.toJSON(), model);
    }
  }
}

/** Chat messages for an endpoint's /chat/completions (the server applies its own template). */
export function chatMessages(spec: TemplateSpec, text: string): { role: 'system' | 'user'; content: string }[] {
  const user = fillInstruction(spec.instruction, text);
  return [
    ...(spec.systemPrompt.trim() === '' ? [] : [{ role: 'system' as const, content: spec.systemPrompt }]),
    { role: 'user' as const, content: user },
  ];
}

interface TemplateRow {
  id: number;
  name: string;
  version: number;
  format: string;
  system_prompt: string;
  instruction: string;
  builtin: number;
  created_at: string;
}

function rowToTemplate(r: TemplateRow): PromptTemplate {
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    format: r.format as PromptTemplate['format'],
    systemPrompt: r.system_prompt,
    instruction: r.instruction,
    builtin: r.builtin === 1,
    createdAt: r.created_at,
  };
}

export interface TemplateStore {
  list(name: string | undefined, allVersions: boolean): PromptTemplate[];
  save(name: string, spec: TemplateSpec): PromptTemplate;
  /** A template by name (latest or a given version) or inline; `name`/`version` null for inline. */
  resolve(ref: TemplateRef): TemplateSpec & { name: string | null; version: number | null };
}

export function createTemplateStore(db: Db, now: () => Date): TemplateStore {
  const seeded = db.prepare('SELECT 1 FROM prompt_templates WHERE name = ? AND version = 1').get(DEFAULT_TEMPLATE_NAME);
  if (!seeded) {
    db.prepare(
      `INSERT INTO prompt_templates (name, version, format, system_prompt, instruction, builtin, created_at) VALUES (?, 1, ?, ?, ?, 1, ?)`,
    ).run(
      DEFAULT_TEMPLATE_NAME,
      PAPER_TEMPLATE.format,
      PAPER_TEMPLATE.systemPrompt,
      PAPER_TEMPLATE.instruction,
      now().toISOString(),
    );
  }
  const byName = db.prepare<[string, number], TemplateRow>(
    'SELECT * FROM prompt_templates WHERE name = ? AND version = ?',
  );
  const latest = db.prepare<[string], TemplateRow>(
    'SELECT * FROM prompt_templates WHERE name = ? ORDER BY version DESC LIMIT 1',
  );

  return {
    list(name, allVersions) {
      const rows = db
        .prepare<unknown[], TemplateRow>(
          `SELECT * FROM prompt_templates t WHERE (? IS NULL OR name = ?)
             AND (? = 1 OR version = (SELECT MAX(version) FROM prompt_templates WHERE name = t.name))
           ORDER BY name, version`,
        )
        .all(name ?? null, name ?? null, allVersions ? 1 : 0);
      return rows.map(rowToTemplate);
    },
    save(name, spec) {
      const prev = latest.get(name);
      const version = (prev?.version ?? 0) + 1;
      const id = Number(
        db
          .prepare(
            `INSERT INTO prompt_templates (name, version, format, system_prompt, instruction, builtin, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)`,
          )
          .run(name, version, spec.format, spec.systemPrompt, spec.instruction, now().toISOString()).lastInsertRowid,
      );
      return rowToTemplate(db.prepare<[number], TemplateRow>('SELECT * FROM prompt_templates WHERE id = ?').get(id)!);
    },
    resolve(ref) {
      if ('inline' in ref) return { ...ref.inline, name: null, version: null };
      const row = ref.version === undefined ? latest.get(ref.name) : byName.get(ref.name, ref.version);
      if (!row) {
        const what = ref.version === undefined ? `"${ref.name}"` : `"${ref.name}" version ${ref.version}`;
        throw new ApiError('not-found', `no prompt template ${what}`);
      }
      const t = rowToTemplate(row);
      return {
        format: t.format,
        systemPrompt: t.systemPrompt,
        instruction: t.instruction,
        name: t.name,
        version: t.version,
      };
    },
  };
}
