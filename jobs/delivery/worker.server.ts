import {
  DelayedError,
  type Job,
  type JobsOptions,
  type Queue,
  UnrecoverableError,
  Worker,
  type WorkerOptions,
} from 'bullmq'
import type { Redis } from 'ioredis'
import type { Db } from '#db/client.server.ts'
import type { WorkingDayCalendar } from '../calendar/working-days.ts'
import type { Logger } from '../logger.ts'
import { DELIVER_QUEUE } from '../queues.server.ts'
import type { Channels } from './channels.ts'
import { DELIVER_JOB, type DeliveryDeps, processDelivery, type SendOutcome } from './deliver.job.ts'
import {
  DIGEST_CRON,
  DIGEST_JOB,
  DIGEST_RUN_JOB,
  DIGEST_SCHEDULER_ID,
  DIGEST_TZ,
  processDigest,
  runDailyDigest,
} from './digest.job.ts'

export interface DeliveryWorkerConfig {
  channels: Channels
  /** Base of the links in messages. */
  appUrl: string
  now?: () => Date
  calendar?: WorkingDayCalendar
  leaseMs?: number
  /** Attempts and backoff of deliver and digest jobs (tests use short ones). */
  jobOptions?: JobsOptions
  /** Cron pattern of the daily digest run in Asia/Shanghai; false: no scheduler (tests). */
  digestPattern?: string | false
  /** Extra options for this worker (tests: a short lockDuration to see stalls quickly). */
  workerOptions?: Partial<WorkerOptions>
}

export interface DeliverWorker {
  worker: Worker
  deps: DeliveryDeps
  /** Settles once the latest attempt to register the digest scheduler has. */
  ready: () => Promise<void>
  /** Stops registering the scheduler (the worker itself closes with the others). */
  stop: () => Promise<void>
}

type DeliverData = { deliveryId?: number; digestId?: number }

/**
 * The 'deliver' queue's worker: single e-mails/SMS ('deliver'), digest e-mails
 * ('digest') and the daily run that creates them ('digest-run', from a BullMQ
 * job scheduler at 08:30 Asia/Shanghai; it does nothing on non-working days).
 */
export function startDeliverWorker(options: {
  db: Db
  queue: Queue
  logger: Logger
  common: { connection: Redis; prefix: string; concurrency: number }
  config: DeliveryWorkerConfig
}): DeliverWorker {
  const { config } = options
  const deps: DeliveryDeps & { db: Db } = {
    db: options.db,
    channels: config.channels,
    queue: options.queue,
    appUrl: config.appUrl,
    logger: options.logger,
    now: config.now,
    calendar: config.calendar,
    leaseMs: config.leaseMs,
    jobOptions: config.jobOptions,
  }
  const now = () => (config.now ? config.now() : new Date())

  const worker = new Worker(
    DELIVER_QUEUE,
    async (job: Job<DeliverData>, token?: string) => {
      // BullMQ retries while attemptsMade + 1 < attempts: this run is the last one otherwise.
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
      let outcome: SendOutcome
      switch (job.name) {
        case DELIVER_JOB:
          outcome = await processDelivery(deps, Number(job.data.deliveryId), { final })
          break
        case DIGEST_JOB:
          outcome = await processDigest(deps, Number(job.data.digestId), { final })
          break
        case DIGEST_RUN_JOB:
          return runDailyDigest(deps)
        default:
          throw new UnrecoverableError(`unknown job ${job.name}`)
      }
      if (outcome.outcome === 'deferred') {
        // Back to delayed without using up an attempt; the clock may be shifted in tests.
        const wait = Math.max(0, outcome.until.getTime() - now().getTime())
        await job.moveToDelayed(Date.now() + wait, token)
        throw new DelayedError()
      }
      return outcome
    },
    { ...options.common, ...config.workerOptions },
  )

  // The scheduler is registered at start, and again every half minute until Redis takes it.
  const pattern = config.digestPattern ?? DIGEST_CRON
  let retry: NodeJS.Timeout | undefined
  let stopped = false
  let registering: Promise<void> = Promise.resolve()
  const register = () => {
    retry = undefined
    if (stopped || pattern === false) return
    registering = options.queue
      .upsertJobScheduler(
        DIGEST_SCHEDULER_ID,
        { pattern, tz: DIGEST_TZ },
        { name: DIGEST_RUN_JOB, data: {}, opts: { attempts: 3, backoff: 60_000 } },
      )
      .then(
        () => undefined,
        (err: unknown) => {
          options.logger.warn({ err: String(err) }, 'daily digest scheduler not registered yet')
          if (!stopped) retry = setTimeout(register, 30_000)
        },
      )
  }
  register()
  return {
    worker,
    deps,
    ready: () => registering,
    stop: async () => {
      stopped = true
      if (retry) clearTimeout(retry)
      await registering
    },
  }
}
