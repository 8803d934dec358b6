/**
 * docs/configuration.md is generated from the JSON Schema and the
 * environment schema; it must match what `npm run docs:config` writes now.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DOCS_FILE, renderConfigDocs } from '../../../scripts/gen-config-docs.ts'
import { ENV_SCHEMA } from '../../../src/gateway/config/index.ts'
import { readSchema, type SchemaNode } from '../../../src/gateway/config/schema.ts'
import { root } from './helpers.ts'

test('docs/configuration.md is up to date with the schema (run npm run docs:config)', async () => {
  const written = await readFile(join(root, DOCS_FILE), 'utf8')
  assert.equal(written, await renderConfigDocs())
})

test('the reference lists every key of every object and every variable', async () => {
  const text = await renderConfigDocs()
  const schema = await readSchema()
  const tables: Array<[string, SchemaNode | undefined]> = [
    ['', schema],
    ['upstreams[].', schema.definitions?.['upstream']],
    ['channels[].', schema.definitions?.['channel']],
    ['sse.', schema.properties?.['sse']],
  ]
  for (const [prefix, node] of tables) {
    const keys = Object.keys(node?.properties ?? {})
    assert.ok(keys.length > 0)
    for (const key of keys) assert.ok(text.includes(`| \`${prefix}${key}\` |`), `${prefix}${key} is documented`)
  }
  for (const name of Object.keys(ENV_SCHEMA.properties)) assert.ok(text.includes(`| \`${name}\` |`), `${name} is documented`)
})

test('every property in the schema has a description', async () => {
  const schema = await readSchema()
  const missing: string[] = []
  const visit = (node: SchemaNode, path: string): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (child.description === undefined && !['env', 'file'].includes(key)) missing.push(`${path}${key}`)
      visit(child, `${path}${key}.`)
    }
  }
  visit(schema, '')
  for (const [name, def] of Object.entries(schema.definitions ?? {})) visit(def, `${name}.`)
  assert.deepEqual(missing, [])
})
