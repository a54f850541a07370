import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { silentLogger } from '#jobs/logger.ts'
import { outboxJobId } from '#jobs/queues.server.ts'
import { startJobRuntime } from '#jobs/runtime.server.ts'
import { processTimeoutJob } from '#jobs/timeout.job.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { NEEDS_LIST_MACHINE_VERSION } from '#workflows/machines/needs-list.machine.ts'
import { deletePrefix, keysUnder } from '../helpers/jobs.ts'
import {
  createTestDatabase,
  TEST_REDIS_URL,
  type TestDatabase,
  uniquePrefix,
} from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  footprint,
  instanceOf,
  listRow,
  notificationsAbout,
  outboxOf,
  type World,
  waitFor,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World

beforeAll(async () => {
  tdb = await createTestDatabase('timeout')
  world = await buildWorld(tdb.db, 'timeout')
})

afterAll(async () => {
  await tdb?.drop()
})

async function submittedList(title: string, deadlines?: DeadlinePolicy) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1, { deadlines })
  return id
}

/** The payloads of this list's triage timers, oldest first. */
async function timersOf(listId: number): Promise<TimeoutJob[]> {
  return (await outboxOf(tdb.db, listId))
    .filter((r) => r.queue === 'timeout')
    .map((r) => r.payload as unknown as TimeoutJob)
}

async function onlyTimer(listId: number): Promise<TimeoutJob> {
  const [timer] = await timersOf(listId)
  if (!timer) throw new Error(`list ${listId} has no timer`)
  return timer
}

describe('processTimeoutJob', () => {
  it('a due triage timer dispatches TRIAGE_OVERDUE as the system and tells the intake desk', async () => {
    const id = await submittedList('Overdue')
    const timer = await onlyTimer(id)
    expect(timer).toEqual({
      subjectType: 'needs_list',
      subjectId: id,
      event: { type: 'TRIAGE_OVERDUE', round: 1 },
    })

    expect(await processTimeoutJob(tdb.db, timer)).toBe('delivered')

    // Still waiting for triage, one version on, with the reminder in the audit trail.
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'submitted', version: 3 })
    expect((await listRow(tdb.db, id)).status).toBe('submitted')
    const events = await eventsOf(tdb.db, id)
    expect(events).toHaveLength(3)
    expect(events[2]).toMatchObject({
      event_type: 'TRIAGE_OVERDUE',
      actor_user_id: null,
      actor_role: 'system',
      from_state: 'submitted',
      to_state: 'submitted',
      version: 3,
      payload: { round: 1 },
    })
    const outbox = await outboxOf(tdb.db, id)
    expect(outbox).toHaveLength(3)
    expect(outbox[2]).toMatchObject({
      queue: 'notify',
      job_name: 'notify',
      relayed_at: null,
      payload: {
        kind: 'needsList.triageOverdue',
        audience: 'coordinators',
        subjectId: id,
        orgPath: world.orgs.district.path,
        params: { title: 'Overdue' },
      },
    })

    // Triage goes on as before.
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 3)
    expect((await listRow(tdb.db, id)).status).toBe('awaiting_steward')
  })

  it('the same timer delivered twice (at-least-once) reminds only once', async () => {
    const id = await submittedList('Delivered twice')
    const timer = await onlyTimer(id)
    expect(await processTimeoutJob(tdb.db, timer)).toBe('delivered')
    const once = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, timer)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(once)
  })

  it('a snapshot stored by machine v1 (no overdueRound) is upgraded on the way and still reminds once', async () => {
    const id = await submittedList('Stored by v1')
    const stored = await instanceOf(tdb.db, id)
    const { context, ...rest } = stored.snapshot as { context: Record<string, unknown> }
    const { overdueRound: _dropped, ...v1Context } = context
    await tdb.db
      .updateTable('workflow_instance')
      .set({ machine_version: 1, snapshot: JSON.stringify({ ...rest, context: v1Context }) })
      .where('id', '=', stored.id)
      .execute()

    const timer = await onlyTimer(id)
    expect(await processTimeoutJob(tdb.db, timer)).toBe('delivered')
    const upgraded = await instanceOf(tdb.db, id)
    expect(upgraded.machine_version).toBe(NEEDS_LIST_MACHINE_VERSION)
    expect((upgraded.snapshot as { context: unknown }).context).toMatchObject({
      round: 1,
      overdueRound: 1,
    })
    expect(await processTimeoutJob(tdb.db, timer)).toBe('stale')
  })

  it("a timer of an earlier round is stale and changes nothing; the current round's still counts", async () => {
    const id = await submittedList('Returned and resubmitted')
    await triageNeedsList(
      tdb.db,
      world.principals.coordinator,
      id,
      { type: 'RETURN', reason: 'More detail' },
      2,
    )
    const returned = await footprint(tdb.db, id)
    const round1 = await onlyTimer(id)
    // While the enterprise holds the list, the old timer means nothing.
    expect(await processTimeoutJob(tdb.db, round1)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(returned)

    await submitNeedsList(tdb.db, world.principals.contact, id, 3)
    const resubmitted = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, round1)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(resubmitted)

    const [, round2] = await timersOf(id)
    expect(round2?.event).toEqual({ type: 'TRIAGE_OVERDUE', round: 2 })
    expect(await processTimeoutJob(tdb.db, round2 as TimeoutJob)).toBe('delivered')
    expect((await eventsOf(tdb.db, id)).at(-1)).toMatchObject({
      event_type: 'TRIAGE_OVERDUE',
      actor_role: 'system',
      payload: { round: 2 },
    })
  })

  it('a timer for a list already accepted is stale and changes nothing', async () => {
    const id = await submittedList('Accepted in time')
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const accepted = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, await onlyTimer(id))).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(accepted)
  })

  it('only the system can send the timer event', async () => {
    const id = await submittedList('Not by hand')
    const before = await footprint(tdb.db, id)
    await expect(
      triageNeedsList(
        tdb.db,
        world.principals.coordinator,
        id,
        // A coordinator forging the timer event through the triage command is refused by the machine.
        { type: 'TRIAGE_OVERDUE', round: 1 } as unknown as { type: 'ACCEPT' },
        2,
      ),
    ).rejects.toMatchObject({ code: 'transitionNotAllowed' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })
})

