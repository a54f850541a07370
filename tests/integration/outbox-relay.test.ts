import {
  ColumnNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { silentLogger } from '#jobs/logger.ts'
import { processNotifyJob } from '#jobs/notify.job.ts'
import { startOutboxRelay } from '#jobs/outbox-relay.server.ts'
import { closeQueues, createQueues, outboxJobId, type Queues } from '#jobs/queues.server.ts'
import { createProducerConnection } from '#jobs/redis.server.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import type { NotifyJob } from '#workflows/effects.ts'
import { type JobHarness, jobHarness, keysUnder, startPrivateRedis } from '../helpers/jobs.ts'
import { createTestDatabase, type TestDatabase, uniquePrefix } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  notificationsAbout,
  outboxOf,
  type World,
  waitFor,
} from '../helpers/world.ts'

const DAY_MS = 24 * 3600 * 1000

let tdb: TestDatabase
let world: World

beforeAll(async () => {
  tdb = await createTestDatabase('relay')
  world = await buildWorld(tdb.db, 'relay')
})

afterAll(async () => {
  await tdb?.drop()
})

beforeEach(async () => {
  // Each test relays only its own rows: anything an earlier test left pending is set aside.
  await tdb.db
    .updateTable('outbox')
    .set({ relayed_at: new Date() })
    .where('relayed_at', 'is', null)
    .execute()
})

async function harness(label: string, redisUrl?: string): Promise<JobHarness> {
  const h = await jobHarness(tdb.db, label, redisUrl)
  onTestFinished(async () => {
    await h.close()
    expect(await keysUnder(h.prefix, redisUrl)).toEqual([])
  })
  return h
}

async function submittedList(title: string) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  return id
}

async function pendingOf(listId: number) {
  return (await outboxOf(tdb.db, listId)).filter((r) => r.relayed_at === null)
}

/** Waits until BullMQ has finished every job it has in `queue` and nothing is left to run. */
async function settled(queues: Queues, name: keyof Queues, completed: number) {
  return waitFor(
    async () => {
      const counts = await queues[name].getJobCounts(
        'completed',
        'failed',
        'waiting',
        'active',
        'prioritized',
      )
      return counts.completed === completed &&
        counts.failed === 0 &&
        counts.waiting === 0 &&
        counts.active === 0 &&
        counts.prioritized === 0
        ? counts
        : undefined
    },
    { what: `${completed} completed ${name} jobs` },
  )
}

