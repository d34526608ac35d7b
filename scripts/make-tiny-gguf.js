#!/usr/bin/env node
// Writes a tiny llama-architecture GGUF (v3) that llama.cpp loads: random F32 weights from a
// fixed-seed PRNG, a SentencePiece-style vocabulary (<unk>, <s>, </s>, the 256 byte tokens and
// word pieces) and a Llama-2 chat template in its metadata. Also a LoRA adapter GGUF for it.
// For tests and benchmarks only: no weights are ever downloaded or committed. No dependencies.
//
//   node scripts/make-tiny-gguf.js OUT.gguf [--seed N] [--context N] [--layers N] [--embd N]
//   node scripts/make-tiny-gguf.js OUT.gguf --lora ADAPTER.gguf [--rank N] [--alpha N]
//   node scripts/make-tiny-gguf.js OUT.gguf --huge        # a 70B-shaped header over a sparse file
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ALIGNMENT = 32;
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 };
const GGML_F32 = 0;

/** mulberry32: small, fast, fixed-seed PRNG (uniform in [0, 1)). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- binary writer --------------------------------------------------------------------------

class Writer {
  constructor() {
    this.chunks = [];
    this.length = 0;
  }
  push(buf) {
    this.chunks.push(buf);
    this.length += buf.length;
  }
  u32(v) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(to) {
    const rem = this.length % to;
    if (rem) this.push(Buffer.alloc(to - rem));
  }
  buffer() {
    return Buffer.concat(this.chunks);
  }
}

/** A metadata value: {type, value} or, for arrays, {type: ARRAY, of, value: [...]}. */
function writeValue(w, type, value, of) {
  switch (type) {
    case T.UINT32:
      return w.u32(value);
    case T.INT32:
      return w.i32(value);
    case T.FLOAT32:
      return w.f32(value);
    case T.BOOL:
      return w.push(Buffer.from([value ? 1 : 0]));
    case T.STRING:
      return w.str(value);
    case T.UINT64:
      return w.u64(value);
    case T.ARRAY:
      w.u32(of);
      w.u64(value.length);
      for (const v of value) writeValue(w, of, v);
      return;
    default:
      throw new Error(`unsupported metadata type ${type}`);
  }
}

/**
 * Serialise a GGUF v3 file. `tensors`: [{name, dims (ne0 first), data: Float32Array | null}];
 * a null `data` declares the tensor without writing it (the file is then extended sparsely).
 */
function writeGguf(file, metadata, tensors) {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, type, value, of] of metadata) {
    w.str(key);
    w.u32(type);
    writeValue(w, type, value, of);
  }
  let offset = 0;
  const offsets = [];
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    offsets.push(offset);
    const bytes = t.dims.reduce((a, b) => a * b, 1) * 4;
    offset += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
  }
  w.pad(ALIGNMENT);
  const header = w.buffer();
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, header);
    tensors.forEach((t, i) => {
      if (!t.data) return;
      const buf = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      fs.writeSync(fd, buf, 0, buf.length, header.length + offsets[i]);
    });
    fs.ftruncateSync(fd, header.length + offset);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return { file, bytes: header.length + offset };
}

// ---- vocabulary -----------------------------------------------------------------------------

const SPACE = '\u2581';
// Words of the paper's prompts and of everyday sentences, so prompts tokenize into pieces.
const WORDS = (
  'the a an and or of to in on for with as is are was were be been it its this that these those ' +
  'you your we our they their he she his her i me my not no all any every each some more most ' +
  'text rewrite following create benign variation eliminates forms bias toxicity stereotyping harm ' +
  'such gender age race political socio economic biases ensure revised promotes inclusivity neutrality ' +
  'without sacrificing original message essence please advanced transformation role process input ' +
  'generate outputs conscientious inclusive specifically objectives identify neutralize related ' +
  'affiliation social background status ensuring output respects identities perspectives detect ' +
  'mitigate elements promoting positive constructive discourse recognize counteract stereotypes ' +
  'fostering accurate respectful representation groups instance refine produce free from prejudicial ' +
  'harmful stereotypical content adding unrelated information goal enhance embody principles fairness ' +
  'respect understanding across dimensions people women men old young work good bad very can will ' +
  'should would could have has had do does did say said make made know think see want use find give ' +
  'tell call try ask need feel become leave put mean keep let begin seem help talk turn start show ' +
  'hear play run move like live believe hold bring happen write provide sit stand lose pay meet ' +
  'include continue set learn change lead understand watch follow stop speak read allow add spend ' +
  'grow open walk win offer remember love consider appear buy wait serve die send expect build stay ' +
  'fall cut reach kill remain suggest raise pass sell require report decide pull'
).split(' ');
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?\'"()-[]<>/_{}*#=+&%$@';

