/**
 * Reading the file: YAML 1.2 and JSON, with duplicate keys, unknown tags and
 * syntax errors reported by line and column, never by echoing the source
 * (a line may hold a secret).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { ConfigError, loadConfigFile } from '../../../src/gateway/config/index.ts'
import { problemsOf, tempDir, writeTemp } from './helpers.ts'

const head = 'upstreams:\n  - name: app\n    url: ws://h/socket\n'

test('a YAML duplicate key is an error with its line, not a silent overwrite', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', `${head}    poolSize: 2\n    poolSize: 3\n`)
  assert.deepEqual(await problemsOf(() => loadConfigFile(file)), ['line 5, column 5: Map keys must be unique'])
})

test('a JSON duplicate key is an error, not resolved to the last one as JSON.parse would', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.json', '{"upstreams": [{"name": "a", "url": "ws://h/s", "poolSize": 1, "poolSize": 2}]}')
  assert.deepEqual(await problemsOf(() => loadConfigFile(file)), ['line 1, column 64: Map keys must be unique'])
})

test('a JSON syntax error names the position, never the text', async (t) => {
  const dir = await tempDir(t)
  const broken = await writeTemp(dir, 'a.json', '{"upstreams": [{"name": "sekrit"}}')
  assert.deepEqual(await problemsOf(() => loadConfigFile(broken)), ['line 1, column 34: not valid JSON'])
  const short = await writeTemp(dir, 'short.json', '{"a": [}')
  assert.deepEqual(await problemsOf(() => loadConfigFile(short)), ['line 1, column 8: not valid JSON'], 'V8 quotes short texts: the position comes from the YAML parser')
  const yamlish = await writeTemp(dir, 'b.json', '{"upstreams": [{"name": "sekrit", url: "ws://h/s"}]}')
  assert.deepEqual(await problemsOf(() => loadConfigFile(yamlish)), ['line 1, column 35: not valid JSON'])
  const commented = await writeTemp(dir, 'c.json', '# sekrit\n{"upstreams": [{"name": "a", "url": "ws://h/s"}]}')
  assert.deepEqual(await problemsOf(() => loadConfigFile(commented)), ['not valid JSON (comments and unquoted strings are YAML: name the file .yaml)'])
})

test('a YAML syntax error names the line and column but not the line\'s text', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', `${head}    authToken: "sekrit-value\n`)
  const err = await loadConfigFile(file).then(() => undefined, (e: unknown) => e)
  assert.ok(err instanceof ConfigError)
  assert.deepEqual(err.problems, ['line 5, column 1: Missing closing "quote'])
  assert.doesNotMatch(err.message, /sekrit/)
})

test('YAML tags outside the core schema and unknown tags are errors', async (t) => {
  const dir = await tempDir(t)
  const binary = await writeTemp(dir, 'b.yaml', `${head}    authToken: !!binary c2VrcmV0\n`)
  assert.deepEqual(await problemsOf(() => loadConfigFile(binary)), ['line 4, column 16: Unresolved tag: tag:yaml.org,2002:binary'])
  const custom = await writeTemp(dir, 'c.yaml', `${head}    authToken: !vault secret/path\n`)
  assert.deepEqual(await problemsOf(() => loadConfigFile(custom)), ['line 4, column 16: Unresolved tag: !vault'])
})

test('several YAML documents in one file are an error', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', `${head}---\n${head}`)
  const found = await problemsOf(() => loadConfigFile(file))
  assert.equal(found.length, 1)
  assert.match(found[0] ?? '', /^line 4, column 1: Source contains multiple documents/)
})

test('an alias to a missing anchor is an error', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', `${head}    headers: *nowhere\n`)
  const found = await problemsOf(() => loadConfigFile(file))
  assert.equal(found.length, 1)
  assert.match(found[0] ?? '', /nowhere/)
})

test('YAML anchors and aliases work for repeated values', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', [
    'upstreams:',
    '  - name: a',
    '    url: ws://a/socket',
    '    headers: &common { User-Agent: bc }',
    '  - name: b',
    '    url: ws://b/socket',
    '    headers: *common',
  ].join('\n'))
  const config = await loadConfigFile(file)
  assert.deepEqual(config.upstreams.map((u) => u.headers), [{ 'User-Agent': 'bc' }, { 'User-Agent': 'bc' }])
})

test('an empty file is not a configuration', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', '')
  assert.deepEqual(await problemsOf(() => loadConfigFile(file)), ['/: must be object'])
})

test('the file must be .yaml, .yml or .json, and must exist', async (t) => {
  const dir = await tempDir(t)
  const txt = await writeTemp(dir, 'c.txt', head)
  assert.deepEqual(await problemsOf(() => loadConfigFile(txt)), [`${txt}: the config file must end in .yaml, .yml or .json`])
  const missing = join(dir, 'missing.yaml')
  assert.deepEqual(await problemsOf(() => loadConfigFile(missing)), [`cannot read ${missing}: ENOENT`])
})

test('the error message names the file; the problems name JSON paths', async (t) => {
  const file = await writeTemp(await tempDir(t), 'c.yaml', `${head}    poolSize: "2"\n`)
  const err = await loadConfigFile(file).then(() => undefined, (e: unknown) => e)
  assert.ok(err instanceof ConfigError)
  assert.equal(err.message, `invalid config file ${file}:\n  /upstreams/0/poolSize: must be integer`)
})
