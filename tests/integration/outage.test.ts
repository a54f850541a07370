/**
 * "If Redis is down, state changes still commit and their effects wait in the
 * outbox; when Redis returns, every reminder is delivered, late ones
 * immediately, none twice."
 *
 * Each test runs the job runtime against a redis-server of its own
 * (tests/helpers/redis-server.ts) that it kills and starts again on the same
 * port. Nothing here measures speed: the assertions are about what happened
 * and in which order (see bench/reminders.bench.ts for timings).
 */
import { type Job, type Queue, Worker } from 'bullmq'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { silentLogger } from '#jobs/logger.ts'
import { processNotifyJob } from '#jobs/notify.job.ts'
import { outboxJobId, type Queues } from '#jobs/queues.server.ts'
import { createWorkerConnection } from '#jobs/redis.server.ts'
import { type JobRuntime, startJobRuntime } from '#jobs/runtime.server.ts'
import { processTimeoutJob } from '#jobs/timeout.job.ts'
import { submitNeedsList } from '#workflows/commands/needs-lists.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import { type NotifyJob, QUEUES, type TimeoutJob } from '#workflows/effects.ts'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.ts'
import { createTestDatabase, type TestDatabase, uniquePrefix } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  instanceOf,
  listRow,
  notificationsAbout,
  outboxOf,
  type World,
  waitFor,
} from '../helpers/world.ts'

const SUBJECT = 'needs_list'
/** Generous: the suite runs files in parallel on small machines. */
const PATIENCE = { timeoutMs: 45_000, intervalMs: 50 }

let tdb: TestDatabase
let world: World

beforeAll(async () => {
  tdb = await createTestDatabase('outage')
  world = await buildWorld(tdb.db, 'outage')
})

afterAll(async () => {
  await tdb?.drop()
})

