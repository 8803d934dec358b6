import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BackchannelError, isBackchannelError } from '../src/errors.ts'

test('a BackchannelError carries its code, status and cause', () => {
  const cause = new Error('root')
  const err = new BackchannelError('BC_ERR_TEST', 'something failed', { statusCode: 503, cause })
  assert.equal(err.code, 'BC_ERR_TEST')
  assert.equal(err.statusCode, 503)
  assert.equal(err.cause, cause)
  assert.equal(err.name, 'BackchannelError')
  assert.ok(isBackchannelError(err))
  assert.ok(!isBackchannelError(new Error('plain')))
  assert.ok(!isBackchannelError(null))
})
