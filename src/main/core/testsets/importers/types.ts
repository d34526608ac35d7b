// What every importer produces, and how it reports a malformed record.
import type { TestsetImportError, TestsetKind, TestsetOptions } from '../../../../shared/contracts/testsets';

/** One item before it is stored (ids and indexes are given by the store, in this order). */
export interface ParsedItem {
  group: string | null;
  subgroup: string | null;
  text: string;
  fields: Record<string, unknown>;
}

export interface Parsed {
  items: ParsedItem[];
  /** The options as used, defaults filled in (stored with the test set). */
  options: Record<string, unknown>;
  /** The file read, when a folder was given for a single-file kind (else the source as given). */
  sourceFile?: string;
}

/** Where an importer reads from: the real path, and the name messages show (an upload's own name). */
export interface ImportSource {
  path: string;
  shownName: string;
}

export interface Importer {
  kind: TestsetKind;
  /** The options this kind reads; any other option given is refused. */
  options: readonly (keyof TestsetOptions)[];
  read(source: ImportSource, options: TestsetOptions, problems: Problems): Parsed;
}

/** How many errors a result lists (all are counted). */
export const MAX_LISTED_ERRORS = 500;

/**
 * The malformed records of one import: every one is counted, the first MAX_LISTED_ERRORS are
 * kept with their file, line and field so the user can find and fix them.
 */
export class Problems {
  count = 0;
  readonly listed: TestsetImportError[] = [];

  reject(file: string, line: number, field: string | null, message: string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push({ file, line, field, message });
  }
}
