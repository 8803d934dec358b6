/**
 * Value sources are resolved at the moment of use (every connect): a file is
 * re-read each time, an environment variable looked up each time. Errors say
 * which variable or file is missing and never contain a value.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { ConfigError, describeSource, resolveParams, resolveSecret, resolveValue } from '../../../src/gateway/config/index.ts'
import { problemsOf, tempDir, writeTemp } from './helpers.ts'

test('a literal resolves to itself, whatever its type', async () => {
  assert.equal(await resolveValue('plain', {}), 'plain')
  assert.equal(await resolveValue(42, {}), 42)
  assert.equal(await resolveValue(false, {}), false)
  assert.equal(await resolveValue('', {}), '')
})

test('an env source reads the record given at each call', async () => {
  const env: Record<string, string | undefined> = { TOKEN: 'first' }
  assert.equal(await resolveValue({ env: 'TOKEN' }, env), 'first')
  env['TOKEN'] = 'second'
  assert.equal(await resolveValue({ env: 'TOKEN' }, env), 'second')
})

test('a file source is re-read at each call, without one trailing newline', async (t) => {
  const path = await writeTemp(await tempDir(t), 'token', 'token-one\n')
  assert.equal(await resolveValue({ file: path }, {}), 'token-one')
  await writeFile(path, 'token-two\r\n')
  assert.equal(await resolveValue({ file: path }, {}), 'token-two')
  await writeFile(path, 'token-three')
  assert.equal(await resolveSecret({ file: path }, {}), 'token-three')
})

test('a missing or empty variable is an error naming it, never a value', async () => {
  assert.deepEqual(await problemsOf(() => resolveValue({ env: 'NOPE' }, { OTHER: 'sekrit' })), ['environment variable NOPE is not set'])
  assert.deepEqual(await problemsOf(() => resolveValue({ env: 'EMPTY' }, { EMPTY: '' }, '/upstreams/0/authToken')),
    ['/upstreams/0/authToken: environment variable EMPTY is empty'])
})

test('a missing or empty file is an error naming it, and a file\'s content never appears in an error', async (t) => {
  const dir = await tempDir(t)
  const missing = join(dir, 'missing')
  const err = await resolveSecret({ file: missing }, {}, '/upstreams/0/authToken').then(() => undefined, (e: unknown) => e)
  assert.ok(err instanceof ConfigError)
  assert.equal(err.code, 'BC_ERR_CONFIG')
  assert.deepEqual(err.problems, [`/upstreams/0/authToken: cannot read file ${missing}: ENOENT`])
  const empty = await writeTemp(dir, 'empty', '\n')
  assert.deepEqual(await problemsOf(() => resolveValue({ file: empty }, {})), [`file ${empty} is empty`])
  assert.deepEqual(await problemsOf(() => resolveValue({ file: dir }, {})), [`cannot read file ${dir}: EISDIR`])
})

test('resolveParams resolves every param for one connect, labelling errors with the param', async (t) => {
  const path = await writeTemp(await tempDir(t), 'token', 'from-file\n')
  const params = { literal: 'x', n: 1, fromEnv: { env: 'REGION' }, fromFile: { file: path } }
  assert.deepEqual(await resolveParams(params, { REGION: 'eu' }), { literal: 'x', n: 1, fromEnv: 'eu', fromFile: 'from-file' })
  assert.deepEqual(await problemsOf(() => resolveParams(params, {}, '/upstreams/0/params')),
    ['/upstreams/0/params/fromEnv: environment variable REGION is not set'])
})

test('describeSource says where a value comes from, never what it is', () => {
  assert.equal(describeSource('sekrit'), 'literal')
  assert.equal(describeSource({ env: 'TOKEN' }), 'env TOKEN')
  assert.equal(describeSource({ file: '/run/token' }), 'file /run/token')
})
