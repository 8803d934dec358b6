/**
 * docs/http-api.md is generated from the route schemas (the OpenAPI
 * document the app serves) by scripts/gen-api-docs.ts: it must be what the
 * generator writes now, cover every route, parameter, body field and
 * status, and list error codes that exist and that the routes really
 * answer with. The generator refuses to render a route it has no error
 * list for, or a note for a route or field that no longer exists.
 */
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { API_DOCS_FILE, OPEN_ROUTES, fieldRows, openApiDocument, parseErrorCodes, renderApiDocs, renderHttpApiDocs, routeKey, type OpenApiDocument } from '../../scripts/gen-api-docs.ts'
import { ROUTE_ERRORS, type RouteError } from '../../scripts/api-docs-notes.ts'
import { gatewayConfig, literal } from '../gateway/helpers.ts'
import { createDaemon } from '../../src/gateway/daemon.ts'
import { pino } from 'pino'

const root = join(import.meta.dirname, '..', '..')
let doc: OpenApiDocument
let errorsMd: string
let written: string

before(async () => {
  doc = await openApiDocument()
  errorsMd = await readFile(join(root, 'docs', 'errors.md'), 'utf8')
  written = await readFile(join(root, API_DOCS_FILE), 'utf8')
})

const codeOf = (e: RouteError): string => typeof e === 'string' ? e : e[0]
const routes = (): Array<{ key: string, path: string, method: string }> =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ key: routeKey(method, path), path, method })))

/** The section of the page about one route: from its heading to the next. */
function section (text: string, key: string): string {
  const start = text.indexOf(`## \`${key}\`\n`)
  assert.ok(start >= 0, `${API_DOCS_FILE} has a section for ${key}`)
  const end = text.indexOf('\n## ', start + 1)
  return text.slice(start, end < 0 ? undefined : end)
}

test('docs/http-api.md is up to date with the route schemas (run npm run docs:api)', async () => {
  assert.equal(written, await renderHttpApiDocs())
})

test('every route has its section: each parameter, request body field and response status', () => {
  assert.ok(routes().length >= 7)
  for (const { key, path, method } of routes()) {
    const op = doc.paths[path]?.[method]
    assert.ok(op !== undefined)
    const text = section(written, key)
    for (const p of op.parameters) assert.ok(text.includes(`| \`${p.name}\` | ${p.in} |`), `${key}: parameter ${p.name}`)
    for (const [media, { schema }] of Object.entries(op.requestBody?.content ?? {})) {
      assert.ok(text.includes(`\`${media}\``), `${key}: body ${media}`)
      for (const row of fieldRows(schema)) assert.ok(text.includes(`| \`${row.path}\` |`), `${key}: body field ${row.path}`)
    }
    for (const status of Object.keys(op.responses)) assert.ok(text.includes(`**${status.replace('XX', 'xx')}**`), `${key}: response ${status}`)
    assert.ok(text.includes('**Error codes**'), `${key}: its error codes`)
  }
})

test('every code the page lists is in docs/errors.md, and every HTTP code of errors.md is on the page', () => {
  const codes = parseErrorCodes(errorsMd)
  for (const [key, list] of Object.entries(ROUTE_ERRORS)) {
    for (const code of list.map(codeOf)) assert.ok(codes.has(code), `${key}: ${code} is in docs/errors.md`)
  }
  const broker = errorsMd.slice(errorsMd.indexOf('## Gateway'))
  const httpCodes = [...parseErrorCodes(broker).values()].filter((c) => c.code !== 'BC_ERR_CONFIG').map((c) => c.code)
  assert.ok(httpCodes.length >= 10)
  for (const code of httpCodes) assert.ok(written.includes(`\`${code}\``), `${code} is on the page`)
})