beforeEach(async () => {
  // Every test relays only its own rows: anything an earlier one left pending is set aside.
  await tdb.db
    .updateTable('outbox')
    .set({ relayed_at: new Date() })
    .where('relayed_at', 'is', null)
    .execute()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The triage deadline `ms` after the submission, without a reminder before it. */
const dueIn =
  (ms: number): DeadlinePolicy =>
  (_deadline, from) =>
    new Date(from.getTime() + ms)

async function redisServer(appendOnly: boolean): Promise<RedisServer> {
  const server = await startRedisServer({ appendOnly })
  onTestFinished(() => server.destroy())
  return server
}

function jobRuntime(
  redis: RedisServer,
  options: { workers?: boolean; deadlines?: DeadlinePolicy } = {},
): JobRuntime {
  const runtime = startJobRuntime({
    db: tdb.db,
    redisUrl: redis.url,
    prefix: uniquePrefix('outage'),
    logger: silentLogger,
    relayIntervalMs: 100,
    workers: options.workers,
    deadlines: options.deadlines,
  })
  onTestFinished(() => runtime.close())
  return runtime
}

/** Whether the runtime's producer connection (the relay's) is up. */
async function producerReady(runtime: JobRuntime): Promise<boolean> {
  return (await runtime.queues.notify.getBackend().client).status === 'ready'
}

async function submitted(title: string, deadlines: DeadlinePolicy) {
  const id = await draftList(tdb.db, world, title)
  const result = await submitNeedsList(tdb.db, world.principals.contact, id, 1, { deadlines })
  expect(result).toMatchObject({ state: 'submitted', version: 2 })
  return id
}

/** Outbox rows about the lists, split into notifications and timers (job rows only). */
async function rowsOf(listIds: number[]) {
  const rows = (await Promise.all(listIds.map((id) => outboxOf(tdb.db, id)))).flat()
  return {
    all: rows,
    notify: rows.filter((r) => r.queue === QUEUES.notify),
    timers: rows.filter((r) => r.queue === QUEUES.timeout && r.job_name === 'timeout'),
  }
}

/** The audit events the system (fired timers) wrote for a list. */
function systemEventsOf(listId: number) {
  return tdb.db
    .selectFrom('workflow_event')
    .selectAll()
    .where('subject_type', '=', SUBJECT)
    .where('subject_id', '=', listId)
    .where('actor_role', '=', 'system')
    .orderBy('id')
    .execute()
}

/**
 * Everything the lists' effects left behind; equal before and after a replay
 * means the replay did nothing.
 */
async function footprint(listIds: number[]) {
  const perList = await Promise.all(
    listIds.map(async (id) => ({
      instance: await instanceOf(tdb.db, id).then((i) => [i.state, i.version]),
      events: (await systemEventsOf(id)).map((e) => e.id),
      outbox: (await outboxOf(tdb.db, id)).map((r) => r.id),
      notifications: (await notificationsAbout(tdb.db, id)).map((n) => n.id),
    })),
  )
  return perList
}

/** Waits until every timer of the lists has fired and every notify row has reached its recipients. */
async function allDelivered(listIds: number[], expectedTimers: number) {
  return waitFor(
    async () => {
      // Events first: a timer's notify rows commit with its event, so reading the
      // rows after the events sees all of them.
      const fired = await Promise.all(listIds.map(systemEventsOf))
      if (fired.flat().length < expectedTimers) return undefined
      const { notify, timers } = await rowsOf(listIds)
      if (timers.length !== expectedTimers) return undefined
      for (const row of notify) {
        const got = await notificationsOf(outboxJobId(row.id))
        if (got.length === 0) return undefined
      }
      return true
    },
    { ...PATIENCE, what: 'every timer fired and every notification delivered' },
  )
}

function notificationsOf(jobId: string) {
  return tdb.db
    .selectFrom('notification')
    .selectAll()
    .where('dedupe_key', 'like', `${jobId}:%`)
    .execute()
}

/**
 * Exactly once, as people see it:
 * - every timer row fired exactly once (one system event of its type and payload);
 * - every notify row reached each of its recipients exactly once, and nothing
 *   else about the lists was written;
 * - nobody got the same kind of notification about the same list twice.
 */
async function expectEveryEffectOnce(listIds: number[]) {
  const { notify, timers } = await rowsOf(listIds)
  for (const listId of listIds) {
    const events = await systemEventsOf(listId)
    const own = timers.filter((t) => (t.payload as unknown as TimeoutJob).subjectId === listId)
    expect(events).toHaveLength(own.length)
    for (const t of own) {
      const { type, ...payload } = (t.payload as unknown as TimeoutJob).event
      expect(
        events.filter((e) => e.event_type === type && includes(e.payload, payload)),
      ).toHaveLength(1)
    }
    const notifications = await notificationsAbout(tdb.db, listId)
    const perUserAndKind = new Map<string, number>()
    for (const n of notifications) {
      const key = `${n.user_id}:${n.kind}`
      perUserAndKind.set(key, (perUserAndKind.get(key) ?? 0) + 1)
    }
    expect([...perUserAndKind.values()].every((count) => count === 1)).toBe(true)
  }
  let total = 0
  for (const row of notify) {
    const got = await notificationsOf(outboxJobId(row.id))
    expect(got.length).toBeGreaterThan(0)
    expect(new Set(got.map((n) => n.user_id)).size).toBe(got.length)
    total += got.length
  }
  const about = (await Promise.all(listIds.map((id) => notificationsAbout(tdb.db, id)))).flat()
  expect(about).toHaveLength(total)
}

/** Whether `whole` has every field of `part`, with equal values. */
function includes(whole: unknown, part: Record<string, unknown>): boolean {
  const fields = (whole ?? {}) as Record<string, unknown>
  return Object.entries(part).every(([k, v]) => JSON.stringify(fields[k]) === JSON.stringify(v))
}

async function jobOf(queues: Queues, queue: 'notify' | 'timeout', outboxId: number) {
  const job = await queues[queue].getJob(outboxJobId(outboxId))
  if (!job) throw new Error(`no job for outbox row ${outboxId} in ${queue}`)
  return job
}

/** Waits until BullMQ has nothing left to run in these queues (delayed jobs included). */
async function queuesIdle(queues: Queue[]) {
  return waitFor(
    async () => {
      for (const q of queues) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed')
        if (Object.values(c).some((n) => n > 0)) return undefined
      }
      return true
    },
    { ...PATIENCE, what: 'idle queues' },
  )
}

describe('Redis down while the app works', () => {
  it('commits go on; when Redis returns every reminder arrives once, the overdue ones first', async () => {
    const redis = await redisServer(false)
    const runtime = jobRuntime(redis)
    await waitFor(() => producerReady(runtime), { ...PATIENCE, what: 'redis connection' })
    await Promise.all(runtime.workers?.workers.map((w) => w.waitUntilReady()) ?? [])

    await redis.kill()
    await waitFor(async () => !(await producerReady(runtime)), { what: 'the outage to be seen' })

    // Submissions during the outage commit as usual; their effects wait in the outbox.
    const late = [
      await submitted('Late 1', dueIn(1_000)),
      await submitted('Late 2', dueIn(1_000)),
      await submitted('Late 3', dueIn(1_200)),
    ]
    for (const id of late) {
      expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'submitted', version: 2 })
      expect((await listRow(tdb.db, id)).status).toBe('submitted')
    }
    const lateOutbox = await rowsOf(late)
    expect(lateOutbox.notify).toHaveLength(late.length)
    expect(lateOutbox.timers).toHaveLength(late.length)
    // Their triage deadlines pass while Redis is still away.
    const lateDue = Math.max(...lateOutbox.timers.map((t) => t.run_at.getTime()))
    await sleep(Math.max(0, lateDue - Date.now()) + 300)
    const onTime = [
      await submitted('On time 1', dueIn(4_000)),
      await submitted('On time 2', dueIn(4_000)),
    ]
    const lists = [...late, ...onTime]
    const waiting = await rowsOf(lists)
    expect(waiting.all.every((r) => r.relayed_at === null && r.attempts === 0)).toBe(true)
    expect(await systemEventsOf(late[0] as number)).toEqual([])

    const restartedAt = Date.now()
    await redis.start()
    await allDelivered(lists, lists.length)
    await queuesIdle([runtime.queues.notify, runtime.queues.timeout])

    // Nothing left Postgres before Redis was back.
    const rows = await rowsOf(lists)
    expect(rows.all.every((r) => (r.relayed_at?.getTime() ?? 0) >= restartedAt)).toBe(true)
    // Overdue timers went in already due (so without a delay) and fired as soon as
    // Redis was back; the others went in ahead of their time and waited for it.
    // (BullMQ's processedOn is no witness here: a worker's fetch issued just before
    // the crash is replayed after the restart with its old timestamp.)
    const timersOf = (ids: number[]) =>
      rows.timers.filter((t) => ids.includes((t.payload as unknown as TimeoutJob).subjectId))
    const lateRows = timersOf(late)
    const onTimeRows = timersOf(onTime)
    for (const row of lateRows) {
      const job = await jobOf(runtime.queues, 'timeout', row.id)
      expect(job.timestamp).toBeGreaterThanOrEqual(restartedAt)
      expect(job.timestamp).toBeGreaterThan(row.run_at.getTime())
    }
    for (const row of onTimeRows) {
      const job = await jobOf(runtime.queues, 'timeout', row.id)
      expect(job.timestamp).toBeLessThan(row.run_at.getTime())
    }
    const firedLate = (await Promise.all(late.map(systemEventsOf))).flat()
    const firedOnTime = (await Promise.all(onTime.map(systemEventsOf))).flat()
    expect(firedLate.every((e) => e.at.getTime() >= restartedAt)).toBe(true)
    for (const e of firedOnTime) {
      const row = onTimeRows.find(
        (t) => (t.payload as unknown as TimeoutJob).subjectId === e.subject_id,
      )
      expect(e.at.getTime()).toBeGreaterThanOrEqual(row?.run_at.getTime() ?? Infinity)
    }
    expect(Math.max(...firedLate.map((e) => e.id))).toBeLessThan(
      Math.min(...firedOnTime.map((e) => e.id)),
    )
    // The people: the intake desk heard of each submission and of each missed deadline.
    for (const id of lists) {
      const kinds = (await notificationsAbout(tdb.db, id)).map((n) => n.kind)
      expect(kinds).toContain('needsList.submitted')
      expect(kinds.length).toBeGreaterThan(2)
    }
    await expectEveryEffectOnce(lists)
    const delivered = await footprint(lists)

    // A second relay pass over the same rows adds nothing: BullMQ still has those job ids.
    const counts = await jobCounts(runtime.queues)
    await tdb.db
      .updateTable('outbox')
      .set({ relayed_at: null })
      .where(
        'id',
        'in',
        rows.all.map((r) => r.id),
      )
      .execute()
    await waitFor(async () => (await rowsOf(lists)).all.every((r) => r.relayed_at !== null), {
      ...PATIENCE,
      what: 'the second relay pass',
    })
    expect(await jobCounts(runtime.queues)).toEqual(counts)

    // Every job delivered a second time (at-least-once) changes nothing either.
    await redeliverAll(runtime.queues, rows.all)
    expect(await footprint(lists)).toEqual(delivered)
    await expectEveryEffectOnce(lists)
  })
})