/** <unk>, <s>, </s>, 256 byte tokens, single characters, then word pieces with all their prefixes. */
export function tinyVocabulary() {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  const scores = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
    scores.push(0);
  }
  const seen = new Set(tokens);
  const add = (piece, score) => {
    if (seen.has(piece)) return;
    seen.add(piece);
    tokens.push(piece);
    types.push(1);
    scores.push(score);
  };
  add(SPACE, -1);
  for (const c of CHARS) add(c, -2);
  for (const c of CHARS) add(SPACE + c, -2);
  // SentencePiece merges adjacent pairs by the score of the merged piece: longer pieces score
  // higher, so a word ends up as one piece when every prefix of it is in the vocabulary.
  for (const word of WORDS) {
    const full = SPACE + word;
    for (let n = 2; n <= full.length; n++) add(full.slice(0, n), n);
  }
  return { tokens, types, scores };
}

const LLAMA2_CHAT_TEMPLATE =
  "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
  '{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}' +
  "{% for message in loop_messages %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
  "{% else %}{% set content = message['content'] %}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
  "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

// ---- the model ------------------------------------------------------------------------------

export const TINY_DEFAULTS = { seed: 1234, context: 2048, layers: 2, embd: 64, heads: 4, kvHeads: 2, ff: 128 };

function randomTensor(rand, n, scale) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
  return a;
}

/**
 * Write the tiny model. With `huge: true`, declare 70B-like shapes and write only the header:
 * the file is extended sparsely, so it is large on paper and takes no disk space (for preflight).
 */
