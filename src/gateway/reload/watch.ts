/**
 * Watches the config file's folder, not the file. A Kubernetes ConfigMap
 * volume holds `config.yaml -> ..data/config.yaml` and `..data ->
 * ..2026_…`; an update writes a new timestamped folder and renames a new
 * `..data` link over the old one, so the file's inode never changes and a
 * watch on it would never fire. Any event in the folder starts a debounce;
 * when it has been quiet for `debounceMs`, the file is read through its
 * path (following the links) and `onChange` is called only if its content
 * hash differs from the last one seen: touches, editors' temporary files
 * and the swap's intermediate steps are no-ops.
 */
import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

export interface WatchOptions {
  /** Quiet time after the last event before the file is read, ms. */
  debounceMs: number
  /** The content changed. */
  onChange: () => void
  /** Something happened in the folder, but the file's content is what it was (or cannot be read right now). */
  onUnchanged?: () => void
  /** The watch failed (the folder went away…); it has stopped. */
  onError: (err: Error) => void
}

export interface ConfigWatcher {
  close: () => void
}

/** The sha256 of the file's content, or null when it cannot be read now (in the middle of a swap). */
export async function contentHash (path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex')
  } catch {
    return null
  }
}

export async function watchConfigFile (path: string, options: WatchOptions): Promise<ConfigWatcher> {
  const file = resolve(path)
  let last = await contentHash(file)
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const check = async (): Promise<void> => {
    const hash = await contentHash(file)
    if (closed) return
    if (hash === null || hash === last) {
      options.onUnchanged?.()
      return
    }
    last = hash
    options.onChange()
  }
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, () => {
    clearTimeout(timer)
    timer = setTimeout(() => { check().catch(options.onError) }, options.debounceMs)
    timer.unref()
  })
  watcher.on('error', (err) => {
    clearTimeout(timer)
    closed = true
    watcher.close()
    options.onError(err)
  })
  return {
    close () {
      closed = true
      clearTimeout(timer)
      watcher.close()
    },
  }
}
