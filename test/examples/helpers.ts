/**
 * Helpers for running the examples as written: a demo gateway started
 * in-process by examples/start-demo.ts (the fake Phoenix server and a
 * gateway from config/demo.json), and a child process run to its end with
 * a deadline, its output collected.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { startDemo, type Demo, type DemoOptions } from '../../examples/start-demo.ts'

export const root = join(import.meta.dirname, '..', '..')

/** How long one example may run. */
export const RUN_DEADLINE_MS = 30_000

/** The demo gateway for one test, closed when the test ends. */
export async function demo (t: TestContext, options: DemoOptions = {}): Promise<Demo> {
  const running = await startDemo(options)
  t.after(() => running.close())
  return running
}

/** This process's environment without the test runner's own variable (a child `node --test` would report to us), plus `extra`. */
export function childEnv (extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'NODE_TEST_CONTEXT') env[name] = value
  }
  return { ...env, ...extra }
}

export interface Ran {
  /** Exit code, or null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * Runs `command` in the repository root and resolves when it exited and its
 * output closed. It runs in a process group of its own, killed whole after
 * the deadline, so a background child (run.sh's curl) cannot outlive it.
 */
export async function run (command: string, args: readonly string[], env: Record<string, string>, deadlineMs = RUN_DEADLINE_MS): Promise<Ran> {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => { killGroup(child.pid) }, deadlineMs)
  try {
    return await new Promise<Ran>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code, signal) => { resolve({ code, signal, stdout, stderr }) })
    })
  } finally {
    clearTimeout(timer)
  }
}

/** Kills the process group led by `pid` (a child spawned with `detached`), if it is still there. */
export function killGroup (pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** Asserts a clean exit, showing the output when it was not. */
export function succeeded (ran: Ran): string {
  if (ran.code !== 0) throw new Error(`exited with ${ran.code ?? ran.signal ?? '?'}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`)
  return ran.stdout
}

/** The sequence number of an `<epoch>-<seq>` event id. */
export function seqOf (id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1))
}

/** `<epoch>-<seq>` ids from `first`, `count` of them. */
export function idsFrom (epoch: string, first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${epoch}-${first + i}`)
}

/** A process left running in the background (a server), its output collected as it comes. */
export interface Background {
  pid: number | undefined
  /** Everything written to stdout so far. */
  stdout: () => string
  stderr: () => string
  /** Resolves with the stdout once `check` accepts it; rejects after the deadline or when the process exits first. */
  until: (what: string, check: (stdout: string) => boolean, deadlineMs?: number) => Promise<string>
  /** SIGTERM to its process group, SIGKILL if it is still there after 10 s; resolves once it exited. */
  stop: () => Promise<void>
}

/** Starts `command` in the repository root in a process group of its own (stopped with the group). */
export function background (command: string, args: readonly string[], env: Record<string, string>): Background {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  let exited = false
  const changed = new Set<() => void>()
  const wake = (): void => { for (const w of [...changed]) w() }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; wake() })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const gone = new Promise<void>((resolve) => {
    child.once('close', () => { exited = true; wake(); resolve() })
    child.once('error', (err) => { stderr += String(err); exited = true; wake(); resolve() })
  })
  return {
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    until: async (what, check, deadlineMs = RUN_DEADLINE_MS) => new Promise<string>((resolve, reject) => {
      const fail = (why: string): void => { done(); reject(new Error(`${command} ${args.join(' ')}: ${what}: ${why}\n--- stdout\n${stdout}--- stderr\n${stderr}`)) }
      const look = (): void => {
        if (check(stdout)) { done(); resolve(stdout) } else if (exited) fail('it exited first')
      }
      const timer = setTimeout(() => { fail(`not within ${deadlineMs} ms`) }, deadlineMs)
      const done = (): void => { clearTimeout(timer); changed.delete(look) }
      changed.add(look)
      look()
    }),
    stop: async () => {
      if (exited) return
      killGroup(child.pid, 'SIGTERM')
      const timer = setTimeout(() => { killGroup(child.pid) }, 10_000)
      await gone
      clearTimeout(timer)
    },
  }
}

/** A background process stopped when the test ends. */
export function backgroundFor (t: TestContext, command: string, args: readonly string[], env: Record<string, string>): Background {
  const started = background(command, args, env)
  t.after(() => started.stop())
  return started
}

export { freePort } from '../helpers/ports.ts'
