import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { makeUser } from '#db/factories.ts'
import { upsertCalendarOverride, upsertSlaRule } from '#db/queries/sla.ts'
import { WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import { silentLogger } from '#jobs/logger.ts'
import { outboxJobId } from '#jobs/queues.server.ts'
import { startJobRuntime } from '#jobs/runtime.server.ts'
import { processTimeoutJob } from '#jobs/timeout.job.ts'
import type { Principal } from '#workflows/access.ts'
import type { Actor } from '#workflows/actor.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { routeNeedsList } from '#workflows/commands/triage.ts'
import { type DeadlinePolicy, stageDeadline } from '#workflows/deadlines.ts'
import { dispatch } from '#workflows/dispatch.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { DEFAULT_SLA } from '#workflows/sla.ts'
import { deletePrefix, keysUnder } from '../helpers/jobs.ts'
import {
  createTestDatabase,
  TEST_REDIS_URL,
  type TestDatabase,
  uniquePrefix,
} from '../helpers/test-db.ts'
import {
  buildWorld,
  footprint,
  ITEMS,
  listRow,
  notificationsAbout,
  outboxOf,
  principalOf,
  TEST_PASSWORD,
  timersOf,
  type World,
  waitFor,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
/** A coordinator of the district itself, so the district has an intake desk of its own. */
let districtDesk: { id: number; principal: Principal }

beforeAll(async () => {
  tdb = await createTestDatabase('deadlines')
  world = await buildWorld(tdb.db, 'dl')
  const user = await makeUser(tdb.db, {
    email: 'dl-district-coordinator@zhuqi.test',
    name: 'dl district coordinator',
    password: TEST_PASSWORD,
    role: 'coordinator',
    orgId: world.orgs.district.id,
  })
  districtDesk = { id: user.id, principal: await principalOf(tdb.db, user.id) }
  // The first enterprise has a dedicated steward (accepting its lists goes to confirming);
  // the other one has none (its lists wait for a steward).
  await tdb.db
    .updateTable('enterprise')
    .set({ steward_user_id: world.users.steward.id })
    .where('id', '=', world.enterprise.id)
    .execute()
})

afterAll(async () => {
  await tdb?.drop()
})

const ref = (id: number) => ({ subjectType: 'needs_list', subjectId: id })
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b)
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())))

/** Reminder `remindMs` and deadline `dueMs` after the stage began. */
const firing =
  (remindMs: number, dueMs: number): DeadlinePolicy =>
  (_deadline, from) => ({
    remindAt: new Date(from.getTime() + remindMs),
    dueAt: new Date(from.getTime() + dueMs),
  })
/** Deadlines that will not fire during a test. */
const far = firing(3_600_000, 7_200_000)

function steward(): Actor {
  return { userId: world.users.steward.id, role: 'steward' }
}
function contact(): Actor {
  return { userId: world.users.contact.id, role: 'enterprise_contact' }
}

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

/** A list of the first enterprise, submitted (by default with deadlines that do not fire). */
async function submitted(
  title: string,
  options: { deadlines?: DeadlinePolicy; now?: Date } = { deadlines: far },
) {
  const id = await createNeedsList(tdb.db, world.principals.contact, { title, items: ITEMS })
  await submitNeedsList(tdb.db, world.principals.contact, id, 1, options)
  return id
}

/** A list in needs confirmation with the dedicated steward; its deadline from `deadlines`. */
async function confirming(title: string, deadlines: DeadlinePolicy = far) {
  const id = await submitted(title)
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2, {
    deadlines,
  })
  return id
}

async function kindsTo(listId: number, kind: string) {
  return sorted(
    (await notificationsAbout(tdb.db, listId)).filter((n) => n.kind === kind).map((n) => n.user_id),
  )
}

async function waitForKind(listId: number, kind: string) {
  return waitFor(
    async () => {
      const rows = (await notificationsAbout(tdb.db, listId)).filter((n) => n.kind === kind)
      return rows.length > 0 ? rows : undefined
    },
    { what: kind },
  )
}