describe('Redis dies with reminders in it', () => {
  it('delayed reminders survive a crash of a persisting Redis and fire once after the restart', async () => {
    const redis = await redisServer(true)
    // The relay only, as in a web process: the jobs wait in Redis, nobody runs them yet.
    const relay = jobRuntime(redis, { workers: false })
    const lists = [
      await submitted('Persisted 1', dueIn(1_500)),
      await submitted('Persisted 2', dueIn(1_500)),
    ]
    await waitFor(async () => (await rowsOf(lists)).all.every((r) => r.relayed_at !== null), {
      ...PATIENCE,
      what: 'the relay',
    })
    const rows = await rowsOf(lists)
    for (const t of rows.timers) {
      expect(await (await jobOf(relay.queues, 'timeout', t.id)).getState()).toBe('delayed')
    }
    for (const n of rows.notify) {
      expect(await (await jobOf(relay.queues, 'notify', n.id)).getState()).toBe('waiting')
    }

    // The crash: the outbox has handed everything over, so only Redis knows these jobs now.
    const crashedAt = Date.now()
    await redis.kill()
    const due = Math.max(...rows.timers.map((t) => t.run_at.getTime()))
    await sleep(Math.max(0, due - Date.now()) + 300)
    expect(await systemEventsOf(lists[0] as number)).toEqual([])

    const restartedAt = Date.now()
    await redis.start()
    // Now a worker process comes up against the same Redis and prefix.
    workersFor(redis, relay)
    await allDelivered(lists, lists.length)
    await queuesIdle([relay.queues.notify, relay.queues.timeout])

    // The same jobs, restored from the append-only file, ran after the restart.
    const restored = [
      ...(await Promise.all(rows.timers.map((t) => jobOf(relay.queues, 'timeout', t.id)))),
      ...(await Promise.all(rows.notify.map((n) => jobOf(relay.queues, 'notify', n.id)))),
    ]
    for (const job of restored) {
      expect(await job.getState()).toBe('completed')
      expect(job.finishedOn).toBeGreaterThanOrEqual(restartedAt)
    }
    // The outbox was not needed again: the rows were handed over once, before the crash.
    const after = await rowsOf(lists)
    for (const r of after.all.filter((r) => rows.all.some((b) => b.id === r.id))) {
      expect(r.relayed_at?.getTime()).toBeLessThan(crashedAt)
      expect(r.attempts).toBe(0)
    }
    await expectEveryEffectOnce(lists)
    const delivered = await footprint(lists)
    await redeliverAll(relay.queues, after.all)
    expect(await footprint(lists)).toEqual(delivered)
  })
})

