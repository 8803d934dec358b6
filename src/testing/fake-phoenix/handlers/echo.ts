/**
 * `echo:*` — replies with what it is sent, bytes too. A few events script
 * other outcomes, so one handler can exercise every reply rule:
 *
 *   error_reply → error reply with the payload    no_reply → no reply at all
 *   crash       → the channel crashes (phx_error)  stop     → ok reply, then phx_close
 *   push_back   → pushes `pushed` with the payload, then replies ok
 *
 * Join params `{ refuse: "why" }` refuse the join; `{ crash: true }` crashes it.
 */
import { error, noreply, ok, stop, type ChannelHandler } from '../channel-api.ts'

function field (params: unknown, key: string): unknown {
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[key] : undefined
}

export const echoChannel: ChannelHandler = {
  join (_topic, params) {
    const refuse = field(params, 'refuse')
    if (field(params, 'crash') === true) throw new Error('join crashed on request')
    if (typeof refuse === 'string') return error({ reason: refuse })
    return ok({})
  },
  handleIn (event, payload, socket) {
    switch (event) {
      case 'error_reply': return error(payload)
      case 'no_reply': return noreply()
      case 'crash': throw new Error('crash requested')
      case 'stop': return stop('normal', ok({}))
      case 'push_back':
        socket.push('pushed', payload)
        return ok({})
      default: return ok(payload)
    }
  },
}
