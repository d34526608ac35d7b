// Embedded scorer throughput: texts/s per core of srlab's embedded classifier (hashed word 1–2-grams
// + char 3–5-grams, logistic regression, Platt calibration: what `srlab scorers score` and every
// evaluation run), against a baseline timed in the same run — a plain tokenise-only loop
// (lower-case + split on non-letters, counting tokens), the least any bag-of-n-grams scorer does.
// Goal: ≥ 50,000 texts/s per core.
//
//   npm run bench:score                          # 100,000 texts
//   npm run bench:score -- --texts 300000 --repeat 5
//
// Texts are real and distinct: ToxiGen statements, StereoSet sentences and BOLD prompts from
// ../shared/data when it is there, else the demo CMD dataset's texts; past their number they are
// cycled with a copy number appended (" #k"), so every one of the --texts texts is distinct.
// The classifier is trained first, in a temporary data home, on the demo CMD dataset (default
// settings: 2^18 buckets). Each side runs --repeat times interleaved (A B B A …) after a warm-up;
// the best run of each is reported. Single-threaded, so texts per CPU-second = texts/s per core
// (both are printed). The score cache's cold (hash + insert) and warm (all hits) passes are
// timed once too, for scale. Peak RSS is the process's maximum resident set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core';
import { scorers as scorerContracts } from '../src/shared/contracts/scorers';
import { Featuriser } from '../src/main/core/scorers/features';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]!.replace(/_/g, '')) : fallback;
}
const N = arg('texts', 100_000);
const REPEAT = arg('repeat', 3);
const here = path.dirname(new URL(import.meta.url).pathname);
const sharedData = path.resolve(here, '..', '..', 'shared', 'data');

