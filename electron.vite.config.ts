import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for every face: the Electron main process, the Node CLI (which also runs serve
// mode), the preload bridge and the React renderer (served by serve mode, loaded by Electron).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
          // Statistics and splits of large datasets run here, on a worker thread (core/datasets/offthread.ts).
          'dataset-worker': resolve(__dirname, 'src/main/core/datasets/compute-worker.ts'),
          // The import's SQLite writer runs here, on a worker thread (core/datasets/import/sql-writer.ts).
          'import-writer': resolve(__dirname, 'src/main/core/datasets/import/writer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      // The manifest tells serve mode which files the evaluator page loads (transports/static-site.ts):
      // an evaluator gets those and 403 for the lab's.
      manifest: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
          // Blind evaluators' page: its own entry and bundle, so the lab's code never loads for them.
          evaluator: resolve(__dirname, 'src/renderer/evaluator.html'),
        },
      },
    },
    plugins: [react()],
  },
});