export function writeTinyModel(file, options = {}) {
  const o = { ...TINY_DEFAULTS, ...options };
  if (o.huge) Object.assign(o, { embd: 8192, layers: 80, heads: 64, kvHeads: 8, ff: 28672 });
  const vocab = tinyVocabulary();
  const nVocab = vocab.tokens.length;
  const headDim = o.embd / o.heads;
  const kvDim = headDim * o.kvHeads;
  const rand = prng(o.seed);
  const data = (n, scale) => (o.huge ? null : randomTensor(rand, n, scale));
  const ones = (n) => (o.huge ? null : new Float32Array(n).fill(1));

  const tensors = [{ name: 'token_embd.weight', dims: [o.embd, nVocab], data: data(o.embd * nVocab, 1) }];
  const s = 1 / Math.sqrt(o.embd);
  for (let l = 0; l < o.layers; l++) {
    const b = `blk.${l}`;
    tensors.push(
      { name: `${b}.attn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      { name: `${b}.attn_q.weight`, dims: [o.embd, o.embd], data: data(o.embd * o.embd, s * 2) },
      { name: `${b}.attn_k.weight`, dims: [o.embd, kvDim], data: data(o.embd * kvDim, s * 2) },
      { name: `${b}.attn_v.weight`, dims: [o.embd, kvDim], data: data(o.embd * kvDim, s) },
      { name: `${b}.attn_output.weight`, dims: [o.embd, o.embd], data: data(o.embd * o.embd, s) },
      { name: `${b}.ffn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      { name: `${b}.ffn_gate.weight`, dims: [o.embd, o.ff], data: data(o.embd * o.ff, s) },
      { name: `${b}.ffn_down.weight`, dims: [o.ff, o.embd], data: data(o.ff * o.embd, 1 / Math.sqrt(o.ff)) },
      { name: `${b}.ffn_up.weight`, dims: [o.embd, o.ff], data: data(o.embd * o.ff, s) },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [o.embd], data: ones(o.embd) },
    // Scaled so next-token distributions are peaked, not flat: greedy choices are stable.
    { name: 'output.weight', dims: [o.embd, nVocab], data: data(o.embd * nVocab, 4 * s) },
  );

  const metadata = [
    ['general.architecture', T.STRING, 'llama'],
    ['general.name', T.STRING, o.huge ? 'srlab huge test header' : 'srlab tiny test model'],
    ['general.file_type', T.UINT32, 0],
    ['general.alignment', T.UINT32, ALIGNMENT],
    ['llama.context_length', T.UINT32, o.context],
    ['llama.embedding_length', T.UINT32, o.embd],
    ['llama.block_count', T.UINT32, o.layers],
    ['llama.feed_forward_length', T.UINT32, o.ff],
    ['llama.attention.head_count', T.UINT32, o.heads],
    ['llama.attention.head_count_kv', T.UINT32, o.kvHeads],
    ['llama.rope.dimension_count', T.UINT32, headDim],
    ['llama.rope.freq_base', T.FLOAT32, 10000],
    ['llama.attention.layer_norm_rms_epsilon', T.FLOAT32, 1e-5],
    ['llama.vocab_size', T.UINT32, nVocab],
    ['tokenizer.ggml.model', T.STRING, 'llama'],
    ['tokenizer.ggml.tokens', T.ARRAY, vocab.tokens, T.STRING],
    ['tokenizer.ggml.scores', T.ARRAY, vocab.scores, T.FLOAT32],
    ['tokenizer.ggml.token_type', T.ARRAY, vocab.types, T.INT32],
    ['tokenizer.ggml.unknown_token_id', T.UINT32, 0],
    ['tokenizer.ggml.bos_token_id', T.UINT32, 1],
    ['tokenizer.ggml.eos_token_id', T.UINT32, 2],
    ['tokenizer.ggml.add_bos_token', T.BOOL, true],
    ['tokenizer.ggml.add_eos_token', T.BOOL, false],
    ['tokenizer.chat_template', T.STRING, LLAMA2_CHAT_TEMPLATE],
  ];
  return writeGguf(file, metadata, tensors);
}

/** A LoRA adapter for the tiny model (same seed → same shapes) on attn_q, attn_v and ffn_up. */
export function writeTinyLora(file, options = {}) {
  const o = { ...TINY_DEFAULTS, rank: 4, alpha: 8, loraSeed: 99, ...options };
  const rand = prng(o.loraSeed);
  const kvDim = (o.embd / o.heads) * o.kvHeads;
  const tensors = [];
  for (let l = 0; l < o.layers; l++) {
    for (const [name, nIn, nOut] of [
      ['attn_q', o.embd, o.embd],
      ['attn_v', o.embd, kvDim],
      ['ffn_up', o.embd, o.ff],
    ]) {
      // lora_a: ne = [n_in, r]; lora_b: ne = [r, n_out] (llama.cpp's transposed layout).
      tensors.push(
        {
          name: `blk.${l}.${name}.weight.lora_a`,
          dims: [nIn, o.rank],
          data: randomTensor(rand, nIn * o.rank, 1 / Math.sqrt(nIn)),
        },
        { name: `blk.${l}.${name}.weight.lora_b`, dims: [o.rank, nOut], data: randomTensor(rand, o.rank * nOut, 1) },
      );
    }
  }
  const metadata = [
    ['general.architecture', T.STRING, 'llama'],
    ['general.type', T.STRING, 'adapter'],
    ['general.name', T.STRING, 'srlab tiny test adapter'],
    ['general.alignment', T.UINT32, ALIGNMENT],
    ['adapter.type', T.STRING, 'lora'],
    ['adapter.lora.alpha', T.FLOAT32, o.alpha],
  ];
  return writeGguf(file, metadata, tensors);
}

// ---- command line ---------------------------------------------------------------------------

function main(argv) {
  const out = argv[0];
  if (!out || out.startsWith('--')) {
    console.error(
      'usage: node scripts/make-tiny-gguf.js OUT.gguf [--seed N] [--context N] [--layers N] [--embd N] [--huge] [--lora ADAPTER.gguf --rank N --alpha N]',
    );
    process.exit(2);
  }
  const opts = {};
  let lora = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--huge') opts.huge = true;
    else if (a === '--lora') lora = argv[++i];
    else if (['--seed', '--context', '--layers', '--embd', '--rank', '--alpha'].includes(a))
      opts[a.slice(2)] = Number(argv[++i]);
    else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  const m = writeTinyModel(out, opts);
  console.log(`${m.file}: ${m.bytes} bytes`);
  if (lora) {
    const a = writeTinyLora(lora, opts);
    console.log(`${a.file}: ${a.bytes} bytes`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
