import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '#app/env.server.ts'
import { createS3Storage, storageFromEnv } from '#app/storage/s3-storage.server.ts'
import { InvalidStorageKeyError } from '#app/storage/storage.server.ts'

/**
 * A stand-in for an S3-compatible object store (no real one is reachable
 * here): an in-process HTTP server that implements just PUT, GET and DELETE
 * of an object, path-style (/bucket/key), and records what it was asked.
 * It checks that requests are SigV4-signed but does not verify signatures.
 */
function fakeObjectStore() {
  const objects = new Map<string, Buffer>()
  const requests: { method: string; path: string; authorization: string | undefined }[] = []
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://store')
    const path = decodeURIComponent(url.pathname)
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization })
    const notFound = () => {
      res.writeHead(404, { 'Content-Type': 'application/xml' })
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      )
    }
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ') || path.includes('forbidden')) {
      res.writeHead(403, { 'Content-Type': 'application/xml' })
      res.end('<Error><Code>AccessDenied</Code><Message>unsigned</Message></Error>')
      return
    }
    if (req.method === 'PUT') {
      objects.set(path, await body(req))
      res.writeHead(200, { ETag: '"etag"' })
      res.end()
    } else if (req.method === 'GET') {
      const data = objects.get(path)
      if (!data) return notFound()
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(data.byteLength),
      })
      res.end(data)
    } else if (req.method === 'DELETE') {
      objects.delete(path)
      res.writeHead(204)
      res.end()
    } else {
      res.writeHead(405)
      res.end()
    }
  })
  return { server, objects, requests }
}

let store: ReturnType<typeof fakeObjectStore>
let endpoint: string

beforeAll(async () => {
  store = fakeObjectStore()
  await new Promise<void>((resolve) => store.server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(store.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => store?.server.close(() => resolve()))
})

const config = () => ({
  bucket: 'zhuqi-test',
  region: 'cn-east-1',
  endpoint,
  forcePathStyle: true,
  accessKeyId: 'test-access-key',
  secretAccessKey: 'test-secret-key',
})

describe('the S3-compatible storage', () => {
  it('puts, gets and deletes an object, path-style and signed', async () => {
    const storage = createS3Storage(config())
    const bytes = new Uint8Array(randomBytes(2048))
    await storage.put('visits/1/photos/abc-123', bytes)
    expect(store.objects.get('/zhuqi-test/visits/1/photos/abc-123')).toEqual(Buffer.from(bytes))
    expect(await storage.get('visits/1/photos/abc-123')).toEqual(bytes)
    await storage.delete('visits/1/photos/abc-123')
    expect(store.objects.has('/zhuqi-test/visits/1/photos/abc-123')).toBe(false)
    expect(await storage.get('visits/1/photos/abc-123')).toBeNull()
    // Removing a missing key is not an error.
    await storage.delete('visits/1/photos/abc-123')
    expect(
      store.requests.every(
        (r) =>
          r.authorization?.includes('Credential=test-access-key/') &&
          r.authorization.includes('/cn-east-1/s3/'),
      ),
    ).toBe(true)
  })

  it('replaces an object stored again, and carries a photo-sized body', async () => {
    const storage = createS3Storage(config())
    await storage.put('visits/2/photos/big', new Uint8Array([1, 2, 3]))
    const big = new Uint8Array(randomBytes(3 * 1024 * 1024))
    await storage.put('visits/2/photos/big', big)
    const back = await storage.get('visits/2/photos/big')
    expect(back?.byteLength).toBe(big.byteLength)
    expect(Buffer.from(back ?? []).equals(Buffer.from(big))).toBe(true)
  })

  it('keeps everything under the prefix and refuses keys that are not ours', async () => {
    const storage = createS3Storage({ ...config(), prefix: 'zhuqi/' })
    await storage.put('needs-lists/7/file', new Uint8Array([7]))
    expect(store.objects.has('/zhuqi-test/zhuqi/needs-lists/7/file')).toBe(true)
    const before = store.requests.length
    for (const key of ['../secret', 'a//b', '/abs', 'UPPER', '']) {
      await expect(storage.put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(
        InvalidStorageKeyError,
      )
    }
    expect(store.requests.length).toBe(before)
  })

  it('reports a refusal of the store as an error, not as a missing object', async () => {
    const storage = createS3Storage(config())
    await expect(storage.get('visits/3/photos/forbidden')).rejects.toThrow()
    await expect(storage.put('visits/3/photos/forbidden', new Uint8Array([1]))).rejects.toThrow()
  })
})

describe('choosing the storage from the environment', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/zhuqi-env-test' }

  it('is local disk by default, and S3 when STORAGE_DRIVER=s3 with its settings', async () => {
    const local = parseEnv(base)
    expect(local).toMatchObject({ STORAGE_DRIVER: 'local', S3_FORCE_PATH_STYLE: false })
    const env = parseEnv({
      ...base,
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'zhuqi-test',
      S3_REGION: 'cn-east-1',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'test-access-key',
      S3_SECRET_ACCESS_KEY: 'test-secret-key',
      S3_PREFIX: 'from-env/',
    })
    const storage = storageFromEnv(env)
    await storage.put('visits/9/photos/p', new Uint8Array([9, 9]))
    expect(store.objects.get('/zhuqi-test/from-env/visits/9/photos/p')).toEqual(Buffer.from([9, 9]))
    expect(await storage.get('visits/9/photos/p')).toEqual(new Uint8Array([9, 9]))
  })

  it('refuses incomplete or malformed S3 settings at boot, naming the variables', () => {
    expect(() => parseEnv({ ...base, STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET/)
    expect(() =>
      parseEnv({ ...base, STORAGE_DRIVER: 's3', S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'k' }),
    ).toThrow(/S3_SECRET_ACCESS_KEY/)
    expect(() => parseEnv({ ...base, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/)
    expect(() => parseEnv({ ...base, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/)
    expect(() => parseEnv({ ...base, S3_PREFIX: '/abs' })).toThrow(/S3_PREFIX/)
    expect(() => parseEnv({ ...base, STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER/)
  })
})
