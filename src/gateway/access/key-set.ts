/**
 * A JSON Web Key Set read from somewhere (a file, a URL) and kept: read
 * at start, again when a token names a key id the set does not hold (at
 * most once per `cooldownMs`), and in the background once it is `maxAgeMs`
 * old. One read at a time; a failed read keeps the last good set (and
 * counts as a read for the cooldown, so an unreachable source is not
 * hammered). Until a first read succeeds, a token cannot be checked:
 * TokenKeysUnavailableError (503).
 */
import { EventEmitter } from 'node:events'
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { TokenKeysUnavailableError } from '../errors.ts'

/** Reads the set as it is now; throws when it cannot. */
export type KeySetLoader = () => Promise<unknown>

export interface KeySetOptions {
  /** Least time between two reads for an unknown key id or after a failure, ms. */
  cooldownMs: number
  /** A set this old is read again in the background at its next use, ms; absent: never (a file). */
  maxAgeMs?: number
  /** Clock, ms. */
  now?: () => number
}

export interface KeySetEvents {
  /** A read succeeded: the set now holds `keys` keys. */
  keys_loaded: [{ keys: number, trigger: KeySetTrigger }]
  /** A read failed; the last good set (if any) stays. `error` says why in words that hold no secret. */
  keys_failed: [{ error: string, trigger: KeySetTrigger }]
}

/** Why the set was read: at start, a key id it did not hold, or its age. */
export type KeySetTrigger = 'start' | 'unknown_kid' | 'max_age'

type LocalSet = ReturnType<typeof createLocalJWKSet>
type VerifyKey = Awaited<ReturnType<LocalSet>>

function isKeySet (value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
}

export class RefreshingKeySet {
  readonly events = new EventEmitter<KeySetEvents>()
  readonly #load: KeySetLoader
  readonly #options: KeySetOptions
  readonly #now: () => number
  #local: LocalSet | null = null
  #loadedAt = -Infinity
  #triedAt = -Infinity
  #reading: Promise<void> | null = null

  constructor (load: KeySetLoader, options: KeySetOptions) {
    this.#load = load
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** True once a read has succeeded. */
  get loaded (): boolean { return this.#local !== null }

  /** Reads the set now (at start); resolves whether or not the read succeeds. */
  async start (): Promise<void> {
    await this.#read('start')
  }

  /** jose's key lookup: the key the token's header names, reading the set again for a key id it does not hold. */
  readonly resolve = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<VerifyKey> => {
    const now = this.#now()
    const cooled = now - this.#triedAt >= this.#options.cooldownMs
    if (this.#local === null && cooled) await this.#read('start')
    else if (this.#local !== null && cooled && this.#options.maxAgeMs !== undefined && now - this.#loadedAt >= this.#options.maxAgeMs) {
      // Old: read again in the background; this token is checked with the set held now.
      this.#read('max_age').catch(() => undefined)
    }
    const local = this.#current()
    try {
      return await local(header, token)
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || this.#now() - this.#triedAt < this.#options.cooldownMs) throw err
      await this.#read('unknown_kid')
      return await this.#current()(header, token)
    }
  }

  /** The set held now; TokenKeysUnavailableError (503, retry after the cooldown) while none was ever read. */
  #current (): LocalSet {
    if (this.#local !== null) return this.#local
    throw new TokenKeysUnavailableError(Math.ceil((this.#triedAt + this.#options.cooldownMs - this.#now()) / 1000))
  }

  /** One read at a time: a read asked for while one runs waits for it. */
  async #read (trigger: KeySetTrigger): Promise<void> {
    this.#reading ??= this.#readOnce(trigger).finally(() => { this.#reading = null })
    await this.#reading
  }

  async #readOnce (trigger: KeySetTrigger): Promise<void> {
    this.#triedAt = this.#now()
    try {
      const value = await this.#load()
      if (!isKeySet(value)) throw new Error('not a JSON Web Key Set (an object with a "keys" array)')
      const local = createLocalJWKSet(value)
      this.#local = local
      this.#loadedAt = this.#now()
      this.events.emit('keys_loaded', { keys: value.keys.length, trigger })
    } catch (err) {
      this.events.emit('keys_failed', { error: err instanceof Error ? err.message : String(err), trigger })
    }
  }
}
