import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import {
  createNeedsList,
  editNeedsList,
  needsListView,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { stageDeadline } from '#workflows/deadlines.ts'
import {
  ConflictError,
  ForbiddenError,
  TransitionNotAllowedError,
  ValidationError,
} from '#workflows/errors.ts'
import { DEFAULT_SLA } from '#workflows/sla.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  footprint,
  ITEMS,
  instanceOf,
  listRow,
  outboxOf,
  timersOf,
  type World,
} from '../helpers/world.ts'

/** The default triage deadline (3 working days, reminder 1 before) of a stage entered at `from`. */
function triageDue(from: Date) {
  return stageDeadline(new WorkingDayCalendar(), from, DEFAULT_SLA.triage)
}

let tdb: TestDatabase
let world: World

beforeAll(async () => {
  tdb = await createTestDatabase('dispatch')
  world = await buildWorld(tdb.db, 'dispatch')
})

afterAll(async () => {
  await tdb?.drop()
})

function expectNear(actual: Date, expected: number, toleranceMs = 5_000) {
  expect(Math.abs(actual.getTime() - expected)).toBeLessThan(toleranceMs)
}

async function submittedList(title = 'Submitted list') {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  return id
}

describe('needs list lifecycle through the commands', () => {
  it('create → submit → return → edit → resubmit → accept, with mirror, audit and outbox at each step', async () => {
    const { db } = tdb
    const { principals, users } = world

    // create
    const id = await createNeedsList(db, principals.contact, {
      title: 'Power room check',
      items: ITEMS,
    })
    let instance = await instanceOf(db, id)
    expect(instance).toMatchObject({ state: 'draft', version: 1, machine_id: 'needs-list' })
    let list = await listRow(db, id)
    expect(list).toMatchObject({
      status: 'draft',
      enterprise_id: world.enterprise.id,
      org_id: world.orgs.district.id,
      created_by: users.contact.id,
      submitted_at: null,
    })
    let events = await eventsOf(db, id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      event_type: 'CREATE',
      actor_user_id: users.contact.id,
      actor_role: 'enterprise_contact',
      from_state: null,
      to_state: 'draft',
      version: 1,
      payload: {},
    })
    expect(await outboxOf(db, id)).toEqual([])

    // submit
    const beforeSubmit = Date.now()
    const submitted = await submitNeedsList(db, principals.contact, id, 1)
    expect(submitted).toEqual({ fromState: 'draft', state: 'submitted', version: 2 })
    instance = await instanceOf(db, id)
    expect(instance).toMatchObject({ state: 'submitted', version: 2 })
    expect((instance.snapshot as { context: unknown }).context).toMatchObject({ round: 1 })
    list = await listRow(db, id)
    expect(list.status).toBe('submitted')
    expect(list.submitted_at).toBeInstanceOf(Date)
    expectNear(list.submitted_at as Date, beforeSubmit)
    events = await eventsOf(db, id)
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({
      workflow_id: instance.id,
      event_type: 'SUBMIT',
      actor_user_id: users.contact.id,
      actor_role: 'enterprise_contact',
      from_state: 'draft',
      to_state: 'submitted',
      version: 2,
      payload: {},
    })
    let outbox = await outboxOf(db, id)
    expect(outbox).toHaveLength(3)
    const [submitNotify, triageReminder, triageTimer] = outbox
    expect(submitNotify).toMatchObject({
      queue: 'notify',
      job_name: 'notify',
      relayed_at: null,
      attempts: 0,
      payload: {
        kind: 'needsList.submitted',
        audience: 'coordinators',
        subjectType: 'needs_list',
        subjectId: id,
        orgPath: world.orgs.district.path,
        enterpriseId: world.enterprise.id,
        link: `/needs-lists/${id}`,
        params: { title: 'Power room check' },
      },
    })
    expectNear(submitNotify?.run_at as Date, beforeSubmit)
    // The triage deadline: 3 working days, reminded one working day before (the defaults).
    const due = triageDue(list.submitted_at as Date)
    expect(triageReminder).toMatchObject({
      queue: 'timeout',
      job_name: 'timeout',
      relayed_at: null,
      run_at: due.remindAt,
      payload: {
        subjectType: 'needs_list',
        subjectId: id,
        event: { type: 'DEADLINE', stage: 'triage', phase: 'remind', entry: 1 },
        timer: { stage: 'triage', phase: 'remind', entry: 1 },
      },
    })
    expect(triageTimer).toMatchObject({
      queue: 'timeout',
      job_name: 'timeout',
      relayed_at: null,
      run_at: due.dueAt,
      payload: {
        subjectType: 'needs_list',
        subjectId: id,
        event: { type: 'DEADLINE', stage: 'triage', phase: 'breach', entry: 1 },
        timer: { stage: 'triage', phase: 'breach', entry: 1 },
      },
    })
    expect(list.due_at).toEqual(due.dueAt)
    expect((await timersOf(db, id)).map((t) => [t.phase, t.status, t.outbox_id])).toEqual([
      ['remind', 'pending', triageReminder?.id],
      ['breach', 'pending', triageTimer?.id],
    ])

    // return, with a reason the enterprise is told
    const returned = await triageNeedsList(
      db,
      principals.coordinator,
      id,
      { type: 'RETURN', reason: 'Please name the equipment models' },
      2,
    )
    expect(returned).toEqual({ fromState: 'submitted', state: 'returned', version: 3 })
    instance = await instanceOf(db, id)
    expect(instance).toMatchObject({ state: 'returned', version: 3 })
    expect((instance.snapshot as { context: unknown }).context).toMatchObject({
      returnReason: 'Please name the equipment models',
    })
    expect((await listRow(db, id)).status).toBe('returned')
    events = await eventsOf(db, id)
    expect(events).toHaveLength(3)
    expect(events[2]).toMatchObject({
      event_type: 'RETURN',
      actor_user_id: users.coordinator.id,
      actor_role: 'coordinator',
      from_state: 'submitted',
      to_state: 'returned',
      version: 3,
      payload: { reason: 'Please name the equipment models' },
    })
    outbox = await outboxOf(db, id)
    expect(outbox).toHaveLength(5)
    // Leaving triage cancels its timers and removes their jobs.
    expect(outbox[3]).toMatchObject({
      queue: 'timeout',
      job_name: 'remove-jobs',
      payload: { subjectId: id, outboxIds: [triageReminder?.id, triageTimer?.id] },
    })
    expect((await timersOf(db, id)).map((t) => t.status)).toEqual(['cancelled', 'cancelled'])
    expect((await listRow(db, id)).due_at).toBeNull()
    expect(outbox[4]).toMatchObject({
      queue: 'notify',
      payload: {
        kind: 'needsList.returned',
        audience: 'enterprise',
        enterpriseId: world.enterprise.id,
        params: { title: 'Power room check', reason: 'Please name the equipment models' },
      },
    })

    // the contact sees why, and may edit and submit again
    const view = await needsListView(db, principals.contact, id)
    expect(view.version).toBe(3)
    expect(view.returnReason).toBe('Please name the equipment models')
    expect(view.can).toMatchObject({
      edit: true,
      submit: true,
      withdraw: true,
      accept: false,
      return: false,
    })

    const edited = await editNeedsList(
      db,
      principals.contact,
      id,
      { title: 'Power room check (models named)', items: ITEMS.slice(0, 1) },
      3,
    )
    expect(edited).toEqual({ fromState: 'returned', state: 'returned', version: 4 })
    expect((await listRow(db, id)).title).toBe('Power room check (models named)')
    events = await eventsOf(db, id)
    expect(events[3]).toMatchObject({
      event_type: 'EDIT',
      from_state: 'returned',
      to_state: 'returned',
      version: 4,
      payload: { itemCount: 1 },
    })
    expect(await outboxOf(db, id)).toHaveLength(5)

    // resubmit: round 2, a "resubmitted" notice and fresh triage timers
    const beforeResubmit = Date.now()
    const resubmitted = await submitNeedsList(db, principals.contact2, id, 4)
    expect(resubmitted).toEqual({ fromState: 'returned', state: 'submitted', version: 5 })
    instance = await instanceOf(db, id)
    expect(instance).toMatchObject({ state: 'submitted', version: 5 })
    expect((instance.snapshot as { context: unknown }).context).toMatchObject({
      round: 2,
      returnReason: null,
    })
    expect((await listRow(db, id)).status).toBe('submitted')
    events = await eventsOf(db, id)
    expect(events[4]).toMatchObject({
      event_type: 'SUBMIT',
      actor_user_id: users.contact2.id,
      from_state: 'returned',
      to_state: 'submitted',
      version: 5,
    })
    outbox = await outboxOf(db, id)
    expect(outbox).toHaveLength(8)
    expect(outbox[5]).toMatchObject({
      queue: 'notify',
      payload: {
        kind: 'needsList.resubmitted',
        audience: 'coordinators',
        params: { title: 'Power room check (models named)' },
      },
    })
    expect(outbox[7]).toMatchObject({
      queue: 'timeout',
      payload: { event: { type: 'DEADLINE', stage: 'triage', phase: 'breach', entry: 2 } },
    })
    const resubmittedAt = (await listRow(db, id)).submitted_at as Date
    expectNear(resubmittedAt, beforeResubmit)
    expect(outbox[7]?.run_at).toEqual(triageDue(resubmittedAt).dueAt)

    // accept, by the other coordinator of the intake desk
    const accepted = await triageNeedsList(db, principals.coordinator2, id, { type: 'ACCEPT' }, 5)
    expect(accepted).toEqual({ fromState: 'submitted', state: 'awaiting_steward', version: 6 })
    expect(await instanceOf(db, id)).toMatchObject({ state: 'awaiting_steward', version: 6 })
    expect((await listRow(db, id)).status).toBe('awaiting_steward')
    events = await eventsOf(db, id)
    expect(events.map((e) => [e.event_type, e.from_state, e.to_state, e.version])).toEqual([
      ['CREATE', null, 'draft', 1],
      ['SUBMIT', 'draft', 'submitted', 2],
      ['RETURN', 'submitted', 'returned', 3],
      ['EDIT', 'returned', 'returned', 4],
      ['SUBMIT', 'returned', 'submitted', 5],
      ['ACCEPT', 'submitted', 'awaiting_steward', 6],
    ])
    expect(events[5]).toMatchObject({
      actor_user_id: users.coordinator2.id,
      actor_role: 'coordinator',
      payload: {},
    })
    outbox = await outboxOf(db, id)
    expect(outbox).toHaveLength(12)
    expect(outbox[8]).toMatchObject({
      job_name: 'remove-jobs',
      payload: { outboxIds: [outbox[6]?.id, outbox[7]?.id] },
    })
    expect(outbox.slice(10).map((r) => (r.payload as { event?: unknown }).event)).toEqual([
      { type: 'DEADLINE', stage: 'steward_assignment', phase: 'remind', entry: 3 },
      { type: 'DEADLINE', stage: 'steward_assignment', phase: 'breach', entry: 3 },
    ])
    expect(outbox[9]).toMatchObject({
      queue: 'notify',
      payload: {
        kind: 'needsList.accepted',
        audience: 'enterprise',
        enterpriseId: world.enterprise.id,
      },
    })
    // every event row belongs to this one workflow instance
    expect(new Set(events.map((e) => e.workflow_id))).toEqual(new Set([instance.id]))
  })

  it('a federation admin above the intake desk may triage too, and is recorded as such', async () => {
    const id = await submittedList('Admin accepts')
    await triageNeedsList(tdb.db, world.principals.admin, id, { type: 'ACCEPT' }, 2)
    const events = await eventsOf(tdb.db, id)
    expect(events.at(-1)).toMatchObject({
      event_type: 'ACCEPT',
      actor_user_id: world.users.admin.id,
      actor_role: 'federation_admin',
      version: 3,
    })
  })

  it('the dispatch `now` option stamps the audit row, the mirror and the triage timers', async () => {
    const id = await draftList(tdb.db, world, 'Fixed clock')
    const now = new Date('2026-03-02T01:30:00.000Z')
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, { now })
    const events = await eventsOf(tdb.db, id)
    expect(events.at(-1)?.at.toISOString()).toBe(now.toISOString())
    const list = await listRow(tdb.db, id)
    expect(list.submitted_at?.toISOString()).toBe(now.toISOString())
    expect(list.updated_at.toISOString()).toBe(now.toISOString())
    // Monday 09:30 in Beijing: reminded Wednesday 18:00, due Thursday 18:00 (Beijing time).
    const timers = (await outboxOf(tdb.db, id)).filter((r) => r.queue === 'timeout')
    expect(timers.map((r) => r.run_at.toISOString())).toEqual([
      '2026-03-04T10:00:00.000Z',
      '2026-03-05T10:00:00.000Z',
    ])
    expect(list.due_at?.toISOString()).toBe('2026-03-05T10:00:00.000Z')
  })
})

