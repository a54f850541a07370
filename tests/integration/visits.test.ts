import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser } from '#db/factories.ts'
import { findTemplateByCode, templateItemsOf } from '#db/queries/checklist-templates.ts'
import type { Principal } from '#workflows/access.ts'
import { SYSTEM_ACTOR } from '#workflows/actor.ts'
import { planView, savePlan } from '#workflows/commands/inspection-plans.ts'
import { checkIn } from '#workflows/commands/onsite.ts'
import {
  cancelVisit,
  caseVisitsView,
  confirmVisit,
  counterProposeVisit,
  myVisits,
  previewVisitConflicts,
  rescheduleVisit,
  scheduleVisit,
  updateVisitTeam,
  VisitConflictsError,
  visitCalendar,
  visitView,
} from '#workflows/commands/visits.ts'
import { dispatch } from '#workflows/dispatch.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import { addExpert, readyList } from '../helpers/matching-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildPairedCase,
  CASE_ADDRESS,
  type PairedCase,
  scheduleTestVisit,
} from '../helpers/visit-world.ts'
import { eventsOf, instanceOf, principalOf, TEST_PASSWORD } from '../helpers/world.ts'

let tdb: TestDatabase
let world: PairedCase
let electrical: number
let safety: number
let otherSteward: Principal
let outsider: Awaited<ReturnType<typeof addExpert>>

/** Monday 2 March 2026, 10:00 in Beijing: "now" for the visit commands. */
const NOW = new Date('2026-03-02T02:00:00Z')
const at = { now: NOW }

