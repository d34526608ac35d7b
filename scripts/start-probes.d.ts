// Types for scripts/start-probes.js (plain JS: `npm start` runs it before any build).
export const SQLITE_STAMP: string;
export const SQLITE_MODULE: string;
export function electronBinary(electronDir: string, env?: Record<string, string | undefined>): string | null;
export function moduleAbi(file: string): string | null;
export function electronSqliteBuilt(
  nativeDir: string,
  versions: { electron: string; betterSqlite3: string; abi: string },
): boolean;
