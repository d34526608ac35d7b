// Starting a file download from the renderer, the same on the desktop and in the browser: a
// hidden link with `download` is clicked. Used for a URL the server serves (an exported session
// file) and for bytes already here (a table's text, a figure), which become a Blob URL.

/** Downloads what `url` points at, saved as `fileName`. */
export function startDownload(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Downloads content already in memory: no server path, no second request. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  startDownload(url, fileName);
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
