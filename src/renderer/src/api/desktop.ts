// Desktop face: the preload bridge (window.srlab) over IPC. Files are passed by path.
import type { ApiEvent, Method } from '../../../shared/api';
import type { CallResult } from '../../../shared/contract';
import type { SrlabClient } from './client';
import { ApiCallError } from './errors';
import { parseEvent } from './events';

/** What the preload exposes; declared here rather than globally so faces stay independent. */
export interface DesktopBridge {
  call(method: string, input: unknown): Promise<CallResult<unknown>>;
  onEvent(listener: (e: unknown) => void): () => void;
  pathForFile(file: File): string;
}

export function desktopBridge(): DesktopBridge | null {
  const bridge = (globalThis as { srlab?: DesktopBridge }).srlab;
  return bridge && typeof bridge.call === 'function' ? bridge : null;
}

export function createDesktopClient(bridge: DesktopBridge): SrlabClient {
  async function call(method: Method, input: unknown): Promise<never> {
    const res = await bridge.call(method, input ?? {});
    if (res.ok) return res.result as never;
    throw new ApiCallError(res.error);
  }
  return {
    face: 'desktop',
    call: call as SrlabClient['call'],
    onEvent(listener: (event: ApiEvent) => void) {
      return bridge.onEvent((raw) => {
        const event = parseEvent(raw);
        if (event) listener(event);
      });
    },
    upload() {
      return Promise.reject(
        new ApiCallError({
          kind: 'invalid-input',
          message: 'Uploads are for the browser; the desktop app reads files by path.',
        }),
      );
    },
    async importSource(file, onProgress) {
      const path = bridge.pathForFile(file);
      if (!path)
        throw new ApiCallError({
          kind: 'invalid-input',
          message: `Cannot read "${file.name}": it has no path on disk.`,
        });
      onProgress?.(file.size, file.size);
      return { kind: 'path', path };
    },
    exportUrl() {
      return null;
    },
    rejectsUrl() {
      return null;
    },
  };
}
