/**
 * Generates src/gateway/config/file-validator.generated.ts: the config
 * file's validator as plain code (Ajv standalone), compiled here from
 * config/backchannel.schema.json with the options every validator of ours
 * uses. The gateway then never compiles the schema at start-up, which was
 * its largest allocation burst (bench/README.md, idle RSS). Run with
 * `npm run docs:config`; test/gateway/config/validator.test.ts fails when
 * the file is out of date.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import standalone from 'ajv/dist/standalone/index.js'
import { packageRoot, readSchema, SCHEMA_FILE, strictAjv } from '../src/gateway/config/schema.ts'

export const VALIDATOR_FILE = 'src/gateway/config/file-validator.generated.ts'

/** The validator module's text: Ajv's standalone ES module, its `require`s turned into imports. */
export async function renderValidator (): Promise<string> {
  const ajv = strictAjv({ code: { source: true, esm: true, lines: true } })
  const validate = ajv.compile(await readSchema())
  const imports: string[] = []
  const code = standalone.default(ajv, validate).replace(/^"use strict";/, '').replace(/require\("([^"]+)"\)/g, (_match: string, specifier: string) => {
    const name = `runtime${String(imports.length)}`
    imports.push(`import ${name} from '${specifier}.js'`)
    return name
  })
  return [
    `// Generated from ${SCHEMA_FILE} by scripts/gen-config-validator.ts (npm run docs:config): do not edit.`,
    '// @ts-nocheck',
    ...imports,
    code.trim(),
    '',
  ].join('\n')
}

if (import.meta.main) {
  await writeFile(join(packageRoot(), VALIDATOR_FILE), await renderValidator())
  console.log(`wrote ${VALIDATOR_FILE}`)
}
