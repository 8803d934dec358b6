/**
 * Generates docs/http-api.md from the route schemas: it builds the gateway
 * in-process (no socket, no upstream connection), reads the OpenAPI
 * document the app serves at /openapi.json, and renders every route with
 * its parameters, request body, responses and error codes. The error codes
 * a route can answer with are listed below by hand (the schemas only say
 * "4xx"/"5xx"); their statuses and meanings come from docs/errors.md. Run
 * with `npm run docs:api`; test/docs/http-api.test.ts fails when the file
 * is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { loadEnv, validateFileConfig } from '../src/gateway/config/index.ts'
import { packageRoot } from '../src/gateway/config/schema.ts'
import { createDaemon } from '../src/gateway/daemon.ts'
import { FIELD_NOTES, PARAM_NOTES, ROUTE_ERRORS, ROUTE_NOTES, type RouteError } from './api-docs-notes.ts'
import { cell, fieldRows, isProblem, nestedObjects, typeText, type FieldRow, type JsonSchema, type OpenApiDocument, type Operation } from './api-docs-schema.ts'

export { fieldRows, type OpenApiDocument } from './api-docs-schema.ts'

export const API_DOCS_FILE = 'docs/http-api.md'
const ERRORS_FILE = 'docs/errors.md'

/** Every route may answer these (the probes need no token, so not BC_ERR_UNAUTHORIZED). */
export const COMMON_ERRORS = ['BC_ERR_UNAUTHORIZED', 'BC_ERR_INTERNAL'] as const

/** Routes that answer without the bearer token. */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(['GET /livez', 'GET /readyz'])

export interface ErrorCode { code: string, status: string, when: string }

/** The code tables of docs/errors.md: code → its status and when it is raised. */
export function parseErrorCodes (markdown: string): Map<string, ErrorCode> {
  const codes = new Map<string, ErrorCode>()
  for (const [, name = '', status = '', when = ''] of markdown.matchAll(/^\| `(BC_ERR_[A-Z0-9_]+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|/gm)) {
    codes.set(name, { code: name, status: status.trim(), when: when.trim() })
  }
  return codes
}

/** The OpenAPI document of a gateway built in-process, as GET /openapi.json serves it. */
export async function openApiDocument (): Promise<OpenApiDocument> {
  const root = packageRoot()
  const file = await validateFileConfig({ upstreams: [{ name: 'app', url: 'ws://127.0.0.1:4000/socket' }], channels: [] }, root)
  const daemon = await createDaemon({ ...file, env: loadEnv({ LOG_LEVEL: 'silent' }) }, {
    logger: pino({ level: 'silent' }),
    resolve: async (source) => { throw new Error(`no source is resolved here: ${JSON.stringify(source)}`) },
  })
  try {
    const res = await daemon.app.inject({ method: 'GET', url: '/openapi.json' })
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`)
    return res.json<OpenApiDocument>()
  } finally {
    await daemon.close()
  }
}

