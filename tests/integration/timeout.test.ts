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
  timersOf,
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

/** The payloads of this list's timer jobs, oldest first. */
async function timerJobsOf(listId: number): Promise<TimeoutJob[]> {
  return (await outboxOf(tdb.db, listId))
    .filter((r) => r.queue === 'timeout' && r.job_name === 'timeout')
    .map((r) => r.payload as unknown as TimeoutJob)
}

async function timerJob(listId: number, phase: 'remind' | 'breach', entry = 1) {
  const job = (await timerJobsOf(listId)).find(
    (j) => j.timer?.phase === phase && j.timer.entry === entry,
  )
  if (!job) throw new Error(`list ${listId} has no ${phase} timer of entry ${entry}`)
  return job
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b)

describe('processTimeoutJob', () => {
  it('a due triage breach dispatches DEADLINE as the system, tells the intake desk and escalates to the admins', async () => {
    const id = await submittedList('Overdue')
    const breach = await timerJob(id, 'breach')
    expect(breach).toEqual({
      subjectType: 'needs_list',
      subjectId: id,
      event: { type: 'DEADLINE', stage: 'triage', phase: 'breach', entry: 1 },
      timer: { stage: 'triage', phase: 'breach', entry: 1 },
    })

    expect(await processTimeoutJob(tdb.db, breach)).toBe('delivered')

    // Still waiting for triage, one version on, with the timer in the audit trail.
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'submitted', version: 3 })
    expect((await listRow(tdb.db, id)).status).toBe('submitted')
    const events = await eventsOf(tdb.db, id)
    expect(events).toHaveLength(3)
    expect(events[2]).toMatchObject({
      event_type: 'DEADLINE',
      actor_user_id: null,
      actor_role: 'system',
      from_state: 'submitted',
      to_state: 'submitted',
      version: 3,
      payload: { stage: 'triage', phase: 'breach', entry: 1 },
    })
    expect((await timersOf(tdb.db, id)).map((t) => [t.phase, t.status])).toEqual([
      ['remind', 'pending'],
      ['breach', 'fired'],
    ])
    const outbox = await outboxOf(tdb.db, id)
    expect(outbox.slice(3)).toMatchObject([
      {
        queue: 'notify',
        relayed_at: null,
        payload: {
          kind: 'deadline.triage.breach',
          audience: 'coordinators',
          subjectId: id,
          orgPath: world.orgs.district.path,
          params: { title: 'Overdue', stage: 'triage' },
        },
      },
      {
        queue: 'notify',
        payload: { kind: 'deadline.triage.escalated', audience: 'admins', subjectId: id },
      },
    ])

    // Triage goes on as before; leaving it cancels the reminder that is still pending.
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 3)
    expect((await listRow(tdb.db, id)).status).toBe('awaiting_steward')
    expect((await timersOf(tdb.db, id)).slice(0, 2).map((t) => t.status)).toEqual([
      'cancelled',
      'fired',
    ])
  })

  it('the same timer delivered twice (at-least-once) reminds only once', async () => {
    const id = await submittedList('Delivered twice')
    const remind = await timerJob(id, 'remind')
    expect(await processTimeoutJob(tdb.db, remind)).toBe('delivered')
    const once = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, remind)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(once)
    // Even with the timer row lost, the machine refuses a phase it already fired.
    await tdb.db.deleteFrom('workflow_timer').where('phase', '=', 'remind').execute()
    expect(await processTimeoutJob(tdb.db, remind)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(once)
  })

  it('a snapshot stored by machine v3 is upgraded on the way; its old TRIAGE_OVERDUE job is stale', async () => {
    const id = await submittedList('Stored by v3')
    const stored = await instanceOf(tdb.db, id)
    const { context, ...rest } = stored.snapshot as { context: Record<string, unknown> }
    const { stageEntry: _e, deadlinesFired: _f, ...v3Context } = context
    await tdb.db
      .updateTable('workflow_instance')
      .set({
        machine_version: 3,
        snapshot: JSON.stringify({ ...rest, context: { ...v3Context, overdueRound: 0 } }),
      })
      .where('id', '=', stored.id)
      .execute()
    await tdb.db.deleteFrom('workflow_timer').where('workflow_id', '=', stored.id).execute()
    const before = await footprint(tdb.db, id)

    // A job of the old triage timer, still in Redis when the new code ships.
    const old: TimeoutJob = {
      subjectType: 'needs_list',
      subjectId: id,
      event: { type: 'TRIAGE_OVERDUE', round: 1 },
    }
    expect(await processTimeoutJob(tdb.db, old)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(before)
    // The new-style timers of the old snapshot (entry 1) do not match it either (it counts 0).
    expect(await processTimeoutJob(tdb.db, await timerJob(id, 'breach'))).toBe('stale')

    // The next change upgrades the snapshot and starts the next stage's deadline.
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const upgraded = await instanceOf(tdb.db, id)
    expect(upgraded.machine_version).toBe(NEEDS_LIST_MACHINE_VERSION)
    const upgradedContext = (upgraded.snapshot as { context: Record<string, unknown> }).context
    expect(upgradedContext).toMatchObject({ round: 1, stageEntry: 1, deadlinesFired: [] })
    expect(upgradedContext).not.toHaveProperty('overdueRound')
    expect(await processTimeoutJob(tdb.db, await timerJob(id, 'remind', 1))).toBe('stale')
    const stewardTimers = (await timerJobsOf(id)).filter(
      (j) => j.timer?.stage === 'steward_assignment',
    )
    expect(stewardTimers.map((j) => j.timer?.entry)).toEqual([1, 1])
    expect(await processTimeoutJob(tdb.db, stewardTimers[0] as TimeoutJob)).toBe('delivered')
  })

  it('a timer of an earlier stage entry is dropped and changes nothing; the current entry’s still counts', async () => {
    const id = await submittedList('Returned and resubmitted')
    await triageNeedsList(
      tdb.db,
      world.principals.coordinator,
      id,
      { type: 'RETURN', reason: 'More detail' },
      2,
    )
    const returned = await footprint(tdb.db, id)
    const entry1 = await timerJob(id, 'breach', 1)
    // While the enterprise holds the list, the old timer means nothing (its row was cancelled).
    expect(await processTimeoutJob(tdb.db, entry1)).toBe('cancelled')
    expect(await footprint(tdb.db, id)).toEqual(returned)

    await submitNeedsList(tdb.db, world.principals.contact, id, 3)
    const resubmitted = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, entry1)).toBe('cancelled')
    expect(await footprint(tdb.db, id)).toEqual(resubmitted)
    // Without its row (a job older than the table), the machine refuses it as stale.
    await tdb.db
      .deleteFrom('workflow_timer')
      .where('entry', '=', 1)
      .where('workflow_id', '=', (await instanceOf(tdb.db, id)).id)
      .execute()
    expect(await processTimeoutJob(tdb.db, entry1)).toBe('stale')
    expect(await footprint(tdb.db, id)).toEqual(resubmitted)

    const entry2 = await timerJob(id, 'breach', 2)
    expect(await processTimeoutJob(tdb.db, entry2)).toBe('delivered')
    expect((await eventsOf(tdb.db, id)).at(-1)).toMatchObject({
      event_type: 'DEADLINE',
      actor_role: 'system',
      payload: { stage: 'triage', phase: 'breach', entry: 2 },
    })
  })

  it('a timer for a list already accepted is dropped as cancelled and changes nothing', async () => {
    const id = await submittedList('Accepted in time')
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const accepted = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, await timerJob(id, 'breach'))).toBe('cancelled')
    expect(await processTimeoutJob(tdb.db, await timerJob(id, 'remind'))).toBe('cancelled')
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
        { type: 'DEADLINE', stage: 'triage', phase: 'breach', entry: 1 } as unknown as {
          type: 'ACCEPT'
        },
        2,
      ),
    ).rejects.toMatchObject({ code: 'transitionNotAllowed' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })
})

