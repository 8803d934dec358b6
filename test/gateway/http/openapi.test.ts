/**
 * GET /openapi.json: an OpenAPI 3.1 document generated from the route
 * schemas. It lists every registered route with its methods, documents the
 * push body (unknown fields refused) and its replies, its schemas are valid
 * JSON Schema 2020-12, and it agrees with what the server accepts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { channelConfig } from '../helpers.ts'
import { http, joined, push, startGw, type Gw } from './support.ts'

interface MediaType { schema: Record<string, unknown> }
interface Parameter { name: string, in: string, required: boolean, schema: Record<string, unknown> }
interface Operation {
  summary?: string
  parameters: Parameter[]
  requestBody?: { required: boolean, content: Record<string, MediaType> }
  responses: Record<string, { description: string, content?: Record<string, MediaType> }>
}
interface Document { openapi: string, info: { title: string, version: string }, paths: Record<string, Record<string, Operation>> }

async function fetchDocument (gw: Gw): Promise<Document> {
  const res = await http(gw.base, '/openapi.json')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  return res.json as Document
}

function operation (doc: Document, path: string, method: string): Operation {
  const op = doc.paths[path]?.[method]
  assert.ok(op !== undefined, `${method.toUpperCase()} ${path} is documented`)
  return op
}

/**
 * The routes fastify has registered, read from its route tree
 * (`printRoutes({ commonPrefix: false })`), HEAD left out (fastify adds it to every GET).
 */
function registeredRoutes (gw: Gw): Array<{ path: string, method: string }> {
  const routes: Array<{ path: string, method: string }> = []
  const stack: string[] = []
  for (const line of gw.daemon.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line)
    if (m === null) continue
    const depth = (m[1] ?? '').length / 4
    const path = (depth === 0 ? '' : stack[depth - 1] ?? '') + (m[2] ?? '')
    stack[depth] = path
    stack.length = depth + 1
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'HEAD')) routes.push({ path, method })
  }
  return routes
}

/** `/v1/channels/:topic/push` → `/v1/channels/{topic}/push` */
function openApiPath (path: string): string {
  return path.replace(/:(\w+)/g, '{$1}')
}

