/**
 * The Lua scripts of shared history. Each runs atomically in Redis, which
 * is what makes the lease a fence: the append checks the lease and writes
 * in one step, so a writer paused past its lease (a long GC, a frozen VM)
 * cannot write once another replica holds the topic.
 *
 * Replies are RESP2 (the client speaks RESP2): Lua tables become arrays.
 */
import { createHash } from 'node:crypto'

export interface Script { readonly source: string, readonly sha1: string }

function script (source: string): Script {
  return { source, sha1: createHash('sha1').update(source).digest('hex') }
}

/**
 * Take or keep the lease. KEYS: lease. ARGV: replica id, ttl ms.
 * -3: taken now (there was no lease: none yet, expired, or Redis lost its
 * data); -1: the caller's, extended; otherwise the ms left on another
 * replica's lease.
 */
export const ACQUIRE = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return -1
end
return redis.call('PTTL', KEYS[1])
`)

/** Give the lease up if the caller holds it. KEYS: lease. ARGV: replica id. 1 when released. */
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

/**
 * The fenced, deduplicated append of a batch of messages, in order, in one
 * atomic step. KEYS: lease, stream, epoch, then one seen mark per message.
 * ARGV: replica id, maxlen, dedupe window ms, an epoch to use if the stream
 * has none, then per message its field count and its field/value pairs.
 * Replies { 'lost' } (nothing of the batch is written) or
 * { 'ok', epoch, { outcome, id, outcome, id, ... } }, one pair per message:
 * 'duplicate' with the id its identity got before, or 'appended' with its
 * new id.
 */
export const APPEND_BATCH = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return { 'lost' } end
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[4]
  redis.call('SET', KEYS[3], epoch)
end
local results = {}
local at = 5
for k = 4, #KEYS do
  local n = tonumber(ARGV[at])
  local seen = redis.call('GET', KEYS[k])
  if seen then
    results[#results + 1] = 'duplicate'
    results[#results + 1] = seen
  else
    local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, at + 1, at + n))
    redis.call('SET', KEYS[k], id, 'PX', ARGV[3])
    results[#results + 1] = 'appended'
    results[#results + 1] = id
  end
  at = at + 1 + n
end
return { 'ok', epoch, results }
`)

/**
 * Entries after an id, with what a reader needs to tell a gap. KEYS:
 * stream, epoch. ARGV: the id to read after ('-' for the start), count.
 * Replies { epoch or '', first id or '', max deleted id, entries }: each
 * entry { id, { field, value, ... } }. Trimming (MAXLEN) removes a prefix
 * of the stream and moves the first id; XDEL moves the max deleted id.
 */
export const READ = script(`
local epoch = redis.call('GET', KEYS[2]) or ''
if redis.call('EXISTS', KEYS[1]) == 0 then return { epoch, '', '0-0', {} } end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local deleted, first = '0-0', ''
for i = 1, #info, 2 do
  if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
  if info[i] == 'first-entry' and type(info[i + 1]) == 'table' then first = info[i + 1][1] end
end
local start = ARGV[1] == '-' and '-' or ('(' .. ARGV[1])
return { epoch, first, deleted, redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', ARGV[2]) }
`)