describe('triage timers through BullMQ', () => {
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

  /** The reminder 200 ms after entry, the deadline 700 ms after. */
  const soon: DeadlinePolicy = (_deadline, from) => ({
    remindAt: new Date(from.getTime() + 200),
    dueAt: new Date(from.getTime() + 700),
  })

  it('short deadlines fire as delayed jobs: the reminder, then the breach and its escalation', async () => {
    await runtime('timer-fires')
    const id = await submittedList('Fires soon', soon)
    const { users } = world
    const kindsOf = async () => (await notificationsAbout(tdb.db, id)).map((n) => n.kind)
    await waitFor(async () => (await kindsOf()).includes('deadline.triage.escalated'), {
      what: 'the escalation',
    })
    const rows = await notificationsAbout(tdb.db, id)
    const to = (kind: string) => sorted(rows.filter((n) => n.kind === kind).map((n) => n.user_id))
    const desk = sorted([users.coordinator.id, users.coordinator2.id])
    expect(to('deadline.triage.remind')).toEqual(desk)
    expect(to('deadline.triage.breach')).toEqual(desk)
    // The next level: the nearest org above the case with federation admins (the province).
    expect(to('deadline.triage.escalated')).toEqual([users.admin.id])

    const timerEvents = (await eventsOf(tdb.db, id)).filter((e) => e.event_type === 'DEADLINE')
    expect(timerEvents.map((e) => e.payload)).toEqual([
      { stage: 'triage', phase: 'remind', entry: 1 },
      { stage: 'triage', phase: 'breach', entry: 1 },
    ])
    // Each fired no earlier than it was due.
    const submittedAt = (await listRow(tdb.db, id)).submitted_at as Date
    expect(timerEvents[0]?.at.getTime()).toBeGreaterThanOrEqual(submittedAt.getTime() + 200)
    expect(timerEvents[1]?.at.getTime()).toBeGreaterThanOrEqual(submittedAt.getTime() + 700)
    expect((await timersOf(tdb.db, id)).map((t) => t.status)).toEqual(['fired', 'fired'])
    // Every outbox row went out, and each notification was written once.
    await waitFor(async () => (await outboxOf(tdb.db, id)).every((r) => r.relayed_at !== null))
    expect((await kindsOf()).sort()).toEqual(
      [
        ...desk.map(() => 'needsList.submitted'),
        ...desk.map(() => 'deadline.triage.remind'),
        ...desk.map(() => 'deadline.triage.breach'),
        'deadline.triage.escalated',
      ].sort(),
    )
  })

  it('accepting before the timers fire removes their delayed jobs; nothing fires later', async () => {
    const rt = await runtime('timer-removed')
    const id = await draftList(tdb.db, world, 'Accepted before the timers')
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, {
      deadlines: (_d, from) => ({
        remindAt: new Date(from.getTime() + 1_500),
        dueAt: new Date(from.getTime() + 1_800),
      }),
    })
    const [remindRow, breachRow] = (await outboxOf(tdb.db, id)).filter(
      (r) => r.job_name === 'timeout',
    )
    if (!remindRow || !breachRow) throw new Error('no timer rows')
    const jobOf = (row: { id: number }) => rt.queues.timeout.getJob(outboxJobId(row.id))
    await waitFor(async () => (await jobOf(breachRow))?.isDelayed(), {
      what: 'the breach job to be delayed in Redis',
    })
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const accepted = await footprint(tdb.db, id)
    await waitFor(async () => !(await jobOf(remindRow)) && !(await jobOf(breachRow)), {
      what: 'the timer jobs to be removed',
    })
    // Past both due times: nothing fired, nothing changed.
    const submittedAt = (await listRow(tdb.db, id)).submitted_at as Date
    await new Promise((r) => setTimeout(r, submittedAt.getTime() + 2_100 - Date.now()))
    expect(await footprint(tdb.db, id)).toEqual({ ...accepted, outbox: accepted.outbox })
    expect((await notificationsAbout(tdb.db, id)).map((n) => n.kind)).not.toContain(
      'deadline.triage.remind',
    )
    expect((await timersOf(tdb.db, id)).slice(0, 2).map((t) => t.status)).toEqual([
      'cancelled',
      'cancelled',
    ])
  })
})
