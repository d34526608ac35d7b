// Takes docs/screenshot.png for the README: the Datasets area of `srlab serve` (built CLI, a
// fresh temporary data home with the demo dataset) in headless Chromium, one record open. Run after `npm run build`:  npx tsx scripts/screenshot.ts [out.png]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'screenshot.png'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function main() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-shot-'));
  const server = spawn(
    process.execPath,
    [path.join(root, 'bin', 'srlab.js'), 'serve', '--home', home, '--port', '0', '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      server.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const line = buffer.split('\n').find((l) => l.startsWith('{'));
        if (line && buffer.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
      });
      server.on('exit', (code) => reject(new Error(`srlab serve exited with ${code}`)));
    });
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(url);
    // The content warning stays unacknowledged: the README shows labels, not offensive text.
    await page.locator('#record-row-2:not(.pending)').click();
    await page.locator('.record-panel .rule-list').waitFor();
    await page.waitForTimeout(300);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    await browser.close();
    console.log(`wrote ${path.relative(root, out)}`);
  } finally {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