beforeAll(async () => {
  tdb = await createTestDatabase('visits')
  world = await buildPairedCase(tdb.db)
  electrical = (await findTemplateByCode(tdb.db, 'electrical_health'))?.id as number
  safety = (await findTemplateByCode(tdb.db, 'safety_walkthrough'))?.id as number
  const second = await makeUser(tdb.db, {
    email: 'vs-steward2@zhuqi.test',
    name: 'vs steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  otherSteward = await principalOf(tdb.db, second.id)
  outsider = await addExpert(tdb.db, world, { name: '外部专家', skills: [['ppe', 5]] })
})

afterAll(async () => {
  await tdb?.drop()
})

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

const input = (extra: Record<string, unknown> = {}) => ({
  kind: 'inspection',
  startsAt: '2026-03-11T09:30',
  durationMinutes: 120,
  expertIds: world.experts.map((e) => e.expert.id),
  templateIds: [electrical],
  itemIds: world.itemIds,
  objectives: '排查配电设备隐患',
  ...extra,
})

function visitRow(id: number) {
  return tdb.db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

function visitInstance(id: number) {
  return tdb.db
    .selectFrom('workflow_instance')
    .selectAll()
    .where('subject_type', '=', 'visit')
    .where('subject_id', '=', id)
    .executeTakeFirstOrThrow()
}

function visitOutbox(id: number) {
  return tdb.db
    .selectFrom('outbox')
    .selectAll()
    .where(sql<string>`payload->>'subjectType'`, '=', 'visit')
    .where(sql<string>`payload->>'subjectId'`, '=', String(id))
    .orderBy('id')
    .execute()
}

async function visitCount() {
  const row = await tdb.db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function cancelAll() {
  // Clears the experts' calendars between tests (through the real command).
  const rows = await tdb.db
    .selectFrom('visit')
    .select('id')
    .where('status', 'in', ['proposed', 'scheduled'])
    .execute()
  for (const r of rows) {
    await cancelVisit(tdb.db, world.principals.steward, r.id, { reason: '测试清理' }, at)
  }
}

describe('scheduling a visit', () => {
  it('only the case steward schedules, only while the case is paired or later', async () => {
    const before = await visitCount()
    for (const p of [
      world.principals.contact,
      world.principals.coordinator,
      world.principals.admin,
      world.principals.expert,
      otherSteward,
    ]) {
      await expect(scheduleVisit(tdb.db, p, world.listId, input(), at)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    // A case still waiting for matching cannot have visits.
    const early = await readyList(tdb.db, world, '尚未配对', [
      { title: '配电箱', headcount: 1, skills: ['boxes'] },
    ])
    const err = await refused(
      scheduleVisit(
        tdb.db,
        world.principals.steward,
        early.id,
        input({ itemIds: early.itemIds, expertIds: [] }),
        at,
      ),
    )
    expect(err.code).toBe('transitionNotAllowed')
    expect(await visitCount()).toBe(before)
    expect((await instanceOf(tdb.db, early.id)).state).toBe('ready_for_matching')
  })

  it('bad input is refused with a translated key and writes nothing', async () => {
    const other = await readyList(tdb.db, world, '别的清单', [
      { title: '其他', headcount: 1, skills: ['boxes'] },
    ])
    const before = { visits: await visitCount(), list: await instanceOf(tdb.db, world.listId) }
    const cases: [Record<string, unknown>, string][] = [
      [{ startsAt: '2026-02-31T10:00' }, 'visits.errors.startsAt'],
      [{ startsAt: 'tomorrow' }, 'visits.errors.startsAt'],
      [{ startsAt: '2026-03-01T09:00' }, 'visits.errors.past'],
      [{ durationMinutes: 10 }, 'visits.errors.duration'],
      [{ durationMinutes: 'abc' }, 'visits.errors.duration'],
      [{ kind: 'party' }, 'visits.errors.kind'],
      [{ templateIds: [] }, 'visits.errors.templates'],
      [{ templateIds: [999_999] }, 'visits.errors.unknownTemplate'],
      [{ itemIds: [] }, 'visits.errors.items'],
      [{ itemIds: other.itemIds }, 'visits.errors.unknownItem'],
      [{ expertIds: [outsider.expert.id] }, 'visits.errors.notPaired'],
      [{ cadre: { name: '', userId: world.users.contact.id } }, 'visits.errors.memberUser'],
      [{ others: [{ name: '王' }] }, 'visits.errors.memberName'],
      [{ place: 'x'.repeat(201) }, 'errors.tooLong'],
    ]
    for (const [extra, key] of cases) {
      const e = await refused(
        scheduleVisit(tdb.db, world.principals.steward, world.listId, input(extra), at),
      )
      expect(e.details, JSON.stringify(extra)).toMatchObject({ messageKey: key })
    }
    expect(await visitCount()).toBe(before.visits)
    expect((await instanceOf(tdb.db, world.listId)).version).toBe(before.list.version)
  })

  it('creates the visit, its team, plan version 1 with copied lines, its workflow, and moves the case on', async () => {
    const cadreUser = world.users.coordinator
    const done = await scheduleVisit(
      tdb.db,
      world.principals.steward,
      world.listId,
      input({
        cadre: { name: '', userId: cadreUser.id },
        others: [{ name: '企业电工 老周' }, { name: '' }],
        templateIds: [electrical, safety],
      }),
      at,
    )
    expect(done).toMatchObject({ sequence: 1, conflicts: [] })
    const visit = await visitRow(done.visitId)
    expect(visit).toMatchObject({
      needs_list_id: world.listId,
      sequence: 1,
      kind: 'inspection',
      status: 'proposed',
      duration_minutes: 120,
      place: CASE_ADDRESS,
      created_by: world.users.steward.id,
    })
    expect(visit.starts_at.toISOString()).toBe('2026-03-11T01:30:00.000Z')
    const members = await tdb.db
      .selectFrom('visit_member')
      .selectAll()
      .where('visit_id', '=', done.visitId)
      .orderBy('id')
      .execute()
    expect(members.map((m) => [m.role, m.user_id, m.expert_id, m.name])).toEqual([
      ['steward', world.users.steward.id, null, world.users.steward.name],
      [
        'expert',
        world.experts[0]?.user.id,
        world.experts[0]?.expert.id,
        world.experts[0]?.expert.name,
      ],
      [
        'expert',
        world.experts[1]?.user.id,
        world.experts[1]?.expert.id,
        world.experts[1]?.expert.name,
      ],
      ['cadre', cadreUser.id, null, cadreUser.name],
      ['other', null, null, '企业电工 老周'],
    ])

    const plans = await tdb.db
      .selectFrom('inspection_plan')
      .selectAll()
      .where('visit_id', '=', done.visitId)
      .execute()
    expect(plans).toHaveLength(1)
    expect(plans[0]).toMatchObject({
      id: done.planId,
      version: 1,
      objectives: '排查配电设备隐患',
      item_ids: world.itemIds,
      template_ids: [electrical, safety],
    })
    const lines = await tdb.db
      .selectFrom('plan_item')
      .selectAll()
      .where('plan_id', '=', done.planId)
      .orderBy('position')
      .execute()
    const source = await templateItemsOf(tdb.db, [electrical, safety])
    expect(
      lines.map((l) => [
        l.template_item_id,
        l.label_zh,
        l.label_en,
        l.kind,
        l.unit,
        l.min_value,
        l.max_value,
      ]),
    ).toEqual(
      source.map((s) => [s.id, s.label_zh, s.label_en, s.kind, s.unit, s.min_value, s.max_value]),
    )
    expect(lines.map((l) => l.position)).toEqual(lines.map((_, i) => i + 1))
    const voltage = lines.find((l) => l.label_en === 'Line voltage')
    expect(voltage).toMatchObject({ unit: 'V', min_value: 353.4, max_value: 406.6 })

    const wf = await visitInstance(done.visitId)
    expect(wf.state).toBe('proposed')
    const ctx = (wf.snapshot as { context: Record<string, unknown> }).context
    expect(ctx).toMatchObject({
      stewardId: world.users.steward.id,
      startsAt: '2026-03-11T01:30:00.000Z',
    })
    expect([...(ctx.memberUserIds as number[])].sort()).toEqual(
      [
        world.users.steward.id,
        world.experts[0]?.user.id,
        world.experts[1]?.user.id,
        cadreUser.id,
      ].sort(),
    )
    // The case moved on, with the visit in its history.
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('in_service')
    const event = (await eventsOf(tdb.db, world.listId)).at(-1)
    expect(event).toMatchObject({ event_type: 'SCHEDULE_VISIT', to_state: 'in_service' })
    expect(event?.payload).toMatchObject({ visitId: done.visitId, sequence: 1 })
    // The enterprise is asked to confirm; the team hears about it.
    const outbox = await visitOutbox(done.visitId)
    expect(outbox.map((o) => o.payload)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'visit.proposed', audience: 'enterprise' }),
        expect.objectContaining({ kind: 'visit.proposedTeam', audience: 'users' }),
      ]),
    )

    // Several visits per case: the next one is number 2; the case stays in service.
    const second = await scheduleVisit(
      tdb.db,
      world.principals.steward,
      world.listId,
      input({ startsAt: '2026-03-18T14:00', kind: 'training', place: '企业培训室' }),
      at,
    )
    expect(second.sequence).toBe(2)
    expect(await visitRow(second.visitId)).toMatchObject({ place: '企业培训室', kind: 'training' })
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('in_service')
    await cancelAll()
  })
})

describe('conflicts', () => {
  it('a day off, a blackout or another visit are warnings shown before saving', async () => {
    const [a, b] = world.experts as [PairedCase['experts'][0], PairedCase['experts'][0]]
    const steward = world.principals.steward
    // Saturday 14 March: neither expert serves on Saturdays.
    const before = await visitCount()
    const sat = await refused(
      scheduleVisit(tdb.db, steward, world.listId, input({ startsAt: '2026-03-14T09:30' }), at),
    )
    expect(sat).toBeInstanceOf(VisitConflictsError)
    expect(sat.details).toMatchObject({ messageKey: 'visits.errors.conflicts' })
    const conflicts = (sat as VisitConflictsError).conflicts
    expect(conflicts.map((c) => [c.kind, c.expertId])).toEqual([
      ['weekday', a.expert.id],
      ['weekday', b.expert.id],
    ])
    expect(await visitCount()).toBe(before)

    // A blackout of b's on Thursday 19 March.
    await tdb.db
      .insertInto('expert_blackout')
      .values({
        expert_id: b.expert.id,
        starts_on: '2026-03-19',
        ends_on: '2026-03-20',
        note: '出差',
      })
      .execute()
    const preview = await previewVisitConflicts(tdb.db, steward, world.listId, {
      startsAt: '2026-03-19T09:00',
      durationMinutes: 60,
      expertIds: [a.expert.id, b.expert.id],
    })
    expect(preview).toEqual([
      {
        kind: 'blackout',
        expertId: b.expert.id,
        name: b.expert.name,
        date: '2026-03-19',
        startsOn: '2026-03-19',
        endsOn: '2026-03-20',
      },
    ])
    // Only a's team: no conflict.
    expect(
      await previewVisitConflicts(tdb.db, steward, world.listId, {
        startsAt: '2026-03-19T09:00',
        durationMinutes: 60,
        expertIds: [a.expert.id],
      }),
    ).toEqual([])
    await expect(
      previewVisitConflicts(tdb.db, world.principals.contact, world.listId, {
        startsAt: '2026-03-19T09:00',
        durationMinutes: 60,
        expertIds: [],
      }),
    ).rejects.toBeInstanceOf(ForbiddenError)

    // The steward may proceed after seeing them.
    const anyway = await scheduleVisit(
      tdb.db,
      steward,
      world.listId,
      input({ startsAt: '2026-03-14T09:30', acknowledgeConflicts: 'on' }),
      at,
    )
    expect(anyway.conflicts).toHaveLength(2)

    // Another visit of a's overlapping Wednesday 25 March 09:00-11:00.
    const first = await scheduleVisit(
      tdb.db,
      steward,
      world.listId,
      input({ startsAt: '2026-03-25T09:00', expertIds: [a.expert.id] }),
      at,
    )
    const overlap = await refused(
      scheduleVisit(
        tdb.db,
        steward,
        world.listId,
        input({ startsAt: '2026-03-25T10:30', durationMinutes: 60 }),
        at,
      ),
    )
    expect((overlap as VisitConflictsError).conflicts).toEqual([
      expect.objectContaining({ kind: 'overlap', expertId: a.expert.id, visitId: first.visitId }),
    ])
    // Back to back is no overlap; a cancelled visit holds no time.
    expect(
      await previewVisitConflicts(tdb.db, steward, world.listId, {
        startsAt: '2026-03-25T11:00',
        durationMinutes: 60,
        expertIds: [a.expert.id],
      }),
    ).toEqual([])
    await cancelVisit(tdb.db, steward, first.visitId, { reason: '企业停产检修' }, at)
    expect(
      await previewVisitConflicts(tdb.db, steward, world.listId, {
        startsAt: '2026-03-25T10:30',
        durationMinutes: 60,
        expertIds: [a.expert.id],
      }),
    ).toEqual([])
    // The visit page shows the conflicts of a visit still ahead.
    const view = await visitView(tdb.db, steward, anyway.visitId)
    expect(view.conflicts.map((c) => c.kind)).toEqual(['weekday', 'weekday'])
    await cancelAll()
  })
})

describe('confirming, counter-proposing, rescheduling, cancelling', () => {
  it('runs the visit workflow with its rules and the day-before reminder', async () => {
    const steward = world.principals.steward
    const contact = world.principals.contact
    const v = await scheduleVisit(
      tdb.db,
      steward,
      world.listId,
      input({ startsAt: '2026-04-08T09:30' }),
      at,
    )
    const id = v.visitId

    for (const p of [
      steward,
      world.principals.otherContact,
      world.principals.expert,
      world.principals.coordinator,
    ]) {
      await expect(confirmVisit(tdb.db, p, id, at)).rejects.toBeInstanceOf(ForbiddenError)
    }
    const confirmed = await confirmVisit(tdb.db, contact, id, at)
    expect(confirmed).toMatchObject({ fromState: 'proposed', state: 'scheduled' })
    expect((await visitRow(id)).status).toBe('scheduled')
    // The visit-day reminder: an outbox row at startsAt minus one day.
    const remind = (await visitOutbox(id)).filter(
      (o) => (o.payload as { event?: { type?: string } }).event?.type === 'REMIND',
    )
    expect(remind).toHaveLength(1)
    expect(remind[0]?.run_at.toISOString()).toBe('2026-04-07T01:30:00.000Z')
    expect(remind[0]?.queue).toBe('timeout')

    // The enterprise proposes another time with a note: back to proposed.
    const bad = await refused(counterProposeVisit(tdb.db, contact, id, { startsAt: 'soon' }, at))
    expect(bad.details).toMatchObject({ messageKey: 'visits.errors.startsAt' })
    await expect(
      counterProposeVisit(tdb.db, steward, id, { startsAt: '2026-04-09T14:00' }, at),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await counterProposeVisit(
      tdb.db,
      contact,
      id,
      { startsAt: '2026-04-09T14:00', note: '周三车间停电' },
      at,
    )
    let row = await visitRow(id)
    expect(row).toMatchObject({ status: 'proposed', counter_note: '周三车间停电' })
    expect(row.counter_starts_at?.toISOString()).toBe('2026-04-09T06:00:00.000Z')
    expect(row.starts_at.toISOString()).toBe('2026-04-08T01:30:00.000Z')
    expect((await visitOutbox(id)).map((o) => o.payload)).toContainEqual(
      expect.objectContaining({ kind: 'visit.counterProposed', userIds: [world.users.steward.id] }),
    )

    // The steward reschedules (a reason is required) to the proposed time.
    const noReason = await refused(
      rescheduleVisit(tdb.db, steward, id, { startsAt: '2026-04-09T14:00', reason: ' ' }, at),
    )
    expect(noReason.details).toMatchObject({ messageKey: 'matching.errors.reasonRequired' })
    await expect(
      rescheduleVisit(
        tdb.db,
        contact,
        id,
        { startsAt: '2026-04-09T14:00', reason: '按企业要求' },
        at,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const moved = await rescheduleVisit(
      tdb.db,
      steward,
      id,
      { startsAt: '2026-04-09T14:00', reason: '按企业要求' },
      at,
    )
    expect(moved.state).toBe('proposed')
    row = await visitRow(id)
    expect(row.starts_at.toISOString()).toBe('2026-04-09T06:00:00.000Z')
    expect(row).toMatchObject({ counter_starts_at: null, counter_note: null })
    const ctx = (await visitInstance(id)).snapshot as { context: { startsAt: string } }
    expect(ctx.context.startsAt).toBe('2026-04-09T06:00:00.000Z')

    // Confirmed again: a new reminder for the new day; the old one no longer fires.
    await confirmVisit(tdb.db, contact, id, at)
    const reminders = (await visitOutbox(id)).filter(
      (o) => (o.payload as { event?: { type?: string } }).event?.type === 'REMIND',
    )
    expect(reminders.map((r) => r.run_at.toISOString())).toEqual([
      '2026-04-07T01:30:00.000Z',
      '2026-04-08T06:00:00.000Z',
    ])
    const eventOf = (r: (typeof reminders)[number] | undefined) =>
      (r?.payload as { event: Record<string, unknown> } | undefined)?.event ?? {}
    const oldEvent = eventOf(reminders[0])
    const newEvent = eventOf(reminders[1])
    const stale = await refused(
      dispatch(
        tdb.db,
        { subjectType: 'visit', subjectId: id },
        { ...oldEvent, type: 'REMIND', actor: SYSTEM_ACTOR },
      ),
    )
    expect(stale.code).toBe('transitionNotAllowed')
    await dispatch(
      tdb.db,
      { subjectType: 'visit', subjectId: id },
      { ...newEvent, type: 'REMIND', actor: SYSTEM_ACTOR },
      at,
    )
    expect((await visitOutbox(id)).at(-1)?.payload).toMatchObject({
      kind: 'visit.dayBefore',
      audience: 'users',
    })

    // Team changes: the second expert leaves, a cadre joins.
    const [a] = world.experts
    const team = await updateVisitTeam(
      tdb.db,
      steward,
      id,
      { expertIds: [a?.expert.id], cadre: { name: '驻点干部 林晓' } },
      at,
    )
    expect(team.state).toBe('scheduled')
    const members = await tdb.db
      .selectFrom('visit_member')
      .selectAll()
      .where('visit_id', '=', id)
      .execute()
    expect(members.map((m) => m.role).sort()).toEqual(['cadre', 'expert', 'steward'])
    const teamCtx = (await visitInstance(id)).snapshot as { context: { memberUserIds: number[] } }
    expect([...teamCtx.context.memberUserIds].sort()).toEqual(
      [world.users.steward.id, a?.user.id].sort(),
    )
    await expect(
      updateVisitTeam(tdb.db, contact, id, { expertIds: [] }, at),
    ).rejects.toBeInstanceOf(ForbiddenError)

    // Cancelling needs the steward and a reason; the team and enterprise are told.
    const blank = await refused(cancelVisit(tdb.db, steward, id, { reason: '' }, at))
    expect(blank.details).toMatchObject({ messageKey: 'matching.errors.reasonRequired' })
    await expect(
      cancelVisit(tdb.db, contact, id, { reason: '不需要了' }, at),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await cancelVisit(tdb.db, steward, id, { reason: '企业临时停产' }, at)
    expect(await visitRow(id)).toMatchObject({ status: 'cancelled', cancel_reason: '企业临时停产' })
    expect((await visitOutbox(id)).slice(-2).map((o) => o.payload)).toEqual([
      expect.objectContaining({ kind: 'visit.cancelled', audience: 'users' }),
      expect.objectContaining({ kind: 'visit.cancelled', audience: 'enterprise' }),
    ])
    const again = await refused(cancelVisit(tdb.db, steward, id, { reason: '再次取消' }, at))
    expect(again.code).toBe('transitionNotAllowed')
    const late = await refused(confirmVisit(tdb.db, contact, id, at))
    expect(late.code).toBe('transitionNotAllowed')
  })
})

describe('the inspection plan', () => {
  it('is edited in place until check-in, then versioned; old versions stay readable', async () => {
    const steward = world.principals.steward
    const v = await scheduleTestVisit(tdb.db, world, { confirm: true })
    const view = await planView(tdb.db, steward, v.visitId)
    expect(view.plan.version).toBe(1)
    expect(view.can.edit).toBe(true)
    const lines = view.lines.map((l) => ({
      id: l.id,
      sectionZh: l.sectionZh,
      labelZh: l.labelZh,
      labelEn: l.labelEn,
      kind: l.kind,
      unit: l.unit,
      min: l.min,
      max: l.max,
    }))
    const base = { basedOn: 1, itemIds: world.itemIds, objectives: '新目标' }

    // Outsiders and the enterprise cannot edit; a team expert can.
    for (const p of [
      world.principals.contact,
      world.principals.coordinator,
      outsider.principal as Principal,
    ]) {
      await expect(savePlan(tdb.db, p, v.visitId, { ...base, lines }, at)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    // Before check-in: in place (same plan row, version 1); a line removed, one added.
    const edited = [
      { ...lines[0], labelZh: '配电箱外观完好' },
      ...lines.slice(2),
      { labelZh: '变压器油温', labelEn: '', kind: 'measurement', unit: '°C', max: 85 },
    ]
    const saved = await savePlan(
      tdb.db,
      world.principals.expert,
      v.visitId,
      { ...base, lines: edited },
      at,
    )
    expect(saved).toEqual({ planId: v.planId, version: 1, newVersion: false })
    const after = await planView(tdb.db, steward, v.visitId)
    expect(after.lines).toHaveLength(lines.length)
    expect(after.lines[0]).toMatchObject({ id: lines[0]?.id, labelZh: '配电箱外观完好' })
    expect(after.lines.some((l) => l.id === lines[1]?.id)).toBe(false)
    expect(after.lines.at(-1)).toMatchObject({
      labelZh: '变压器油温',
      labelEn: '变压器油温',
      templateItemId: null,
      max: 85,
    })
    expect(after.plan.objectives).toBe('新目标')

    // Bad input and stale versions change nothing.
    const stale = await refused(
      savePlan(tdb.db, steward, v.visitId, { ...base, basedOn: 2, lines }, at),
    )
    expect(stale.code).toBe('conflict')
    const range = await refused(
      savePlan(
        tdb.db,
        steward,
        v.visitId,
        { ...base, lines: [{ labelZh: '电压', kind: 'measurement', min: 10, max: 1 }] },
        at,
      ),
    )
    expect(range.details).toMatchObject({ messageKey: 'visits.checklists.errors.range' })
    const foreign = await refused(
      savePlan(
        tdb.db,
        steward,
        v.visitId,
        { ...base, lines: [{ id: 999_999, labelZh: '电压' }] },
        at,
      ),
    )
    expect(foreign.code).toBe('validation')
    expect((await planView(tdb.db, steward, v.visitId)).lines).toEqual(after.lines)

    // Checked in: every save is a new version; records follow the kept lines.
    await checkIn(tdb.db, steward, v.visitId, at)
    const first = after.lines[0]?.id as number
    await tdb.db
      .insertInto('visit_record')
      .values({
        visit_id: v.visitId,
        plan_item_id: first,
        passed: true,
        recorded_by: world.users.steward.id,
      })
      .execute()
    const current = after.lines.map((l) => ({ ...l, id: l.id }))
    const v2 = await savePlan(
      tdb.db,
      steward,
      v.visitId,
      {
        ...base,
        objectives: '第二版目标',
        lines: [...current, { labelZh: '现场补充：电容柜', kind: 'check' }],
        addTemplateIds: [safety],
      },
      at,
    )
    expect(v2).toMatchObject({ version: 2, newVersion: true })
    const view2 = await planView(tdb.db, steward, v.visitId)
    expect(view2.plan).toMatchObject({ version: 2, current: true, objectives: '第二版目标' })
    expect(view2.versions.map((x) => x.version)).toEqual([2, 1])
    expect(view2.versioned).toBe(true)
    const safetyLines = await templateItemsOf(tdb.db, [safety])
    expect(view2.lines).toHaveLength(current.length + 1 + safetyLines.length)
    expect(view2.plan.templateIds).toEqual([electrical, safety])
    // The record moved to the copy of its line in version 2.
    const record = await tdb.db
      .selectFrom('visit_record')
      .select('plan_item_id')
      .where('visit_id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(record.plan_item_id).toBe(view2.lines[0]?.id)
    // Version 1 is still there, read-only, unchanged.
    const old = await planView(tdb.db, steward, v.visitId, 1)
    expect(old.plan).toMatchObject({ version: 1, current: false, objectives: '新目标' })
    expect(old.lines).toEqual(after.lines)
    expect(old.can.edit).toBe(false)
    // Basing a save on the old version is a conflict.
    const oldBase = await refused(
      savePlan(tdb.db, steward, v.visitId, { ...base, lines: current }, at),
    )
    expect(oldBase.code).toBe('conflict')
    expect(
      (await savePlan(tdb.db, steward, v.visitId, { ...base, basedOn: 2, lines: view2.lines }, at))
        .version,
    ).toBe(3)

    // A cancelled visit's plan cannot change.
    const c = await scheduleTestVisit(tdb.db, world)
    await cancelVisit(tdb.db, steward, c.visitId, { reason: '测试取消' })
    const closed = await refused(
      savePlan(tdb.db, steward, c.visitId, { ...base, lines: [{ labelZh: '任意' }] }, at),
    )
    expect(closed.code).toBe('transitionNotAllowed')
  })
})

describe('who sees visits', () => {
  it('team members, the steward, the enterprise and union users of the subtree; nobody else', async () => {
    const [a, b] = world.experts as [PairedCase['experts'][0], PairedCase['experts'][0]]
    const only = await scheduleVisit(
      tdb.db,
      world.principals.steward,
      world.listId,
      input({ startsAt: '2026-05-06T09:30', expertIds: [a.expert.id] }),
      at,
    )
    for (const p of [
      world.principals.steward,
      world.principals.contact,
      world.principals.contact2,
      world.principals.coordinator,
      world.principals.provinceCoordinator,
      world.principals.admin,
      a.principal,
    ]) {
      await expect(visitView(tdb.db, p, only.visitId)).resolves.toBeTruthy()
      await expect(visitCalendar(tdb.db, p, only.visitId)).resolves.toBeTruthy()
    }
    for (const p of [
      b.principal,
      outsider.principal as Principal,
      world.principals.otherContact,
      world.principals.otherCoordinator,
    ]) {
      await expect(visitView(tdb.db, p, only.visitId)).rejects.toBeInstanceOf(ForbiddenError)
      await expect(visitCalendar(tdb.db, p, only.visitId)).rejects.toBeInstanceOf(ForbiddenError)
    }
    // An expert sees on the case page only the visits they are on.
    const both = await scheduleVisit(
      tdb.db,
      world.principals.steward,
      world.listId,
      input({ startsAt: '2026-05-07T09:30', expertIds: [b.expert.id] }),
      at,
    )
    const seenByB = await caseVisitsView(tdb.db, b.principal, world.listId)
    expect(seenByB.visits.map((x) => x.id)).toContain(both.visitId)
    expect(seenByB.visits.map((x) => x.id)).not.toContain(only.visitId)
    expect(seenByB.canSchedule).toBe(false)
    await expect(
      caseVisitsView(tdb.db, outsider.principal as Principal, world.listId),
    ).rejects.toBeInstanceOf(ForbiddenError)
    const bySteward = await caseVisitsView(tdb.db, world.principals.steward, world.listId)
    expect(bySteward.canSchedule).toBe(true)
    expect(bySteward.form?.experts.map((e) => e.expertId)).toEqual([a.expert.id, b.expert.id])

    // My visits: upcoming ones I am on (and the steward's; the enterprise's own).
    const mine = await myVisits(tdb.db, a.principal, NOW)
    expect(mine.map((x) => x.id)).toContain(only.visitId)
    expect(mine.map((x) => x.id)).not.toContain(both.visitId)
    expect(mine.find((x) => x.id === only.visitId)?.myRole).toBe('expert')
    const stewards = await myVisits(tdb.db, world.principals.steward, NOW)
    expect(stewards.map((x) => x.id)).toEqual(expect.arrayContaining([only.visitId, both.visitId]))
    expect((await myVisits(tdb.db, world.principals.otherContact, NOW)).map((x) => x.id)).toEqual(
      [],
    )
    expect((await myVisits(tdb.db, world.principals.contact, NOW)).map((x) => x.id)).toEqual(
      expect.arrayContaining([only.visitId, both.visitId]),
    )
    // Past visits are no longer upcoming.
    expect(
      (await myVisits(tdb.db, a.principal, new Date('2026-06-01T00:00:00Z'))).map((x) => x.id),
    ).not.toContain(only.visitId)
    await cancelAll()
  })
})