describe('a worker killed mid-job', () => {
  it('its job is taken over by another worker and the reminder goes out once', async () => {
    const redis = await redisServer(false)
    const runtime = jobRuntime(redis, { workers: false })
    const prefix = prefixOf(runtime)
    const deadlines = dueIn(500)
    // Notifications through the usual processor.
    const notifyConnection = createWorkerConnection(redis.url, silentLogger)
    const notify = new Worker(
      QUEUES.notify,
      (job: Job<NotifyJob>) => processNotifyJob(tdb.db, String(job.id), job.data),
      { connection: notifyConnection, prefix },
    )
    notify.on('error', () => {})
    onTestFinished(async () => {
      await notify.close()
      notifyConnection.disconnect()
    })

    // Worker A takes the timer and stops in the middle of it.
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let started: (jobId: string) => void = () => {}
    const took = new Promise<string>((resolve) => {
      started = resolve
    })
    let zombie: Promise<unknown> | undefined
    const connectionA = createWorkerConnection(redis.url, silentLogger)
    const workerA = new Worker(
      QUEUES.timeout,
      async (job: Job<TimeoutJob>) => {
        started(String(job.id))
        await gate
        zombie = processTimeoutJob(tdb.db, job.data, deadlines)
        return zombie
      },
      // A short lock so the job counts as stalled soon after A is gone.
      { connection: connectionA, prefix, lockDuration: 1_000, stalledInterval: 300 },
    )
    workerA.on('error', () => {})
    onTestFinished(() => connectionA.disconnect())

    const id = await submitted('Killed worker', deadlines)
    const timerRow = (await rowsOf([id])).timers[0]
    if (!timerRow) throw new Error('no timer row')
    expect(await took).toBe(outboxJobId(timerRow.id))
    const timerJob = await jobOf(runtime.queues, 'timeout', timerRow.id)
    expect(await timerJob.getState()).toBe('active')

    // A is killed: it stops at once, its connection is gone, its lock runs out.
    await workerA.close(true)
    connectionA.disconnect()
    expect(await systemEventsOf(id)).toEqual([])

    // Worker B, with the same processor, finds the stalled job and runs it.
    const connectionB = createWorkerConnection(redis.url, silentLogger)
    const workerB = new Worker(
      QUEUES.timeout,
      (job: Job<TimeoutJob>) => processTimeoutJob(tdb.db, job.data, deadlines),
      { connection: connectionB, prefix, stalledInterval: 300 },
    )
    workerB.on('error', () => {})
    onTestFinished(async () => {
      await workerB.close()
      connectionB.disconnect()
    })
    await allDelivered([id], 1)
    await queuesIdle([runtime.queues.notify, runtime.queues.timeout])
    const done = await jobOf(runtime.queues, 'timeout', timerRow.id)
    expect(await done.getState()).toBe('completed')
    expect(done.returnvalue).toBe('delivered')
    await expectEveryEffectOnce([id])
    const delivered = await footprint([id])

    // Had A only been frozen, it would finish late: that run changes nothing.
    release()
    await waitFor(async () => zombie !== undefined, { what: 'the frozen worker to resume' })
    expect(['stale', 'cancelled']).toContain(await zombie)
    expect(await footprint([id])).toEqual(delivered)
    await expectEveryEffectOnce([id])
  })
})

