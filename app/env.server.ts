import path from 'node:path'
import { z } from 'zod'

const DEV_SESSION_SECRET = 'zhuqi-local-development-secret-not-for-production'

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    // 0 picks a free port (tests).
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** PostgreSQL; when unset the embedded PGlite under DATA_DIR is used. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    /** When unset: the local Redis on 6379, else a private redis-server under DATA_DIR. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    /** BullMQ key prefix; wrap in {braces} for Redis Cluster. */
    QUEUE_PREFIX: z.string().min(1).default('zhuqi'),
    SESSION_SECRET: z.string().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Seed demo data into an empty embedded database at start. */
    SEED_DEMO: z.enum(['auto', 'never', 'always']).default('auto'),
    /** E-mail channel: smtp(s)://user:pass@host:port; unset → no e-mail (one log line). */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^/]+/, 'must look like smtp://user:pass@host:587 or smtps://…:465')
      .optional(),
    /** The From of every e-mail, e.g. `助企 Zhuqi <noreply@zhuqi.example.org>`. */
    MAIL_FROM: z
      .string()
      .refine(isMailbox, 'must be an address, optionally with a name: Name <noreply@example.org>')
      .optional(),
    /** Public address of the web app, the base of the links in e-mail and SMS. */
    APP_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must start with http:// or https://')
      .default('http://localhost:3000'),
    /** SMS adapter: 'log' writes messages to the log (see jobs/delivery/channels.ts to add a provider). */
    SMS_TRANSPORT: z.enum(['log', 'off']).default('log'),
    /** Where uploads live: 'local' (DATA_DIR/uploads) or 's3' (an S3-compatible bucket, S3_*). */
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    S3_BUCKET: z.string().min(3).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    /** The store's URL (MinIO, OSS, COS…); unset for AWS itself. */
    S3_ENDPOINT: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must start with http:// or https://')
      .optional(),
    /** Path-style addressing (endpoint/bucket/key), which MinIO and most self-hosted stores need. */
    S3_FORCE_PATH_STYLE: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Both or neither; neither uses the SDK's default credentials (environment, instance role). */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Key prefix inside the bucket, e.g. `zhuqi/`. */
    S3_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*\/$/, 'must look like zhuqi/ or a/b/')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_FROM'],
        message: 'required when SMTP_URL is set, e.g. MAIL_FROM="助企 Zhuqi <noreply@example.org>"',
      })
    }
    if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_BUCKET'],
        message: 'required when STORAGE_DRIVER=s3',
      })
    }
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
      })
    }
  })
  .transform((env, ctx) => {
    const secret =
      env.SESSION_SECRET ?? (env.NODE_ENV === 'production' ? undefined : DEV_SESSION_SECRET)
    if (
      !secret ||
      (env.NODE_ENV === 'production' && (secret === DEV_SESSION_SECRET || secret.length < 32))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message:
          'production needs SESSION_SECRET set to a random string of at least 32 characters (e.g. `openssl rand -hex 32`)',
      })
      return z.NEVER
    }
    return { ...env, SESSION_SECRET: secret }
  })

export type Env = z.output<typeof schema>

/** `noreply@example.org` or `Name <noreply@example.org>`. */
function isMailbox(value: string): boolean {
  const match = /^[^<>]*<([^<>]+)>\s*$/.exec(value)
  const address = (match?.[1] ?? value).trim()
  return z.email().safeParse(address).success
}

/** The From of captured development e-mail when MAIL_FROM is unset. */
export const DEV_MAIL_FROM = '助企 Zhuqi <noreply@zhuqi.localhost>'

/**
 * The development mailbox (DATA_DIR/mail): where e-mail goes when SMTP_URL is
 * unset outside production, instead of being switched off. Null in production
 * (no SMTP there means no e-mail, as before) and whenever SMTP_URL is set.
 * Pages call it with process.env (already validated at start), so it reads
 * only these three variables and applies their defaults itself.
 */
export function devMailboxDir(source: MailboxEnv): string | null {
  if ((source.NODE_ENV ?? 'development') === 'production' || source.SMTP_URL) return null
  return mailDirOf(source)
}

type MailboxEnv = Partial<Record<'NODE_ENV' | 'DATA_DIR' | 'SMTP_URL', string>>

/** DATA_DIR/mail, whether or not it is in use. */
export function mailDirOf(source: MailboxEnv): string {
  return path.resolve(source.DATA_DIR || './data', 'mail')
}

/** Parses the environment; on error throws one message listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source)
  if (result.success) return result.data
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || 'env'}: ${i.message}`)
  throw new Error(`Invalid environment:\n${lines.join('\n')}`)
}