describe('GET /openapi.json', () => {
  test('is an OpenAPI 3.1 document with info and paths', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    const doc = await fetchDocument(gw)
    assert.match(doc.openapi, /^3\.1\.\d+$/)
    assert.equal(doc.info.title, 'Backchannel')
    assert.equal(typeof doc.info.version, 'string')
    assert.ok(Object.keys(doc.paths).length > 0)
    for (const [path, ops] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/'), path)
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method), `${method} is an OpenAPI method`)
        const responses = Object.entries(op.responses)
        assert.ok(responses.length > 0, `${method} ${path} has responses`)
        assert.ok(responses.some(([status]) => /^2(\d\d|XX)$/.test(status)), `${method} ${path} documents its success response`)
        for (const [status, response] of responses) {
          assert.match(status, /^([1-5](\d\d|XX)|default)$/, `${method} ${path} response key ${status}`)
          assert.equal(typeof response.description, 'string', 'every response has a description')
          for (const media of Object.values(response.content ?? {})) assert.equal(typeof media.schema, 'object')
        }
        // Path templating: each {name} has one required path parameter, and no path parameter is missing from the path.
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
        const inPath = op.parameters.filter((p) => p.in === 'path')
        assert.deepEqual(inPath.map((p) => p.name).sort(), templated.sort(), `${method} ${path} path parameters`)
        for (const p of op.parameters) {
          assert.ok(['path', 'query', 'header', 'cookie'].includes(p.in))
          if (p.in === 'path') assert.equal(p.required, true)
        }
      }
    }
  })

  test('every schema in it is valid JSON Schema 2020-12', async (t) => {
    const gw = await startGw(t, [])
    const doc = await fetchDocument(gw)
    const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true })
    let compiled = 0
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        const schemas = [
          ...op.parameters.map((p) => p.schema),
          ...Object.values(op.requestBody?.content ?? {}).map((m) => m.schema),
          ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => m.schema)),
        ]
        for (const schema of schemas) {
          ajv.compile(schema)
          compiled++
        }
      }
    }
    assert.ok(compiled > 10)
  })

  test('lists every registered route with its methods, and nothing that is not one', async (t) => {
    const gw = await startGw(t, [])
    const doc = await fetchDocument(gw)
    const routes = registeredRoutes(gw)
    assert.ok(routes.length >= 7, 'the route tree was read')
    for (const { path, method } of routes) {
      if (path === '/openapi.json') continue // the document does not describe itself
      operation(doc, openApiPath(path), method.toLowerCase())
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        assert.ok(routes.some((r) => openApiPath(r.path) === path && r.method.toLowerCase() === method), `${method} ${path} is a real route`)
      }
    }
    for (const path of ['/v1/channels/{topic}/push', '/v1/channels/{topic}/events', '/v1/channels', '/livez', '/readyz', '/metrics']) {
      assert.ok(doc.paths[path] !== undefined, `${path} is documented`)
    }
  })

  test('documents the push: topic and upstream parameters, the JSON body with additionalProperties false, bytes, and the 200/422 replies', async (t) => {
    const gw = await startGw(t, [])
    const doc = await fetchDocument(gw)
    const op = operation(doc, '/v1/channels/{topic}/push', 'post')
    assert.deepEqual(op.parameters.map((p) => [p.name, p.in, p.required]), [['topic', 'path', true], ['upstream', 'query', false]])
    assert.equal(op.requestBody?.required, true)
    const body = op.requestBody.content['application/json']?.schema
    assert.ok(body !== undefined)
    assert.equal(body['additionalProperties'], false)
    assert.deepEqual(body['required'], ['event'])
    assert.deepEqual(Object.keys(body['properties'] as object).sort(), ['event', 'payload', 'timeoutMs'])
    assert.ok(op.requestBody.content['application/octet-stream'] !== undefined, 'binary pushes are documented')
    for (const status of ['200', '422']) {
      const reply = op.responses[status]?.content
      const json = reply?.['application/json']?.schema
      assert.ok(json !== undefined, `${status} has a JSON reply`)
      assert.deepEqual(json['required'], ['status', 'response'])
      assert.ok(reply?.['application/octet-stream'] !== undefined, `${status} may be a binary reply`)
    }
    for (const status of ['4XX', '5XX']) {
      const problem = op.responses[status]?.content?.['application/json']?.schema
      assert.deepEqual(problem?.['required'], ['error'], `${status} is the problem shape`)
    }
  })

  test('documents each response with the media type the route sends', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    const doc = await fetchDocument(gw)
    const media = (path: string, method: string, status: string): string[] => Object.keys(operation(doc, path, method).responses[status]?.content ?? {})
    assert.deepEqual(media('/v1/channels/{topic}/events', 'get', '200'), ['text/event-stream'])
    assert.deepEqual(media('/metrics', 'get', '200'), ['text/plain'])
    assert.deepEqual(media('/v1/channels', 'get', '200'), ['application/json'])
    // And the server does send those.
    assert.match((await http(gw.base, '/metrics')).headers.get('content-type') ?? '', /^text\/plain/)
    await joined(gw, 'echo:lobby')
    const bytes = await http(gw.base, '/v1/channels/echo:lobby/push', { body: new Uint8Array([1]), headers: { 'content-type': 'application/octet-stream', 'x-backchannel-event': 'b' } })
    assert.equal(bytes.headers.get('content-type'), 'application/octet-stream')
  })

  test('the documented push body schema agrees with what the server accepts', async (t) => {
    const gw = await startGw(t, [channelConfig('echo:lobby')])
    const doc = await fetchDocument(gw)
    await joined(gw, 'echo:lobby')
    const schema = operation(doc, '/v1/channels/{topic}/push', 'post').requestBody?.content['application/json']?.schema
    assert.ok(schema !== undefined)
    const valid = new Ajv2020({ strict: false }).compile(schema)
    const bodies: unknown[] = [
      { event: 'a' }, { event: 'a', payload: [1, 2] }, { event: 'a', payload: null, timeoutMs: 500 },
      {}, { event: '' }, { event: 1 }, { event: 'a', timeoutMs: '5' }, { event: 'a', timeoutMs: 0 }, { event: 'a', timeoutMs: 300_001 },
      { event: 'a', other: true }, { event: 'e'.repeat(256) }, [], 'event',
    ]
    for (const body of bodies) {
      const res = await push(gw, 'echo:lobby', body)
      assert.equal(res.status !== 400, valid(body), `${JSON.stringify(body)}: the document says ${valid(body) ? 'valid' : 'invalid'}, the server answered ${res.status}`)
    }
  })
})
