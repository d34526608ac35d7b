// An exported figure (SVG, PNG, PDF) arrives as base64 in the call's answer: it becomes a Blob
// and a download here, the same on the desktop and in the browser (no server path, no second request).
import { base64ToBytes } from './figureForm';

/** Starts the download; returns the file's size in bytes. */
export function downloadBytes(base64: string, fileName: string, mime: string): number {
  const bytes = base64ToBytes(base64);
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return bytes.length;
}