describe('deadlines from the org’s SLA policy and the working-day calendar', () => {
  // Monday 2026-11-30, 10:00 in Beijing.
  const monday = new Date('2026-11-30T02:00:00Z')
  const official = new WorkingDayCalendar()

  it('without rules the defaults apply: triage due in 3 working days, reminded 1 before', async () => {
    const id = await submitted('Defaults', { now: monday })
    const list = await listRow(tdb.db, id)
    const expected = stageDeadline(official, monday, DEFAULT_SLA.triage)
    expect(list.due_at).toEqual(expected.dueAt)
    expect(list.due_at?.toISOString()).toBe('2026-12-03T10:00:00.000Z')
    expect((await timersOf(tdb.db, id)).map((t) => [t.phase, t.due_at.toISOString()])).toEqual([
      ['remind', '2026-12-02T10:00:00.000Z'],
      ['breach', '2026-12-03T10:00:00.000Z'],
    ])
  })

  it('an ancestor’s rule is inherited, the org’s own rule wins, and a local holiday moves the date', async () => {
    const at = new Date()
    // The city (the district's parent) allows 5 working days for triage, reminding 2 before.
    await upsertSlaRule(tdb.db, {
      orgId: world.orgs.city.id,
      stage: 'triage',
      workingDays: 5,
      remindBefore: 2,
      updatedBy: world.users.admin.id,
      now: at,
    })
    const inherited = await submitted('City rule', { now: monday })
    expect((await timersOf(tdb.db, inherited)).map((t) => t.due_at.toISOString())).toEqual([
      '2026-12-03T10:00:00.000Z', // Thursday: 5 - 2 = 3 working days
      '2026-12-07T10:00:00.000Z', // Monday after: 5 working days
    ])

    // The district sets its own: 1 working day, no reminder.
    await upsertSlaRule(tdb.db, {
      orgId: world.orgs.district.id,
      stage: 'triage',
      workingDays: 1,
      remindBefore: 0,
      updatedBy: world.users.admin.id,
      now: at,
    })
    const own = await submitted('District rule', { now: monday })
    expect((await timersOf(tdb.db, own)).map((t) => [t.phase, t.due_at.toISOString()])).toEqual([
      ['breach', '2026-12-01T10:00:00.000Z'],
    ])
    expect((await outboxOf(tdb.db, own)).filter((r) => r.queue === 'timeout')).toHaveLength(1)

    // A local holiday on Tuesday 2026-12-01 pushes the district's deadline to Wednesday.
    await upsertCalendarOverride(tdb.db, {
      date: '2026-12-01',
      kind: 'holiday',
      note: 'local holiday',
      updatedBy: world.users.admin.id,
      now: at,
    })
    const moved = await submitted('Local holiday', { now: monday })
    expect((await listRow(tdb.db, moved)).due_at?.toISOString()).toBe('2026-12-02T10:00:00.000Z')

    // Other stages keep the defaults.
    await triageNeedsList(tdb.db, world.principals.coordinator, moved, { type: 'ACCEPT' }, 2, {
      now: monday,
    })
    const confirmingTimers = (await timersOf(tdb.db, moved)).filter(
      (t) => t.stage === 'needs_confirmation',
    )
    // 2 working days from Monday, with Tuesday off: Wednesday is the 1st, Thursday the 2nd.
    expect(confirmingTimers.map((t) => t.due_at.toISOString())).toEqual([
      '2026-12-02T10:00:00.000Z',
      '2026-12-03T10:00:00.000Z',
    ])

    await tdb.db.deleteFrom('sla_policy').execute()
    await tdb.db.deleteFrom('calendar_override').execute()
  })
})

