// The importer of each test-set kind, and the one entry point that checks the options against it.
import { ApiError } from '../../../../shared/contract';
import type { TestsetKind, TestsetOptions } from '../../../../shared/contracts/testsets';
import { boldImporter } from './bold';
import { counterfactualImporter } from './counterfactual';
import { crowsPairsImporter } from './crows-pairs';
import { holisticbiasImporter } from './holisticbias';
import { redditbiasImporter } from './redditbias';
import { stereosetImporter } from './stereoset';
import { toxigenImporter } from './toxigen';
import { type ImportSource, type Importer, type Parsed, Problems } from './types';

export { Problems } from './types';
export type { ImportSource, Parsed, ParsedItem } from './types';

const IMPORTERS: Record<TestsetKind, Importer> = {
  stereoset: stereosetImporter,
  'crows-pairs': crowsPairsImporter,
  bold: boldImporter,
  toxigen: toxigenImporter,
  redditbias: redditbiasImporter,
  holisticbias: holisticbiasImporter,
  counterfactual: counterfactualImporter,
};

/** Read a test set's source; malformed records go to the returned problems, the rest are items. */
export function readTestset(
  kind: TestsetKind,
  source: ImportSource,
  options: TestsetOptions,
): Parsed & { problems: Problems } {
  const importer = IMPORTERS[kind];
  const foreign = (Object.keys(options) as (keyof TestsetOptions)[]).filter(
    (k) => options[k] !== undefined && !importer.options.includes(k),
  );
  if (foreign.length)
    throw new ApiError(
      'invalid-input',
      `${kind} test sets take ${importer.options.length ? `only the option${importer.options.length > 1 ? 's' : ''} ${importer.options.join(', ')}` : 'no options'}; ` +
        `got ${foreign.join(', ')}`,
    );
  const problems = new Problems();
  const parsed = importer.read(source, options, problems);
  return { ...parsed, problems };
}
