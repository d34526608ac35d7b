// Pure, exact metrics shared by every runtime (METRICS.md).
export * from './agreement';
export * from './annotation';
export * from './bands';
export * from './bootstrap';
export * from './bradley-terry';
export * from './classification';
export * from './counterfactual';
export * from './crows';
export * from './describe';
export * from './flesch';
export * from './holistic';
export * from './levenshtein';
export * from './majority';
export * from './spread';
export * from './stereoset';
export * from './ttest';
