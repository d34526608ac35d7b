// Serve mode's sign-in page: what a browser gets when it opens srlab without the token (a
// bookmark, a URL typed by hand, a cookie from an earlier server). It says where the token comes
// from and takes it in a form: the token alone or the whole printed URL. Static HTML, no script;
// its own CSP allows only its one style block (by hash) and a form posted to this origin.
import { createHash } from 'node:crypto';

/** Where the form posts (handled by the auth middleware, before any route). */
export const TOKEN_FORM_PATH = '/token';
/** A pasted URL or token is short; anything larger is not a sign-in. */
export const MAX_TOKEN_FORM_BYTES = 8 * 1024;

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #1d2330; background: #f5f6f8; margin: 0; }
main { max-width: 34rem; margin: 12vh auto; background: #fff; border: 1px solid #d9dce3; border-radius: 8px; padding: 1.5rem 2rem; }
h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
code { background: #eef0f4; padding: 0 .25rem; border-radius: 3px; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
input[type=text] { box-sizing: border-box; width: 100%; height: 2rem; padding: 0 .5rem; font: inherit; border: 1px solid #b8bdc8; border-radius: 4px; }
button { margin-top: .75rem; height: 2rem; padding: 0 1rem; font: inherit; border: 0; border-radius: 4px; background: #2f5bd3; color: #fff; cursor: pointer; }
.wrong { color: #a8201a; font-weight: 600; }
`;

/** The page's Content-Security-Policy: nothing but its own style block and a same-origin form. */
export const TOKEN_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * A path on this server to return to after sign-in; anything else (another origin, `//host`,
 * backslashes that browsers read as slashes) is the app's root.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return '/';
  return next;
}

/**
 * The token from what a person pasted: the token itself, or the URL `srlab serve` printed
 * (`http://127.0.0.1:7860/?token=…`), with or without surrounding whitespace.
 */
export function tokenFromPasted(pasted: string): string {
  const text = pasted.trim();
  const m = /[?&](?:token|invite)=([^&#\s]*)/.exec(text);
  if (!m) return text;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/** origin: this server as the browser reached it, for the example line (escaped like all text here). */
export function tokenPage(opts: { next: string; wrong: boolean; origin: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>srlab: access token needed</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>srlab needs its access token</h1>
${opts.wrong ? '<p class="wrong" role="alert">That token is not the one this server printed. Check it and try again.</p>\n' : ''}<p>This srlab server only answers browsers that show its token. When it started, <code>srlab serve</code> (or <code>npm start</code> in serve mode) printed a line like</p>
<p><code>Open: ${escapeHtml(opts.origin)}/?token=…</code></p>
<p>Open that URL, or paste it (or just the token after <code>token=</code>) below. The token is kept in a cookie for this browser; a restarted server prints a new one.</p>
<form method="post" action="${TOKEN_FORM_PATH}">
<input type="hidden" name="next" value="${escapeHtml(opts.next)}">
<label for="token">Token or URL</label>
<input type="text" id="token" name="token" autocomplete="off" spellcheck="false" autofocus required>
<button type="submit">Open srlab</button>
</form>
</main>
</body>
</html>
`;
}

/** Headers of the page: its CSP, never cached, never framed, never sniffed. */
export const TOKEN_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': TOKEN_PAGE_CSP,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: under no-referrer the browser sends `Origin: null` with the
  // form's POST, which the edge refuses like any foreign origin (edge.ts).
  'referrer-policy': 'same-origin',
};
