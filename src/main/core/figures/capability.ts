// The figures capability (issue 12): figures drawn from evaluations, datasets, human-evaluation
// sessions or inline numbers, rendered server-side and exported as SVG, PNG or PDF (see
// index.ts). No tables of its own: it reads the evaluation's, the datasets' and the humaneval
// sessions' stored data.
import { contracts } from '../../../shared/contracts/figures';
import { defineCapability, type CapabilityContext } from '../capability';
import type { DatasetService } from '../datasets';
import type { EvaluationService } from '../evaluation';
import type { HumanEvalResultsReader } from './deps';
import { createFiguresService } from '.';

type Needs = { datasets: DatasetService; evaluation: EvaluationService; humaneval: HumanEvalResultsReader };

export const capability = defineCapability({
  name: 'figures',
  contracts,
  migrations: [],
  create({ db, services }: CapabilityContext<Needs>) {
    const figures = createFiguresService({
      db,
      datasets: services.datasets,
      evaluation: services.evaluation,
      humaneval: services.humaneval,
    });
    return {
      service: figures,
      handlers: {
        'figures.kinds': async () => ({ kinds: await figures.kinds() }),
        'figures.render': (input) => figures.render(input.spec),
        'figures.export': async (input) => {
          const { bytes, rendered: _rendered, ...rest } = await figures.export(input.spec, input.format, input.dpi);
          return { ...rest, base64: bytes.toString('base64') };
        },
      },
    };
  },
});
