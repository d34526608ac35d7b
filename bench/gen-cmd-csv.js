// Deterministic generator of a large CMD CSV in the authors' released column layout
// (biased_text,dimension,biased_words,aspect,label,Done (x),debiased_text,comments,text_length).
// Plain Node ESM; used by bench/import.js and runnable alone:
//   node bench/gen-cmd-csv.js <rows> <out.csv>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the generated content changes, so cached files under bench/.data are rebuilt. */
export const GENERATOR_VERSION = 1;

const HEADER = 'biased_text,dimension,biased_words,aspect,label,Done (x),debiased_text,comments,text_length';

const WORDS = (
  'the a an of to in for on with at by from about as into like through after over between out ' +
  'against during without before under around among people government policy city council school ' +
  'teacher student parent worker company market price tax vote election party leader news report ' +
  'story comment article women men young old community family neighborhood police court judge law ' +
  'rights health hospital doctor patient church religion culture language immigrant citizen country ' +
  'world money job wage housing rent street car bus train weather climate energy water food music ' +
  'game team player coach fan season really very just never always often sometimes maybe probably ' +
  'is are was were be been have has had do does did will would should could can may might must ' +
  'say said think thought know knew want wanted need needed make made take took see saw look looked ' +
  'good bad new old big small long short high low great little right wrong true false real fake'
).split(' ');
const BIASED = (
  'ghetto lazy stupid idiot crap useless liar lying ignorant thug hysterical bossy illegal ' +
  'puke strange outrage misleading horrible dumping sack disgusting pathetic clueless shameful ' +
  "don't can't won't o'clock"
).split(' ');
const DIMENSIONS = ['toxicity', 'toxicity', 'toxicity', 'ageism', 'hate speech', 'prejudice-political', 'news'];
const ASPECTS = [
  'Body-shaming',
  'Ableism',
  'Gender discrimination',
  'Gender identity',
  'Political',
  'Criminal record',
  'Racial',
  'Religious',
  'Ageism',
  '',
];
const LABELS = ['Slightly Biased', 'Slightly Biased', 'Highly Biased'];

/** mulberry32: a small deterministic PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(s) {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function pyRepr(s) {
  // Python's repr of a str: single quotes unless the text contains one (and no double quote).
  if (s.includes("'") && !s.includes('"')) return `"${s.replaceAll('\\', '\\\\')}"`;
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Write `rows` records to `file`; returns its size in bytes. */
export function generateCmdCsv(rows, file, seed = 20240214) {
  const rand = rng(seed);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const sentence = (minLen, maxLen, biased) => {
    const target = minLen + Math.floor(rand() * (maxLen - minLen));
    let s = '';
    let n = 0;
    while (s.length < target) {
      let w = biased.length && rand() < 0.06 ? pick(biased) : pick(WORDS);
      if (n === 0) w = w[0].toUpperCase() + w.slice(1);
      s += (n === 0 ? '' : ' ') + w;
      n++;
      const r = rand();
      if (r < 0.07) s += ',';
      else if (r < 0.085) s += ' .';
      else if (r < 0.088) s += ' "quote"';
    }
    if (rand() < 0.004) s += '\nSecond line of the comment .';
    return s + (rand() < 0.5 ? ' .' : ' !');
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let out = HEADER + '\n';
  let size = 0;
  for (let i = 0; i < rows; i++) {
    const k = 1 + Math.floor(rand() * 3);
    const words = [];
    for (let j = 0; j < k; j++) words.push(pick(BIASED));
    const text = sentence(150, 400, words);
    const benign = sentence(150, 400, []);
    const line = [
      csvField(text),
      csvField(pick(DIMENSIONS)),
      csvField(`[${words.map(pyRepr).join(', ')}]`),
      csvField(pick(ASPECTS)),
      pick(LABELS),
      'x',
      csvField(benign),
      rand() < 0.02 ? csvField('checked, ok') : '',
      `${text.length}.0`,
    ].join(',');
    out += line + '\n';
    if (out.length > 1 << 22) {
      size += fs.writeSync(fd, out);
      out = '';
    }
  }
  size += fs.writeSync(fd, out);
  fs.closeSync(fd);
  return size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [rows, out] = process.argv.slice(2);
  if (!rows || !out) {
    console.error('usage: node bench/gen-cmd-csv.js <rows> <out.csv>');
    process.exit(2);
  }
  const bytes = generateCmdCsv(Number(rows), out);
  console.log(`${out}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB`);
}