describe('reminders and escalation through BullMQ', () => {
  it('needs confirmation: the steward is reminded before the deadline; at breach again, and the intake desk is told', async () => {
    await runtime('dl-confirming')
    const id = await confirming('Confirm soon', firing(300, 1_200))
    const start = (await listRow(tdb.db, id)).stage_entered_at.getTime()
    expect((await listRow(tdb.db, id)).due_at?.getTime()).toBe(start + 1_200)

    const [remind] = await waitForKind(id, 'deadline.needs_confirmation.remind')
    // The reminder came before the deadline.
    expect(remind?.created_at.getTime()).toBeLessThan(start + 1_200)
    expect(remind?.created_at.getTime()).toBeGreaterThanOrEqual(start + 300)
    expect(await kindsTo(id, 'deadline.needs_confirmation.remind')).toEqual([
      world.users.steward.id,
    ])

    const escalated = await waitForKind(id, 'deadline.needs_confirmation.escalated')
    expect(escalated[0]?.created_at.getTime()).toBeGreaterThanOrEqual(start + 1_200)
    expect(await kindsTo(id, 'deadline.needs_confirmation.breach')).toEqual([
      world.users.steward.id,
    ])
    // The next level: the intake desk of the case's org (the district's own coordinator).
    expect(await kindsTo(id, 'deadline.needs_confirmation.escalated')).toEqual([districtDesk.id])
    expect(
      (await timersOf(tdb.db, id)).filter((t) => t.stage === 'needs_confirmation'),
    ).toMatchObject([
      { phase: 'remind', status: 'fired' },
      { phase: 'breach', status: 'fired' },
    ])
    // The case is overdue but otherwise unchanged.
    const list = await listRow(tdb.db, id)
    expect(list.status).toBe('confirming')
    expect(list.due_at?.getTime()).toBeLessThan(Date.now())
  })

  it('enterprise approval: the contacts are reminded, the steward is escalated to', async () => {
    await runtime('dl-approval')
    const id = await confirming('Approve soon')
    await dispatch(
      tdb.db,
      ref(id),
      { type: 'PROPOSE', actor: steward(), revision: 1 },
      {
        deadlines: firing(150, 700),
      },
    )
    await waitForKind(id, 'deadline.enterprise_approval.escalated')
    const contacts = sorted([world.users.contact.id, world.users.contact2.id])
    expect(await kindsTo(id, 'deadline.enterprise_approval.remind')).toEqual(contacts)
    expect(await kindsTo(id, 'deadline.enterprise_approval.breach')).toEqual(contacts)
    expect(await kindsTo(id, 'deadline.enterprise_approval.escalated')).toEqual([
      world.users.steward.id,
    ])
  })

  it('steward assignment: the intake desk is told at breach and the federation admins are escalated to', async () => {
    await runtime('dl-steward')
    const id = await createNeedsList(tdb.db, world.principals.otherContact, {
      title: 'No steward yet',
      items: ITEMS,
    })
    await submitNeedsList(tdb.db, world.principals.otherContact, id, 1, { deadlines: far })
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2, {
      deadlines: firing(150, 700),
    })
    expect((await listRow(tdb.db, id)).status).toBe('awaiting_steward')
    await waitForKind(id, 'deadline.steward_assignment.escalated')
    const desk = sorted([districtDesk.id])
    expect(await kindsTo(id, 'deadline.steward_assignment.remind')).toEqual(desk)
    expect(await kindsTo(id, 'deadline.steward_assignment.breach')).toEqual(desk)
    // The nearest org above the case with federation admins: the province.
    expect(await kindsTo(id, 'deadline.steward_assignment.escalated')).toEqual([
      world.users.admin.id,
    ])
  })
})

