// An exported figure (SVG, PNG, PDF) arrives as base64 in the call's answer: it becomes a Blob
// and a download here, the same on the desktop and in the browser (no server path, no second request).
import { downloadBlob } from '../../lib/download';
import { base64ToBytes } from './figureForm';

/** Starts the download; returns the file's size in bytes. */
export function downloadBytes(base64: string, fileName: string, mime: string): number {
  const bytes = base64ToBytes(base64);
  downloadBlob(new Blob([bytes], { type: mime }), fileName);
  return bytes.length;
}
