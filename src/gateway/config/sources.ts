/**
 * Values that come from somewhere: a literal, an environment variable, or a
 * file. They are resolved at the moment of use (every connect), so a rotated
 * token file is picked up on the next reconnect without a restart. Errors
 * say which variable or file is missing, never what a value was.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError } from './errors.ts'
import type { SecretSource, ValueSource } from './types.ts'

export type Literal = string | number | boolean

function describe (label: string | undefined): string {
  return label === undefined ? '' : `${label}: `
}

/** The value a source stands for now. `label` names the setting in errors, e.g. `/upstreams/0/params/token`. */
export async function resolveValue (source: ValueSource, env: Readonly<Record<string, string | undefined>>, label?: string): Promise<Literal> {
  if (typeof source !== 'object') return source
  if ('env' in source) {
    const value = env[source.env]
    if (value === undefined) throw new ConfigError([`${describe(label)}environment variable ${source.env} is not set`])
    if (value === '') throw new ConfigError([`${describe(label)}environment variable ${source.env} is empty`])
    return value
  }
  let text: string
  try {
    text = await readFile(source.file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    throw new ConfigError([`${describe(label)}cannot read file ${source.file}: ${code}`], { cause: err })
  }
  const value = text.replace(/\r?\n$/, '')
  if (value === '') throw new ConfigError([`${describe(label)}file ${source.file} is empty`])
  return value
}

/** A secret (an auth token) as a string. */
export async function resolveSecret (source: SecretSource, env: Readonly<Record<string, string | undefined>>, label?: string): Promise<string> {
  return String(await resolveValue(source, env, label))
}

/** Every param resolved, for one connect. */
export async function resolveParams (params: Readonly<Record<string, ValueSource>>, env: Readonly<Record<string, string | undefined>>, label?: string): Promise<Record<string, Literal>> {
  const entries = await Promise.all(Object.entries(params).map(async ([key, source]) =>
    [key, await resolveValue(source, env, label === undefined ? undefined : `${label}/${key}`)] as const))
  return Object.fromEntries(entries)
}

/** How a source is described in logs and check-config: its kind and where, never its value. */
export function describeSource (source: ValueSource): string {
  if (typeof source !== 'object') return 'literal'
  return 'env' in source ? `env ${source.env}` : `file ${source.file}`
}
