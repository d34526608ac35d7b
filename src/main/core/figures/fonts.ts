// The bundled DejaVu Sans files (dejavu-fonts-ttf), the one family every figure names. PNG and PDF
// exports load these files and never the system's fonts, so a figure is the same on every machine.
// Resolved through the package (not a path relative to this module): electron-vite externalizes
// node_modules in the main build, so out/main/cli.js finds it exactly as the sources do.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FigureFonts {
  regular: string;
  bold: string;
  oblique: string;
  boldOblique: string;
}

let cached: FigureFonts | null = null;

export function figureFonts(): FigureFonts {
  if (cached) return cached;
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const fonts: FigureFonts = {
    regular: path.join(dir, 'DejaVuSans.ttf'),
    bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
    oblique: path.join(dir, 'DejaVuSans-Oblique.ttf'),
    boldOblique: path.join(dir, 'DejaVuSans-BoldOblique.ttf'),
  };
  for (const file of Object.values(fonts))
    if (!fs.existsSync(file)) throw new Error(`the figure font ${file} is missing (is dejavu-fonts-ttf installed?)`);
  cached = fonts;
  return fonts;
}
