#!/usr/bin/env node
// Writes a tiny llama-architecture GGUF (v3) that llama.cpp loads: random F32 weights from a
// fixed-seed PRNG, a SentencePiece-style vocabulary (<unk>, <s>, </s>, the 256 byte tokens and
// word pieces) and a Llama-2 chat template in its metadata. Also a LoRA adapter GGUF for it.
// For tests and benchmarks only: no weights are ever downloaded or committed. No dependencies.
//
//   node scripts/make-tiny-gguf.js OUT.gguf [--seed N] [--context N] [--layers N] [--embd N]
//   node scripts/make-tiny-gguf.js OUT.gguf --lora ADAPTER.gguf [--rank N] [--alpha N]
//   node scripts/make-tiny-gguf.js OUT.gguf --huge        # a 70B-shaped header over a sparse file
//   node scripts/make-tiny-gguf.js OUT.gguf --shape 7b --type q8_0   # Llama-2-7B-shaped, random Q8_0 (7.2 GB)
//   node scripts/make-tiny-gguf.js OUT.gguf --embd 2048 --layers 8 --heads 16 --kv-heads 16 --ff 5632 --vocab 32000 --type q8_0
// The larger shapes are for throughput benchmarks (bench/generate.js): with random weights one
// decode step costs what a real model of that shape costs (same tensors, same bytes read), though
// the text is gibberish. --vocab pads the vocabulary with unreachable filler pieces to a real
// model's size so the output layer costs what it does there. Without these options the file is
// byte-for-byte what it always was (tests depend on it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ALIGNMENT = 32;
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10 };
// ggml tensor types: id, elements per block, bytes per block.
const GGML = { f32: { id: 0, block: 1, bytes: 4 }, q8_0: { id: 8, block: 32, bytes: 34 } };
// general.file_type (llama_ftype) for a file whose 2-D weights are of that type.
const FILE_TYPE = { f32: 0, q8_0: 7 };

/** mulberry32: small, fast, fixed-seed PRNG (uniform in [0, 1)). */
function prng(seed) {
  const next = prngU32(seed);
  return () => next() / 4294967296;
}

/** The same generator's raw 32-bit outputs (four random bytes a call, for quantized weights). */
function prngU32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
/** IEEE half-precision bits of `v` (round to nearest; subnormals kept, no NaN/overflow handling needed here). */
function toHalfBits(v) {
  f32Scratch[0] = v;
  const x = u32Scratch[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - exp;
    return sign | ((m + (1 << (shift - 1))) >>> shift);
  }
  // Rounding may carry into the exponent, which is what IEEE rounding does.
  return (sign | (exp << 10) | (mant >>> 13)) + ((mant >>> 12) & 1);
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
 * Serialise a GGUF v3 file. `tensors`: [{name, dims (ne0 first), type?: 'f32' | 'q8_0', data}]
 * where `data` is a Float32Array, a function returning the tensor's bytes (called in tensor
 * order while writing, so a multi-GB model never sits in memory at once) or null: a null `data`
 * declares the tensor without writing it (the file is then extended sparsely).
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
    const type = GGML[t.type ?? 'f32'];
    if (t.dims[0] % type.block)
      throw new Error(`${t.name}: rows of ${t.dims[0]} do not split into ${type.block}-blocks`);
    w.u32(type.id);
    w.u64(offset);
    offsets.push(offset);
    const bytes = (t.dims.reduce((a, b) => a * b, 1) / type.block) * type.bytes;
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
      const data = typeof t.data === 'function' ? t.data() : t.data;
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
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

/**
 * <unk>, <s>, </s>, 256 byte tokens, single characters, then word pieces with all their prefixes;
 * with `size`, padded to that many tokens with filler pieces no text tokenizes into (their
 * prefixes are not in the vocabulary), so prompts tokenize as without them.
 */
export function tinyVocabulary(size = 0) {
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
  if (size && size < tokens.length)
    throw new Error(`a vocabulary of ${size} is smaller than the ${tokens.length} base tokens`);
  for (let i = 0; tokens.length < size; i++) add(`[pad${i}]`, -1000);
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

/** Real models' shapes (random weights): Llama-2-7B's, for the GPU benchmark (bench/gpu/generate-7b.sh). */
export const SHAPES = {
  '7b': { embd: 4096, layers: 32, heads: 32, kvHeads: 32, ff: 11008, vocab: 32000, context: 4096 },
};

/** Parameters of a model of these options (what its tensors hold). */
export function parameterCount(options = {}) {
  const o = { ...TINY_DEFAULTS, ...(options.shape ? SHAPES[options.shape] : {}), ...withoutShape(options) };
  const nVocab = o.vocab || tinyVocabulary().tokens.length;
  const kvDim = (o.embd / o.heads) * o.kvHeads;
  const layer = 2 * o.embd + 2 * o.embd * o.embd + 2 * o.embd * kvDim + 3 * o.embd * o.ff;
  return 2 * o.embd * nVocab + o.embd + o.layers * layer;
}

function withoutShape(options) {
  const { shape: _shape, ...rest } = options;
  return rest;
}

function randomTensor(rand, n, scale) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
  return a;
}

/**
 * `n` Q8_0 weights uniform in [-scale, scale]: every block's fp16 scale is scale/127 and its 32
 * int8 quants come straight from the generator's bytes (-128 read as -127), four a call, so a
 * 7B model is written in about a minute.
 */
