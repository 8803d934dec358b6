/**
 * The chart's values schema embeds the sidecar's config schema, so `helm
 * lint`, `helm template` and `helm install` refuse a bad `config` before a pod
 * ever starts. config/backchannel.schema.json stays the source of truth:
 *
 *   node scripts/helm-tools.ts sync-schema    rewrite the embedded copy
 *   node scripts/helm-tools.ts check-schema   exit 1 when it is out of date
 *
 * The copy goes into helm/backchannel/values.schema.json's `definitions`: the
 * config file's root as `config`, its own definitions under their names (so
 * its `#/definitions/…` references resolve unchanged), each marked with a
 * `$comment`. Helm checks patterns with Go's regexp, which has no `\uXXXX`
 * escape: those become the characters themselves, which Go and JavaScript
 * both read the same. The rest of values.schema.json is written by hand.
 * (scripts/helm-tools.sh fetches the helm binary.)
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = Record<string, Json>

export const VALUES_SCHEMA_FILE = 'helm/backchannel/values.schema.json'
export const CONFIG_SCHEMA_FILE = 'config/backchannel.schema.json'
const MARK = 'Copied from config/backchannel.schema.json by scripts/helm-tools.ts sync-schema; do not edit here.'

const root = join(import.meta.dirname, '..')

function isObject (value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `\uXXXX` regex escapes become the characters they stand for (Go's regexp has no such escape). */
function goPatterns (node: Json): Json {
  if (Array.isArray(node)) return node.map(goPatterns)
  if (!isObject(node)) return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'pattern' && typeof value === 'string'
      ? value.replace(/\\u([0-9a-fA-F]{4})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : goPatterns(value)
  }
  return out
}

/** The definitions the config schema contributes: its root as `config`, and its own definitions. */
export function configDefinitions (configSchema: JsonObject): JsonObject {
  const { $schema: _schema, title: _title, definitions, ...rootSchema } = configSchema
  if (!isObject(definitions)) throw new Error(`${CONFIG_SCHEMA_FILE} has no definitions`)
  const out: JsonObject = { config: { $comment: MARK, ...rootSchema } }
  for (const [name, definition] of Object.entries(definitions)) {
    if (!isObject(definition)) throw new Error(`${CONFIG_SCHEMA_FILE}: definitions/${name} is not an object`)
    out[name] = { $comment: MARK, ...definition }
  }
  return goPatterns(out) as JsonObject
}

/** values.schema.json with its embedded config definitions replaced by `configDefinitions(configSchema)`. */
export function embedConfigSchema (valuesSchema: JsonObject, configSchema: JsonObject): JsonObject {
  const current = valuesSchema['definitions']
  if (!isObject(current)) throw new Error(`${VALUES_SCHEMA_FILE} has no definitions`)
  const own = Object.fromEntries(Object.entries(current).filter(([, d]) => !(isObject(d) && d['$comment'] === MARK)))
  const copied = configDefinitions(configSchema)
  const clash = Object.keys(copied).filter((name) => name in own)
  if (clash.length > 0) throw new Error(`${VALUES_SCHEMA_FILE}: the chart's own definitions ${clash.join(', ')} clash with the config schema's`)
  return { ...valuesSchema, definitions: { ...own, ...copied } }
}

/** The file's text: two-space JSON, with DEL escaped (JSON.stringify leaves it raw and invisible). */
export function schemaText (schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2).replace(/\u007f/g, '\\u007f')}\n`
}

async function readJson (file: string): Promise<JsonObject> {
  const parsed = JSON.parse(await readFile(join(root, file), 'utf8')) as Json
  if (!isObject(parsed)) throw new Error(`${file} is not a JSON object`)
  return parsed
}

/** The values schema as it should be, and as it is on disk. */
export async function expectedValuesSchema (): Promise<{ expected: string, actual: string }> {
  const actual = await readFile(join(root, VALUES_SCHEMA_FILE), 'utf8')
  const expected = schemaText(embedConfigSchema(await readJson(VALUES_SCHEMA_FILE), await readJson(CONFIG_SCHEMA_FILE)))
  return { expected, actual }
}

async function main (command: string | undefined): Promise<number> {
  const { expected, actual } = await expectedValuesSchema()
  if (command === 'sync-schema') {
    if (expected !== actual) await writeFile(join(root, VALUES_SCHEMA_FILE), expected)
    process.stdout.write(`${VALUES_SCHEMA_FILE}: ${expected === actual ? 'up to date' : 'updated'}\n`)
    return 0
  }
  if (command === 'check-schema') {
    if (expected === actual) return 0
    process.stderr.write(`${VALUES_SCHEMA_FILE} is out of date with ${CONFIG_SCHEMA_FILE}: run node scripts/helm-tools.ts sync-schema\n`)
    return 1
  }
  process.stderr.write('usage: node scripts/helm-tools.ts sync-schema|check-schema\n')
  return 2
}

if (import.meta.main) process.exitCode = await main(process.argv[2])
