// The desktop bridge: `window.srlab` with no domain knowledge. It forwards calls to the main
// process (which validates them against the contract) and events back. Sandboxed: no imports
// but electron's own.
import { contextBridge, ipcRenderer, webUtils } from 'electron';

const IPC_CALL = 'srlab:call';
const IPC_EVENT = 'srlab:event';

contextBridge.exposeInMainWorld('srlab', {
  call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CALL, method, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
  /** A dropped or picked file's path, so imports read it in place instead of uploading. */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
