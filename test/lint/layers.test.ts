/**
 * The layer rules of eslint.config.js catch what docs/architecture.md says
 * they catch: each layer's imports of a higher layer or of tooling, from any
 * depth, and the gateway reaching into a Client's pool. The blocks are taken
 * from the real config and run on source text at a path in each layer.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ESLint, type Linter } from 'eslint'
import tseslint from 'typescript-eslint'

const root = new URL('../../', import.meta.url).pathname
// Imported by URL: the config is plain JavaScript, without type declarations.
const { default: config } = await import(new URL('eslint.config.js', `file://${root}`).href) as { default: Linter.Config[] }

/** The blocks of the real config that restrict imports or syntax in src/, with the TypeScript parser (no type information needed). */
function layerRules (): Linter.Config[] {
  const blocks = config.filter((block) => {
    const files = (block.files ?? []).flat()
    return files.some((f) => typeof f === 'string' && f.startsWith('src/')) && block.rules !== undefined
  })
  return [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...blocks]
}

async function problems (file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: layerRules() })
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` })
  assert.ok(result !== undefined)
  return result.messages.map((m) => `${m.line}:${m.ruleId ?? 'fatal'}`)
}

describe('layer rules', () => {
  test('layer 0 (phoenix) imports no higher layer', async () => {
    assert.deepEqual(await problems('src/phoenix/x.ts', "import '../connection/pool.ts'\nimport '../errors.ts'\n"), ['1:no-restricted-imports'])
  })

  test('layer 1 (connection) imports neither the client, the broker, the test kit nor the CLI', async () => {
    const code = "import '../client/client.ts'\nimport '../gateway/hub/hub.ts'\nimport '../testing/index.ts'\nimport '../cli/main.ts'\nimport '../phoenix/session.ts'\n"
    assert.deepEqual(await problems('src/connection/x.ts', code), ['1:no-restricted-imports', '2:no-restricted-imports', '3:no-restricted-imports', '4:no-restricted-imports'])
  })

  test('layer 2 (client) imports neither the broker, the test kit nor the CLI', async () => {
    const code = "import '../gateway/broker.ts'\nimport '../testing/index.ts'\nimport '../cli/main.ts'\nimport '../connection/pool.ts'\n"
    assert.deepEqual(await problems('src/client/x.ts', code), ['1:no-restricted-imports', '2:no-restricted-imports', '3:no-restricted-imports'])
  })

  test('the broker, at any depth, imports no sockets (connection/) nor tooling, and never reads a client\'s pool', async () => {
    const code = [
      "import '../../connection/pool.ts'",
      "export { x } from '../../testing/index.ts'",
      "import '../../cli/main.ts'",
      "import { Client } from '../../client/client.ts'",
      "import { nestedDeeperThan } from '../../phoenix/depth.ts'",
      'export const n = (c: Client): unknown => [c.pool, nestedDeeperThan]',
    ].join('\n')
    assert.deepEqual(await problems('src/gateway/http/x.ts', code), ['1:no-restricted-imports', '2:no-restricted-imports', '3:no-restricted-imports', '6:no-restricted-syntax'])
  })

  test('the test kit does not depend on the gateway or the CLI', async () => {
    const code = "import '../../gateway/hub/hub.ts'\nimport '../../cli/main.ts'\nimport '../../phoenix/message.ts'\n"
    assert.deepEqual(await problems('src/testing/fake-phoenix/x.ts', code), ['1:no-restricted-imports', '2:no-restricted-imports'])
  })
})
