// The local-inference verbs through the real `srlab` CLI on the tiny model: models, generate,
// runs, loglik and endpoints, including a run killed mid-way and resumed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { type OpenAiServer, startOpenAiServer } from '../unit/llm/openai-server';
import { tinyModelFiles } from '../unit/llm/tiny-model';
import { assertBuilt, CLI, srlab, startServe, type CliRun } from './cli-helpers';

beforeAll(assertBuilt);

const home = tempDir();
const files = tinyModelFiles();
const run = (args: string[]) => srlab(args, { home });

/** The CLI run without blocking this process (a test server here must keep answering). */
function srlabAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      env: { ...process.env, SRLAB_HOME: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout.trim()) : undefined }),
    );
  });
}

describe('srlab models', () => {
  it('adds a GGUF file and shows what it is', () => {
    const added = run(['models', 'add', files.model, '--name', 'tiny', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.json.model).toMatchObject({
      name: 'tiny',
      path: files.model,
      source: { kind: 'file' },
      gguf: { architecture: 'llama', quantization: 'ALL_F32', contextLength: 2048 },
    });
    expect(added.json.model.sha256).toMatch(/^[0-9a-f]{64}$/);

    const list = run(['models', '--json']);
    expect(list.json.models.map((m: { name: string }) => m.name)).toEqual(['tiny']);
    expect(list.json.recommended.map((r: { uri: string }) => r.uri)).toContain(
      'hf:TheBloke/Llama-2-7B-Chat-GGUF/llama-2-7b-chat.Q4_K_M.gguf',
    );

    const show = run(['models', 'show', 'tiny', '--json']);
    expect(show.json.preflight).toMatchObject({ fits: true, gpuLayers: 0, contextSize: 2048, threads: 1 });
    const human = run(['models', 'show', 'tiny']);
    expect(human.stdout).toMatch(/chat template yes/);
    expect(human.stdout).toMatch(/^fits: CPU only, context 2048 × 1, 1 threads; needs ~/m);
  });

  const dir = tempDir();
  const bad: [string, () => string, RegExp][] = [
    ['a missing file', () => path.join(dir, 'absent.gguf'), /no file at .*absent\.gguf/],
    [
      'a truncated file',
      () => (
        fs.writeFileSync(path.join(dir, 'cut.gguf'), fs.readFileSync(files.model).subarray(0, 600_000)),
        path.join(dir, 'cut.gguf')
      ),
      /is truncated: its header describes .* but the file has 600\.0 kB/,
    ],
    [
      'a file that is not GGUF',
      () => (fs.writeFileSync(path.join(dir, 'model.bin'), 'PK\u0003\u0004 pytorch zip'), path.join(dir, 'model.bin')),
      /is not a GGUF file/,
    ],
    ['a LoRA adapter', () => files.adapter, /is a LoRA adapter, not a model: pass it to a run with --adapter/],
  ];
  it.each(bad)(
    'refuses %s with exit code 2 and a clear message, leaving the library as it was',
    (_label, file, message) => {
      const r = run(['models', 'add', file(), '--name', 'bad']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(run(['models', '--json']).json.models.map((m: { name: string }) => m.name)).toEqual(['tiny']);
    },
  );

  it('refuses a load that will not fit, saying why', () => {
    const show = run(['models', 'show', 'tiny', '--context-size', '100000', '--json']);
    expect(show.json.preflight).toMatchObject({
      fits: false,
      reason: 'a context of 100000 tokens was asked for, but tiny was trained on 2048',
    });
    const r = run(['loglik', '--model', 'tiny', '--text', 'hello', '--context-size', '100000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/srlab will not load tiny: a context of 100000 tokens was asked for/);
  });
});

describe('srlab generate and srlab runs', () => {
  it('runs greedy generation deterministically and reports {run, items, tokensPerSecond}', () => {
    const args = [
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'cmd-demo',
      '--split',
      'test',
      '--limit',
      '5',
      '--max-tokens',
      '16',
      '--json',
      '--fresh',
    ];
    const a = run(args);
    expect(a.code, a.stderr).toBe(0);
    const b = run(args);
    expect(Object.keys(a.json).sort()).toEqual(['items', 'resumedFrom', 'run', 'tokensPerSecond']);
    expect(a.json.run).toMatchObject({ state: 'succeeded', total: 5, done: 5, errors: 0, generatedTokens: 80 });
    expect(a.json.tokensPerSecond).toBeGreaterThan(0);
    expect(a.json.tokensPerSecond).toBe(a.json.run.tokensPerSecond);
    expect(b.json.run.id).not.toBe(a.json.run.id);
    expect(b.json.items.map((i: { output: string }) => i.output)).toEqual(
      a.json.items.map((i: { output: string }) => i.output),
    );
    for (const item of a.json.items) {
      expect(item).toMatchObject({ completionTokens: 16, finishReason: 'length', error: null });
      expect(item.prompt).toContain(`"${item.input}". [/INST]`);
      expect(item.promptTokens).toBeGreaterThan(0);
      expect(item.generateMs).toBeGreaterThan(0);
    }

    const show = run(['runs', 'show', String(a.json.run.id), '--json']);
    expect(show.json.items).toEqual(a.json.items);
    const human = run(['runs', 'show', String(a.json.run.id)]);
    expect(human.stdout).toContain('prompt sent:\n<s>[INST] <<SYS>>\nAs an advanced text transformation AI');
    expect(human.stdout).toMatch(/tokens: prompt \d+, output 16 \(length\), \d+ ms/);
  });

  it('completes a run of 50 items with parallel sequences', () => {
    const r = run([
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'cmd-demo',
      '--split',
      'train',
      '--limit',
      '50',
      '--parallel',
      '4',
      '--max-tokens',
      '8',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.run).toMatchObject({ state: 'succeeded', total: 50, done: 50, settings: { parallel: 4 } });
    expect(r.json.items).toHaveLength(50);
    expect(
      r.json.items.every(
        (i: { output: string | null; completionTokens: number }) => i.output !== null && i.completionTokens === 8,
      ),
    ).toBe(true);
  });

  it('resumes a run killed mid-way without redoing its finished items', async () => {
    const args = [
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'cmd-demo',
      '--split',
      'train',
      '--limit',
      '40',
      '--max-tokens',
      '48',
      '--name',
      'killed',
      '--json',
    ];
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      env: { ...process.env, SRLAB_HOME: '' },
      stdio: 'ignore',
    });
    const db = await waitForDb(path.join(home, 'srlab.sqlite'));
    let done = 0;
    try {
      for (let t = 0; t < 600 && done < 5; t++) {
        await new Promise((r) => setTimeout(r, 25));
        done =
          db
            .prepare<[], { n: number }>(
              "SELECT COUNT(*) AS n FROM run_items i JOIN runs r ON r.id = i.run_id WHERE r.name = 'killed' AND i.finished_at IS NOT NULL",
            )
            .get()?.n ?? 0;
      }
    } finally {
      db.close();
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(done).toBeGreaterThanOrEqual(5);

    const runs = run(['runs', '--json']).json.runs as {
      id: number;
      name: string;
      state: string;
      done: number;
      total: number;
      error: string;
    }[];
    const killed = runs.find((r) => r.name === 'killed')!;
    expect(killed).toMatchObject({
      state: 'interrupted',
      total: 40,
      error: expect.stringMatching(
        /^interrupted: srlab stopped while this run was running; resume it \(srlab runs resume \d+\)/,
      ),
    });
    expect(killed.done).toBeLessThan(40);
    const before = run(['runs', 'show', String(killed.id), '--json']).json.items.filter(
      (i: { finishedAt: string | null }) => i.finishedAt !== null,
    );
    expect(before).toHaveLength(killed.done);

    const resumed = run(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming run ${killed.id} (${killed.done} of 40 items already done`);
    expect(resumed.json).toMatchObject({
      resumedFrom: killed.done,
      run: { id: killed.id, state: 'succeeded', done: 40 },
    });
    for (const b of before) expect(resumed.json.items[b.index]).toEqual(b);
  });

  it('applies a LoRA adapter: generation and log-probabilities change', () => {
    const base = [
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'cmd-demo',
      '--split',
      'test',
      '--limit',
      '3',
      '--max-tokens',
      '12',
      '--json',
    ];
    const plain = run(base);
    const adapted = run([...base, '--adapter', files.adapter]);
    expect(adapted.code, adapted.stderr).toBe(0);
    expect(adapted.json.run.settings.target).toMatchObject({ adapter: files.adapter, adapterScale: 1 });
    expect(adapted.json.run.provenance.adapterSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(adapted.json.items.map((i: { output: string }) => i.output)).not.toEqual(
      plain.json.items.map((i: { output: string }) => i.output),
    );

    const l0 = run(['loglik', '--model', 'tiny', '--text', 'People of every age can learn.', '--json']).json.results[0];
    const l1 = run([
      'loglik',
      '--model',
      'tiny',
      '--text',
      'People of every age can learn.',
      '--adapter',
      files.adapter,
      '--json',
    ]).json.results[0];
    expect(l1.total).not.toBeCloseTo(l0.total, 2);
  });

  it("stores a prompt longer than the context as that item's error, exits 1, and keeps every stored run", () => {
    const file = path.join(tempDir(), 'long.jsonl');
    const row = (text: string) =>
      JSON.stringify({
        Text: text,
        Labels: { Bias: 'Yes', Toxicity: 'No', Sentiment: 'Negative', Harm: 'Low', Annotation: 'Unsafe' },
      });
    fs.writeFileSync(
      file,
      [row('A short biased sentence.'), row('Very long rambling text. '.repeat(300)), row('Another short one.')].join(
        '\n',
      ) + '\n',
    );
    expect(run(['import', file, '--dataset', 'long', '--json']).code).toBe(0);
    const runsBefore = run(['runs', '--json']).json.runs;

    const r = run([
      'generate',
      '--model',
      'tiny',
      '--dataset',
      'long',
      '--split',
      'all',
      '--max-tokens',
      '4',
      '--context-size',
      '512',
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 item failed \(the others are stored\): srlab runs show \d+/);
    expect(r.json.run).toMatchObject({ state: 'succeeded', done: 2, errors: 1 });
    expect(r.json.items[1]).toMatchObject({
      output: null,
      finishReason: 'error',
      error: expect.stringMatching(/^the prompt is \d+ tokens; the context holds 512\. Shorten the input/),
    });
    const runsAfter = run(['runs', '--json']).json.runs;
    expect(runsAfter.slice(1)).toEqual(runsBefore);
  });

  it('answers bad usage with exit code 2', () => {
    expect(run(['generate', '--dataset', 'cmd-demo']).stderr).toMatch(/give either --model NAME or --endpoint NAME/);
    expect(run(['generate', '--model', 'nope', '--dataset', 'cmd-demo']).code).toBe(2);
    expect(run(['generate', '--model', 'tiny', '--dataset', 'cmd-demo', '--parallel', '0']).code).toBe(2);
    expect(run(['runs', 'show', '999']).code).toBe(2);
    expect(run(['loglik', '--model', 'tiny']).code).toBe(2);
  });
});

describe('srlab loglik', () => {
  it('prints total and per-token log-probabilities that sum to it', () => {
    const r = run([
      'loglik',
      '--model',
      'tiny',
      '--text',
      'The nurse said she was tired.',
      '--text',
      'The nurse said he was tired.',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.results).toHaveLength(2);
    for (const res of r.json.results) {
      const sum = res.tokens.reduce((a: number, t: { logprob: number }) => a + t.logprob, 0);
      expect(res.tokens.every((t: { logprob: number }) => Number.isFinite(t.logprob) && t.logprob < 0)).toBe(true);
      expect(res.total).toBeCloseTo(sum, 8);
    }
    const human = run(['loglik', '--model', 'tiny', '--text', 'hello world']);
    expect(human.stdout).toMatch(/^"hello world": total -\d+\.\d{4}, mean -\d+\.\d{4} over \d+ tokens$/m);
  });
});

describe('srlab generate against an OpenAI-compatible endpoint', () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer();
  });
  afterAll(() => server.close());
  const key = { SRLAB_API_KEY_MOCK: 'sk-cli-test', SRLAB_API_KEY_BROKEN: 'k', SRLAB_API_KEY_SLUGGISH: 'k' };

  it('generates through the endpoint, and a rerun is answered from the cache', async () => {
    const saved = await srlabAsync(
      ['endpoints', 'save', 'mock', '--base-url', server.url, '--model', 'echo', '--json'],
      key,
    );
    expect(saved.json.endpoint).toMatchObject({ name: 'mock', hasKey: true, keyBackend: 'env' });
    const args = [
      'generate',
      '--endpoint',
      'mock',
      '--dataset',
      'cmd-demo',
      '--split',
      'test',
      '--limit',
      '3',
      '--max-tokens',
      '64',
      '--json',
      '--fresh',
    ];
    const first = await srlabAsync(args, key);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.run).toMatchObject({ done: 3, errors: 0 });
    // The paper's template goes to /completions as text, without BOS (the server adds its own).
    expect(server.requests.at(-1)!.path).toBe('/v1/completions');
    expect(first.json.items[0].prompt).toMatch(/^\[INST\] <<SYS>>\nAs an advanced text transformation AI/);
    expect(first.json.items[0].output).toMatch(/^\[INST\] <<SYS>>\nAS AN ADVANCED TEXT TRANSFORMATION AI/);
    const sent = server.requests.length;
    const second = await srlabAsync(args, key);
    expect(second.json.items.map((i: { cached: boolean }) => i.cached)).toEqual([true, true, true]);
    expect(server.requests.length).toBe(sent);
    expect(server.requests.every((r) => r.authorization === 'Bearer sk-cli-test')).toBe(true);
  });

  const failing: [string, string[], RegExp][] = [
    ['garbage', ['--model', 'garbage'], /not an OpenAI-compatible completion \(not JSON\)/],
    [
      'a timeout',
      ['--model', 'slow', '--timeout-ms', '300', '--max-retries', '0'],
      /no answer within 300 ms; gave up after 1 attempt/,
    ],
  ];
  it.each(failing)(
    'stores an endpoint answering %s as per-item errors and exits 1',
    async (_label, settings, message) => {
      const name = settings.includes('garbage') ? 'broken' : 'sluggish';
      await srlabAsync(['endpoints', 'save', name, '--base-url', server.url, ...settings], key);
      const r = await srlabAsync(
        ['generate', '--endpoint', name, '--dataset', 'cmd-demo', '--split', 'test', '--limit', '2', '--json'],
        key,
      );
      expect(r.code).toBe(1);
      expect(r.json.run).toMatchObject({ state: 'succeeded', done: 0, errors: 2 });
      for (const item of r.json.items) expect(item.error).toMatch(message);
    },
  );
});

describe('srlab serve: models, runs and their events over HTTP', () => {
  it('starts a run through the contract and streams its items as server-sent events', async () => {
    const serve = await startServe(home);
    const auth = { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' };
    const call = async (method: string, input: unknown) => {
      const r = await fetch(`${serve.origin}/api/${method}`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(input),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are checked field by field below
      return (await r.json()) as { ok: boolean; result: any; error?: { kind: string; message: string } };
    };
    const events = new AbortController();
    const seen: { type: string; runId?: number; item?: { index: number } }[] = [];
    try {
      const stream = await fetch(`${serve.origin}/api/events`, { headers: auth, signal: events.signal });
      void (async () => {
        const decoder = new TextDecoder();
        let buf = '';
        for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.startsWith('data: ') && line !== 'data: {}') seen.push(JSON.parse(line.slice(6)));
          }
        }
      })().catch(() => undefined);

      // A browser cannot name a server path (models.add is local-only): it picks a file the
      // lab put in the data home's models/ folder, by name.
      expect((await call('models.add', { path: files.model, name: 'tiny-served' })).error?.kind).toBe('forbidden');
      fs.mkdirSync(path.join(home, 'models'), { recursive: true });
      fs.copyFileSync(files.model, path.join(home, 'models', 'tiny-serve.gguf'));
      // A new name: the CLI tests above already added this file as 'tiny'.
      const added = await call('models.addFromFolder', { file: 'tiny-serve.gguf', name: 'tiny-served' });
      expect(added.ok, added.error?.message).toBe(true);
      expect(added.result.model).toMatchObject({ name: 'tiny-served' });
      const models = await call('models.list', {});
      expect(models.result.models.map((m: { name: string }) => m.name)).toContain('tiny-served');
      expect((await call('models.preflight', { name: 'tiny-served' })).result).toMatchObject({ fits: true });
      const started = await call('runs.start', {
        target: { kind: 'local', model: 'tiny-served' },
        source: { kind: 'texts', name: 'two', texts: ['Everyone deserves respect.', 'Some people are lazy.'] },
        decoding: { maxTokens: 6 },
      });
      expect(started.ok, started.error?.message).toBe(true);
      const id = started.result.run.id;
      let state = started.result.run.state;
      for (let t = 0; t < 400 && !['succeeded', 'failed'].includes(state); t++) {
        await new Promise((r) => setTimeout(r, 25));
        state = (await call('runs.get', { id })).result.run.state;
      }
      expect(state).toBe('succeeded');
      const items = (await call('runs.items', { id })).result;
      expect(items.total).toBe(2);
      await new Promise((r) => setTimeout(r, 100));
      expect(
        seen
          .filter((e) => e.type === 'run-item' && e.runId === id)
          .map((e) => e.item!.index)
          .sort(),
      ).toEqual([0, 1]);
      expect(seen.some((e) => e.type === 'run')).toBe(true);
      expect(
        (
          await call('chat.complete', {
            target: { kind: 'local', model: 'tiny-served' },
            text: 'hi',
            decoding: { maxTokens: 3 },
          })
        ).result,
      ).toMatchObject({ completionTokens: 3 });
    } finally {
      events.abort();
      await serve.stop();
    }
  });
});

async function waitForDb(file: string): Promise<Database.Database> {
  for (let t = 0; t < 200 && !fs.existsSync(file); t++) await new Promise((r) => setTimeout(r, 25));
  return new Database(file, { readonly: true, fileMustExist: true });
}
