/**
 * Reminders through the transactional outbox and BullMQ, on a real PostgreSQL
 * (a fresh database, dropped afterwards) and Redis (a prefix of its own,
 * deleted afterwards).
 *
 * (a) Scheduling: 100,000 reminders are written as outbox rows in batches of
 *     1,000 (insertOutbox, as dispatch calls it inside its transaction), then
 *     the relay moves them to BullMQ as delayed jobs (drain(), as its loop
 *     does). The relay's rate is printed next to the raw BullMQ producer:
 *     addBulk of 100,000 equivalent delayed jobs in the relay's chunks and
 *     with its parallelism, without the database (baseline). Target: at least
 *     half the raw rate. The rate of insert + relay together (one after the
 *     other, in one process) is printed too, without a target: in production
 *     the inserts happen in the web processes' own transactions. Best of
 *     three rounds each, so a neighbour's burst on a shared machine does not
 *     decide a figure.
 * (b) Firing: 1,000 reminders due at the same moment go through the relay as
 *     delayed jobs and are run by the real notify worker (startWorkers, which
 *     writes the in-app notifications). Lateness = processedOn − due, per job.
 *     Target: p99 under 1 s.
 *
 *   npm run bench -- reminders
 *   BENCH_DATABASE_URL=postgres://…/postgres BENCH_REDIS_URL=redis://… to use other servers
 */
import { type Job, Queue } from 'bullmq'
import { Redis } from 'ioredis'
import pg from 'pg'
import { connectPostgres, type Db } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { insertOutbox, type OutboxInput, pendingOutboxCount } from '#db/queries/outbox.ts'
import { silentLogger } from '#jobs/logger.ts'
import {
  DEFAULT_RELAY_BATCH_SIZE,
  DEFAULT_RELAY_PARALLEL,
  startOutboxRelay,
} from '#jobs/outbox-relay.server.ts'
import { closeQueues, createQueues, DEFAULT_JOB_OPTIONS, type Queues } from '#jobs/queues.server.ts'
import { createProducerConnection, createWorkerConnection } from '#jobs/redis.server.ts'
import { startWorkers } from '#jobs/workers.server.ts'
import { type NotifyJob, QUEUES, type TimeoutJob } from '#workflows/effects.ts'
import { BENCH_SERVER_URL } from './generate-intake.ts'
import type { Bench, BenchOptions, Figure } from './types.ts'

const REMINDERS = 100_000
/** Rows per insert: one dispatch writes 1–3, so this stands for a burst of dispatches. */
const INSERT_BATCH = 1_000
const ROUNDS = 3
const SIMULTANEOUS = 1_000
/** How far ahead the simultaneous reminders are due: room to relay them first. */
const FIRE_LEAD_MS = 3_000
const LATENESS_TARGET_MS = 1_000

const DATABASE = 'zhuqi_bench_reminders'
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

