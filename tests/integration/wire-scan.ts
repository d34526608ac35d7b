// Shared by the blinding tests on the wire (humaneval-wire, rounds-wire): serve mode over a real
// core with the built evaluator page, a recorder that keeps every byte an evaluator token
// receives (status, headers, body) and a scanner that lists what of the lab's secrets a text
// gives away. Scanning what was recorded, not what the UI shows, is the
// point: a hidden field in a JSON answer or a run name baked into the page's bundle is a leak too.
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../src/main/core';
import { startServer, type RunningServer } from '../../src/main/transports/http';
import { entryFiles, EVALUATOR_PAGE } from '../../src/main/transports/static-site';
import { REPO_ROOT } from '../helpers';
import { assertBuilt } from './cli-helpers';

/** The renderer `npm run build` leaves; the server serves it for static files only (the core runs from sources). */
export const RENDERER = path.join(REPO_ROOT, 'out', 'renderer');

export interface Received {
  what: string;
  status: number;
  headers: string;
  body: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON answer freely
export type Json = { status: number; body: { ok: boolean; result?: any; error?: { kind: string; message: string } } };

/** Everything one evaluator's token was sent, kept for the scan at the end. */
export class Recorder {
  readonly seen: Received[] = [];
  constructor(
    readonly origin: string,
    readonly auth: Record<string, string>,
  ) {}

  async fetch(
    what: string,
    urlPath: string,
    init: RequestInit = {},
  ): Promise<{ status: number; text: string; res: Response }> {
    const res = await fetch(`${this.origin}${urlPath}`, {
      redirect: 'manual',
      ...init,
      headers: { ...this.auth, ...((init.headers as Record<string, string>) ?? {}) },
    });
    const text = await res.text();
    this.seen.push({
      what,
      status: res.status,
      headers: [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n'),
      body: text,
    });
    return { status: res.status, text, res };
  }

  async post(method: string, input: unknown): Promise<Json> {
    const { status, text } = await this.fetch(`POST ${method} ${JSON.stringify(input)}`, `/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin },
      body: JSON.stringify(input),
    });
    return { status, body: JSON.parse(text) as Json['body'] };
  }

  /** Which of `calls` this token was not refused with 403 `forbidden` (empty: every one was). */
  async notRefused(calls: readonly (readonly [method: string, input: unknown])[]): Promise<string[]> {
    const answered: string[] = [];
    for (const [method, input] of calls) {
      const r = await this.post(method, input);
      if (r.status !== 403 || r.body.error?.kind !== 'forbidden')
        answered.push(`${method}: ${r.status} ${r.body.error?.kind ?? 'ok'}`);
    }
    return answered;
  }

  /**
   * The evaluator page as this token gets it: the HTML, every script/style/preload it names and
   * every file Vite's manifest says the evaluator entry loads (dynamic chunks too).
   */
  async page(rendererDir: string, pagePath = '/'): Promise<string[]> {
    const html = await this.fetch(`GET ${pagePath}`, pagePath, { headers: { accept: 'text/html' } });
    if (html.status !== 200) throw new Error(`GET ${pagePath}: ${html.status} ${html.text.slice(0, 200)}`);
    const named = [...html.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => u.startsWith('/'));
    const manifest = JSON.parse(fs.readFileSync(path.join(rendererDir, '.vite', 'manifest.json'), 'utf8'));
    const files = new Set([...named, ...[...entryFiles(manifest, EVALUATOR_PAGE)].map((f) => `/${f}`)]);
    for (const f of files) {
      const r = await this.fetch(`GET ${f}`, f);
      if (r.status !== 200) throw new Error(`the evaluator page's ${f} answered ${r.status}`);
    }
    return [...files];
  }
}

/** Fails the suite at once, saying what to do, when the build the server hands out is missing. */
export function assertRendererBuilt(): void {
  assertBuilt();
  if (!fs.existsSync(path.join(RENDERER, 'evaluator.html')))
    throw new Error('the renderer is not built: npm run build');
}

/**
 * Serve mode over `core` on a free local port, with `labToken` as the lab's bearer token; `lab`
 * posts as the lab (its answers are recorded too, but nobody scans them).
 */
export async function serveLab(
  core: Core,
  labToken: string,
): Promise<{ server: RunningServer; origin: string; lab: Recorder }> {
  const server = await startServer(core, { host: '127.0.0.1', port: 0, token: labToken, rendererDir: RENDERER });
  const origin = `http://127.0.0.1:${server.port}`;
  return { server, origin, lab: new Recorder(origin, { authorization: `Bearer ${labToken}` }) };
}

/** The lab's secrets, each a literal a text must not contain, and key names a JSON answer must not have. */
export interface Secrets {
  literals: string[];
  keys: string[];
}

/** What of `secrets` the text gives away (empty: nothing). */
export function leaks(text: string, secrets: Secrets, withKeys = true): string[] {
  const found = secrets.literals.filter((s) => text.includes(s));
  if (withKeys) for (const k of secrets.keys) if (new RegExp(`"${k}"\\s*:`).test(text)) found.push(`key "${k}"`);
  return found;
}

/** Every recorded answer with what it leaked; JSON keys are checked on API answers only (not JS/CSS code). */
export function scanAll(seen: Received[], secrets: Secrets): { what: string; leaked: string[] }[] {
  return seen
    .map((r) => {
      const isCode = /\.(js|css)$|^GET \/(?!api)/.test(r.what);
      return { what: r.what, leaked: leaks(`${r.headers}\n${r.body}`, secrets, !isCode) };
    })
    .filter((r) => r.leaked.length > 0);
}
