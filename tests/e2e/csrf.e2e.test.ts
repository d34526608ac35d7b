// CSRF against serve mode, in headless Chromium: a browser signed in to `srlab serve` opens a page
// served from another port of 127.0.0.1. To the browser that page is same-site (cookies ignore
// ports), so the srlab cookie rides along with its requests; what stops it is the edge: a
// no-cors fetch or a form can only send text/plain / form bodies, with the attacker's Origin.
// The server must not run the call: the export folder stays empty and the dataset stays. The
// control: the same calls from srlab's own page do run.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { homePaths } from '../../src/main/core';
import { tempDir } from '../helpers';
import { hasChromium, launchChromium, startServe, stopServe, type Served } from './harness';

/** The attacker's page: a no-cors fetch to each method and a text/plain form whose body is JSON. */
function attackPage(target: string): string {
  const body = JSON.stringify({ dataset: 'cmd-demo', split: 'train', format: 'jsonl' });
  return `<!doctype html><html><body>
<iframe name="sink" id="sink"></iframe>
<form id="f" method="post" enctype="text/plain" target="sink" action="${target}/api/datasets.remove">
<input name='{"dataset":"cmd-demo","pad":"' value='"}'>
</form>
<script>
(async () => {
  const opts = (body) => ({ method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
  const sent = [];
  for (const [m, b] of [['datasets.export', ${JSON.stringify(body)}], ['datasets.remove', '{"dataset":"cmd-demo"}']]) {
    try { await fetch('${target}/api/' + m, opts(b)); sent.push(m); } catch (e) { sent.push(m + ': ' + e); }
  }
  const loaded = new Promise((r) => document.getElementById('sink').addEventListener('load', r, { once: true }));
  document.getElementById('f').submit();
  await loaded;
  document.title = 'done ' + sent.join(',');
})();
</script></body></html>`;
}

describe.skipIf(!hasChromium && !process.env.CI)('serve mode refuses cross-site requests (Chromium)', () => {
  let served: Served | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let attacker: http.Server | undefined;
  let attackerOrigin = '';
  const home = tempDir('srlab-e2e-csrf-');
  const exportsDir = homePaths(home).exports;

  const datasets = async (): Promise<string[]> => {
    const r = await fetch(`${served!.origin}/api/datasets.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served!.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await r.json()) as { result: { datasets: { name: string }[] } }).result.datasets.map((d) => d.name);
  };
  const exported = () => (fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : []);

  beforeAll(async () => {
    served = await startServe(home);
    browser = await launchChromium();
    attacker = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(attackPage(served!.origin));
    });
    await new Promise<void>((resolve) => attacker!.listen(0, '127.0.0.1', resolve));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (attacker ? attacker.close(r) : r(null)));
    await stopServe(served?.child);
  });

  test('a page on another port cannot make the signed-in browser export or remove a dataset', async () => {
    context = await browser!.newContext();
    const app = await context.newPage();
    await app.goto(served!.url);
    await app.getByRole('link', { name: 'Datasets' }).waitFor();
    // Signed in: the cookie is there, and it is one the attacker's requests would carry (same host).
    const cookies = await context.cookies(served!.origin);
    expect(cookies.map((c) => c.name)).toContain(`srlab_token_${new URL(served!.origin).port}`);
    expect(await datasets()).toContain('cmd-demo');

    const evil = await context.newPage();
    const refused: number[] = [];
    evil.on('response', (r) => {
      if (r.url().startsWith(`${served!.origin}/api/`)) refused.push(r.status());
    });
    await evil.goto(`${attackerOrigin}/`);
    await evil.waitForFunction(() => document.title.startsWith('done'), undefined, { timeout: 15_000 });
    // All three requests reached the server (so the browser did send them) and were refused.
    expect(refused.length).toBe(3);
    for (const status of refused) expect([403, 415]).toContain(status);
    expect(exported()).toEqual([]);
    expect(await datasets()).toContain('cmd-demo');

    // The control: the same calls from srlab's own page run.
    const fromApp = await app.evaluate(async () => {
      const post = (m: string, body: unknown) =>
        fetch(`/api/${m}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.status);
      return [
        await post('datasets.export', { dataset: 'cmd-demo', split: 'train', format: 'jsonl' }),
        await post('datasets.remove', { dataset: 'cmd-demo' }),
      ];
    });
    expect(fromApp).toEqual([200, 200]);
    expect(exported().length).toBe(1);
    expect(await datasets()).not.toContain('cmd-demo');
  });
});
