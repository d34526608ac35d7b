// Label codes of the rows the import sends to its writer thread (row-params.ts packs them,
// sql-transaction.ts unpacks them): its own module, so the writer's bundle stays small.
import { ANNOTATION_VALUES, LABEL_VALUES } from '../../../../shared/domain';

/**
 * The label and annotation values a row usually holds, sent as a code instead of as text (see
 * RowBatch): packing, posting and slicing a short string per column costs more than the lookup.
 */
export const CANONICAL_VALUES: readonly string[] = [
  ...new Set<string>([...Object.values(LABEL_VALUES).flat(), ...ANNOTATION_VALUES]),
];
export const CANONICAL_CODE = new Map(CANONICAL_VALUES.map((v, i) => [v, i]));

/** The `lens` entry of a canonical value: -2 - its index (-1 is null, >= 0 a length). */
export const canonicalLen = (index: number): number => -2 - index;
/** The canonical value a `lens` entry below -1 stands for. */
export const canonicalValue = (len: number): string => CANONICAL_VALUES[-2 - len]!;
