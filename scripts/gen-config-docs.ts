/**
 * Generates docs/configuration.md from config/backchannel.schema.json and the
 * environment schema in src/gateway/config/env.ts, so the reference cannot
 * drift from what start-up enforces. Run with `npm run docs:config`;
 * test/gateway/config/docs.test.ts fails when the file is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ENV_SCHEMA } from '../src/gateway/config/env.ts'
import { packageRoot, readSchema, SCHEMA_FILE, type SchemaNode } from '../src/gateway/config/schema.ts'

export const DOCS_FILE = 'docs/configuration.md'
const EXAMPLE_FILE = 'config/backchannel.example.yaml'

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``

function resolveRef (node: SchemaNode, root: SchemaNode): SchemaNode {
  if (node.$ref === undefined) return node
  const name = node.$ref.replace('#/definitions/', '')
  const target = root.definitions?.[name]
  if (target === undefined) throw new Error(`unresolved $ref ${node.$ref}`)
  const { $ref: _ref, ...rest } = node
  return { ...resolveRef(target, root), ...rest }
}

function bounds (node: SchemaNode): string {
  const parts: string[] = []
  if (node.minimum !== undefined && node.maximum !== undefined) parts.push(`${node.minimum} to ${node.maximum}`)
  else if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`)
  else if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`)
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`)
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} items`)
  if (node.maxLength !== undefined) parts.push(`at most ${node.maxLength} characters`)
  if (node.pattern !== undefined) parts.push(`matching ${code(node.pattern)}`)
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}

function typeOf (raw: SchemaNode, root: SchemaNode): string {
  if (raw.$ref === '#/definitions/valueSource') return 'value source'
  const node = resolveRef(raw, root)
  if (node.enum !== undefined) return node.enum.map(code).join(' or ')
  const types = Array.isArray(node.type) ? node.type : [node.type ?? 'any']
  if (node.properties !== undefined && 'env' in node.properties && 'file' in node.properties) {
    return types.includes('null') ? 'secret source or null' : 'secret source'
  }
  const named = types.map((t) => {
    if (t === 'array' && node.items !== undefined) {
      const items = objectOf(node.items, root) === undefined ? typeOf(node.items, root) : 'objects'
      const { minItems, maxItems } = node
      return `array${bounds({ ...(minItems === undefined ? {} : { minItems }), ...(maxItems === undefined ? {} : { maxItems }) })} of ${items}`
    }
    if (t === 'object' && typeof node.additionalProperties === 'object') return `map of name → ${typeOf(node.additionalProperties, root)}`
    return t
  })
  const joined = named.length === 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} or ${named.at(-1) ?? ''}`
  return `${joined}${types.includes('array') ? '' : bounds(node)}`
}

function objectOf (raw: SchemaNode, root: SchemaNode): SchemaNode | undefined {
  const node = resolveRef(raw, root)
  if (node.properties !== undefined && !('env' in node.properties)) return node
  if (node.items !== undefined) return objectOf(node.items, root)
  return undefined
}

function section (title: string, prefix: string, node: SchemaNode, root: SchemaNode, out: string[]): void {
  const nested: Array<[string, string, SchemaNode]> = []
  out.push(`### ${title}`, '')
  if (node.description !== undefined && node !== root) out.push(node.description, '')
  out.push('| key | type | default | description |', '| --- | --- | --- | --- |')
  for (const [key, raw] of Object.entries(node.properties ?? {})) {
    const child = resolveRef(raw, root)
    const path = `${prefix}${key}`
    const fallback = node.required?.includes(key) === true ? '**required**' : (child.default === undefined ? '—' : code(child.default))
    out.push(`| \`${path}\` | ${cell(typeOf(raw, root))} | ${cell(fallback)} | ${cell(raw.description ?? child.description ?? '')} |`)
    const inner = objectOf(raw, root)
    if (inner !== undefined) nested.push([child.type === 'array' ? `${path}[]` : path, child.type === 'array' ? `${path}[].` : `${path}.`, inner])
  }
  out.push('')
  for (const [childTitle, childPrefix, inner] of nested) section(`\`${childTitle}\``, childPrefix, inner, root, out)
}

function envTable (): string[] {
  const rows = Object.entries(ENV_SCHEMA.properties).map(([name, node]) => {
    const fallback = 'default' in node ? code(node.default) : '—'
    return `| \`${name}\` | ${cell(fallback)} | ${cell(node.description)} |`
  })
  return ['| variable | default | description |', '| --- | --- | --- |', ...rows]
}

/** The whole of docs/configuration.md. */
export async function renderConfigDocs (): Promise<string> {
  const root = await readSchema()
  const example = await readFile(join(packageRoot(), EXAMPLE_FILE), 'utf8')
  const out: string[] = [
    '# Configuration',
    '',
    `<!-- Generated by \`npm run docs:config\` (scripts/gen-config-docs.ts) from ${SCHEMA_FILE} and src/gateway/config/env.ts. Do not edit by hand. -->`,
    '',
    'The gateway reads environment variables and one config file, and checks both at start-up; the file again at each reload (SIGHUP, or a change of the file: see [subscriptions.md](subscriptions.md)), which keeps the running config when the new file is invalid.',
    'Every problem stops start-up with a message naming the variable or the JSON path (`/channels/2/replay: must be integer`).',
    'Nothing is coerced (`"8"` is not a number) and nothing is dropped (an unknown key is an error, with the nearest known key as a hint).',
    '',
    'Check a file before deploying it; `--env` also checks this shell\'s variables and what the file needs from them:',
    '',
    '```sh',
    'backchannel check-config config/backchannel.example.yaml',
    'backchannel check-config config/backchannel.example.yaml --env',
    '```',
    '',
    'It prints what the gateway would connect, join and serve (exit 0), or every problem on its own line (exit 1).',
    '',
    '## Environment variables',
    '',
    'Other variables are ignored, but an unknown `BACKCHANNEL_*` variable is an error (it is most likely a misspelt setting; the message names the closest variable).',
    '`BACKCHANNEL_URL` and `BACKCHANNEL_AUTH_TOKEN`, which apps (the examples) and the `push` and `listen` commands read, are ignored.',
    'Kubernetes service links for a Service named `backchannel` (`BACKCHANNEL_SERVICE_HOST`, `BACKCHANNEL_PORT=tcp://…`) are recognised and ignored.',
    'The API binds to loopback by default; bound to any other address it requires a bearer token.',
    '',
    ...envTable(),
    '',
    '## The config file',
    '',
    `${root.description ?? ''} Its JSON Schema is [\`${SCHEMA_FILE}\`](../${SCHEMA_FILE}); point your editor at it for completion.`,
    'A `.yaml`/`.yml` file is read as YAML 1.2 (core schema: `yes` is a string, duplicate keys and unknown tags are errors), a `.json` file as JSON (duplicate keys are errors too).',
    '',
    '**Value sources.** Upstream `params` values are value sources, `authToken` a secret source (the same without numbers and booleans).',
    `${root.definitions?.['valueSource']?.description ?? ''} Relative file paths are relative to the config file.`,
    'The variables that `{ env }` sources name must be set at start-up, and may not start with `BACKCHANNEL_`. Values never appear in logs or error messages.',
    '',
    '```yaml',
    'params:',
    '  client: backchannel                       # literal',
    '  region: { env: REGION }                   # environment variable',
    '  token: { file: /run/secrets/phoenix-token }  # file, re-read at every connect',
    '```',
    '',
    '**Cross-checks** after the schema: upstream names are unique; `url` is ws://, wss://, http:// or https:// without a query or credentials;',
    'headers the WebSocket handshake sets itself are refused; `tlsCaFile` needs a TLS url (and must hold a PEM certificate at start-up);',
    'a channel\'s `upstream` names an upstream (it may be left out when there is only one); channel names (default: the topic) are unique;',
    'topics are unique per upstream; the topic `phoenix` is reserved; an upstream\'s channels fit in `poolSize × maxChannelsPerSocket`.',
    '',
  ]
  section('Top level', '', root, root, out)
  out.push('## Example', '', `[\`${EXAMPLE_FILE}\`](../${EXAMPLE_FILE}):`, '', '```yaml', example.trimEnd(), '```', '')
  return out.join('\n')
}

if (import.meta.main) {
  const target = join(packageRoot(), DOCS_FILE)
  await writeFile(target, await renderConfigDocs())
  process.stdout.write(`wrote ${DOCS_FILE}\n`)
}
