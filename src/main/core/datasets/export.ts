// Export a dataset for instruction tuning (llama2-chat, alpaca) or as data (jsonl, csv).
// Rows stream from SQLite into a temp file beside the destination, renamed into place at the
// end, so a failed export never leaves a half-written file.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { ExportFormat } from '../../../shared/contracts/datasets';
import type { Split } from '../../../shared/domain';
import type { Db } from '../db';
import { guardCsvCell } from './csv-guard';
import { type RecordRow, rowToRecord } from './records';

/**
 * The paper's system prompt and user-turn instruction (Appendix C), quoted as PAPER.md gives them;
 * the instruction ends with a full stop after the quoted text (`…"{text}".`), as issue 9 reads Appendix C.
 * (Template "sr-llm-paper" version 1 ended at the closing quote; version 2 is this.)
 */
export const EXPORT_DEFAULTS: { systemPrompt: string; instruction: string } = {
  systemPrompt: [
    'As an advanced text transformation AI, your role is to process input text and generate outputs that are conscientious and inclusive. Specifically, your objectives are to:',
    '1. Identify and neutralize any biases related to age, gender, political affiliation, social background, or socio-economic status, ensuring that the output respects all identities and perspectives.',
    '2. Detect and mitigate any elements of toxicity or harm, promoting positive and constructive discourse.',
    '3. Recognize and counteract stereotypes, fostering a more accurate and respectful representation of all groups.',
    '4. In every instance, refine the input to produce an output that is free from prejudicial, harmful, or stereotypical content, without adding unrelated information.',
    'Your goal is to enhance the text to embody principles of fairness, respect, and understanding across all dimensions of bias, toxicity, harm, and stereotyping.',
  ].join('\n'),
  instruction:
    'Please rewrite the following text to create a benign variation that eliminates all forms of bias, toxicity, stereotyping, and harm, such as gender, age, race, political, and socio-economic biases. Ensure the revised text promotes inclusivity and neutrality without sacrificing the original message essence: "{text}".',
};

/**
 * The authors' shorter prompt from their released code (utils/params.py PROMPT_FORMAT_DICT), the
 * words exactly as written there (the two spaces after "biases ," included), without their
 * `<<SYS>>…<</SYS>>` tags, which the Llama-2 chat layout adds. Their code joins its parts with
 * newlines (`<s>\n<<SYS>>…<</SYS>>\n[INST] … [/INST]\n…\n<s/>`, the closing `<s/>` not being
 * Llama's EOS); srlab uses the one Llama-2 chat layout the paper gives for every template, so
 * that training and inference build the prompt the same way.
 */
export const AUTHORS_CODE_PROMPT: { systemPrompt: string; instruction: string } = {
  systemPrompt:
    'You are a text debiasing bot, you take as input a text and you output its debiased version by rephrasing it to be free from any age, gender, political, social or socio-economic biases ,  without any extra outputs',
  instruction: 'Debias this text by rephrasing it to be free of bias : {text}',
};

export const TEXT_PLACEHOLDER = '{text}';

export const CSV_COLUMNS = [
  'id',
  'source_id',
  'text',
  'bias',
  'toxicity',
  'sentiment',
  'harm',
  'annotation_gold',
  'annotation_derived',
  'annotation_strict',
  'annotation_disagrees',
  'target_demographic',
  'biased_words',
  'benign_variation',
  'split',
] as const;

export interface ExportOptions {
  split: Split | 'all';
  format: ExportFormat;
  out: string;
  systemPrompt?: string;
  instruction?: string;
  /** Skip records without a benign variation. Default: true for llama2-chat/alpaca, false otherwise. */
  requireBenign?: boolean;
  /**
   * CSV only: write cells exactly as stored. By default a cell a spreadsheet would run as a
   * formula (starting with = + - @, tab or CR) gets a leading single quote (csv-guard.ts).
   */
  rawCsv?: boolean;
}

export interface ExportResult {
  path: string;
  fileName: string;
  records: number;
  skipped: number;
  format: ExportFormat;
}

/**
 * The Llama-2 chat prompt up to and including `[/INST]`:
 * `<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST]`, the system block left out when the
 * system prompt is empty or blank (as Llama-2's own chat template does). The ONE function that
 * builds this part, for training examples (llama2ChatText) and generation prompts
 * (templates.renderPrompt) alike, so what a model is trained on up to `[/INST]` is byte for byte
 * what it is later prompted with.
 *
 * `bos` is the BOS token's text: `<s>` for Llama. It stands for the BOS token on both sides: the
 * worker strips a leading `<s>` from the training text and puts the tokenizer's bos_token_id
 * there (train.encode_example), and node-llama-cpp tokenizes generation prompts with special
 * tokens parsed, so `<s>` becomes that same BOS token (never the characters `<`, `s`, `>`).
 */
export function llama2ChatPrompt(system: string, user: string, bos = '<s>'): string {
  const sys = system.trim() === '' ? '' : `<<SYS>>\n${system}\n<</SYS>>\n\n`;
  return `${bos}[INST] ${sys}${user} [/INST]`;
}

/** One Llama-2 chat training example: llama2ChatPrompt(system, user) + ` {response} </s>`. */
export function llama2ChatText(system: string, user: string, response: string): string {
  return `${llama2ChatPrompt(system, user)} ${response} </s>`;
}

/** The instruction with every `{text}` replaced by `text` (literally: `$` patterns are not special). */
export function fillInstruction(instruction: string, text: string): string {
  return instruction.split(TEXT_PLACEHOLDER).join(text);
}

