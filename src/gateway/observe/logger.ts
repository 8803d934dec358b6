/**
 * pino JSON logs: one root logger with `service: backchannel`, one child per
 * component (`http`, `upstream`, `hub`, `sse`, `webhook`, `config`, `store`). Secrets stay out by
 * construction (the upstream is logged as scheme://host/path, never with its
 * query; headers and config values are not logged); the redact paths below
 * are the backstop.
 */
import type { FastifyBaseLogger } from 'fastify'
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import type { EnvConfig } from '../config/types.ts'

export type Component = 'http' | 'upstream' | 'hub' | 'sse' | 'webhook' | 'config' | 'store' | 'shared'

/** Paths censored wherever they appear: auth headers, the token subprotocol, tokens (a browser token's query parameter too), connect params, webhook signing secrets. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  'headers.cookie',
  'headers["sec-websocket-protocol"]',
  'token',
  'authToken',
  'apiToken',
  '*.token',
  '*.authToken',
  '*.apiToken',
  'params',
  '*.params',
  'access_token',
  '*.access_token',
  'signingSecrets',
  '*.signingSecrets',
]

export const REDACTED = '[redacted]'

export function loggerOptions (level: EnvConfig['logLevel']): LoggerOptions {
  return {
    level,
    base: { service: 'backchannel' },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  }
}

export interface CreateLoggerOptions {
  level: EnvConfig['logLevel']
  /** Where lines go; stdout by default. */
  destination?: DestinationStream
}

export function createLogger ({ level, destination }: CreateLoggerOptions): Logger {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination)
}

/** The logger of one component: every line carries `component`. */
export function componentLogger (root: FastifyBaseLogger, name: Component): FastifyBaseLogger {
  return root.child({ component: name })
}