/** `[user id, kind]` per notification about a list, sorted by user. */
async function delivered(listId: number) {
  return (await notificationsAbout(tdb.db, listId)).map((n) => [n.user_id, n.kind])
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('outbox → BullMQ → notify worker', () => {
  it('delivers one notification per intake coordinator, then one per enterprise contact', async () => {
    const h = await harness('relay-happy')
    const { users } = world
    const id = await submittedList('Relayed list')
    // The notice, then the triage deadline's reminder and breach timers.
    const [notifyRow, remindRow, timerRow] = await pendingOf(id)
    if (!notifyRow || !remindRow || !timerRow) throw new Error('submit wrote no outbox rows')

    const started = Date.now()
    expect(await h.relay.runOnce()).toBe(3)
    expect(await h.relay.runOnce()).toBe(0)
    const rows = await outboxOf(tdb.db, id)
    expect(rows.every((r) => r.relayed_at instanceof Date && r.attempts === 0)).toBe(true)

    // The job id is the outbox row's, the data its payload.
    const notifyJob = await h.queues.notify.getJob(outboxJobId(notifyRow.id))
    expect(notifyJob?.name).toBe('notify')
    expect(notifyJob?.data).toEqual(notifyRow.payload)
    const timerJob = await h.queues.timeout.getJob(outboxJobId(timerRow.id))
    expect(timerJob?.data).toEqual(timerRow.payload)
    expect(await timerJob?.getState()).toBe('delayed')
    expect(Math.abs((timerJob?.delay ?? 0) - (timerRow.run_at.getTime() - started))).toBeLessThan(
      5_000,
    )
    // Three working days: at least two calendar days ahead, whatever the hour of submission.
    expect(timerJob?.delay).toBeGreaterThan(2 * DAY_MS)
    expect(await (await h.queues.timeout.getJob(outboxJobId(remindRow.id)))?.getState()).toBe(
      'delayed',
    )

    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    // Both coordinators of the city (the nearest org with any), nobody else.
    expect(await delivered(id)).toEqual(
      [users.coordinator.id, users.coordinator2.id]
        .sort((a, b) => a - b)
        .map((u) => [u, 'needsList.submitted']),
    )
    const [first] = await notificationsAbout(tdb.db, id)
    expect(first).toMatchObject({
      params: { title: 'Relayed list' },
      link: `/needs-lists/${id}`,
      dedupe_key: `${outboxJobId(notifyRow.id)}:${first?.user_id}`,
      read_at: null,
    })

    // Returning it tells both contacts of the enterprise, with the reason.
    await triageNeedsList(
      tdb.db,
      world.principals.coordinator,
      id,
      { type: 'RETURN', reason: 'Name the models' },
      2,
    )
    // The notice and the removal of the triage timers' jobs.
    expect(await h.relay.runOnce()).toBe(2)
    await settled(h.queues, 'notify', 2)
    const returned = (await notificationsAbout(tdb.db, id)).filter(
      (n) => n.kind === 'needsList.returned',
    )
    expect(returned.map((n) => n.user_id)).toEqual(
      [users.contact.id, users.contact2.id].sort((a, b) => a - b),
    )
    expect(returned[0]?.params).toEqual({ title: 'Relayed list', reason: 'Name the models' })
    // Leaving triage removed both delayed timer jobs; neither fired a notification.
    expect(await h.queues.timeout.getJob(outboxJobId(timerRow.id))).toBeUndefined()
    expect(await h.queues.timeout.getJob(outboxJobId(remindRow.id))).toBeUndefined()
    expect(await h.queues.timeout.getJobCounts('delayed', 'waiting', 'completed')).toEqual({
      delayed: 0,
      waiting: 0,
      completed: 0,
    })
  })

  it('a crash between addBulk and the commit re-adds only jobs BullMQ already has', async () => {
    const h = await harness('relay-crash')
    const id = await submittedList('Crashing relay')
    const [notifyRow, remindRow, timerRow] = await pendingOf(id)
    if (!notifyRow || !remindRow || !timerRow) throw new Error('submit wrote no outbox rows')

    // This relay's database "dies" right after addBulk: marking the rows relayed fails.
    const crashing = startOutboxRelay({
      db: tdb.db.withPlugin(new CrashOnMarkRelayed()),
      queues: h.queues,
      connection: h.producer,
      logger: silentLogger,
      autoStart: false,
    })
    await expect(crashing.runOnce()).rejects.toThrow('simulated crash before commit')
    await crashing.stop()
    // The jobs reached Redis, the rows are still pending, and the failure is noted on them.
    expect(await h.queues.notify.getJob(outboxJobId(notifyRow.id))).toBeDefined()
    expect(await h.queues.timeout.getJob(outboxJobId(timerRow.id))).toBeDefined()
    const pending = await pendingOf(id)
    expect(pending.map((r) => [r.id, r.attempts])).toEqual([
      [notifyRow.id, 1],
      [remindRow.id, 1],
      [timerRow.id, 1],
    ])
    expect(pending[0]?.last_error).toContain('simulated crash before commit')

    // The job runs once...
    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    expect(await delivered(id)).toHaveLength(2)

    // ...and the restarted relay re-adds the same job ids, which BullMQ ignores.
    expect(await h.relay.runOnce()).toBe(3)
    expect(await pendingOf(id)).toEqual([])

    // A relay that somehow sees the rows again (relayed_at lost) changes nothing either.
    await tdb.db
      .updateTable('outbox')
      .set({ relayed_at: null })
      .where('id', 'in', [notifyRow.id, remindRow.id, timerRow.id])
      .execute()
    expect(await h.relay.runOnce()).toBe(3)

    await sleep(300)
    await settled(h.queues, 'notify', 1)
    expect(await h.queues.timeout.getJobCounts('delayed', 'waiting', 'completed')).toEqual({
      delayed: 2,
      waiting: 0,
      completed: 0,
    })
    expect(await delivered(id)).toEqual(
      [world.users.coordinator.id, world.users.coordinator2.id]
        .sort((a, b) => a - b)
        .map((u) => [u, 'needsList.submitted']),
    )
  })

  it('jobs added by hand under the outbox job ids before the relay runs are not duplicated', async () => {
    const h = await harness('relay-preadded')
    const id = await submittedList('Pre-added jobs')
    const rows = await pendingOf(id)
    for (const row of rows) {
      await h.queues[row.queue as keyof Queues].add(row.job_name, row.payload, {
        jobId: outboxJobId(row.id),
        delay: Math.max(0, row.run_at.getTime() - Date.now()),
      })
    }
    expect(await h.relay.runOnce()).toBe(3)
    expect(await h.queues.notify.getJobCounts('waiting')).toEqual({ waiting: 1 })
    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    expect(await delivered(id)).toHaveLength(2)
  })

  it('a row for an unknown queue is left pending with its reason and does not hold up the rest', async () => {
    const h = await harness('relay-unknown')
    await tdb.db
      .insertInto('outbox')
      .values({ queue: 'from-a-newer-release', job_name: 'x', payload: '{}', run_at: new Date() })
      .execute()
    const id = await submittedList('Behind an unknown row')
    expect(await h.relay.runOnce()).toBe(3)
    const stuck = await tdb.db
      .selectFrom('outbox')
      .selectAll()
      .where('queue', '=', 'from-a-newer-release')
      .executeTakeFirstOrThrow()
    expect(stuck.relayed_at).toBeNull()
    expect(stuck.last_error).toMatch(/no such queue/)
    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    expect(await delivered(id)).toHaveLength(2)
  })
})

describe('idempotent notify job', () => {
  it('a duplicated delivery of the same job inserts nothing the second time', async () => {
    const id = await submittedList('Delivered twice')
    const [notifyRow] = await pendingOf(id)
    if (!notifyRow) throw new Error('no notify row')
    const job = notifyRow.payload as unknown as NotifyJob
    const jobId = outboxJobId(notifyRow.id)

    expect(await processNotifyJob(tdb.db, jobId, job)).toBe(2)
    expect(await processNotifyJob(tdb.db, jobId, job)).toBe(0)
    expect(await delivered(id)).toHaveLength(2)

    // Two workers running the same job at once still make one row per recipient.
    const other = `${jobId}-again`
    const counts = await Promise.all([
      processNotifyJob(tdb.db, other, job),
      processNotifyJob(tdb.db, other, job),
      processNotifyJob(tdb.db, other, job),
    ])
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2)
    const rows = await notificationsAbout(tdb.db, id)
    expect(rows).toHaveLength(4)
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(4)
  })
})

