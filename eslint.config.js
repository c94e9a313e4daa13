import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'dist/**', 'web/static/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Every regular expression may meet input from outside (a mail body, a fax's text, a partner's
    // file): none may backtrack or move super-linearly (issue #12; 40,000 spaces once took 9 s).
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    // Workflow code is replayed deterministically in a sandbox: no Node built-ins, no I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must not use Node built-ins; do it in an activity.' })),
        patterns: [{ group: ['../activities/*', '../worker/*'], message: 'Import activities as types only (import type).', allowTypeImports: true }],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name=/^(getHours|getMinutes|getDate|getDay|getMonth|getFullYear|toLocaleString|toLocaleDateString|toLocaleTimeString)$/]", message: 'No local-time Date methods in workflows (use UTC or domain/ helpers).' },
      ],
    },
  },
  {
    // The domain is pure: the workflows bundle it (one Node import there broke the workflow bundle);
    // files are read in storage/ (the master data: storage/masterdata-source.ts).
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'domain/ is pure business logic: no Node built-ins; do I/O in activities/ or storage/.' })),
      }],
    },
  },
  {
    files: ['bin/**/*.mjs', 'activities/*.mjs', 'parsers/**/*.mjs', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null }, globals: { process: 'readonly', console: 'readonly' } },
  },
);
