// Pure, exact metrics shared by every runtime (METRICS.md).
export * from './agreement';
export * from './annotation';
export * from './describe';
export * from './flesch';
export * from './levenshtein';
export * from './ttest';
