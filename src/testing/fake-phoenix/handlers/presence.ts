/**
 * `presence:*` — as a Phoenix app's presence channel: join sends itself
 * `afterJoin`, which runs once the join reply is out and tracks the joiner
 * under `params.user_id` (or its connection id) with
 * `{ online_at, ...params.meta }`, then pushes `presence_state`. Diffs go out
 * as `presence_diff` broadcasts, to the joiner too: its own join arrives
 * after its `presence_state`. `update` replaces the joiner's meta (a new
 * phx_ref with phx_ref_prev).
 */
import { noreply, ok, type ChannelHandler } from '../channel-api.ts'

function keyOf (params: unknown, connectionId: number): string {
  const id = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['user_id'] : undefined
  return typeof id === 'string' && id !== '' ? id : `conn-${connectionId}`
}

function metaOf (params: unknown): Record<string, unknown> {
  const meta = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['meta'] : undefined
  return typeof meta === 'object' && meta !== null ? { ...(meta as Record<string, unknown>) } : {}
}

export const presenceChannel: ChannelHandler = {
  join (_topic, params, socket) {
    socket.assigns['presenceKey'] = keyOf(params, socket.connectionId)
    socket.sendInfo({ afterJoin: metaOf(params) })
    return ok({})
  },
  handleIn (event, payload, socket) {
    const key = String(socket.assigns['presenceKey'])
    if (event === 'update') socket.updatePresence(key, { online_at: Date.now(), ...metaOf({ meta: payload }) })
    return ok({})
  },
  handleInfo (message, socket) {
    const meta = (message as { afterJoin?: Record<string, unknown> }).afterJoin
    if (meta !== undefined) {
      socket.track(String(socket.assigns['presenceKey']), { online_at: Date.now(), ...meta })
      socket.push('presence_state', socket.presenceList())
    }
    return noreply()
  },
}
