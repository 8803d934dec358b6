/**
 * The config file's JSON Schema. The file in `config/` is the source of
 * truth: it is read at run time from the package root, so the same file
 * serves src/ and dist/, the docs generator and editors. Ajv runs strict:
 * no coercion, nothing removed, every error reported with its JSON path.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'

export const SCHEMA_FILE = 'config/backchannel.schema.json'

/** A JSON Schema node, as much of it as the error formatter and the docs generator read. */
export interface SchemaNode {
  type?: string | string[]
  description?: string
  default?: unknown
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  items?: SchemaNode
  required?: string[]
  enum?: unknown[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  $ref?: string
  definitions?: Record<string, SchemaNode>
}

/** The folder holding package.json, found by walking up from this file (src/ or dist/). */
export function packageRoot (from: string = import.meta.dirname): string {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${from}`)
    dir = parent
  }
}

export async function readSchema (): Promise<SchemaNode> {
  return JSON.parse(await readFile(join(packageRoot(), SCHEMA_FILE), 'utf8')) as SchemaNode
}

/** The options every validator of ours uses: strict, all errors, defaults from the schema, nothing else changed. */
export function strictAjv (extra: Options = {}): Ajv {
  return new Ajv({
    ...extra,
    strict: true,
    strictNumbers: true,
    allErrors: true,
    allowUnionTypes: true,
    useDefaults: true,
    coerceTypes: false,
    removeAdditional: false,
    verbose: true,
  })
}

/**
 * The file validator: the schema compiled ahead of time by
 * scripts/gen-config-validator.ts with `strictAjv`'s options, so start-up
 * compiles nothing. It fills in the schema's defaults as it validates.
 */
export async function fileValidator (): Promise<ValidateFunction> {
  // Imported on first use, so the generator (which imports this module) runs before the file exists.
  const { validate } = await import('./file-validator.generated.ts') as { validate: unknown }
  return validate as ValidateFunction
}

function distance (a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length] ?? 0
}

/** The known key closest to a misspelt one, if it is close enough to be a typo. */
export function suggest (key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1
  for (const candidate of known) {
    const d = distance(key, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function describeTypes (type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)]
  return types.length === 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} or ${types.at(-1) ?? ''}`
}

function isSourceSchema (schema: unknown): boolean {
  const properties = (schema as SchemaNode | undefined)?.properties
  return properties !== undefined && 'env' in properties && 'file' in properties
}

/** One problem line for one Ajv error: the JSON path (`/` for the root), then what is wrong. */
export function formatAjvError (error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty'])
      const known = Object.keys((error.parentSchema as SchemaNode | undefined)?.properties ?? {})
      const hint = suggest(key, known)
      return `${path}: unknown key "${key}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`
    }
    case 'required':
      return `${path}: missing required key "${String(params['missingProperty'])}"`
    case 'type':
      return `${path}: must be ${describeTypes(params['type'])}`
    case 'enum':
      return `${path}: must be one of ${((params['allowedValues'] as unknown[] | undefined) ?? []).map((v) => JSON.stringify(v)).join(', ')}`
    case 'minProperties':
    case 'maxProperties':
      if (isSourceSchema(error.parentSchema)) return `${path}: must have exactly one key, "env" or "file"`
      return `${path}: ${error.message ?? error.keyword}`
    case 'propertyNames':
      return `${path}: invalid key "${String(params['propertyName'])}"`
    default:
      return `${path}: ${error.message ?? error.keyword}`
  }
}

/** Problem lines for a failed validation, in document order, without duplicates. */
export function formatAjvErrors (errors: readonly ErrorObject[] | null | undefined): string[] {
  // A bad key also fails its propertyNames sub-check; the propertyNames line says it better.
  const lines = (errors ?? [])
    .filter((e) => !(e.propertyName !== undefined && e.keyword !== 'propertyNames'))
    .map(formatAjvError)
  return [...new Set(lines)]
}
