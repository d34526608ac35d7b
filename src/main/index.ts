// Electron entry: window, menu and the IPC transport — thin by design. Everything else is the
// core, shared with serve mode and the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, safeStorage, shell } from 'electron';
import { createCore, type Core } from './core';
import { registerIpc, IPC_EVENT } from './transports/ipc';

app.setName('srlab');

const here = path.dirname(fileURLToPath(import.meta.url));

/** The Electron build of better-sqlite3, made by `npm run build:electron-sqlite`. */
function electronSqliteBinding(): string | undefined {
  const file = path.join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node');
  return fs.existsSync(file) ? file : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'srlab',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      // Sandboxed preloads must be CommonJS: electron.vite.config.ts builds it as index.cjs.
      sandbox: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Links open in the system browser; the app window never navigates away from the renderer.
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(here, '../renderer/index.html'));
  return win;
}

let core: Core | undefined;

app.whenReady().then(async () => {
  const nativeBinding = electronSqliteBinding();
  core = await createCore({
    home: process.env.SRLAB_HOME ?? app.getPath('userData'),
    ...(nativeBinding ? { nativeBinding } : {}),
    // API keys are encrypted with the OS keychain (core never imports electron: injected here).
    safeStorage,
  });
  registerIpc(ipcMain, core, (event) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT, event);
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void core?.close();
});
