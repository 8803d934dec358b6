/**
 * `room:*` — a chat room: every event a client sends is broadcast to the
 * room (the sender included, as Phoenix's `broadcast!/3`), and answered ok.
 */
import { ok, type ChannelHandler } from '../channel-api.ts'

export const roomChannel: ChannelHandler = {
  join () {
    return ok({})
  },
  handleIn (event, payload, socket) {
    socket.broadcast(event, payload)
    return ok({})
  },
}
