/**
 * The `backchannel` command, loaded by main.ts once the Node.js version is
 * known to fit. Each subcommand lives in commands/; this file only parses
 * the first word, dispatches, and turns failures into exit codes.
 */
import { isBackchannelError } from '../errors.ts'
import { UsageError } from './usage-error.ts'
import { packageVersion } from './version.ts'

const USAGE = `usage: backchannel <command> [options]

commands:
  serve          run the sidecar (HTTP API, SSE, metrics) from the environment and a config file
  push           push one message to a channel and print the reply
  listen         print a channel's messages as JSON lines
  fake-phoenix   run the fake Phoenix server (the test kit) on its own
  demo           start the fake Phoenix server and walk through the protocol
  check-config   validate a gateway config file and explain it
  healthcheck    ask a running sidecar's /livez (the container image's HEALTHCHECK)
  version        print the version (also --version, -v)
  help           show this text

Run "backchannel <command> --help" for a command's options.`

type Command = (args: string[]) => Promise<number>

/**
 * Each command's module, loaded when it runs: `serve` does not load the fake
 * Phoenix server, the demo or the client commands, which an idle sidecar
 * would hold for nothing (test/cli/lazy-commands.test.ts).
 */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.ts')).runServe,
  push: async () => (await import('./commands/push.ts')).runPush,
  listen: async () => (await import('./commands/listen.ts')).runListen,
  'fake-phoenix': async () => (await import('./commands/fake-phoenix.ts')).runFakePhoenix,
  demo: async () => (await import('./commands/demo.ts')).runDemo,
  'check-config': async () => (await import('./commands/check-config.ts')).runCheckConfig,
  healthcheck: async () => (await import('./commands/healthcheck.ts')).runHealthcheck,
}

/** What the server answered, for errors that carry it (a refused join's reply): ": {…}", or "". */
function serverSaid (err: object): string {
  if (!('response' in err) || err.response === undefined) return ''
  let text: string
  try {
    text = JSON.stringify(err.response)
  } catch {
    text = 'a reply that is not JSON'
  }
  return `; the server answered ${text.length > 1000 ? `${text.slice(0, 1000)}…` : text}`
}

async function main (argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`)
    return name === undefined ? 2 : 0
  }
  if (name === 'version' || name === '--version' || name === '-v') {
    process.stdout.write(`${await packageVersion()}\n`)
    return 0
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (load === undefined) {
    process.stderr.write(`backchannel: unknown command "${name}"\n\n${USAGE}\n`)
    return 2
  }
  return (await load())(rest)
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`backchannel: ${err.message}\n`)
    process.exitCode = 2
    return
  }
  if (isBackchannelError(err)) {
    // Our own errors are written for people: the message, no stack (a ConfigError's message lists its problems).
    process.stderr.write(`backchannel: ${err.code}: ${err.message}${serverSaid(err)}\n`)
  } else {
    process.stderr.write(`backchannel: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  }
  process.exitCode = 1
})
