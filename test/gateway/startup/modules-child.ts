/**
 * A child for startup-modules.test.ts: records every module the process
 * resolves, starts and closes a daemon made from the config its argument
 * names (`plain`, `shared`, `state`), and prints the URLs resolved as JSON.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordResolvedModules } from '../../helpers/resolved-modules.ts'

const resolved = recordResolvedModules()

const { default: pino } = await import('pino')
const { createDaemon } = await import('../../../src/gateway/daemon.ts')
const { gatewayConfig, literal } = await import('../helpers.ts')

const mode = process.argv[2]
// Nothing listens on port 1: the upstream and Redis are never reached, which a start does not wait for.
const base = gatewayConfig('ws://127.0.0.1:1/socket/websocket', [])
const config = mode === 'shared'
  ? { ...base, sharedHistory: { url: 'redis://127.0.0.1:1', keyPrefix: 'bc:', leaseTtlMs: 3000, maxLen: 100, commandTimeoutMs: 500, reconnectMinMs: 100, reconnectMaxMs: 5000 } }
  : mode === 'state'
    ? { ...base, env: { ...base.env, stateDir: mkdtempSync(join(tmpdir(), 'bc-modules-')) } }
    : base
const daemon = await createDaemon(config, { logger: pino({ level: 'silent' }), resolve: literal })
await daemon.start()
await daemon.close()
process.stdout.write(JSON.stringify([...resolved]))
