// The one typed client the renderer talks to. Desktop and browser differ only in transport,
// in how a chosen file reaches the server, and in how an export is fetched.
import type { SrlabApi } from '../../../shared/api';
import type { z } from 'zod';
import type { ImportSource } from '../../../shared/contracts/datasets';

export type ImportSourceInput = z.input<typeof ImportSource>;

/** Bytes sent so far of a file being handed to the server. */
export type UploadProgress = (sent: number, total: number) => void;

export interface SrlabClient extends SrlabApi {
  face: 'desktop' | 'browser';
  /** Browser only: POST the file to /api/uploads; resolves with its upload id. */
  upload(
    file: File,
    onProgress?: UploadProgress,
    signal?: AbortSignal,
  ): Promise<{ uploadId: string; name: string; bytes: number }>;
  /** What `datasets.import` needs to read this file: an upload (browser) or its path (desktop). */
  importSource(file: File, onProgress?: UploadProgress, signal?: AbortSignal): Promise<ImportSourceInput>;
  /** A download URL for an exported file (browser); null on the desktop, where the path is shown. */
  exportUrl(fileName: string): string | null;
  /** A download URL for an import's rejects file by its name (browser); null on the desktop. */
  rejectsUrl(fileName: string): string | null;
}