/** The route's key in ROUTE_ERRORS and ROUTE_NOTES. */
export function routeKey (method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`
}

/** An anchor for a route's heading, as GitHub makes it from `` `GET /v1/channels` ``. */
export function anchorOf (key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')
}

/** What the routes rendered so far share: notes used, and object shapes already described (JSON → where). */
interface Shared { used: Set<string>, shapes: Map<string, string> }

/** Renders one route; records which hand-written notes it used, so stale ones can be found. */
class RouteRenderer {
  readonly #key: string
  readonly #codes: Map<string, ErrorCode>
  readonly #used: Set<string>
  readonly #shapes: Map<string, string>

  constructor (key: string, codes: Map<string, ErrorCode>, shared: Shared) {
    this.#key = key
    this.#codes = codes
    this.#used = shared.used
    this.#shapes = shared.shapes
  }

  render (op: Operation): string[] {
    const out = [`## \`${this.#key}\``, '']
    if (op.summary !== undefined) out.push(`${op.summary}.`, '')
    const notes = ROUTE_NOTES[this.#key]
    if (notes !== undefined) {
      this.#used.add(`route ${this.#key}`)
      out.push(...notes, '')
    }
    if (OPEN_ROUTES.has(this.#key)) out.push('No token needed.', '')
    return [...out, ...this.#parameters(op), ...this.#body(op), ...this.#responses(op), ...this.#errors()]
  }

  /** A field's description: the schema's, or the note for it. */
  #describe (row: FieldRow): string {
    if (row.description !== '') return row.description
    const note = FIELD_NOTES[this.#key]?.[row.path]
    if (note !== undefined) this.#used.add(`field ${this.#key} ${row.path}`)
    return note ?? ''
  }

  #fieldTable (s: JsonSchema): string[] {
    const where = `[\`${this.#key}\`](#${anchorOf(this.#key)})`
    for (const [path, object] of nestedObjects(s, '')) this.#shapes.set(JSON.stringify(object), `\`${path}\` of ${where}`)
    const out = ['| field | type | required | description |', '| --- | --- | --- | --- |']
    for (const r of fieldRows(s)) out.push(`| \`${r.path}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(this.#describe(r))} |`)
    return [...out, '']
  }

  #parameters (op: Operation): string[] {
    if (op.parameters.length === 0) return []
    const out = ['**Parameters**', '', '| name | in | required | type | description |', '| --- | --- | --- | --- | --- |']
    for (const p of op.parameters) {
      const note = p.schema.description === undefined ? PARAM_NOTES[p.name] : undefined
      if (note !== undefined) this.#used.add(`param ${p.name}`)
      out.push(`| \`${p.name}\` | ${p.in} | ${p.required ? 'yes' : 'no'} | ${cell(typeText(p.schema))} | ${cell(p.schema.description ?? note ?? '')} |`)
    }
    return [...out, '']
  }

  #body (op: Operation): string[] {
    if (op.requestBody === undefined) return []
    const out = [`**Request body** (${op.requestBody.required ? 'required' : 'optional'})`, '']
    for (const [media, { schema }] of Object.entries(op.requestBody.content)) {
      if (fieldRows(schema).length === 0) {
        out.push(`- \`${media}\`: ${schema.description ?? 'the bytes as they are'}`, '')
        continue
      }
      const strict = schema.additionalProperties === false ? ' Other fields are refused (400 `BC_ERR_BAD_REQUEST`).' : ''
      out.push(`- \`${media}\`: an object.${strict}`, '', ...this.#fieldTable(schema))
    }
    return out
  }

  #responses (op: Operation): string[] {
    const out = ['**Responses**', '']
    for (const [status, response] of Object.entries(op.responses)) {
      const shown = status.replace('XX', 'xx')
      const content = Object.entries(response.content ?? {})
      if (content.length === 0) out.push(`- **${shown}**: no body`, '')
      for (const [media, { schema }] of content) {
        if (isProblem(schema)) out.push(`- **${shown}** \`${media}\`: the [problem shape](#errors), with one of the codes below`, '')
        else if (this.#shapes.has(JSON.stringify(schema))) out.push(`- **${shown}** \`${media}\`: an object, as ${this.#shapes.get(JSON.stringify(schema)) ?? ''}`, '')
        else if (fieldRows(schema).length === 0) out.push(`- **${shown}** \`${media}\`: ${schema.description ?? typeText(schema)}`, '')
        else out.push(`- **${shown}** \`${media}\`:`, '', ...this.#fieldTable(schema))
      }
    }
    return out
  }

  #errors (): string[] {
    const own = ROUTE_ERRORS[this.#key]
    if (own === undefined) throw new Error(`${this.#key} has no entry in ROUTE_ERRORS (scripts/api-docs-notes.ts): list the codes it answers with`)
    const common: RouteError[] = OPEN_ROUTES.has(this.#key) ? ['BC_ERR_INTERNAL'] : [...COMMON_ERRORS]
    const out = ['**Error codes**', '', '| code | status | when |', '| --- | --- | --- |']
    for (const entry of [...own, ...common]) {
      const [name, when] = typeof entry === 'string' ? [entry, undefined] : entry
      const known = this.#codes.get(name)
      if (known === undefined) throw new Error(`${this.#key}: ${name} is not in ${ERRORS_FILE}`)
      out.push(`| \`${name}\` | ${known.status} | ${cell(when ?? known.when)} |`)
    }
    return [...out, '']
  }
}

/** Every hand-written note, as RouteRenderer records its use. */
function allNotes (): string[] {
  return [
    ...Object.keys(ROUTE_NOTES).map((key) => `route ${key}`),
    ...Object.keys(PARAM_NOTES).map((name) => `param ${name}`),
    ...Object.entries(FIELD_NOTES).flatMap(([key, fields]) => Object.keys(fields).map((path) => `field ${key} ${path}`)),
  ]
}

const INTRO = [
  '# HTTP API',
  '',
  '<!-- Generated by `npm run docs:api` (scripts/gen-api-docs.ts) from the route schemas, src/gateway/http/routes/*.ts, and docs/errors.md. Do not edit by hand. -->',
  '',
  'The sidecar\'s HTTP API, route by route. The gateway serves the same schemas as an OpenAPI 3.1 document at `GET /openapi.json`;',
  'this page is rendered from it, so the fields, types and statuses here are the ones the routes validate and answer with.',
  '',
  '**Address.** `HOST`:`PORT` (127.0.0.1:8080 by default; see [configuration.md](configuration.md)).',
  '',
  '**Authentication.** With `API_TOKEN` or `API_TOKEN_FILE` set (required when `HOST` is not a loopback address), every route except',
  '`/livez` and `/readyz` needs `Authorization: Bearer <token>`; without it the answer is 401 `BC_ERR_UNAUTHORIZED` with `WWW-Authenticate: Bearer`.',
  'With `tokens` configured, the SSE routes, presence and push also take a browser token (a JWT whose claims name the topics it may',
  'subscribe to and push to; on the SSE routes also as a cookie), and `cors` answers preflights (403 `BC_ERR_ORIGIN_NOT_ALLOWED` for an',
  'origin not listed): see [browsers.md](browsers.md).',
  '',
  '**Topics** go into the path URL-encoded: `room:lobby` and `room%3Alobby` are the same topic. A topic is a configured channel,',
  'or one a `dynamic` pattern allows, joined when asked for ([subscriptions.md](subscriptions.md)); any other is 404',
  '`BC_ERR_UNKNOWN_TOPIC`. When several upstreams carry it, `?upstream=NAME` says which.',
  '',
  '**Tracing.** A valid W3C `traceparent` request header is added to every log line about the request (and, for a push to a channel',
  'with `traceField`, to the payload). `x-request-id` is taken as the request\'s id in the logs.',
  '',
]

const ERRORS_INTRO = [
  '## Errors',
  '',
  'Every error answer has one shape, whatever the route:',
  '',
  '```json',
  '{ "error": { "code": "BC_ERR_UNKNOWN_TOPIC", "message": "topic \\"room:nope\\" is not a configured channel" } }',
  '```',
  '',
  '`code` is stable: match on it, never on `message`. `details` is present when there is more to say (a refused join carries the',
  'server\'s reply as `details.response`). Every 503 carries `Retry-After` (seconds). A request for a route that does not exist is',
  '404 `BC_ERR_NOT_FOUND`; an unexpected failure is 500 `BC_ERR_INTERNAL`, with the details in the log only. A request whose headers',
  'or body do not arrive within the HTTP timeouts is 408 `BC_ERR_REQUEST_TIMEOUT`, headers over 16 KiB are 431 `BC_ERR_HEADERS_TOO_LARGE`;',
  'both, and any error answered before the request\'s body was read, close the connection ([operations.md](operations.md#http-connection-limits)).',
  '[errors.md](errors.md) lists every code; each route below lists the ones it answers with.',
  '',
]

/** The whole of docs/http-api.md, from an OpenAPI document and the text of docs/errors.md. Throws on a note or error list for no route. */
export function renderApiDocs (doc: OpenApiDocument, errorsMarkdown: string): string {
  const codes = parseErrorCodes(errorsMarkdown)
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: routeKey(method, path), op })))
  for (const key of Object.keys(ROUTE_ERRORS)) {
    if (!routes.some((r) => r.key === key)) throw new Error(`ROUTE_ERRORS names ${key}, which the app does not serve`)
  }
  const out = [...INTRO, '## Routes', '', '| route | what |', '| --- | --- |']
  for (const { key, op } of routes) out.push(`| [\`${key}\`](#${anchorOf(key)}) | ${cell(op.summary ?? '')} |`)
  out.push('| `GET /openapi.json` | This API as an OpenAPI 3.1 document, generated from the route schemas |', '', ...ERRORS_INTRO)
  const shared: Shared = { used: new Set(), shapes: new Map() }
  for (const { key, op } of routes) out.push(...new RouteRenderer(key, codes, shared).render(op))
  const stale = allNotes().filter((note) => !shared.used.has(note))
  if (stale.length > 0) throw new Error(`notes in scripts/api-docs-notes.ts for nothing the app serves (or that the schema now describes itself): ${stale.join('; ')}`)
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`
}

/** docs/http-api.md as the sources say it should be now. */
export async function renderHttpApiDocs (): Promise<string> {
  const errors = await readFile(join(packageRoot(), ERRORS_FILE), 'utf8')
  return renderApiDocs(await openApiDocument(), errors)
}

if (import.meta.main) {
  await writeFile(join(packageRoot(), API_DOCS_FILE), await renderHttpApiDocs())
  process.stdout.write(`wrote ${API_DOCS_FILE}\n`)
}
