/**
 * The config file is validated by code generated ahead of time from the
 * schema (scripts/gen-config-validator.ts); the committed module must be
 * what the generator writes now, or start-up would enforce a stale schema.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderValidator, VALIDATOR_FILE } from '../../../scripts/gen-config-validator.ts'
import { readSchema, strictAjv } from '../../../src/gateway/config/schema.ts'
import { validate } from '../../../src/gateway/config/file-validator.generated.ts'
import { root } from './helpers.ts'

test(`${VALIDATOR_FILE} is up to date with the schema (run npm run docs:config)`, async () => {
  const written = await readFile(join(root, VALIDATOR_FILE), 'utf8')
  assert.equal(written, await renderValidator())
})

test('the generated validator and a runtime compile agree on verdicts, defaults and errors', async () => {
  const compiled = strictAjv().compile(await readSchema())
  const samples: unknown[] = [
    { upstreams: [{ name: 'main', url: 'ws://127.0.0.1/socket' }] },
    { upstreams: [{ name: 'main', url: 'ws://127.0.0.1/socket', poolSize: 0 }], channels: [{ topic: 'a' }] },
    { upstreams: [], chanels: [] },
    { upstreams: [{ name: 'm', url: 'ws://h/socket', authToken: { env: 'T', file: 'x' } }], channels: [{ topic: 'room:1', replay: 'ten' }] },
  ]
  for (const sample of samples) {
    const a = structuredClone(sample)
    const b = structuredClone(sample)
    const generated = validate as unknown as typeof compiled
    assert.equal(generated(a), compiled(b), JSON.stringify(sample))
    assert.deepEqual(a, b, 'defaults filled in the same way')
    const strip = (errors: typeof compiled.errors): unknown => (errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, parent: e.parentSchema }))
    assert.deepEqual(strip(generated.errors), strip(compiled.errors))
  }
})
