// Lint and format rules. neostandard supplies the code style (it is the
// format check), typescript-eslint the type-aware rules, and the blocks below
// keep the layers apart as docs/architecture.md describes.
import neostandard from 'neostandard'
import tseslint from 'typescript-eslint'

const ioModules = ['ws', 'undici', 'fastify', 'pino', 'prom-client', 'env-schema', 'node:net', 'node:tls', 'node:http', 'node:https', 'node:timers', 'node:fs', 'node:child_process']

/**
 * Import patterns for other folders of src/, reached from any depth
 * (`../client/…`, `../../client/…`), each with why it is out of bounds.
 */
const noImportsFrom = (why, ...folders) => folders.map((folder) => ({ regex: `^(\\.\\./)+${folder}/`, message: `${why} (docs/architecture.md)` }))

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
      'no-restricted-imports': ['error', { paths: ioModules, patterns: noImportsFrom('layer 0 imports no higher layer', 'connection', 'client', 'gateway', 'testing', 'cli') }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'layer 0 takes time as an argument' },
        { object: 'Math', property: 'random', message: 'layer 0 takes randomness as an argument' }],
    },
  },
  {
    files: ['src/connection/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noImportsFrom('layer 1 imports only layer 0', 'client', 'gateway', 'testing', 'cli') }],
    },
  },
  {
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noImportsFrom('layer 2 imports only layers 0 and 1', 'gateway', 'testing', 'cli') }],
    },
  },
  {
    files: ['src/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...noImportsFrom('the gateway uses the Client\'s public API (src/client/), not the sockets under it', 'connection'),
          ...noImportsFrom('the gateway imports no tooling', 'testing', 'cli'),
        ],
      }],
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[property.name='pool']",
        message: 'the gateway uses the Client\'s public API, not its pool (docs/architecture.md)',
      }],
    },
  },
  {
    files: ['src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noImportsFrom('the test kit does not depend on the gateway or the CLI', 'gateway', 'cli') }],
    },
  },
]
