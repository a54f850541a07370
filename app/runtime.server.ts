import type { Server } from 'node:http'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import { connectDatabase, type DbHandle } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { syncReferenceData } from '#db/reference/sync.server.ts'
import { isEmpty, seedDemo } from '#db/seed.server.ts'
import { createJobsService } from '#jobs/delivery/status.server.ts'
import { createLogger, type Logger } from '#jobs/logger.ts'
import { resolveRedis } from '#jobs/redis-default.server.ts'
import { type JobRuntime, startJobRuntime } from '#jobs/runtime.server.ts'
import { createAuthCookies } from './auth/cookies.server.ts'
import { DEV_MAIL_FROM, devMailboxDir, type Env } from './env.server.ts'
import { createHttpApp, type PerProcessContext } from './http.server.ts'
import { storageFromEnv } from './storage/s3-storage.server.ts'

export interface RuntimeOptions {
  env: Env
  /** Which parts run in this process. */
  web: boolean
  worker: boolean
  /** `dev` serves the app through Vite (HMR); otherwise from build/. */
  dev?: boolean
  logger?: Logger
}

export interface Runtime {
  db: DbHandle
  jobs?: JobRuntime
  server?: Server
  url?: string
  stop: () => Promise<void>
}

/** Boots a process: database (migrated, seeded when new and embedded), Redis, jobs, web. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { env } = options
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL })
  const db = connectDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: path.join(env.DATA_DIR, 'pglite'),
  })
  const applied = await migrateToLatest(db.db)
  if (applied.length) logger.info({ applied }, 'database migrated')
  const reference = await syncReferenceData(db.db)
  if (reference.categories || reference.skills) logger.info(reference, 'reference data added')
  const shouldSeed =
    env.SEED_DEMO === 'always' || (env.SEED_DEMO === 'auto' && db.kind === 'pglite')
  if (shouldSeed && (await isEmpty(db.db))) {
    await seedDemo(db.db)
    logger.info('demo data seeded (see README for the sign-ins)')
  }

  const redis = await resolveRedis({ redisUrl: env.REDIS_URL, dataDir: env.DATA_DIR, logger })
  // Without SMTP outside production, e-mail goes to a local mailbox (see /dev/mail).
  const mailbox = devMailboxDir(env)
  if (mailbox && options.worker) {
    logger.info({ dir: mailbox }, 'no SMTP_URL: e-mail is kept in the local mailbox, see /dev/mail')
  }
  const jobs = startJobRuntime({
    db: db.db,
    redisUrl: redis.url,
    prefix: env.QUEUE_PREFIX,
    logger,
    // The relay runs wherever workers run; a web-only process just writes the outbox.
    relay: options.worker,
    workers: options.worker,
    delivery: {
      email:
        env.SMTP_URL && env.MAIL_FROM
          ? { url: env.SMTP_URL, from: env.MAIL_FROM }
          : mailbox
            ? { mailbox, from: env.MAIL_FROM ?? DEV_MAIL_FROM }
            : undefined,
      sms: env.SMS_TRANSPORT,
      appUrl: env.APP_URL,
    },
  })

  let server: Server | undefined
  let url: string | undefined
  let closeVite: (() => Promise<void>) | undefined
  if (options.web) {
    const { sessionCookie, csrfCookie } = createAuthCookies(
      env.SESSION_SECRET,
      env.NODE_ENV === 'production',
    )
    const context: PerProcessContext = {
      db: db.db,
      logger,
      sessionCookie,
      csrfCookie,
      pokeOutbox: () => jobs.relay?.poke(),
      now: () => new Date(),
      // The web process reads queue status through its producer queues (no workers here).
      jobs: createJobsService({ db: db.db, queues: jobs.queues }),
      storage: storageFromEnv(env),
    }
    const app = options.dev
      ? await devApp(context).then((r) => {
          closeVite = r.close
          return r.app
        })
      : createHttpApp({
          context,
          build: (await import(pathToBuild())) as ServerBuild,
          clientDir: path.resolve('build/client'),
          trustProxy: env.NODE_ENV === 'production',
        })
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(env.PORT, env.HOST, () => resolve(s))
    })
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : env.PORT
    url = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${port}`
    logger.info({ url, database: db.kind }, 'web ready')
  }

  let stopping: Promise<void> | undefined
  return {
    db,
    jobs,
    server,
    url,
    stop: () => {
      stopping ??= (async () => {
        if (server) {
          const s = server
          await new Promise<void>((resolve) => s.close(() => resolve()))
          s.closeAllConnections?.()
        }
        await closeVite?.()
        await jobs.close()
        await redis.stop()
        await db.close()
      })()
      return stopping
    },
  }
}

function pathToBuild(): string {
  return path.resolve('build/server/index.js')
}

async function devApp(context: PerProcessContext) {
  const vite = await import('vite').then((v) =>
    v.createServer({ server: { middlewareMode: true }, appType: 'custom' }),
  )
  const app = createHttpApp({
    context,
    before: [vite.middlewares],
    build: () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
    clientDir: path.resolve('public'),
  })
  return { app, close: () => vite.close() }
}
