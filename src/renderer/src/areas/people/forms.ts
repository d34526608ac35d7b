// The New session and New round forms as plain data: the text the user typed in, the request
// the contract takes out, and what is wrong with it per field (the same words the server's
// zod issues give, so a message reads alike whichever side caught it). Pure: tested without a DOM.

/** Problems by form field (`runs`, `sample`, …); `form` holds those that belong to no field. */
export type FieldErrors = Partial<Record<string, string>>;

/** Names typed one per line or as a comma list: trimmed, blanks dropped, order kept. */
export function parseNames(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Why a list of people's names cannot be sent, or null. */
export function namesProblem(names: string[], what: string): string | null {
  if (names.length === 0) return `Name at least one ${what}.`;
  if (names.length > 100) return `At most 100 ${what}s.`;
  const seen = new Set<string>();
  for (const n of names) {
    if (n.length > 120) return `“${n.slice(0, 30)}…” is longer than 120 characters.`;
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(n)) return `“${n}” contains a control character.`;
    if (seen.has(n)) return `“${n}” is listed twice.`;
    seen.add(n);
  }
  return null;
}

/** A whole number typed in a field, within bounds, or the message for the field. */
export function parseWhole(text: string, label: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!t) return `${label} is required.`;
  const n = Number(t);
  if (!Number.isInteger(n)) return `${label} is a whole number.`;
  if (n < min || n > max) return `${label} is between ${min} and ${max}.`;
  return n;
}

/** What both forms ask alike, as typed: the people, how many of them per item, seed, link expiry, name. */
interface CrewText {
  people: string;
  perItem: string;
  seed: string;
  expiresInDays: string;
  title: string;
}

/** How one form words the crew: its field keys and nouns (evaluators per item, annotators per record…). */
interface CrewWords {
  peopleField: string;
  perField: string;
  person: string;
  perLabel: string;
  thing: string;
}

/**
 * Checks the crew part of a form into `errors` and returns its values; the numbers are only
 * meaningful when `errors` stays empty (an invalid one is NaN).
 */
function checkCrew(t: CrewText, w: CrewWords, errors: FieldErrors) {
  const people = parseNames(t.people);
  const namesErr = namesProblem(people, w.person);
  if (namesErr) errors[w.peopleField] = namesErr;
  const perItem = parseWhole(t.perItem, w.perLabel, 1, 100);
  if (typeof perItem === 'string') errors[w.perField] = perItem;
  else if (!namesErr && perItem > people.length)
    errors[w.perField] =
      `${w.perLabel} cannot exceed the ${people.length} ${w.person}${people.length === 1 ? '' : 's'} named.`;
  const seed = parseWhole(t.seed, 'Seed', 0, 2 ** 31 - 1);
  if (typeof seed === 'string') errors.seed = seed;
  const expires = parseWhole(t.expiresInDays, 'Link expiry', 1, 365);
  if (typeof expires === 'string') errors.expiresInDays = expires;
  const title = t.title.trim();
  if (title.length > 120) errors.title = `A ${w.thing} name is at most 120 characters.`;
  const num = (v: number | string) => (typeof v === 'number' ? v : NaN);
  return {
    people,
    perItem: num(perItem),
    seed: num(seed),
    expiresInDays: num(expires),
    // An empty name is left out of the request: the server names it.
    titled: title ? { title } : {},
  };
}

export interface SessionForm {
  title: string;
  runs: number[];
  sample: string;
  evaluators: string;
  perItem: string;
  seed: string;
  pairs: boolean;
  stratify: boolean;
  expiresInDays: string;
}

/** The paper's design: 100 samples per model variant, three evaluators per sample. */
export const DEFAULT_SESSION_FORM: SessionForm = {
  title: '',
  runs: [],
  sample: '100',
  evaluators: '',
  perItem: '3',
  seed: '1',
  pairs: false,
  stratify: false,
  expiresInDays: '30',
};