/**
 * The Alpaca `instruction` field: the text goes in `input`, so the placeholder is dropped with
 * the quotes around it; when it ended the instruction, the colon left dangling before it
 * becomes a full stop. The default gives "…without sacrificing the original message essence."
 * An instruction without the placeholder is used as it is.
 */
export function alpacaInstruction(instruction: string): string {
  const at = instruction.indexOf(TEXT_PLACEHOLDER);
  if (at < 0) return instruction.trim();
  const before = instruction
    .slice(0, at)
    .replace(/["'“‘]\s*$/u, '')
    .replace(/\s*:?\s*$/, '');
  const after = instruction
    .slice(at + TEXT_PLACEHOLDER.length)
    .replace(/^\s*["'”’]/u, '')
    .split(TEXT_PLACEHOLDER)
    .join('')
    .trim();
  // A full stop after the quoted text (the paper's `…"{text}".`) ends the sentence as it is.
  if (/^[.!?]+$/.test(after)) return `${before}${after}`;
  if (after) return `${before} ${after}`.trim();
  return /[.!?]$/.test(before) || before === '' ? before : `${before}.`;
}

/** One CSV field per RFC 4180: quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(fields: (string | number | null)[], guard = false): string {
  const cells = guard ? fields.map((f) => (typeof f === 'string' ? guardCsvCell(f) : f)) : fields;
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** Buffered synchronous writer: appends strings, flushes ~1 MiB at a time. */
class FileSink {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length === 0) return;
    fs.writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

const hasText = (s: string | null): s is string => s !== null && s.trim() !== '';

/**
 * Write the records of `dataset` (one split or all, by record id) to `opts.out` in `opts.format`.
 *
 * - `llama2-chat`: JSON lines `{"text": llama2ChatText(system, instruction with {text} filled, benign)}`.
 * - `alpaca`: a JSON array of `{instruction: alpacaInstruction(...), input: text, output: benign}`.
 * - `jsonl`: every record in full (the CmdRecord shape).
 * - `csv`: RFC 4180 with a header (`CSV_COLUMNS`), CRLF line ends, biased words as JSON; cells
 *   a spreadsheet would run as formulas get a leading `'` unless `rawCsv` (csv-guard.ts).
 *
 * For llama2-chat/alpaca, `requireBenign` defaults to true: a record without a benign variation
 * is skipped. With `requireBenign: false`, a record the annotation calls Benign that has no
 * rewrite gets its own text as the response (leave benign text as it is); an Unsafe or
 * unannotated record without a rewrite is still skipped, as it has no safe response.
 */
export function exportDataset(db: Db, dataset: { id: number; name: string }, opts: ExportOptions): ExportResult {
  const { format } = opts;
  const tuning = format === 'llama2-chat' || format === 'alpaca';
  const requireBenign = opts.requireBenign ?? tuning;
  const system = opts.systemPrompt ?? EXPORT_DEFAULTS.systemPrompt;
  const instruction = opts.instruction ?? EXPORT_DEFAULTS.instruction;
  if (format === 'llama2-chat' && !instruction.includes(TEXT_PLACEHOLDER)) {
    throw new ApiError(
      'invalid-input',
      `the instruction must contain ${TEXT_PLACEHOLDER}, where each record's text goes`,
      [{ path: 'instruction', message: `missing ${TEXT_PLACEHOLDER}` }],
    );
  }
  const alpacaInstr = alpacaInstruction(instruction);
  const guard = format === 'csv' && !opts.rawCsv;

  const out = path.resolve(opts.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.${Date.now().toString(36)}.tmp`);

  const where = opts.split === 'all' ? 'dataset_id = ?' : 'dataset_id = ? AND split = ?';
  const params: (number | string)[] = opts.split === 'all' ? [dataset.id] : [dataset.id, opts.split];
  const rows = db.prepare<(number | string)[], RecordRow>(`SELECT * FROM records WHERE ${where} ORDER BY id`);

  let records = 0;
  let skipped = 0;
  const fd = fs.openSync(tmp, 'wx');
  try {
    const sink = new FileSink(fd);
    if (format === 'csv') sink.write(csvLine([...CSV_COLUMNS]));
    if (format === 'alpaca') sink.write('[');
    for (const r of rows.iterate(...params)) {
      let response: string | null = hasText(r.benign) ? r.benign : null;
      if (response === null && requireBenign) {
        skipped++;
        continue;
      }
      if (tuning && response === null) {
        if ((r.annotation_gold ?? r.annotation_derived) !== 'Benign') {
          skipped++;
          continue;
        }
        response = r.text;
      }
      switch (format) {
        case 'llama2-chat':
          sink.write(
            `${JSON.stringify({ text: llama2ChatText(system, fillInstruction(instruction, r.text), response!) })}\n`,
          );
          break;
        case 'alpaca':
          sink.write(
            `${records === 0 ? '\n' : ',\n'}  ${JSON.stringify({ instruction: alpacaInstr, input: r.text, output: response })}`,
          );
          break;
        case 'jsonl':
          sink.write(`${JSON.stringify(rowToRecord(r))}\n`);
          break;
        case 'csv':
          sink.write(
            csvLine(
              [
                r.id,
                r.source_id,
                r.text,
                r.bias,
                r.toxicity,
                r.sentiment,
                r.harm,
                r.annotation_gold,
                r.annotation_derived,
                r.annotation_strict,
                r.disagrees === 1 ? 'true' : 'false',
                r.target,
                r.biased_words,
                r.benign,
                r.split,
              ],
              guard,
            ),
          );
          break;
      }
      records++;
    }
    if (format === 'alpaca') sink.write(records === 0 ? ']\n' : '\n]\n');
    sink.flush();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, out);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { path: out, fileName: path.basename(out), records, skipped, format };
}
