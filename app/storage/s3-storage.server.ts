import path from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { createLocalStorage, type FileStorage, InvalidStorageKeyError } from './storage.server.ts'

/** An S3-compatible bucket (AWS S3, MinIO, Aliyun OSS, Tencent COS, Ceph RGW…). */
export interface S3StorageConfig {
  bucket: string
  region: string
  /** Omit for AWS itself; the service's URL for any other store. */
  endpoint?: string
  /** Path-style addressing (endpoint/bucket/key), which MinIO and most self-hosted stores need. */
  forcePathStyle?: boolean
  /** Omit both to use the SDK's default chain (environment, instance role…). */
  accessKeyId?: string
  secretAccessKey?: string
  /** Prepended to every key, e.g. "zhuqi/" to share a bucket. */
  prefix?: string
}

// Keys are ours (never user input); the same shape the local storage accepts.
const KEY = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/

function objectKey(prefix: string, key: string): string {
  if (!KEY.test(key)) throw new InvalidStorageKeyError(`invalid storage key: ${key}`)
  return `${prefix}${key}`
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: number } }
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

// The SDK is loaded on first use, so processes on local storage never pay for it.
const loadSdk = () => import('@aws-sdk/client-s3')

/** FileStorage on an S3-compatible object store. */
export function createS3Storage(config: S3StorageConfig): FileStorage {
  let client: Promise<{ s3: S3Client; sdk: Awaited<ReturnType<typeof loadSdk>> }> | undefined
  const connect = () => {
    client ??= loadSdk().then((m) => ({ sdk: m, s3: newClient(m, config) }))
    return client
  }
  const prefix = config.prefix ?? ''
  return {
    async put(key, data) {
      const Key = objectKey(prefix, key)
      const { s3, sdk } = await connect()
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: config.bucket,
          Key,
          Body: data,
          ContentLength: data.byteLength,
          ContentType: 'application/octet-stream',
        }),
      )
    },
    async get(key) {
      const Key = objectKey(prefix, key)
      const { s3, sdk } = await connect()
      try {
        const res = await s3.send(new sdk.GetObjectCommand({ Bucket: config.bucket, Key }))
        if (!res.Body) return null
        return new Uint8Array(await res.Body.transformToByteArray())
      } catch (err) {
        if (isMissing(err)) return null
        throw err
      }
    },
    async delete(key) {
      const Key = objectKey(prefix, key)
      const { s3, sdk } = await connect()
      try {
        await s3.send(new sdk.DeleteObjectCommand({ Bucket: config.bucket, Key }))
      } catch (err) {
        if (!isMissing(err)) throw err
      }
    },
  }
}

function newClient(m: Awaited<ReturnType<typeof loadSdk>>, config: S3StorageConfig): S3Client {
  return new m.S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? false,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // Checksums only where the API requires them: several S3-compatible
    // stores refuse the newer default (CRC trailers in aws-chunked bodies).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  })
}

/** The storage settings of the validated environment (app/env.server.ts). */
export interface StorageEnv {
  DATA_DIR: string
  STORAGE_DRIVER: 'local' | 's3'
  S3_BUCKET?: string
  S3_REGION: string
  S3_ENDPOINT?: string
  S3_FORCE_PATH_STYLE: boolean
  S3_ACCESS_KEY_ID?: string
  S3_SECRET_ACCESS_KEY?: string
  S3_PREFIX?: string
}

/** Local disk under DATA_DIR/uploads by default; the S3-compatible store when STORAGE_DRIVER=s3. */
export function storageFromEnv(env: StorageEnv): FileStorage {
  if (env.STORAGE_DRIVER === 's3' && env.S3_BUCKET) {
    return createS3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      prefix: env.S3_PREFIX,
    })
  }
  return createLocalStorage(path.join(env.DATA_DIR, 'uploads'))
}
