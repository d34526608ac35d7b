// The metrics capability: pure metric maths on given numbers (issue 11). No tables, no jobs.
import { contracts } from '../../../shared/contracts/metrics';
import { defineCapability } from '../capability';
import { metricsService } from './index';

export const capability = defineCapability({
  name: 'metrics',
  contracts,
  migrations: [],
  create: () => ({
    service: metricsService,
    handlers: {
      'metrics.ttest': (input) => metricsService.ttest(input),
      'metrics.fleiss': (input) => metricsService.fleiss(input.matrix),
      'metrics.krippendorff': (input) => metricsService.krippendorff(input.ratings, input.level),
      'metrics.stereoset': (input) => metricsService.stereoset(input.items),
    },
  }),
});
