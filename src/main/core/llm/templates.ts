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
import { AUTHORS_CODE_PROMPT, EXPORT_DEFAULTS, fillInstruction, llama2ChatPrompt } from '../datasets/export';

export { llama2ChatPrompt };

/** The paper's template (Appendix C): "sr-llm-paper" version 2, the latest, what runs use by default. */
export const PAPER_TEMPLATE: TemplateSpec = {
  format: 'llama2-chat',
  systemPrompt: EXPORT_DEFAULTS.systemPrompt,
  instruction: EXPORT_DEFAULTS.instruction,
};

/** The authors' released code's shorter prompt (AUTHORS_CODE_PROMPT) in the Llama-2 chat layout. */
export const AUTHORS_CODE_TEMPLATE_NAME = 'srllm-authors-code';
export const AUTHORS_CODE_TEMPLATE: TemplateSpec = { format: 'llama2-chat', ...AUTHORS_CODE_PROMPT };

/**
 * The built-in templates, in seeding order. A version, once seeded, is never edited: a change is
 * a new version, so "sr-llm-paper" version 1 means the same text in every data home (runs keep
 * a copy of the template they used anyway). Version 1 ended the instruction at the closing quote;
 * version 2 ends it with a full stop after the quote (`…"{text}".`), as issue 9 reads Appendix C.
 */
export const BUILTIN_TEMPLATES: readonly { name: string; spec: TemplateSpec }[] = [
  {
    name: DEFAULT_TEMPLATE_NAME,
    spec: { ...PAPER_TEMPLATE, instruction: PAPER_TEMPLATE.instruction.replace(/"\{text\}"\.$/, '"{text}"') },
  },
  { name: DEFAULT_TEMPLATE_NAME, spec: PAPER_TEMPLATE },
  { name: AUTHORS_CODE_TEMPLATE_NAME, spec: AUTHORS_CODE_TEMPLATE },
];

/** What a template renders with: the model's chat template and special-token texts, when known. */
export interface ModelPromptInfo {
  chatTemplate: string | null;
  bos: string | null;
  eos: string | null;
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

/** Seed each built-in template not yet stored as a built-in with that text, as its name's next version. */
function seedBuiltins(db: Db, at: string): void {
  const has = db.prepare<[string, string, string, string], { id: number }>(
    'SELECT id FROM prompt_templates WHERE builtin = 1 AND name = ? AND format = ? AND system_prompt = ? AND instruction = ?',
  );
  const next = db.prepare<[string], { v: number }>(
    'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM prompt_templates WHERE name = ?',
  );
  const insert = db.prepare(
    `INSERT INTO prompt_templates (name, version, format, system_prompt, instruction, builtin, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
  );
  const missing = () =>
    BUILTIN_TEMPLATES.filter(({ name, spec }) => !has.get(name, spec.format, spec.systemPrompt, spec.instruction));
  // Usually all are there: then no write lock is asked for, so opening srlab while another
  // process imports does not wait for the import. IMMEDIATE when there is something to write.
  if (missing().length === 0) return;
  db.transaction(() => {
    for (const { name, spec } of missing())
      insert.run(name, next.get(name)!.v, spec.format, spec.systemPrompt, spec.instruction, at);
  }).immediate();
}

export function createTemplateStore(db: Db, now: () => Date): TemplateStore {
  seedBuiltins(db, now().toISOString());
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
      // IMMEDIATE: the next version is read and written under one lock (another process may save too).
      const id = db
        .transaction(() => {
          const version = (latest.get(name)?.version ?? 0) + 1;
          return Number(
            db
              .prepare(
                `INSERT INTO prompt_templates (name, version, format, system_prompt, instruction, builtin, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)`,
              )
              .run(name, version, spec.format, spec.systemPrompt, spec.instruction, now().toISOString())
              .lastInsertRowid,
          );
        })
        .immediate();
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
