import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where uploaded files live, addressed by key. The local-disk implementation
 * below serves one machine; several web processes on different machines need
 * a shared implementation (NFS, or an object store behind the same interface).
 */
export interface FileStorage {
  /** Stores `data` under `key`, replacing what was there. */
  put(key: string, data: Uint8Array): Promise<void>
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>
}

// Keys are ours (never user input), but a bad one must still not escape the root.
const KEY = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/

export class InvalidStorageKeyError extends Error {}

function fileOf(root: string, key: string): string {
  if (!KEY.test(key)) throw new InvalidStorageKeyError(`invalid storage key: ${key}`)
  return path.join(root, ...key.split('/'))
}

/** Files under `root` (e.g. DATA_DIR/uploads); writes go through a temporary file and a rename. */
export function createLocalStorage(root: string): FileStorage {
  return {
    async put(key, data) {
      const file = fileOf(root, key)
      await mkdir(path.dirname(file), { recursive: true })
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(tmp, data, { flag: 'wx' })
        await rename(tmp, file)
      } catch (err) {
        await rm(tmp, { force: true })
        throw err
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileOf(root, key)))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async delete(key) {
      await rm(fileOf(root, key), { force: true })
    },
  }
}
