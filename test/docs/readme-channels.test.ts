/**
 * The README's row for GET /v1/channels names fields a real response has,
 * spelt as the response spells them (it once said join_ref for joinRef).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { channelConfig } from '../gateway/helpers.ts'
import { http, joined, startGw } from '../gateway/http/support.ts'

test('every field the README lists for GET /v1/channels is in the response', async (t) => {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
  const row = readme.split('\n').find((line) => line.startsWith('| `GET /v1/channels` |'))
  assert.ok(row !== undefined, 'the README has a row for GET /v1/channels')
  const named = [...(row.split('|')[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
  assert.ok(named.length >= 5, `the row names the fields: ${row}`)

  const gw = await startGw(t, [channelConfig('echo:lobby')])
  await joined(gw, 'echo:lobby')
  const res = await http(gw.base, '/v1/channels')
  assert.equal(res.status, 200)
  const [channel] = (res.json as { channels: Array<Record<string, unknown>> }).channels
  assert.ok(channel !== undefined)
  assert.deepEqual(named.filter((name) => !(name in channel)), [], `fields of a channel: ${Object.keys(channel).join(', ')}`)
})
