// Types for scripts/start-decision.js (plain JS: `npm start` runs it before any build).
export const NODE_RANGE: string;
export const ELECTRON_INSTALLER_NODE: string;
export function parseVersion(version: string): [number, number, number] | null;
export function versionAtLeast(a: string, b: string): boolean;
export function nodeSupported(version: string): boolean;
export function whyNoDisplay(platform: string, env: Record<string, string | undefined>): string | null;
export interface StartFacts {
  platform: string;
  env: Record<string, string | undefined>;
  nodeVersion: string;
  electronVersion: string;
  electronBinary: boolean;
  electronSqlite: boolean;
  failed?: { electron?: string; sqlite?: string };
}
export type StartStep =
  | { action: 'refuse'; reason: string }
  | { action: 'serve'; reason: string }
  | { action: 'install-electron'; detail: string }
  | { action: 'build-sqlite'; detail: string }
  | { action: 'desktop' };
export function nextStep(facts: StartFacts): StartStep;
