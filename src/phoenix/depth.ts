/**
 * How deeply a JSON value nests, checked without recursion, pure. JSON.parse
 * reads any depth, but JSON.stringify (and anything else that recurses)
 * runs out of stack a few thousand levels down: a value from a peer is
 * checked against this limit before it is passed on.
 */

/** The deepest nesting of arrays and objects a body or reply may have. */
export const MAX_JSON_DEPTH = 512

/** Whether `value` has arrays or objects nested more than `limit` levels deep (a scalar is depth 0). */
export function nestedDeeperThan (value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ value: unknown, depth: number }> = [{ value, depth: 0 }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const v = item.value
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue
    const depth = item.depth + 1
    if (depth > limit) return true
    const children = Array.isArray(v) ? v : Object.values(v)
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth })
  }
  return false
}
