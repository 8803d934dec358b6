/**
 * Shared setup for the built-in handler tests: a server with the default
 * channels and raw clients, all closed when the test ends.
 */

export { harness, heartbeat, joinOk, nextMessage, type Harness } from '../../helpers/fake-harness.ts'