describe('leaving and re-entering a stage', () => {
  it('leaving a stage cancels its timers, removes their delayed jobs, and nothing is told later', async () => {
    const rt = await runtime('dl-leave')
    const id = await confirming('Proposed in time', firing(2_000, 2_400))
    const timers = await timersOf(tdb.db, id)
    const [remindTimer, breachTimer] = timers.filter((t) => t.stage === 'needs_confirmation')
    if (!remindTimer || !breachTimer) throw new Error('no confirmation timers')
    const jobOf = (outboxId: number) => rt.queues.timeout.getJob(outboxJobId(outboxId))
    await waitFor(async () => (await jobOf(breachTimer.outbox_id))?.isDelayed(), {
      what: 'the breach job in Redis',
    })

    await dispatch(
      tdb.db,
      ref(id),
      { type: 'PROPOSE', actor: steward(), revision: 1 },
      {
        deadlines: far,
      },
    )
    // Same transaction: the old entry's rows are cancelled, the new stage's are pending.
    expect(
      (await timersOf(tdb.db, id))
        .filter((t) => t.stage !== 'triage')
        .map((t) => [t.stage, t.phase, t.status]),
    ).toEqual([
      ['needs_confirmation', 'remind', 'cancelled'],
      ['needs_confirmation', 'breach', 'cancelled'],
      ['enterprise_approval', 'remind', 'pending'],
      ['enterprise_approval', 'breach', 'pending'],
    ])
    const removal = (await outboxOf(tdb.db, id)).find(
      (r) =>
        r.job_name === 'remove-jobs' &&
        (r.payload as { outboxIds: number[] }).outboxIds.includes(breachTimer.outbox_id),
    )
    expect(removal?.payload).toMatchObject({
      outboxIds: [remindTimer.outbox_id, breachTimer.outbox_id],
    })
    await waitFor(
      async () => !(await jobOf(remindTimer.outbox_id)) && !(await jobOf(breachTimer.outbox_id)),
      { what: 'the delayed jobs to be removed' },
    )
    const proposed = await footprint(tdb.db, id)
    // Past both old due times: no reminder, no escalation, no change.
    await sleepUntil(breachTimer.due_at.getTime() + 300)
    const kinds = (await notificationsAbout(tdb.db, id)).map((n) => n.kind)
    expect(kinds.filter((k) => k.startsWith('deadline.'))).toEqual([])
    expect(await footprint(tdb.db, id)).toEqual(proposed)
    // The list's due date is the new stage's.
    expect((await listRow(tdb.db, id)).due_at?.getTime()).toBeGreaterThan(Date.now() + 3_600_000)
  })

  it('a comment sends the case back to confirming: fresh timers fire, a late job of the old entry is ignored', async () => {
    await runtime('dl-comment')
    const id = await confirming('Commented', far)
    const firstEntry = (await timersOf(tdb.db, id)).filter((t) => t.stage === 'needs_confirmation')
    await dispatch(
      tdb.db,
      ref(id),
      { type: 'PROPOSE', actor: steward(), revision: 1 },
      {
        deadlines: far,
      },
    )
    await dispatch(
      tdb.db,
      ref(id),
      { type: 'COMMENT', actor: contact(), comment: 'Please split item 2' },
      { deadlines: firing(150, 700) },
    )
    const confirmationTimers = (await timersOf(tdb.db, id)).filter(
      (t) => t.stage === 'needs_confirmation',
    )
    expect(confirmationTimers.map((t) => [t.entry, t.phase, t.status])).toEqual([
      [2, 'remind', 'cancelled'],
      [2, 'breach', 'cancelled'],
      [4, 'remind', 'pending'],
      [4, 'breach', 'pending'],
    ])
    // A job of the first entry delivered late (e.g. its removal was missed) changes nothing.
    const stale = (await outboxOf(tdb.db, id)).find((r) => r.id === firstEntry[1]?.outbox_id)
    const before = await footprint(tdb.db, id)
    expect(await processTimeoutJob(tdb.db, stale?.payload as unknown as TimeoutJob)).toBe(
      'cancelled',
    )
    expect(await footprint(tdb.db, id)).toEqual(before)

    await waitForKind(id, 'deadline.needs_confirmation.escalated')
    expect(await kindsTo(id, 'deadline.needs_confirmation.remind')).toEqual([
      world.users.steward.id,
    ])
    expect(await kindsTo(id, 'deadline.needs_confirmation.breach')).toEqual([
      world.users.steward.id,
    ])
    expect((await timersOf(tdb.db, id)).filter((t) => t.entry === 4).map((t) => t.status)).toEqual([
      'fired',
      'fired',
    ])
  })

  it('routing to another desk restarts triage there: the old desk’s timers are cancelled, the new desk is reminded', async () => {
    const rt = await runtime('dl-route')
    const id = await submitted('Routed up', { deadlines: firing(800, 1_000) })
    const [oldRemind, oldBreach] = await timersOf(tdb.db, id)
    if (!oldRemind || !oldBreach) throw new Error('no triage timers')
    // Submitted at the district: its own desk is told.
    await waitForKind(id, 'needsList.submitted')
    expect(await kindsTo(id, 'needsList.submitted')).toEqual([districtDesk.id])

    await routeNeedsList(
      tdb.db,
      world.principals.coordinator,
      id,
      { toOrgId: world.orgs.city.id },
      2,
      { deadlines: firing(150, 700) },
    )
    expect((await timersOf(tdb.db, id)).map((t) => [t.entry, t.phase, t.status])).toEqual([
      [1, 'remind', 'cancelled'],
      [1, 'breach', 'cancelled'],
      [2, 'remind', 'pending'],
      [2, 'breach', 'pending'],
    ])
    await waitForKind(id, 'deadline.triage.escalated')
    const cityDesk = sorted([world.users.coordinator.id, world.users.coordinator2.id])
    expect(await kindsTo(id, 'deadline.triage.remind')).toEqual(cityDesk)
    expect(await kindsTo(id, 'deadline.triage.breach')).toEqual(cityDesk)
    expect(await kindsTo(id, 'deadline.triage.escalated')).toEqual([world.users.admin.id])
    // The district's timers never fire: their jobs are gone.
    await waitFor(
      async () =>
        !(await rt.queues.timeout.getJob(outboxJobId(oldRemind.outbox_id))) &&
        !(await rt.queues.timeout.getJob(outboxJobId(oldBreach.outbox_id))),
      { what: 'the old timers to be removed' },
    )
    await sleepUntil(oldBreach.due_at.getTime() + 300)
    expect(
      (await notificationsAbout(tdb.db, id)).filter(
        (n) => n.user_id === districtDesk.id && n.kind.startsWith('deadline.'),
      ),
    ).toEqual([])
  })
})
