import { Writable } from 'node:stream'
import type { JobsOptions, WorkerOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import type { Db } from '#db/client.server.ts'
import {
  type Channels,
  closeChannels,
  createChannels,
  LoggingSmsTransport,
} from '#jobs/delivery/channels.ts'
import type { DeliveryDeps } from '#jobs/delivery/deliver.job.ts'
import { createJobsService, type JobsService } from '#jobs/delivery/status.server.ts'
import { type Logger, silentLogger } from '#jobs/logger.ts'
import { createWorkerConnection } from '#jobs/redis.server.ts'
import { startWorkers, type Workers } from '#jobs/workers.server.ts'
import { type JobHarness, jobHarness } from './jobs.ts'
import { TEST_REDIS_URL } from './test-db.ts'

export const TEST_APP_URL = 'https://zhuqi.example.org'
export const TEST_MAIL_FROM = '助企 Zhuqi <noreply@zhuqi.example.org>'

/** A clock the test moves by hand; real time passes underneath for BullMQ. */
export interface TestClock {
  now: () => Date
  set: (at: Date | string) => void
  advance: (ms: number) => void
}

/** A clock that starts at `start` and runs on with real time (for lease expiry through BullMQ). */
export function runningClock(start: Date | string): TestClock {
  let offset = new Date(start).getTime() - Date.now()
  return {
    now: () => new Date(Date.now() + offset),
    set: (value) => {
      offset = new Date(value).getTime() - Date.now()
    },
    advance: (ms) => {
      offset += ms
    },
  }
}

export function testClock(start: Date | string): TestClock {
  let at = new Date(start)
  return {
    now: () => new Date(at.getTime()),
    set: (value) => {
      at = new Date(value)
    },
    advance: (ms) => {
      at = new Date(at.getTime() + ms)
    },
  }
}

/** A pino logger whose lines land in an array (to see what the logging SMS transport wrote). */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return { logger: pino({ level: 'info' }, stream), lines }
}

export interface DeliveryHarness extends JobHarness {
  channels: Channels
  clock: TestClock
  /** What the jobs processors get, for calling them directly. */
  deps: DeliveryDeps
  jobs: JobsService
  smsLog: Record<string, unknown>[]
  /** Starts notify/timeout/deliver workers with the delivery channels (no digest scheduler). */
  startDeliveryWorkers: (options?: {
    channels?: Channels
    workerOptions?: Partial<WorkerOptions>
  }) => Workers
}

/** Short backoff so retries finish within a test. */
export const FAST_JOBS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 50 },
}

export async function deliveryHarness(
  db: Db,
  label: string,
  options: {
    smtpUrl?: string
    clock: TestClock
    leaseMs?: number
    jobOptions?: JobsOptions
    sms?: boolean
  },
): Promise<DeliveryHarness> {
  const h = await jobHarness(db, label)
  const sms = capturingLogger()
  const channels = createChannels({
    email: options.smtpUrl
      ? { url: options.smtpUrl, from: TEST_MAIL_FROM, timeoutMs: 5_000 }
      : undefined,
    sms: options.sms === false ? null : new LoggingSmsTransport(sms.logger),
  })
  const jobOptions = options.jobOptions ?? FAST_JOBS
  const deps: DeliveryDeps = {
    db,
    channels,
    queue: h.queues.deliver,
    appUrl: TEST_APP_URL,
    logger: silentLogger,
    now: options.clock.now,
    leaseMs: options.leaseMs,
    jobOptions,
  }
  const connections: Redis[] = []
  const started: Workers[] = []
  return {
    ...h,
    channels,
    clock: options.clock,
    deps,
    jobs: createJobsService({
      db,
      queues: h.queues,
      now: options.clock.now,
      leaseMs: options.leaseMs,
      jobOptions,
    }),
    smsLog: sms.lines,
    startDeliveryWorkers(extra = {}) {
      const connection = createWorkerConnection(TEST_REDIS_URL, silentLogger)
      connections.push(connection)
      const workers = startWorkers({
        db,
        connection,
        prefix: h.prefix,
        logger: silentLogger,
        queues: h.queues,
        delivery: {
          channels: extra.channels ?? channels,
          appUrl: TEST_APP_URL,
          now: options.clock.now,
          leaseMs: options.leaseMs,
          jobOptions,
          digestPattern: false,
          workerOptions: extra.workerOptions,
        },
      })
      started.push(workers)
      return workers
    },
    async close() {
      await Promise.all(started.map((w) => w.close()))
      for (const c of connections) c.disconnect()
      await closeChannels(channels)
      await h.close()
    },
  }
}
