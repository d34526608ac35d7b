// Readers for the files a figure export writes, strict enough that a broken export fails:
// SVG through resvg (a strict SVG/XML parser), PNG decoded by hand (IHDR, IDAT inflated and
// unfiltered: no image library needed), PDF objects read back with their fonts, page size and text.
import zlib from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';

/** Throws when resvg refuses the SVG (malformed XML, a root that is not svg, …); returns its size in user units. */
export function parseSvg(svg: string): { width: number; height: number } {
  const r = new Resvg(svg, { font: { loadSystemFonts: false } });
  return { width: r.width, height: r.height };
}

/** The text content of every SVG <text> element (tspans joined, hover <title>s left out), entities decoded. */
export function svgTexts(svg: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    decode(m[1]!.replace(/<title>[\s\S]*?<\/title>/g, '').replace(/<[^>]+>/g, '')),
  );
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, row-major. */
  pixels: Uint8Array;
}

/** Decode an 8-bit RGBA or RGB, non-interlaced PNG (what resvg writes). */
export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG signature');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('latin1');
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || body[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, interlace ${body[12]})`);
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${colour}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const x = line[i]!;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad PNG filter ${filter} on row ${y}`);
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++)
      for (let k = 0; k < 4; k++) out[(y * width + px) * 4 + k] = k < channels ? cur[px * channels + k]! : 255;
    prev = cur;
  }
  return { width, height, pixels: out };
}

/** The share of pixels that differ from the top-left pixel (the background), and the number of distinct colours. */
export function inkShare(img: DecodedPng): { share: number; colours: number } {
  const p = img.pixels;
  const bg = [p[0], p[1], p[2], p[3]];
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < p.length; i += 4) {
    if (p[i] !== bg[0] || p[i + 1] !== bg[1] || p[i + 2] !== bg[2] || p[i + 3] !== bg[3]) ink++;
    if (colours.size < 10_000) colours.add(((p[i]! << 16) | (p[i + 1]! << 8) | p[i + 2]!) >>> 0);
  }
  return { share: ink / (p.length / 4), colours: colours.size };
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

/** Every `N 0 obj … endobj` of an uncompressed-xref PDF (pdfkit's), streams inflated. */
export function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const body = m[2]!;
    const s = body.indexOf('stream');
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const startInFile = m.index + m[0].indexOf(body) + s + 'stream'.length + (body[s + 6] === '\r' ? 2 : 1);
    const len = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    let stream = pdf.subarray(startInFile, startInFile + len);
    if (/\/FlateDecode/.test(dict)) stream = zlib.inflateSync(stream);
    objects.set(Number(m[1]), { dict, stream });
  }
  return objects;
}

/** Glyph code → text, from a ToUnicode CMap's bfrange/bfchar lines (what pdfkit writes). */
function cmap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  // A ligature glyph maps to several UTF-16 units, written <0066 006c>.
  const hexText = (h: string) =>
    String.fromCharCode(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
  for (const m of text.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]/g)) {
    const lo = parseInt(m[1]!, 16);
    [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((x, i) => map.set(lo + i, hexText(x[1]!)));
  }
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  return map;
}

export interface PdfInfo {
  pages: number;
  mediaBox: number[];
  /** Embedded TrueType font programs (/FontFile2) and their base font names. */
  embeddedFonts: string[];
  /** The page's text, glyph by glyph through each font's ToUnicode map, in content order. */
  text: string;
}

export function readPdf(pdf: Buffer): PdfInfo {
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('not a PDF');
  const objects = pdfObjects(pdf);
  const all = [...objects.values()];
  const pages = all.filter((o) => /\/Type\s*\/Page\b(?!s)/.test(o.dict));
  const page = pages[0];
  if (!page) throw new Error('no page');
  const mediaBox = (/\/MediaBox\s*\[([^\]]*)\]/.exec(page.dict)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1]);
  // Page fonts: resource name → ToUnicode map.
  const resources = /\/Resources\s+(\d+) 0 R/.exec(page.dict)
    ? objects.get(ref(page.dict, 'Resources'))!.dict
    : page.dict;
  const fontDictText = /\/Font\s+(\d+) 0 R/.exec(resources) ? objects.get(ref(resources, 'Font'))!.dict : resources;
  const fonts = new Map<string, Map<number, string>>();
  for (const m of fontDictText.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
    const font = objects.get(Number(m[2]))!;
    const tu = objects.get(ref(font.dict, 'ToUnicode'));
    fonts.set(m[1]!, tu?.stream ? cmap(tu.stream.toString('latin1')) : new Map());
  }
  const embeddedFonts = all
    .filter((o) => /\/FontFile2\s+\d+ 0 R/.test(o.dict))
    .map((o) => /\/FontName\s*\/([^\s/]+)/.exec(o.dict)?.[1] ?? '?');
  const contents = ref(page.dict, 'Contents');
  const content = objects.get(contents)?.stream?.toString('latin1') ?? '';
  let font = new Map<number, string>();
  let text = '';
  for (const m of content.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
    if (m[1]) font = fonts.get(m[1]) ?? new Map();
    const hex = m[2] ?? [...(m[3] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]).join('');
    for (const code of hex.match(/.{4}/g) ?? []) text += font.get(parseInt(code, 16)) ?? '\uFFFD';
  }
  return { pages: pages.length, mediaBox, embeddedFonts, text };
}