describe('refused events change nothing', () => {
  it('an event the state does not allow raises TransitionNotAllowedError', async () => {
    const { db } = tdb
    const { principals } = world
    const id = await draftList(db, world, 'Not yet submitted')
    const before = await footprint(db, id)

    // accepting or returning a draft
    await expect(
      triageNeedsList(db, principals.coordinator, id, { type: 'ACCEPT' }, 1),
    ).rejects.toThrow(TransitionNotAllowedError)
    await expect(
      triageNeedsList(db, principals.coordinator, id, { type: 'RETURN', reason: 'why' }, undefined),
    ).rejects.toThrow(TransitionNotAllowedError)
    expect(await footprint(db, id)).toEqual(before)

    // a return without a reason is refused by the guard
    await submitNeedsList(db, principals.contact, id, 1)
    const submitted = await footprint(db, id)
    const blank = triageNeedsList(
      db,
      principals.coordinator,
      id,
      { type: 'RETURN', reason: '   ' },
      2,
    )
    await expect(blank).rejects.toThrow(TransitionNotAllowedError)
    await expect(blank).rejects.toMatchObject({
      code: 'transitionNotAllowed',
      details: { state: 'submitted', eventType: 'RETURN' },
    })
    // submitting twice, editing while in triage
    await expect(submitNeedsList(db, principals.contact, id, 2)).rejects.toThrow(
      TransitionNotAllowedError,
    )
    await expect(
      editNeedsList(db, principals.contact, id, { title: 'Changed', items: ITEMS }, 2),
    ).rejects.toThrow(TransitionNotAllowedError)
    expect(await footprint(db, id)).toEqual(submitted)
    expect((await listRow(db, id)).title).toBe('Not yet submitted')

    // nothing moves an accepted list
    await triageNeedsList(db, principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const accepted = await footprint(db, id)
    await expect(
      triageNeedsList(db, principals.coordinator, id, { type: 'ACCEPT' }, 3),
    ).rejects.toThrow(TransitionNotAllowedError)
    await expect(
      triageNeedsList(db, principals.coordinator, id, { type: 'RETURN', reason: 'late' }, 3),
    ).rejects.toThrow(TransitionNotAllowedError)
    await expect(submitNeedsList(db, principals.contact, id, 3)).rejects.toThrow(
      TransitionNotAllowedError,
    )
    expect(await footprint(db, id)).toEqual(accepted)
  })

  it('a stale expectedVersion raises ConflictError', async () => {
    const { db } = tdb
    const { principals } = world
    const id = await submittedList('Stale version')
    const before = await footprint(db, id)
    expect(before.version).toBe(2)

    const stale = triageNeedsList(db, principals.coordinator, id, { type: 'ACCEPT' }, 1)
    await expect(stale).rejects.toThrow(ConflictError)
    await expect(stale).rejects.toMatchObject({
      code: 'conflict',
      details: { expectedVersion: 1, actualVersion: 2 },
    })
    await expect(
      triageNeedsList(db, principals.coordinator, id, { type: 'RETURN', reason: 'why' }, 3),
    ).rejects.toThrow(ConflictError)
    // the version check comes first: even an event that would be refused reports the conflict
    await expect(submitNeedsList(db, principals.contact, id, 1)).rejects.toThrow(ConflictError)
    expect(await footprint(db, id)).toEqual(before)

    // a failed edit rolls its content change back with the transition
    const draft = await draftList(db, world, 'Draft content')
    await expect(
      editNeedsList(db, principals.contact, draft, { title: 'Overwritten', items: [] }, 7),
    ).rejects.toThrow(ConflictError)
    expect((await listRow(db, draft)).title).toBe('Draft content')
  })

  it('a wrong role or another enterprise raises ForbiddenError', async () => {
    const { db } = tdb
    const { principals } = world
    const id = await draftList(db, world, 'Scoped')
    const draft = await footprint(db, id)

    // only contacts of this enterprise submit it
    for (const who of [principals.otherContact, principals.coordinator, principals.steward]) {
      await expect(submitNeedsList(db, who, id, 1)).rejects.toThrow(ForbiddenError)
    }
    await expect(
      editNeedsList(db, principals.otherContact, id, { title: 'Hijacked', items: ITEMS }, 1),
    ).rejects.toThrow(ForbiddenError)
    expect(await footprint(db, id)).toEqual(draft)

    await submitNeedsList(db, principals.contact, id, 1)
    const submitted = await footprint(db, id)
    // only coordinators / federation admins whose subtree holds the list triage it
    for (const who of [
      principals.contact,
      principals.otherContact,
      principals.steward,
      principals.otherCoordinator,
    ]) {
      await expect(triageNeedsList(db, who, id, { type: 'ACCEPT' }, 2)).rejects.toThrow(
        ForbiddenError,
      )
      await expect(
        triageNeedsList(db, who, id, { type: 'RETURN', reason: 'not mine' }, 2),
      ).rejects.toThrow(ForbiddenError)
    }
    expect(await footprint(db, id)).toEqual(submitted)

    // reading follows the same scopes
    await expect(needsListView(db, principals.otherContact, id)).rejects.toThrow(ForbiddenError)
    await expect(needsListView(db, principals.otherCoordinator, id)).rejects.toThrow(ForbiddenError)
    const coordinatorView = await needsListView(db, principals.coordinator, id)
    expect(coordinatorView.can).toMatchObject({
      edit: false,
      submit: false,
      withdraw: false,
      accept: true,
      return: true,
      reject: true,
    })
  })

  it('only an enterprise contact drafts, and only for their own enterprise', async () => {
    const { db } = tdb
    const { principals } = world
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('needs_list')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    await expect(
      createNeedsList(db, principals.coordinator, { title: 'By a coordinator', items: ITEMS }),
    ).rejects.toThrow(ForbiddenError)
    await expect(
      createNeedsList(db, principals.contact, {
        title: 'For someone else',
        items: ITEMS,
        enterpriseId: world.otherEnterprise.id,
      }),
    ).rejects.toThrow(ForbiddenError)
    expect(await count()).toBe(before)
  })

  it('submitting a list without items is a validation error', async () => {
    const id = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Empty',
      items: [],
    })
    const before = await footprint(tdb.db, id)
    await expect(submitNeedsList(tdb.db, world.principals.contact, id, 1)).rejects.toThrow(
      ValidationError,
    )
    expect(await footprint(tdb.db, id)).toEqual(before)
  })
})