function databaseUrl(database: string): string {
  const url = new URL(BENCH_SERVER_URL)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

async function dropDatabase(): Promise<void> {
  await admin(async (c) => {
    // pg's pool.end() resolves before its sockets are closed; wait for them, so a
    // forced drop does not terminate a session that is still closing.
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [DATABASE],
      )
      if (rows[0]?.n === 0) break
      await new Promise((r) => setTimeout(r, 20))
    }
    await c.query(`drop database if exists "${DATABASE}" with (force)`)
  })
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}-*`, 'COUNT', 1_000)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? Number.NaN
}

const seconds = (t0: number) => (performance.now() - t0) / 1_000

function timerPayload(i: number): TimeoutJob {
  return {
    subjectType: 'needs_list',
    subjectId: i + 1,
    event: { type: 'DEADLINE', stage: 'triage', phase: 'remind', entry: 1 },
    timer: { stage: 'triage', entry: 1, phase: 'remind' },
  }
}

/** Raw BullMQ: the relay's chunks and lanes, no database. Returns jobs/s. */
async function rawAddBulk(queue: Queue, dueAt: Date): Promise<number> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: DEFAULT_RELAY_PARALLEL }, async () => {
      for (;;) {
        const from = next
        next += DEFAULT_RELAY_BATCH_SIZE
        if (from >= REMINDERS) return
        const now = Date.now()
        const count = Math.min(DEFAULT_RELAY_BATCH_SIZE, REMINDERS - from)
        await queue.addBulk(
          Array.from({ length: count }, (_, j) => ({
            name: 'timeout',
            data: { ...timerPayload(from + j) },
            opts: { jobId: `raw-${from + j}`, delay: Math.max(0, dueAt.getTime() - now) },
          })),
        )
      }
    }),
  )
  return REMINDERS / seconds(t0)
}

/** Outbox rows in batches, then the relay; returns rows/s of each step and jobs/s overall. */
async function throughOutbox(db: Db, queues: Queues, producer: Redis, dueAt: Date) {
  const t0 = performance.now()
  for (let from = 0; from < REMINDERS; from += INSERT_BATCH) {
    const rows: OutboxInput[] = Array.from(
      { length: Math.min(INSERT_BATCH, REMINDERS - from) },
      (_, j) => ({
        queue: QUEUES.timeout,
        jobName: 'timeout',
        payload: { ...timerPayload(from + j) },
        runAt: dueAt,
      }),
    )
    await insertOutbox(db, rows)
  }
  const insertSeconds = seconds(t0)
  const relay = startOutboxRelay({
    db,
    queues,
    connection: producer,
    logger: silentLogger,
    autoStart: false,
  })
  const t1 = performance.now()
  const relayed = await relay.drain()
  const relaySeconds = seconds(t1)
  await relay.stop()
  if (relayed !== REMINDERS) throw new Error(`relayed ${relayed} of ${REMINDERS} rows`)
  const delayed = await queues.timeout.getDelayedCount()
  if (delayed !== REMINDERS) throw new Error(`${delayed} delayed jobs, expected ${REMINDERS}`)
  return {
    insert: REMINDERS / insertSeconds,
    relay: REMINDERS / relaySeconds,
    overall: REMINDERS / (insertSeconds + relaySeconds),
  }
}

async function scheduling(db: Db, prefix: string, log: (s: string) => void): Promise<Figure[]> {
  const producer = createProducerConnection(REDIS_URL, silentLogger)
  const raw = new Queue(QUEUES.timeout, {
    connection: producer,
    prefix: `${prefix}-raw`,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  })
  const queues = createQueues(producer, `${prefix}-outbox`)
  const dueAt = new Date(Date.now() + 24 * 3600_000)
  const best = { raw: 0, insert: 0, relay: 0, overall: 0 }
  try {
    await raw.waitUntilReady()
    for (let round = 1; round <= ROUNDS; round++) {
      const rawRate = await rawAddBulk(raw, dueAt)
      await raw.obliterate({ force: true })
      const outbox = await throughOutbox(db, queues, producer, dueAt)
      await queues.timeout.obliterate({ force: true })
      // A fresh table each round: a backlog after an outage meets stale statistics too.
      await db.deleteFrom('outbox').execute()
      log(
        `  round ${round}: raw addBulk ${rawRate.toFixed(0)} jobs/s; relay ${outbox.relay.toFixed(0)} jobs/s; insert ${outbox.insert.toFixed(0)} rows/s; insert + relay ${outbox.overall.toFixed(0)} jobs/s`,
      )
      best.raw = Math.max(best.raw, rawRate)
      best.insert = Math.max(best.insert, outbox.insert)
      best.relay = Math.max(best.relay, outbox.relay)
      best.overall = Math.max(best.overall, outbox.overall)
    }
  } finally {
    await raw.close()
    await closeQueues(queues)
    producer.disconnect()
  }
  return [
    {
      name: 'reminders.schedule.relay_rate',
      value: best.relay,
      unit: 'jobs/s',
      target: best.raw / 2,
      better: 'higher',
      baseline: best.raw,
    },
    {
      name: 'reminders.schedule.insert_and_relay_rate',
      value: best.overall,
      unit: 'jobs/s',
      better: 'higher',
      baseline: best.raw,
    },
    {
      name: 'reminders.schedule.insert_rate',
      value: best.insert,
      unit: 'rows/s',
      better: 'higher',
    },
  ]
}

async function firing(db: Db, prefix: string, log: (s: string) => void): Promise<Figure[]> {
  // One recipient per reminder (notification rows need real users).
  const users = await db
    .insertInto('app_user')
    .values(
      Array.from({ length: SIMULTANEOUS }, (_, i) => ({
        email: `bench-${i}@reminders.zhuqi.test`,
        name: `模拟用户 ${i}`,
        password_hash: 'not-a-hash',
      })),
    )
    .returning('id')
    .execute()
  const dueAt = new Date(Date.now() + FIRE_LEAD_MS)
  await insertOutbox(
    db,
    users.map((u, i): OutboxInput => {
      const job: NotifyJob = {
        kind: 'deadline.triage.remind',
        audience: 'users',
        userIds: [u.id],
        subjectType: 'needs_list',
        subjectId: i + 1,
        orgPath: '/',
        enterpriseId: null,
        link: `/needs-lists/${i + 1}`,
        params: { title: `模拟需求清单 ${i + 1}`, stage: 'triage' },
      }
      return { queue: QUEUES.notify, jobName: 'notify', payload: { ...job }, runAt: dueAt }
    }),
  )
  const producer = createProducerConnection(REDIS_URL, silentLogger)
  const workerConnection = createWorkerConnection(REDIS_URL, silentLogger)
  const queues = createQueues(producer, `${prefix}-fire`)
  const relay = startOutboxRelay({
    db,
    queues,
    connection: producer,
    logger: silentLogger,
    autoStart: false,
  })
  const workers = startWorkers({
    db,
    connection: workerConnection,
    prefix: `${prefix}-fire`,
    logger: silentLogger,
  })
  try {
    await queues.notify.waitUntilReady()
    await Promise.all(workers.workers.map((w) => w.waitUntilReady()))
    const relayed = await relay.drain()
    if (relayed !== SIMULTANEOUS) throw new Error(`relayed ${relayed} of ${SIMULTANEOUS}`)
    const lead = dueAt.getTime() - Date.now()
    if (lead <= 0) throw new Error('the reminders were due before the relay had moved them')
    log(`  ${SIMULTANEOUS} reminders relayed as delayed jobs, due in ${lead} ms`)
    const deadline = Date.now() + FIRE_LEAD_MS + 60_000
    while ((await queues.notify.getCompletedCount()) < SIMULTANEOUS) {
      if (Date.now() > deadline) throw new Error('the reminders did not all run within a minute')
      const failed = await queues.notify.getFailedCount()
      if (failed > 0) throw new Error(`${failed} reminder jobs failed`)
      await new Promise((r) => setTimeout(r, 50))
    }
    const jobs: Job[] = await queues.notify.getJobs(['completed'], 0, -1)
    const started = jobs
      .map((j) => (j.processedOn ?? Number.NaN) - dueAt.getTime())
      .sort((a, b) => a - b)
    const done = jobs
      .map((j) => (j.finishedOn ?? Number.NaN) - dueAt.getTime())
      .sort((a, b) => a - b)
    const written = await db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(written.n) !== SIMULTANEOUS) throw new Error(`${written.n} notifications written`)
    log(
      `  lateness (processedOn − due): p50 ${percentile(started, 50).toFixed(0)} ms, p99 ${percentile(started, 99).toFixed(0)} ms, max ${started.at(-1)?.toFixed(0)} ms; notification written (finishedOn − due): p99 ${percentile(done, 99).toFixed(0)} ms`,
    )
    return [
      {
        name: 'reminders.fire.lateness.p50',
        value: percentile(started, 50),
        unit: 'ms',
        target: LATENESS_TARGET_MS,
      },
      {
        name: 'reminders.fire.lateness.p99',
        value: percentile(started, 99),
        unit: 'ms',
        target: LATENESS_TARGET_MS,
      },
      { name: 'reminders.fire.written.p99', value: percentile(done, 99), unit: 'ms' },
    ]
  } finally {
    await relay.stop()
    await workers.close()
    await closeQueues(queues)
    producer.disconnect()
    workerConnection.disconnect()
  }
}

export const bench: Bench = {
  description: `schedule ${REMINDERS.toLocaleString('en')} reminders through the outbox vs raw BullMQ; fire ${SIMULTANEOUS.toLocaleString('en')} due at once`,
  async run(options: BenchOptions): Promise<Figure[]> {
    const { log } = options
    const prefix = `zq-bench-reminders-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    await dropDatabase()
    await admin((c) => c.query(`create database "${DATABASE}"`))
    const handle = connectPostgres(databaseUrl(DATABASE), { max: 10 })
    try {
      await migrateToLatest(handle.db)
      log(`\n(a) ${REMINDERS.toLocaleString('en')} reminders, best of ${ROUNDS} rounds…`)
      const schedule = await scheduling(handle.db, prefix, log)
      if ((await pendingOutboxCount(handle.db)) !== 0) throw new Error('outbox rows left behind')
      log(`\n(b) ${SIMULTANEOUS.toLocaleString('en')} reminders due at the same moment…`)
      const fire = await firing(handle.db, prefix, log)
      return [...schedule, ...fire]
    } finally {
      await handle.close()
      await deletePrefix(prefix)
      if (options.keep) log(`kept the database ${DATABASE} (--keep)`)
      else await dropDatabase()
    }
  },
}
