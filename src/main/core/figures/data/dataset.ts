// Data of the dataset figures: the dataset statistics (core.datasets stats, the numbers of the
// Statistics view) of the whole dataset or one split.
import { ApiError } from '../../../../shared/contract';
import type { DatasetFigureData } from '../../../../shared/figures/kinds/dataset';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

export async function datasetData(
  spec: FigureSpec,
  deps: Pick<FigureDataDeps, 'datasets'>,
): Promise<DatasetFigureData> {
  if (spec.source.kind !== 'dataset')
    throw new ApiError(
      'invalid-input',
      `a dataset figure from the core needs source.kind "dataset", not "${spec.source.kind}"`,
    );
  const split = spec.source.split === 'all' ? undefined : spec.source.split;
  const stats = await deps.datasets.stats({ dataset: spec.source.dataset, ...(split ? { split } : {}) });
  if (stats.records === 0)
    throw new ApiError(
      'invalid-input',
      `dataset "${spec.source.dataset}"${split ? ` has no records in split ${split}` : ' has no records'}: nothing to draw`,
    );
  return { dataset: stats.dataset, split: stats.split, stats };
}