describe('Redis unavailable', () => {
  it('a relay that cannot reach Redis relays nothing, keeps looping, and a working relay delivers later', async () => {
    const id = await submittedList('Redis is down')
    const connection = createProducerConnection('redis://127.0.0.1:1', silentLogger)
    const queues = createQueues(connection, uniquePrefix('relay-down'))
    const relay = startOutboxRelay({
      db: tdb.db,
      queues,
      connection,
      logger: silentLogger,
      intervalMs: 20,
    })
    try {
      await sleep(300)
      await expect(relay.runOnce()).resolves.toBe(0)
      relay.poke()
      await sleep(50)
      const rows = await pendingOf(id)
      expect(rows).toHaveLength(3)
      expect(rows.every((r) => r.attempts === 0)).toBe(true)
    } finally {
      await relay.stop()
      await closeQueues(queues)
      connection.disconnect()
    }

    const h = await harness('relay-after-outage')
    expect(await h.relay.runOnce()).toBe(3)
    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    expect(await delivered(id)).toHaveLength(2)
  })

  it('when Redis refuses writes mid-way, the batch rolls back, the loop retries, and nothing is lost', async () => {
    const redis = await startPrivateRedis()
    onTestFinished(() => redis.stop())
    const h = await harness('relay-refused', redis.url)
    const id = await submittedList('Redis refuses writes')

    // Writes fail as on a primary that lost its replicas; the relay's connection stays up.
    await redis.admin.config('SET', 'min-replicas-to-write', '1')
    await expect(h.relay.runOnce()).rejects.toThrow(/NOREPLICAS/)
    expect((await pendingOf(id)).map((r) => r.attempts)).toEqual([1, 1, 1])

    const relay = startOutboxRelay({
      db: tdb.db,
      queues: h.queues,
      connection: h.producer,
      logger: silentLogger,
      intervalMs: 20,
    })
    onTestFinished(() => relay.stop())
    // The loop keeps trying (each failed batch counts an attempt) instead of dying.
    const failing = await waitFor(
      async () => {
        const rows = await pendingOf(id)
        return rows.length === 3 && rows.every((r) => r.attempts >= 3) ? rows : undefined
      },
      { what: 'repeated failed attempts' },
    )
    expect(failing[0]?.last_error).toMatch(/NOREPLICAS/)
    expect(await h.queues.notify.getJobCounts('waiting', 'delayed')).toEqual({
      waiting: 0,
      delayed: 0,
    })

    await redis.admin.config('SET', 'min-replicas-to-write', '0')
    await waitFor(async () => (await pendingOf(id)).length === 0, { what: 'the loop to relay' })
    h.startWorkers()
    await settled(h.queues, 'notify', 1)
    expect(await delivered(id)).toHaveLength(2)
  })
})

/** Fails the statement that marks outbox rows relayed, i.e. the relay dies before its commit. */
class CrashOnMarkRelayed implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (
      UpdateQueryNode.is(node) &&
      node.updates?.some((u) => ColumnNode.is(u.column) && u.column.column.name === 'relayed_at')
    ) {
      throw new Error('simulated crash before commit')
    }
    return node
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result
  }
}
