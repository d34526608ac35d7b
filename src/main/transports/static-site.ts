// The built renderer, served to the browser by who is asking. The lab gets the app (index.html
// for every client-side route); an evaluator gets only the evaluator page (evaluator.html) and the
// files that page loads, and 403 for the lab's page and the lab's own JS/CSS, so the lab's code
// never runs in an evaluator's browser. Which files the evaluator page loads is read from Vite's
// build manifest (entry evaluator.html, its chunks, their CSS); without a manifest it is nothing.
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const LAB_PAGE = 'index.html';
export const EVALUATOR_PAGE = 'evaluator.html';
const MANIFEST = path.join('.vite', 'manifest.json');

interface ManifestChunk {
  file: string;
  css?: string[];
  assets?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

/** The build output files (relative, '/'-separated) that `entry` loads, transitively. */
export function entryFiles(manifest: Record<string, ManifestChunk>, entry: string): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    for (const f of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(f);
    for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k);
  };
  visit(entry);
  return files;
}

export type StaticAnswer =
  { status: 200; file: string; headers: Record<string, string> } | { status: 400 | 403 | 404; text: string };

export interface StaticSite {
  answer(urlPath: string, who: 'lab' | 'evaluator'): StaticAnswer;
}

export function createStaticSite(dir: string): StaticSite {
  const root = path.resolve(dir);
  let evaluatorFiles: Set<string> | null = null;
  const evaluatorAllowed = (rel: string) => {
    if (!evaluatorFiles) {
      try {
        const manifest = JSON.parse(fs.readFileSync(path.join(root, MANIFEST), 'utf8')) as Record<
          string,
          ManifestChunk
        >;
        evaluatorFiles = entryFiles(manifest, EVALUATOR_PAGE);
      } catch {
        evaluatorFiles = new Set(); // no manifest: fail closed (the page without its script)
      }
    }
    return evaluatorFiles.has(rel);
  };
  const file = (rel: string): StaticAnswer => {
    const abs = path.join(root, rel);
    return {
      status: 200,
      file: abs,
      headers: {
        'content-type': CONTENT_TYPES[path.extname(abs)] ?? 'application/octet-stream',
        'cache-control': rel.endsWith('.html') ? 'no-store' : 'max-age=3600',
        'x-content-type-options': 'nosniff',
      },
    };
  };

  return {
    answer(urlPath, who) {
      let rel: string;
      try {
        rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
      } catch {
        return { status: 400, text: 'malformed path\n' };
      }
      if (rel.includes('\0')) return { status: 400, text: 'malformed path\n' };
      const abs = path.resolve(root, rel);
      if (rel !== '' && !abs.startsWith(root + path.sep)) return { status: 404, text: 'not found\n' };
      const relPosix = path.relative(root, abs).split(path.sep).join('/');
      // Build bookkeeping (.vite/manifest.json) is not part of the site.
      if (relPosix.split('/').some((s) => s.startsWith('.'))) return { status: 404, text: 'not found\n' };
      const exists = relPosix !== '' && fs.existsSync(abs) && fs.statSync(abs).isFile();
      const page = who === 'evaluator' ? EVALUATOR_PAGE : LAB_PAGE;
      // Unknown paths fall back to the page (client-side routes).
      if (!exists) return file(page);
      if (who === 'evaluator' && relPosix !== EVALUATOR_PAGE && !evaluatorAllowed(relPosix))
        return { status: 403, text: 'srlab: an evaluator token opens only the evaluator page\n' };
      return file(relPosix);
    },
  };
}
