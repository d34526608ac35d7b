// A rendered SVG as a file: SVG as it is, PNG through resvg at a chosen DPI, vector PDF through
// pdfkit + svg-to-pdfkit on one page of exactly the figure's size, the DejaVu fonts embedded (text
// stays text). SVG user units are points, so sizes carry straight into print.
//
// The renderers load on first use, not with this module: every `srlab` command loads the core, and
// pdfkit (with fontkit, @noble/*, …), svg-to-pdfkit and resvg cost ~0.15 s of startup that only a
// figure export needs (tests/integration/cli-startup.test.ts).
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { DEFAULT_DPI } from '../../../shared/contracts/figures';
import { FIGURE_FONT_FAMILY } from '../../../shared/figures/theme';
import { type FigureFormat, PT_PER_INCH } from '../../../shared/figures/spec';
import { figureFonts } from './fonts';

export const FIGURE_MIME: Record<FigureFormat, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  pdf: 'application/pdf',
};

/** Pixel width of a PNG export: the figure's width in inches × dpi. */
export function pngPixelWidth(widthPt: number, dpi: number): number {
  return Math.round((widthPt / PT_PER_INCH) * dpi);
}

/**
 * resvg, required when the first PNG is drawn. svgToPng stays synchronous (callers take its bytes
 * directly), and @resvg/resvg-js is CommonJS only, so `require` gives the very module `import` did.
 */
let resvgClass: typeof ResvgClass | null = null;
function loadResvg(): typeof ResvgClass {
  resvgClass ??= (createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js')).Resvg;
  return resvgClass;
}

export function svgToPng(svg: string, widthPt: number, dpi = DEFAULT_DPI): Buffer {
  const f = figureFonts();
  const Resvg = loadResvg();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: pngPixelWidth(widthPt, dpi) },
    font: {
      loadSystemFonts: false,
      fontFiles: [f.regular, f.bold, f.oblique, f.boldOblique],
      defaultFontFamily: FIGURE_FONT_FAMILY,
      sansSerifFamily: FIGURE_FONT_FAMILY,
    },
    // Text and shapes only: nothing to fetch.
    imageRendering: 0,
  });
  return resvg.render().asPng();
}

/** The names the PDF's fonts are registered under (svg-to-pdfkit asks by family, bold, italic). */
const PDF_FONTS = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  oblique: 'DejaVuSans-Oblique',
  boldOblique: 'DejaVuSans-BoldOblique',
};

export async function svgToPdf(svg: string, widthPt: number, heightPt: number): Promise<Buffer> {
  const f = figureFonts();
  // Imported (not required) so Node picks pdfkit's ES build, as the static import did; the
  // module cache makes every later export pay nothing.
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([
    import('pdfkit'),
    import('svg-to-pdfkit'),
  ]);
  const doc = new PDFDocument({
    size: [widthPt, heightPt],
    margin: 0,
    autoFirstPage: true,
    // A fixed date: the same figure gives the same PDF bytes.
    info: { Producer: 'srlab', Creator: 'srlab', CreationDate: new Date(0) },
  });
  doc.registerFont(PDF_FONTS.regular, f.regular);
  doc.registerFont(PDF_FONTS.bold, f.bold);
  doc.registerFont(PDF_FONTS.oblique, f.oblique);
  doc.registerFont(PDF_FONTS.boldOblique, f.boldOblique);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const warnings: string[] = [];
  SVGtoPDF(doc, svg, 0, 0, {
    width: widthPt,
    height: heightPt,
    // Every figure names DejaVu Sans; whatever family a kind writes, the PDF embeds DejaVu.
    fontCallback: (_family, bold, italic) =>
      bold && italic ? PDF_FONTS.boldOblique : bold ? PDF_FONTS.bold : italic ? PDF_FONTS.oblique : PDF_FONTS.regular,
    warningCallback: (m) => warnings.push(m),
  });
  doc.end();
  return done;
}

export interface FigureFile {
  bytes: Buffer;
  mime: string;
}

export async function figureFile(
  svg: string,
  format: FigureFormat,
  size: { width: number; height: number },
  dpi = DEFAULT_DPI,
): Promise<FigureFile> {
  const bytes =
    format === 'svg'
      ? Buffer.from(svg, 'utf8')
      : format === 'png'
        ? svgToPng(svg, size.width, dpi)
        : await svgToPdf(svg, size.width, size.height);
  return { bytes, mime: FIGURE_MIME[format] };
}
