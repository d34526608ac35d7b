// Layering by runtime, enforced (VS Code's idea): shared code imports neither Node nor the
// DOM-only renderer; the core never imports electron; only src/main/*.ts and the preload may.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ELECTRON_ONLY_IN_MAIN = {
  name: 'electron',
  message: 'Only src/main/*.ts may import electron; the core serves CLI and serve mode too.',
};

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'stream',
  'http',
  'url',
  'worker_threads',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/.data/**', 'python-worker/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...NODE_BUILTINS, 'electron', '**/main/**'] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...NODE_BUILTINS, 'electron', '**/main/**', '**/renderer/**'] }],
    },
  },
  {
    files: ['src/main/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_ONLY_IN_MAIN],
        },
      ],
    },
  },
  {
    // The faces outside the process (CLI, HTTP, IPC) reach the core through one door: its public
    // index (createCore, the Core with call/invoke/onEvent, and the few helpers it exports) and
    // the shared contract — never a service module, so no input can skip the contract's checks.
    files: ['src/main/cli/**/*.ts', 'src/main/transports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_ONLY_IN_MAIN],
          patterns: [
            {
              group: ['**/core/*', '!**/core/index'],
              message:
                "Import the core's public index only (../core or ../../core); export what is needed from src/main/core/index.ts.",
            },
            { group: ['**/renderer/**', '**/preload/**'], message: 'The CLI and transports do not import UI code.' },
          ],
        },
      ],
    },
  },
);