export interface SessionRequest {
  title?: string;
  runs: number[];
  sample: number;
  evaluators: string[];
  perItem: number;
  seed: number;
  pairs: boolean;
  stratify: boolean;
  expiresInDays: number;
}

export function sessionRequest(f: SessionForm): { request: SessionRequest | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (f.runs.length === 0) errors.runs = 'Pick at least one finished generation run.';
  else if (f.pairs && f.runs.length < 2) errors.runs = 'A/B pairs compare two runs or more: pick at least two.';
  else if (f.runs.length > 12) errors.runs = 'At most 12 runs.';
  const sample = parseWhole(f.sample, 'Sample size', 1, 10_000);
  if (typeof sample === 'string') errors.sample = sample;
  const crew = checkCrew(
    { ...f, people: f.evaluators },
    {
      peopleField: 'evaluators',
      perField: 'perItem',
      person: 'evaluator',
      perLabel: 'Evaluators per item',
      thing: 'session',
    },
    errors,
  );
  if (Object.keys(errors).length > 0) return { request: null, errors };
  return {
    request: {
      ...crew.titled,
      runs: f.runs,
      sample: sample as number,
      evaluators: crew.people,
      perItem: crew.perItem,
      seed: crew.seed,
      pairs: f.pairs,
      stratify: f.stratify,
      expiresInDays: crew.expiresInDays,
    },
    errors,
  };
}

export const ROUND_SPLITS = ['all', 'train', 'dev', 'test'] as const;
export type RoundSplit = (typeof ROUND_SPLITS)[number];

export interface RoundForm {
  title: string;
  dataset: string;
  split: RoundSplit;
  records: string;
  annotators: string;
  perRecord: string;
  seed: string;
  expiresInDays: string;
}

/** The CMD's gold labels came from three annotators per record. */
export const DEFAULT_ROUND_FORM: RoundForm = {
  title: '',
  dataset: '',
  split: 'all',
  records: '100',
  annotators: '',
  perRecord: '3',
  seed: '1',
  expiresInDays: '30',
};

export interface RoundRequest {
  title?: string;
  dataset: string;
  split: RoundSplit;
  records: number;
  annotators: string[];
  perRecord: number;
  seed: number;
  expiresInDays: number;
}

export function roundRequest(
  f: RoundForm,
  available?: number | null,
): { request: RoundRequest | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!f.dataset.trim()) errors.dataset = 'Pick a dataset.';
  const records = parseWhole(f.records, 'Records', 1, 100_000);
  if (typeof records === 'string') errors.records = records;
  else if (available !== undefined && available !== null && records > available)
    errors.records = `The ${f.split === 'all' ? 'dataset' : `${f.split} split`} has ${available} record${available === 1 ? '' : 's'}.`;
  const crew = checkCrew(
    { ...f, people: f.annotators, perItem: f.perRecord },
    {
      peopleField: 'annotators',
      perField: 'perRecord',
      person: 'annotator',
      perLabel: 'Annotators per record',
      thing: 'round',
    },
    errors,
  );
  if (Object.keys(errors).length > 0) return { request: null, errors };
  return {
    request: {
      ...crew.titled,
      dataset: f.dataset.trim(),
      split: f.split,
      records: records as number,
      annotators: crew.people,
      perRecord: crew.perItem,
      seed: crew.seed,
      expiresInDays: crew.expiresInDays,
    },
    errors,
  };
}

/**
 * The server's per-field issues (dotted paths like `evaluators.2`) as the form's field errors:
 * the first segment names the field; an issue of an unknown field goes to `form`.
 */
export function issuesToFieldErrors(
  issues: { path: string; message: string }[],
  fields: readonly string[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of issues) {
    const head = i.path.split('.')[0] ?? '';
    const key = fields.includes(head) ? head : 'form';
    const where = key === 'form' && i.path ? `${i.path}: ` : '';
    errors[key] = errors[key] ? `${errors[key]} ${where}${i.message}` : `${where}${i.message}`;
  }
  return errors;
}
