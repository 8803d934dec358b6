/**
 * The schema side of docs/http-api.md: the OpenAPI document's shapes, and
 * JSON Schemas in words (types, ranges) and as field tables (nested fields
 * as `a.b`, array items as `a[].b`, map values as `a.{key}`).
 */
export interface JsonSchema {
  type?: string | string[]
  description?: string
  enum?: unknown[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: boolean | JsonSchema
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
}
interface MediaType { schema: JsonSchema }
export interface Parameter { name: string, in: string, required: boolean, schema: JsonSchema }
export interface Operation {
  summary?: string
  parameters: Parameter[]
  requestBody?: { required: boolean, content: Record<string, MediaType> }
  responses: Record<string, { description: string, content?: Record<string, MediaType> }>
}
export interface OpenApiDocument { openapi: string, paths: Record<string, Record<string, Operation>> }

/** A markdown table cell: pipes escaped, on one line. */
export const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
/** A value in backticks. */
export const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``

function constraints (s: JsonSchema): string {
  const parts: string[] = []
  const range = (min: number | undefined, max: number | undefined, unit: string): void => {
    const units = (n: number): string => unit === '' ? String(n) : `${n} ${unit}${n === 1 ? '' : 's'}`
    if (min !== undefined && max !== undefined) parts.push(`${min} to ${units(max)}`)
    else if (min !== undefined) parts.push(`at least ${units(min)}`)
    else if (max !== undefined) parts.push(`at most ${units(max)}`)
  }
  range(s.minLength, s.maxLength, 'character')
  range(s.minimum, s.maximum, '')
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}

/** A schema's type in words: `string (1 to 255 characters)`, `array of object`, `"a" or "b"`, `any JSON`. */
export function typeText (s: JsonSchema): string {
  if (s.enum !== undefined) return s.enum.map(code).join(' or ')
  if (s.type === undefined) return 'any JSON'
  const types = [s.type].flat().map((t) => {
    if (t === 'array' && s.items !== undefined) return `array of ${typeText(s.items)}`
    if (t === 'object' && typeof s.additionalProperties === 'object') return 'object (a map)'
    return t
  })
  return `${types.join(' or ')}${constraints(s)}`
}

export interface FieldRow { path: string, type: string, required: boolean, description: string }

/** The fields of an object schema, nested ones as `a.b`, array items as `a[].b`, map values as `a.{key}`. */
export function fieldRows (s: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = []
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}`
    rows.push({ path, type: typeText(prop), required: (s.required ?? []).includes(name), description: prop.description ?? '' })
    rows.push(...nestedRows(prop, path))
  }
  return rows
}

function nestedRows (s: JsonSchema, path: string): FieldRow[] {
  if (s.properties !== undefined) return fieldRows(s, `${path}.`)
  if (s.items !== undefined) return nestedRows(s.items, `${path}[]`)
  if (typeof s.additionalProperties === 'object') {
    const value = s.additionalProperties
    return [{ path: `${path}.{key}`, type: typeText(value), required: false, description: value.description ?? '' }, ...nestedRows(value, `${path}.{key}`)]
  }
  return []
}

export function isProblem (s: JsonSchema): boolean {
  const error = s.properties?.['error']
  return s.required?.includes('error') === true && error?.properties?.['code'] !== undefined && error.properties['message'] !== undefined
}

/** The object schemas nested in `s` (array items, properties, map values), each with its field path. */
export function nestedObjects (s: JsonSchema, path: string): Array<[string, JsonSchema]> {
  const found: Array<[string, JsonSchema]> = []
  const visit = (node: JsonSchema, at: string): void => {
    if (node.properties !== undefined && at !== path) found.push([at, node])
    for (const [name, prop] of Object.entries(node.properties ?? {})) visit(prop, `${at === '' ? '' : `${at}.`}${name}`)
    if (node.items !== undefined) visit(node.items, `${at}[]`)
    if (typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${at}.{key}`)
  }
  visit(s, path)
  return found
}
