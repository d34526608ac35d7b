// Browser face (serve mode): JSON over same-origin HTTP, events over SSE, uploads as raw bodies.
// The session cookie set by the start URL's redirect authenticates every request.
import type { ApiEvent, Method } from '../../../shared/api';
import type { ApiErrorBody, CallResult } from '../../../shared/contract';
import type { SrlabClient, UploadProgress } from './client';
import { ApiCallError } from './errors';
import { createListenerSet, parseEvent } from './events';

function isCallResult(v: unknown): v is CallResult<unknown> {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/** A body that is not our JSON envelope (a proxy page, an auth failure) still gives a readable error. */
function unexpectedResponse(status: number, statusText: string): ApiCallError {
  const message =
    status === 401 || status === 403
      ? 'Not signed in to this srlab server: open the start URL (with ?token=…) the server printed.'
      : `The server answered ${status} ${statusText}`.trim();
  return new ApiCallError({ kind: 'failed', message });
}

function unwrap<T>(status: number, statusText: string, body: unknown): T {
  if (!isCallResult(body)) throw unexpectedResponse(status, statusText);
  if (body.ok) return body.result as T;
  throw new ApiCallError(body.error as ApiErrorBody);
}

export function createHttpClient(base = ''): SrlabClient {
  const listeners = createListenerSet<ApiEvent>();
  let source: EventSource | null = null;

  // One shared SSE connection, opened with the first listener; EventSource reconnects by itself.
  function connect() {
    if (source) return;
    source = new EventSource(`${base}/api/events`);
    source.onmessage = (msg) => {
      let raw: unknown;
      try {
        raw = JSON.parse(msg.data as string);
      } catch {
        return;
      }
      const event = parseEvent(raw);
      if (event) listeners.emit(event);
    };
  }

  async function call(method: Method, input: unknown): Promise<never> {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (err) {
      throw new ApiCallError({ kind: 'failed', message: `Cannot reach the srlab server (${(err as Error).message}).` });
    }
    const body: unknown = await res.json().catch(() => null);
    return unwrap<never>(res.status, res.statusText, body);
  }

  function upload(file: File, onProgress?: UploadProgress, signal?: AbortSignal) {
    // XHR rather than fetch: it reports upload progress, and streams the File from disk.
    return new Promise<{ uploadId: string; name: string; bytes: number }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/api/uploads?name=${encodeURIComponent(file.name)}`);
      xhr.responseType = 'json';
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onload = () => {
        try {
          resolve(unwrap(xhr.status, xhr.statusText, xhr.response));
        } catch (err) {
          reject(err);
        }
      };
      xhr.onerror = () =>
        reject(new ApiCallError({ kind: 'failed', message: 'The upload failed: the connection was lost.' }));
      xhr.onabort = () => reject(new ApiCallError({ kind: 'cancelled', message: 'The upload was cancelled.' }));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    });
  }

  return {
    face: 'browser',
    call: call as SrlabClient['call'],
    onEvent(listener) {
      const off = listeners.add(listener);
      connect();
      return () => {
        off();
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
    upload,
    async importSource(file, onProgress, signal) {
      const { uploadId } = await upload(file, onProgress, signal);
      return { kind: 'upload', uploadId };
    },
    exportUrl(fileName) {
      return `${base}/api/exports/${encodeURIComponent(fileName)}`;
    },
    rejectsUrl(fileName) {
      return `${base}/api/rejects/${encodeURIComponent(fileName)}`;
    },
  };
}
