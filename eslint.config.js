// Lint and format rules. neostandard supplies the code style (it is the
// format check), typescript-eslint the type-aware rules, and the blocks below
// keep the layers apart as docs/architecture.md describes.
import neostandard from 'neostandard'
import tseslint from 'typescript-eslint'

const ioModules = ['ws', 'undici', 'fastify', 'pino', 'prom-client', 'env-schema', 'node:net', 'node:tls', 'node:http', 'node:https', 'node:timers', 'node:fs', 'node:child_process']

export default [
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.tmp/**', 'src/**/*.generated.ts'] },
  ...neostandard({ ts: true }),
  ...tseslint.configs.strictTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/phoenix/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules, patterns: ['../connection/*', '../client/*', '../gateway/*', '../testing/*', '../cli/*'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'layer 0 takes time as an argument' },
        { object: 'Math', property: 'random', message: 'layer 0 takes randomness as an argument' }],
    },
  },
  {
    files: ['src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../gateway/*', '../../gateway/*', '../cli/*', '../../cli/*'] }],
    },
  },
]
