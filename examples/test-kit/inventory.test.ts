/**
 * Testing an app against the fake Phoenix server from the test kit: each
 * test starts a real Phoenix socket endpoint on a free port, with the
 * server side of the channel written as Phoenix.Channel would be, points
 * the app at it, and breaks things on purpose with `server.faults`.
 *
 *   npx node --conditions=backchannel-source --test examples/test-kit/inventory.test.ts
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { JoinRefusedError } from 'backchannel'
import { error, ok, startFakePhoenix, type ChannelHandler, type FakePhoenix } from 'backchannel/testing'
import { Inventory, OutOfStockError } from './inventory.ts'

/** The Phoenix app's InventoryChannel, as the test needs it: stock per sku, one reservation id per reserve. */
function inventoryChannel (stock: Map<string, number>): ChannelHandler {
  let reservations = 0
  return {
    join: (_topic, params) => (params as { token?: string }).token === 'secret' ? ok({}) : error({ reason: 'unauthorized' }),
    handleIn: (event, payload) => {
      if (event !== 'reserve') return error({ reason: 'unknown_event' })
      const { sku, quantity } = payload as { sku: string, quantity: number }
      const available = stock.get(sku) ?? 0
      if (quantity > available) return error({ reason: 'out_of_stock', available })
      stock.set(sku, available - quantity)
      return ok({ reservation: `r${++reservations}` })
    },
  }
}

async function start (t: TestContext, stock: Map<string, number>): Promise<FakePhoenix> {
  const server = await startFakePhoenix({ channels: { 'inventory:*': inventoryChannel(stock) } })
  t.after(() => server.close())
  return server
}

async function open (t: TestContext, server: FakePhoenix, token = 'secret'): Promise<Inventory> {
  const inventory = await Inventory.open({ url: server.endpoint, warehouse: 'eu', token })
  t.after(() => inventory.close())
  return inventory
}

test('reserve resolves with the reservation the channel replies with, and takes the stock', async (t) => {
  const stock = new Map([['tea', 5]])
  const inventory = await open(t, await start(t, stock))
  assert.equal(await inventory.reserve('tea', 2), 'r1')
  assert.equal(await inventory.reserve('tea', 3), 'r2')
  assert.equal(stock.get('tea'), 0)
})

test('an out_of_stock error reply becomes OutOfStockError with what is left', async (t) => {
  const inventory = await open(t, await start(t, new Map([['tea', 1]])))
  await assert.rejects(inventory.reserve('tea', 2), (err: unknown) =>
    err instanceof OutOfStockError && err.sku === 'tea' && err.available === 1)
})

test('a restock the server broadcasts reaches the app', async (t) => {
  const server = await start(t, new Map())
  const inventory = await open(t, server)
  const restock = inventory.nextRestock()
  server.broadcast('inventory:eu', 'restocked', { sku: 'tea', quantity: 10 })
  assert.deepEqual(await restock, { sku: 'tea', quantity: 10 })
})

test('a wrong token makes open() fail with the join refusal', async (t) => {
  const server = await start(t, new Map())
  await assert.rejects(Inventory.open({ url: server.endpoint, warehouse: 'eu', token: 'wrong' }), (err: unknown) =>
    err instanceof JoinRefusedError && (err.response as { reason: string }).reason === 'unauthorized')
})

test('the app keeps working across a Phoenix restart: it reconnects and rejoins', async (t) => {
  const stock = new Map([['tea', 5]])
  const server = await start(t, stock)
  const inventory = await open(t, server)
  assert.equal(await inventory.reserve('tea', 1), 'r1')
  const rejoined = server.waitFor('join', (j) => j.topic === 'inventory:eu' && j.status === 'ok')
  // As in a deploy: Phoenix closes the socket with 1012 and listens again on the same port.
  await server.faults.restart()
  assert.equal(await inventory.reserve('tea', 1), 'r2')
  await rejoined
  assert.equal(stock.get('tea'), 3)
})