function randomQ8_0(next, n, scale) {
  const blocks = n / 32;
  const out = Buffer.alloc(blocks * 34);
  const d = toHalfBits(scale / 127);
  for (let b = 0, at = 0; b < blocks; b++, at += 34) {
    out[at] = d & 0xff;
    out[at + 1] = d >>> 8;
    for (let j = 0; j < 32; j += 4) {
      const r = next();
      for (let k = 0; k < 4; k++) {
        const q = ((r >>> (8 * k)) & 0xff) - 128;
        out[at + 2 + j + k] = (q === -128 ? -127 : q) & 0xff;
      }
    }
  }
  return out;
}

/**
 * Write the tiny model. With `huge: true`, declare 70B-like shapes and write only the header:
 * the file is extended sparsely, so it is large on paper and takes no disk space (for preflight).
 */
export function writeTinyModel(file, options = {}) {
  const o = { ...TINY_DEFAULTS, ...(options.shape ? SHAPES[options.shape] : {}), ...withoutShape(options) };
  if (options.shape && !SHAPES[options.shape])
    throw new Error(`unknown shape ${options.shape}: ${Object.keys(SHAPES)}`);
  if (o.huge) Object.assign(o, { embd: 8192, layers: 80, heads: 64, kvHeads: 8, ff: 28672 });
  const type = o.type ?? 'f32';
  if (!(type in FILE_TYPE)) throw new Error(`unsupported type ${type}: f32 or q8_0`);
  const vocab = tinyVocabulary(o.vocab);
  const nVocab = vocab.tokens.length;
  const headDim = o.embd / o.heads;
  const kvDim = headDim * o.kvHeads;
  const rand = prng(o.seed);
  const next = prngU32(o.seed);
  // 2-D weights in `type`; norms stay F32 (as in llama.cpp's own quantized files). Generated
  // when written, in tensor order, which is the order the F32 default always drew them in.
  const data =
    type === 'f32'
      ? (n, scale) => (o.huge ? null : () => randomTensor(rand, n, scale))
      : (n, scale) => (o.huge ? null : () => randomQ8_0(next, n, scale));
  const ones = (n) => (o.huge ? null : new Float32Array(n).fill(1));
  const w = (t) => ({ ...t, type });

  const tensors = [w({ name: 'token_embd.weight', dims: [o.embd, nVocab], data: data(o.embd * nVocab, 1) })];
  const s = 1 / Math.sqrt(o.embd);
  for (let l = 0; l < o.layers; l++) {
    const b = `blk.${l}`;
    tensors.push(
      { name: `${b}.attn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      w({ name: `${b}.attn_q.weight`, dims: [o.embd, o.embd], data: data(o.embd * o.embd, s * 2) }),
      w({ name: `${b}.attn_k.weight`, dims: [o.embd, kvDim], data: data(o.embd * kvDim, s * 2) }),
      w({ name: `${b}.attn_v.weight`, dims: [o.embd, kvDim], data: data(o.embd * kvDim, s) }),
      w({ name: `${b}.attn_output.weight`, dims: [o.embd, o.embd], data: data(o.embd * o.embd, s) }),
      { name: `${b}.ffn_norm.weight`, dims: [o.embd], data: ones(o.embd) },
      w({ name: `${b}.ffn_gate.weight`, dims: [o.embd, o.ff], data: data(o.embd * o.ff, s) }),
      w({ name: `${b}.ffn_down.weight`, dims: [o.ff, o.embd], data: data(o.ff * o.embd, 1 / Math.sqrt(o.ff)) }),
      w({ name: `${b}.ffn_up.weight`, dims: [o.embd, o.ff], data: data(o.embd * o.ff, s) }),
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [o.embd], data: ones(o.embd) },
    // Scaled so next-token distributions are peaked, not flat: greedy choices are stable. With a
    // real model's 32000-token vocabulary the default 4 still leaves the top token near 2.5%
    // and near-ties common; --logit-scale 16 gives a top token of most of the mass, as a real
    // model's greedy choices usually have.
    w({ name: 'output.weight', dims: [o.embd, nVocab], data: data(o.embd * nVocab, (o.logitScale ?? 4) * s) }),
  );

  const metadata = [
    ['general.architecture', T.STRING, 'llama'],
    ['general.name', T.STRING, o.huge ? 'srlab huge test header' : 'srlab tiny test model'],
    ['general.file_type', T.UINT32, FILE_TYPE[type]],
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
      'usage: node scripts/make-tiny-gguf.js OUT.gguf [--seed N] [--context N] [--layers N] [--embd N] [--heads N] [--kv-heads N] [--ff N] [--vocab N] [--logit-scale X] [--type f32|q8_0] [--shape 7b] [--huge] [--lora ADAPTER.gguf --rank N --alpha N]',
    );
    process.exit(2);
  }
  const opts = {};
  let lora = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--huge') opts.huge = true;
    else if (a === '--lora') lora = argv[++i];
    else if (a === '--type' || a === '--shape') opts[a.slice(2)] = argv[++i];
    else if (a === '--kv-heads') opts.kvHeads = Number(argv[++i]);
    else if (a === '--logit-scale') opts.logitScale = Number(argv[++i]);
    else if (
      ['--seed', '--context', '--layers', '--embd', '--heads', '--ff', '--vocab', '--rank', '--alpha'].includes(a)
    )
      opts[a.slice(2)] = Number(argv[++i]);
    else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  const m = writeTinyModel(out, opts);
  console.log(`${m.file}: ${m.bytes} bytes, ${(parameterCount(opts) / 1e6).toFixed(1)}M parameters`);
  if (lora) {
    const a = writeTinyLora(lora, opts);
    console.log(`${a.file}: ${a.bytes} bytes`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
