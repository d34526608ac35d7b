// Save text the server produced (a LaTeX table, a CSV) as a file download, on the desktop and in
// the browser alike: the text is already here, so a Blob URL needs no second request.
import { downloadBlob } from '../../lib/download';

export function downloadText(text: string, fileName: string, mimeType: string): void {
  downloadBlob(new Blob([text], { type: `${mimeType};charset=utf-8` }), fileName);
}
