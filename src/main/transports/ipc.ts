// Desktop transport: the contract over Electron IPC. Typed structurally so this file needs no
// 'electron' import (only src/main/index.ts has one); the core validates every call's input.
import type { ApiEvent } from '../../shared/api';
import type { Core } from '../core';

export const IPC_CALL = 'srlab:call';
export const IPC_EVENT = 'srlab:event';

interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerIpc(ipcMain: IpcMainLike, core: Core, send: (event: ApiEvent) => void): () => void {
  ipcMain.handle(IPC_CALL, (_event, method, input) => {
    if (typeof method !== 'string')
      return { ok: false, error: { kind: 'invalid-input', message: 'method must be a string' } };
    return core.call(method, input);
  });
  const unsubscribe = core.events.subscribe(send);
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
