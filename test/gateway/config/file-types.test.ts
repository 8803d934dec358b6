/**
 * The config file's types are generated from the schema
 * (scripts/gen-config-types.ts) and types.ts derives the resolved ones from
 * them: the committed module must be what the generator writes now, or the
 * code would be typed against a stale schema.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderTypes, TYPES_FILE } from '../../../scripts/gen-config-types.ts'
import { root } from './helpers.ts'

test(`${TYPES_FILE} is up to date with the schema (run npm run docs:config)`, async () => {
  const written = await readFile(join(root, TYPES_FILE), 'utf8')
  assert.equal(written, await renderTypes())
})

test('a field with a default or listed as required is always present; any other is optional', async () => {
  const text = await renderTypes({
    type: 'object',
    additionalProperties: false,
    required: ['a'],
    properties: {
      a: { type: 'string' },
      b: { type: 'integer', default: 1 },
      c: { type: ['string', 'null'] },
      d: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } },
      e: { type: 'object', additionalProperties: false, maxProperties: 1, properties: { env: { type: 'string' }, file: { type: 'string' } } },
    },
  })
  assert.match(text, /^export interface RawFile \{\n {2}a: string\n {2}b: number\n {2}c\?: string \| null\n {2}d\?: Array<'x' \| 'y'>\n {2}e\?: \{ env: string \} \| \{ file: string \}\n\}$/m)
})

test('a keyword the generator does not understand stops it rather than being read loosely', async () => {
  await assert.rejects(renderTypes({ type: 'object', additionalProperties: false, properties: { a: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } }), /does not understand "oneOf"/)
  await assert.rejects(renderTypes({ type: 'object', properties: { a: { type: 'string' } } }), /additionalProperties: false/)
  await assert.rejects(renderTypes({ type: 'object', additionalProperties: false, properties: { a: { $ref: '#/definitions/missing' } } }), /unknown \$ref/)
})
