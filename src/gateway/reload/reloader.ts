/**
 * One reload at a time: load the configuration with the start-up loader
 * (the same file and environment checks), diff it against the running one,
 * apply the diff. An invalid file changes nothing: the error is reported
 * (result `invalid`) and thrown. Settings that need a restart (environment
 * variables, maxBodyBytes, tokens, cors) keep their running values and are reported.
 * Reloads asked for while one runs wait their turn.
 */
import { EventEmitter } from 'node:events'
import { ConfigError } from '../config/errors.ts'
import type { Config } from '../config/types.ts'
import { DrainingError } from '../errors.ts'
import { diffConfig, type ConfigDiff } from './diff.ts'

/** What asked for the reload. */
export type ReloadTrigger = 'signal' | 'watch' | 'call'

export type ReloadResult = 'ok' | 'invalid' | 'error'

export interface ReloadEvents {
  reload: [{
    result: ReloadResult
    trigger: ReloadTrigger
    seconds: number
    /** What changed (`ok`). */
    diff?: ConfigDiff
    /** What could not be fully applied (`ok`): a webhook whose headers could not be read… */
    warnings?: readonly string[]
    /** Why the file was refused (`invalid`): one line per problem, each with its path. */
    problems?: readonly string[]
    /** The file's heading, e.g. `invalid config file /etc/backchannel/config.yaml` (`invalid`). */
    heading?: string
    error?: Error
  }]
}

export interface ReloaderDeps {
  /** The start-up loader: throws ConfigError for an invalid file or environment. */
  load: () => Promise<Config>
  current: () => Config
  /** Applies the diff; `next` keeps the running values of what needs a restart. Returns warnings. */
  apply: (diff: ConfigDiff, next: Config) => Promise<string[]>
}

export class Reloader {
  readonly events = new EventEmitter<ReloadEvents>()
  readonly #deps: ReloaderDeps
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false

  constructor (deps: ReloaderDeps) {
    this.#deps = deps
  }

  /** Loads, checks and applies the config file; resolves with what changed, throws ConfigError for an invalid one. */
  async reload (trigger: ReloadTrigger): Promise<ConfigDiff> {
    const run = this.#queue.then(async () => this.#reload(trigger))
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** No reload from now on (shutdown). */
  close (): void {
    this.#closed = true
  }

  #refuseIfClosed (): void {
    if (this.#closed) throw new DrainingError('no reload')
  }

  async #reload (trigger: ReloadTrigger): Promise<ConfigDiff> {
    const started = performance.now()
    const seconds = (): number => (performance.now() - started) / 1000
    this.#refuseIfClosed()
    let next: Config
    try {
      next = await this.#deps.load()
    } catch (err) {
      if (err instanceof ConfigError) {
        this.events.emit('reload', { result: 'invalid', trigger, seconds: seconds(), problems: err.problems, heading: err.message.split('\n')[0]?.replace(/:$/, '') ?? '' })
      } else {
        this.events.emit('reload', { result: 'error', trigger, seconds: seconds(), error: err instanceof Error ? err : new Error(String(err)) })
      }
      throw err
    }
    this.#refuseIfClosed() // shutdown may have begun while the file was read
    const before = this.#deps.current()
    const diff = diffConfig(before, next)
    try {
      const { tokens: _tokens, cors: _cors, ...rest } = next
      const kept = { ...(before.tokens === undefined ? {} : { tokens: before.tokens }), ...(before.cors === undefined ? {} : { cors: before.cors }) }
      const warnings = await this.#deps.apply(diff, { ...rest, ...kept, env: before.env, maxBodyBytes: before.maxBodyBytes })
      this.events.emit('reload', { result: 'ok', trigger, seconds: seconds(), diff, warnings })
      return diff
    } catch (err) {
      this.events.emit('reload', { result: 'error', trigger, seconds: seconds(), error: err instanceof Error ? err : new Error(String(err)) })
      throw err
    }
  }
}
