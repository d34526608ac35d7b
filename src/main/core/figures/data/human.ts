// The human-evaluation figure has no stored source: srlab does not run the blind human
// evaluation yet (issue 13), so its numbers come only as input (`source.kind === 'input'`,
// checked by the kind's parseInput). This module answers any other source with a clear error.
import { ApiError } from '../../../../shared/contract';
import type { HumanData } from '../../../../shared/figures/kinds/human';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

export async function humanData(spec: FigureSpec, _deps: FigureDataDeps): Promise<HumanData> {
  throw new ApiError(
    'invalid-input',
    `human draws input only: srlab has no human evaluation to read from a ${spec.source.kind} yet (issue 13); ` +
      'give {models: [{label, safety, language, safetyCi?, languageCi?}]} as --input FILE.json',
  );
}
