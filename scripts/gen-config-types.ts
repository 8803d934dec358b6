/**
 * Generates src/gateway/config/file-types.generated.ts: the config file's
 * TypeScript types, read from config/backchannel.schema.json, as the
 * validator leaves a valid file: a field the schema gives a `default` is
 * always there. src/gateway/config/types.ts derives the resolved types from
 * these, so the schema is the one place a field is declared. Run with
 * `npm run docs:config`; test/gateway/config/file-types.test.ts fails when
 * the file is out of date.
 *
 * Only the schema keywords the config file uses are understood; any other
 * keyword that shapes a value (oneOf, allOf, …) stops the generator rather
 * than being read loosely.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { packageRoot, readSchema, SCHEMA_FILE } from '../src/gateway/config/schema.ts'

export const TYPES_FILE = 'src/gateway/config/file-types.generated.ts'

interface Schema {
  type?: string | string[]
  $ref?: string
  enum?: unknown[]
  description?: string
  default?: unknown
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: boolean | Schema
  maxProperties?: number
  items?: Schema
  definitions?: Record<string, Schema>
}

const SHAPING = ['oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', 'const', 'patternProperties', 'dependencies', 'prefixItems']

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

/** The name of a definition's type: `Raw…` for an object (a section of the file), the plain name for a value type. */
function definitionName (name: string, schema: Schema): string {
  return schema.type === 'object' ? `Raw${pascal(name)}` : pascal(name)
}

function comment (text: string | undefined, indent: string): string[] {
  return text === undefined ? [] : [`${indent}/** ${text.replace(/\*\//g, '*\\/')} */`]
}

class Writer {
  readonly #definitions: Record<string, Schema>
  constructor (definitions: Record<string, Schema>) {
    this.#definitions = definitions
  }

  /** The TypeScript type of `schema`; nested objects are written at `indent` plus two spaces. */
  type (schema: Schema, indent: string): string {
    const shaping = SHAPING.find((k) => k in schema)
    if (shaping !== undefined) throw new Error(`the type generator does not understand "${shaping}"`)
    if (schema.$ref !== undefined) {
      const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1]
      const target = name === undefined ? undefined : this.#definitions[name]
      if (name === undefined || target === undefined) throw new Error(`unknown $ref ${schema.$ref}`)
      return definitionName(name, target)
    }
    const types = schema.type === undefined ? [] : [schema.type].flat()
    if (types.length === 0) throw new Error(`a schema without a type: ${JSON.stringify(schema)}`)
    return types.map((t) => this.#one(t, schema, indent)).join(' | ')
  }

  #one (type: string, schema: Schema, indent: string): string {
    switch (type) {
      case 'string': return schema.enum === undefined ? 'string' : schema.enum.map((v) => `'${String(v)}'`).join(' | ')
      case 'integer':
      case 'number': return 'number'
      case 'boolean': return 'boolean'
      case 'null': return 'null'
      case 'array': {
        if (schema.items === undefined) return 'unknown[]'
        const item = this.type(schema.items, indent)
        return item.includes(' ') ? `Array<${item}>` : `${item}[]`
      }
      case 'object': return this.#object(schema, indent)
      default: throw new Error(`unknown type ${type}`)
    }
  }

  #object (schema: Schema, indent: string): string {
    const { properties, additionalProperties } = schema
    if (properties === undefined) {
      return typeof additionalProperties === 'object' ? `Record<string, ${this.type(additionalProperties, indent)}>` : 'Record<string, unknown>'
    }
    // At most one key, none required: exactly one of them (a source such as { env } or { file }).
    if (schema.maxProperties === 1 && (schema.required ?? []).length === 0) {
      return Object.entries(properties).map(([key, value]) => `{ ${key}: ${this.type(value, indent)} }`).join(' | ')
    }
    return `{\n${this.fields(schema, `${indent}  `).join('\n')}\n${indent}}`
  }

  /** An object's fields, each with its description; one with a default is always present. */
  fields (schema: Schema, indent: string): string[] {
    if (schema.additionalProperties !== false) throw new Error('an object with properties must have additionalProperties: false')
    const required = new Set(schema.required ?? [])
    return Object.entries(schema.properties ?? {}).flatMap(([key, value]) => {
      const optional = !required.has(key) && !('default' in value)
      return [...comment(value.description, indent), `${indent}${key}${optional ? '?' : ''}: ${this.type(value, indent)}`]
    })
  }
}

/** The types module's text, for the config file's schema or the one given. */
export async function renderTypes (given?: object): Promise<string> {
  const schema = (given ?? await readSchema()) as Schema
  const definitions = schema.definitions ?? {}
  const writer = new Writer(definitions)
  const out = [
    `// Generated from ${SCHEMA_FILE} by scripts/gen-config-types.ts (npm run docs:config): do not edit.`,
    '// The config file as the validator leaves it: a field with a default is always present.',
    '',
  ]
  const declare = (name: string, body: Schema): void => {
    out.push(...comment(body.description, ''))
    if (body.type === 'object' && body.properties !== undefined && body.maxProperties !== 1) {
      out.push(`export interface ${name} {`, ...writer.fields(body, '  '), '}', '')
    } else {
      out.push(`export type ${name} = ${writer.type(body, '')}`, '')
    }
  }
  declare('RawFile', schema)
  for (const [name, body] of Object.entries(definitions)) declare(definitionName(name, body), body)
  return out.join('\n')
}

if (import.meta.main) {
  await writeFile(join(packageRoot(), TYPES_FILE), await renderTypes())
  console.log(`wrote ${TYPES_FILE}`)
}