async function jobCounts(queues: Queues) {
  return {
    notify: await queues.notify.getJobCounts(),
    timeout: await queues.timeout.getJobCounts(),
  }
}

/**
 * Runs every finished job of these outbox rows again under its own id (what a
 * stalled or retried job amounts to) and waits until they have all finished again.
 */
async function redeliverAll(
  queues: Queues,
  rows: { id: number; queue: string; job_name: string }[],
) {
  const jobs = rows.filter((r) => r.job_name === 'notify' || r.job_name === 'timeout')
  for (const row of jobs) {
    await (await jobOf(queues, row.queue as 'notify' | 'timeout', row.id)).retry('completed')
  }
  await waitFor(
    async () => {
      for (const row of jobs) {
        const again = await jobOf(queues, row.queue as 'notify' | 'timeout', row.id)
        if (!again.finishedOn || (await again.getState()) !== 'completed') return undefined
      }
      return true
    },
    { ...PATIENCE, what: 'the redelivered jobs' },
  )
  await queuesIdle([queues.notify, queues.timeout])
}

/** The BullMQ prefix a runtime's queues use. */
function prefixOf(runtime: JobRuntime): string {
  const prefix = runtime.queues.notify.opts.prefix
  if (!prefix) throw new Error('queues without a prefix')
  return prefix
}

/** A worker process (notify + timeout workers, no relay) for the queues of `relay`. */
function workersFor(redis: RedisServer, relay: JobRuntime): JobRuntime {
  const runtime = startJobRuntime({
    db: tdb.db,
    redisUrl: redis.url,
    prefix: prefixOf(relay),
    logger: silentLogger,
    relay: false,
  })
  onTestFinished(() => runtime.close())
  return runtime
}