describe('triage timer through BullMQ', () => {
  async function runtime(label: string) {
    const prefix = uniquePrefix(label)
    const rt = startJobRuntime({
      db: tdb.db,
      redisUrl: TEST_REDIS_URL,
      prefix,
      logger: silentLogger,
      relayIntervalMs: 20,
    })
    onTestFinished(async () => {
      await rt.close()
      await deletePrefix(prefix)
      expect(await keysUnder(prefix)).toEqual([])
    })
    return rt
  }

  const soon: DeadlinePolicy = () => new Date(Date.now() + 200)

  it('a short deadline fires as a delayed job and the overdue reminder reaches the coordinators', async () => {
    await runtime('timer-fires')
    const id = await submittedList('Fires soon', soon)
    const { users } = world
    const overdue = await waitFor(
      async () => {
        const rows = (await notificationsAbout(tdb.db, id)).filter(
          (n) => n.kind === 'needsList.triageOverdue',
        )
        return rows.length >= 2 ? rows : undefined
      },
      { what: 'overdue notifications' },
    )
    expect(overdue.map((n) => n.user_id)).toEqual(
      [users.coordinator.id, users.coordinator2.id].sort((a, b) => a - b),
    )
    const timerEvent = (await eventsOf(tdb.db, id)).find((e) => e.event_type === 'TRIAGE_OVERDUE')
    expect(timerEvent).toMatchObject({
      actor_role: 'system',
      actor_user_id: null,
      payload: { round: 1 },
    })
    // The timer fired no earlier than it was due.
    const submittedAt = (await listRow(tdb.db, id)).submitted_at as Date
    expect(timerEvent?.at.getTime()).toBeGreaterThanOrEqual(submittedAt.getTime() + 150)
    // Every outbox row went out, and each reminder was written once.
    await waitFor(async () => (await outboxOf(tdb.db, id)).every((r) => r.relayed_at !== null))
    const kinds = (await notificationsAbout(tdb.db, id)).map((n) => n.kind).sort()
    expect(kinds).toEqual([
      'needsList.submitted',
      'needsList.submitted',
      'needsList.triageOverdue',
      'needsList.triageOverdue',
    ])
  })

  it('a timer that fires after the list was accepted completes as stale', async () => {
    const rt = await runtime('timer-stale')
    const id = await draftList(tdb.db, world, 'Accepted before the timer')
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, {
      deadlines: () => new Date(Date.now() + 300),
    })
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const accepted = await footprint(tdb.db, id)
    const timerRow = (await outboxOf(tdb.db, id)).find((r) => r.queue === 'timeout')
    if (!timerRow) throw new Error('no timer row')
    const job = await waitFor(
      async () => {
        const j = await rt.queues.timeout.getJob(outboxJobId(timerRow.id))
        return j && (await j.getState()) === 'completed' ? j : undefined
      },
      { what: 'the timer job to complete' },
    )
    const done = await rt.queues.timeout.getJob(String(job.id))
    expect(done?.returnvalue).toBe('stale')
    const after = await footprint(tdb.db, id)
    expect({ ...after, outbox: accepted.outbox }).toEqual(accepted)
  })
})
