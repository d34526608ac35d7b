// The Playground's template draft: a saved template the user may edit, sent by name and version
// while unchanged (its provenance is kept) and inline once edited. Pure.
import type { TemplateRef, TemplateSpec } from '../../../../shared/contracts/llm';

export interface TemplateDraft extends TemplateSpec {
  /** The saved template this draft started from, if any. */
  base: { name: string; version: number } | null;
}

/** Whether a draft still equals the saved template it came from. */
export function draftIsUnchanged(draft: TemplateDraft, saved: TemplateSpec | null): boolean {
  return (
    saved !== null &&
    draft.format === saved.format &&
    draft.systemPrompt === saved.systemPrompt &&
    draft.instruction === saved.instruction
  );
}

/** A saved template by name and version when unchanged (its provenance is kept), else inline. */
export function templateRef(draft: TemplateDraft, saved: TemplateSpec | null): TemplateRef {
  if (draft.base && draftIsUnchanged(draft, saved)) return { name: draft.base.name, version: draft.base.version };
  return { inline: { format: draft.format, systemPrompt: draft.systemPrompt, instruction: draft.instruction } };
}

export function templateProblems(draft: TemplateSpec): string[] {
  return draft.instruction.includes('{text}') ? [] : ['The instruction must contain {text}, where each input goes.'];
}
