/**
 * The OpenAPI 3.1 document, generated from the route schemas as fastify
 * registers them, so it cannot drift from what the routes validate.
 */
import type { FastifyInstance, RouteOptions } from 'fastify'

interface Operation { summary?: string, parameters: unknown[], requestBody?: unknown, responses: Record<string, unknown> }

function operation (route: RouteOptions): Operation {
  const schema = (route.schema ?? {}) as Record<string, unknown>
  const parameters: unknown[] = []
  for (const [where, key] of [['path', 'params'], ['query', 'querystring']] as const) {
    const s = schema[key] as { properties?: Record<string, unknown>, required?: string[] } | undefined
    for (const [name, prop] of Object.entries(s?.properties ?? {})) {
      parameters.push({ name, in: where, required: where === 'path' || (s?.required ?? []).includes(name), schema: prop })
    }
  }
  const responses: Record<string, unknown> = {}
  for (const [status, body] of Object.entries((schema['response'] ?? {}) as Record<string, unknown>)) {
    // A response given per media type (fastify's `content` form) is documented as such; any other is JSON.
    const content = (body as { content?: Record<string, { schema: unknown }> }).content
    const description = `HTTP ${status}`
    // A response without a body (204) has no content.
    if ((body as { type?: unknown }).type === 'null') responses[status.toUpperCase()] = { description }
    else responses[status.toUpperCase()] = { description, content: content ?? { 'application/json': { schema: body } } }
  }
  if (Object.keys(responses).length === 0) responses['200'] = { description: 'OK' }
  const op: Operation = { parameters, responses }
  if (typeof schema['summary'] === 'string') op.summary = schema['summary']
  const body = schema['body'] as { content?: Record<string, { schema: unknown }>, required?: string[] } | undefined
  // A JSON body with no required field may be left out (PUT of a topic).
  if (body !== undefined) op.requestBody = { required: body.content !== undefined || (body.required ?? []).length > 0, content: body.content ?? { 'application/json': { schema: body } } }
  return op
}

/** Collects routes as they are added; call before registering routes. */
export function collectOpenApi (app: FastifyInstance, info: { title: string, version: string }): () => unknown {
  const paths: Record<string, Record<string, Operation>> = {}
  app.addHook('onRoute', (route) => {
    if (route.url === '/openapi.json' || route.method === 'HEAD') return
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      ;(paths[path] ??= {})[method.toLowerCase()] = operation(route)
    }
  })
  return () => ({ openapi: '3.1.0', info, paths })
}
