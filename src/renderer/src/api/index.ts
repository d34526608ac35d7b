// The renderer's API: the desktop bridge when the preload provided one, else serve mode's HTTP.
import { createDesktopClient, desktopBridge } from './desktop';
import { createHttpClient } from './browser';
import type { SrlabClient } from './client';

function pickClient(): SrlabClient {
  const bridge = desktopBridge();
  return bridge ? createDesktopClient(bridge) : createHttpClient();
}

export const api: SrlabClient = pickClient();
export type { SrlabClient, ImportSourceInput, UploadProgress } from './client';
export { ApiCallError, errorIssues, errorMessage } from './errors';