/** Distinct real texts: ToxiGen statements, StereoSet sentences and BOLD prompts; else the demo CMD texts. */
function sourceTexts(): { texts: string[]; from: string } {
  const seen = new Set<string>();
  const add = (t: unknown) => {
    if (typeof t === 'string' && t.trim()) seen.add(t.trim());
  };
  const toxigen = path.join(sharedData, 'toxigen', 'prompts');
  const stereoset = path.join(sharedData, 'stereoset', 'stereoset_dev.jsonl');
  const bold = path.join(sharedData, 'bold', 'prompts');
  if (fs.existsSync(toxigen) && fs.existsSync(stereoset) && fs.existsSync(bold)) {
    // ToxiGen's prompt files hold "- statement\n- statement…" with literal \n between statements.
    for (const f of fs.readdirSync(toxigen).sort())
      for (const line of fs.readFileSync(path.join(toxigen, f), 'utf8').split(/\\n|\n/))
        add(line.replace(/^\s*-\s*/, ''));
    for (const line of fs.readFileSync(stereoset, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      for (const k of ['context', 'stereotype', 'anti-stereotype', 'unrelated']) add(r[k]);
    }
    for (const f of fs.readdirSync(bold).sort()) {
      const groups = JSON.parse(fs.readFileSync(path.join(bold, f), 'utf8')) as Record<
        string,
        Record<string, string[]>
      >;
      for (const entities of Object.values(groups)) for (const prompts of Object.values(entities)) prompts.forEach(add);
    }
    return { texts: [...seen], from: `ToxiGen statements, StereoSet sentences and BOLD prompts in ${sharedData}` };
  }
  const demo = path.resolve(here, '..', 'resources', 'demo', 'cmd-demo.jsonl');
  for (const line of fs.readFileSync(demo, 'utf8').split('\n'))
    if (line.trim()) add((JSON.parse(line) as { Text: string }).Text);
  return { texts: [...seen], from: `the demo CMD dataset (${demo}); ../shared/data not found` };
}

const { texts: base, from } = sourceTexts();
const texts = Array.from({ length: N }, (_, i) =>
  i < base.length ? base[i]! : `${base[i % base.length]!} #${Math.floor(i / base.length)}`,
);
const meanChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;

interface Timing {
  wallMs: number;
  cpuMs: number;
}
function time(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}
async function timeAsync(fn: () => Promise<unknown>): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-bench-score-'));
try {
  const core = await createCore({ home });
  const trained = await core.scorers.trainEmbedded(
    scorerContracts.trainEmbedded.input.parse({ dataset: 'cmd-demo', label: 'annotation', name: 'bench' }),
  );
  const scorer = await core.scorers.create({ kind: 'embedded', classifier: 'bench' });
  const featuriser = new Featuriser({ buckets: trained.options.buckets, charNgrams: trained.options.charNgrams });

  let sink = 0; // keeps the loops' work observable, so nothing is optimised away
  const baseline = () => {
    for (const t of texts) sink += t.toLowerCase().split(/[^\p{L}\p{N}]+/u).length;
  };
  const featuresOnly = () => {
    for (const t of texts) sink += featuriser.featurise(t).length;
  };
  let scored: Awaited<ReturnType<typeof scorer.score>> = [];
  const srlab = async () => {
    scored = await scorer.score(texts);
    sink += scored.length;
  };

  // Warm-up (JIT), then interleaved runs.
  baseline();
  await srlab();
  const runs: Record<'baseline' | 'features' | 'srlab', Timing[]> = { baseline: [], features: [], srlab: [] };
  for (let r = 0; r < REPEAT; r++) {
    const forward = r % 2 === 0;
    if (forward) runs.baseline.push(time(baseline));
    runs.srlab.push(await timeAsync(srlab));
    runs.features.push(time(featuresOnly));
    if (!forward) runs.baseline.push(time(baseline));
  }
  const best = (ts: Timing[]) => ts.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const rate = (t: Timing) => ({ wall: N / (t.wallMs / 1000), cpu: N / (t.cpuMs / 1000) });
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

  // The score cache, once each: cold (every text hashed, scored, inserted) and warm (every text a hit).
  const cache = core.scorers.scoreCached;
  let coldScored = 0;
  const cold = await timeAsync(async () => {
    coldScored = (await cache(scorer, texts, { batchSize: 10_000 })).scored;
  });
  const warm = await timeAsync(() => cache(scorer, texts));
  const flagged = scored.filter((s) => s.score !== null && s.score > 0.5).length;
  await core.close();

  const rows: [string, Timing][] = [
    ['baseline: tokenise only', best(runs.baseline)],
    ['srlab features only', best(runs.features)],
    ['srlab embedded scorer', best(runs.srlab)],
  ];
  console.log(
    `${N.toLocaleString('en-US')} texts (mean ${meanChars.toFixed(0)} chars; ${base.length.toLocaleString('en-US')} distinct real ones, cycled) from ${from}; node ${process.version}, ${os.cpus()[0]?.model ?? '?'}; best of ${REPEAT}`,
  );
  console.log(
    `classifier: ${trained.options.buckets} buckets, char n-grams ${trained.options.charNgrams ? 'on' : 'off'}, trained on cmd-demo in ${(trained.durationMs / 1000).toFixed(1)} s`,
  );
  for (const [label, t] of rows)
    console.log(
      `${label.padEnd(26)} ${fmt(rate(t).wall).padStart(10)} texts/s wall  ${fmt(rate(t).cpu).padStart(10)} texts/CPU-s (per core)`,
    );
  const s = rate(best(runs.srlab));
  const b = rate(best(runs.baseline));
  console.log(`ratio srlab / baseline (texts/s per core): ${(s.cpu / b.cpu).toFixed(2)}×`);
  console.log(
    `score cache: cold ${fmt(rate(cold).cpu)} texts/CPU-s (hash all, score + insert the ${fmt(coldScored)} distinct), warm ${fmt(rate(warm).cpu)} texts/CPU-s (all hits)`,
  );
  console.log(
    `scored unsafe (> 0.5): ${flagged} of ${N}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
  console.log(`goal ≥ 50,000 texts/s per core: ${s.cpu >= 50_000 ? 'met' : 'NOT met'} (${fmt(s.cpu)})`);
  console.log(`rerun: npm run bench:score -- --texts ${N} --repeat ${REPEAT}   (sink ${sink % 7})`);
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