describe('the generator refuses to drift', () => {
  const withRoute = (path: string, method: string, op: object): OpenApiDocument =>
    ({ ...doc, paths: { ...doc.paths, [path]: { ...doc.paths[path], [method]: op } } }) as OpenApiDocument

  test('a route with no error list', () => {
    assert.throws(() => renderApiDocs(withRoute('/v1/new', 'get', { parameters: [], responses: { 200: { description: 'OK' } } }), errorsMd), /GET \/v1\/new has no entry in ROUTE_ERRORS/)
  })

  test('an error list or a note for a route the app does not serve', () => {
    const paths = Object.fromEntries(Object.entries(doc.paths).filter(([path]) => path !== '/metrics'))
    assert.throws(() => renderApiDocs({ ...doc, paths }, errorsMd), /ROUTE_ERRORS names GET \/metrics, which the app does not serve/)
  })

  test('a code that docs/errors.md does not have', () => {
    assert.throws(() => renderApiDocs(doc, errorsMd.replace(/^\| `BC_ERR_PRESENCE_OFF` .*$/m, '')), /BC_ERR_PRESENCE_OFF is not in docs\/errors\.md/)
  })

  test('a note for a field the schema now describes itself', () => {
    const get = doc.paths['/v1/channels']?.['get']
    assert.ok(get !== undefined)
    const described = structuredClone(get)
    const schema = described.responses['200']?.content?.['application/json']?.schema
    const items = schema?.properties?.['channels']?.items
    assert.ok(items?.properties?.['topic'] !== undefined)
    items.properties['topic'].description = 'now in the schema'
    assert.throws(() => renderApiDocs(withRoute('/v1/channels', 'get', described), errorsMd), /field GET \/v1\/channels channels\[\]\.topic/)
  })

  test('a new field in a schema appears on the page', () => {
    const push = structuredClone(doc.paths['/v1/channels/{topic}/push']?.['post'])
    const body = push?.requestBody?.content['application/json']?.schema
    assert.ok(push !== undefined && body?.properties !== undefined)
    body.properties['priority'] = { type: 'integer', minimum: 0, maximum: 9, description: 'A new field' }
    const text = section(renderApiDocs(withRoute('/v1/channels/{topic}/push', 'post', push), errorsMd), 'POST /v1/channels/{topic}/push')
    assert.ok(text.includes('| `priority` | integer (0 to 9) | no | A new field |'), text)
  })
})

test('the routes answer as the page says: 401 without the token except the probes, and an unknown topic gets a listed code', async (t) => {
  const daemon = await createDaemon(gatewayConfig('ws://127.0.0.1:9/socket', [], {
    env: { port: 0, host: '127.0.0.1', logLevel: 'silent', configFile: null, apiToken: 'secret-token', readyGraceMs: 3000, shutdownGraceMs: 5000 },
  }), { logger: pino({ level: 'silent' }), resolve: literal })
  t.after(() => daemon.close())
  const base = await daemon.app.listen({ port: 0, host: '127.0.0.1' })
  for (const { key, path, method } of routes()) {
    const url = `${base}${path.replace('{topic}', 'room%3Anowhere')}`
    // A body the route accepts, so the answer is about the topic.
    const body = method === 'post' ? '{"event":"hello"}' : method === 'put' ? '{}' : undefined
    const request = async (headers: Record<string, string>): Promise<{ status: number, code: string | undefined }> => {
      const res = await fetch(url, {
        method: method.toUpperCase(),
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(5000),
      })
      const json = (res.headers.get('content-type') ?? '').startsWith('application/json')
      const answer = json ? await res.json() as { error?: { code: string } } : {}
      if (!json) await res.body?.cancel()
      return { status: res.status, code: answer.error?.code }
    }
    const anonymous = await request({})
    if (OPEN_ROUTES.has(key)) assert.notEqual(anonymous.status, 401, `${key} needs no token`)
    else assert.deepEqual(anonymous, { status: 401, code: 'BC_ERR_UNAUTHORIZED' }, `${key} needs the token`)
    if (!path.includes('{topic}')) continue
    const listed = (ROUTE_ERRORS[key] ?? []).map(codeOf)
    const known = await request({ authorization: 'Bearer secret-token' })
    assert.ok(known.code !== undefined && listed.includes(known.code), `${key}: answered ${known.status} ${known.code ?? ''}, which the page does not list for it`)
  }
})
