import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as myVisitsPage from '#app/routes/my-visits.tsx'
import * as caseVisitsPage from '#app/routes/needs-lists.$id.visits.tsx'
import * as visitPage from '#app/routes/visits.$id._index.tsx'
import * as planPage from '#app/routes/visits.$id.plan.tsx'
import * as icsRoute from '#app/routes/visits.$id[.]ics.tsx'
import { findTemplateByCode } from '#db/queries/checklist-templates.ts'
import { addExpert } from '../helpers/matching-world.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, CASE_ADDRESS, type PairedCase } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let world: PairedCase
let ctx: TestContext
let electrical: number
let as: Record<
  | 'steward'
  | 'contact'
  | 'otherContact'
  | 'coordinator'
  | 'otherCoordinator'
  | 'expertA'
  | 'expertB'
  | 'outsider',
  Browser
>

/** Monday 2 March 2026, 10:00 in Beijing. */
const NOW = new Date('2026-03-02T02:00:00Z')

beforeAll(async () => {
  tdb = await createTestDatabase('routes_visits')
  world = await buildPairedCase(tdb.db)
  ctx = buildContext(tdb.db)
  ctx.setNow(NOW)
  electrical = (await findTemplateByCode(tdb.db, 'electrical_health'))?.id as number
  const outsider = await addExpert(tdb.db, world, { name: '局外专家', skills: [['ppe', 5]] })
  as = {
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    otherContact: await signIn(ctx, world.users.otherContact.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    otherCoordinator: await signIn(ctx, world.users.otherCoordinator.id),
    expertA: await signIn(ctx, world.experts[0]?.user.id as number),
    expertB: await signIn(ctx, world.experts[1]?.user.id as number),
    outsider: await signIn(ctx, outsider.user?.id as number),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

function formError(out: { data: unknown }) {
  const result = (out.data as { result?: { error?: Record<string, string[] | null> } }).result
  return result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
}

const casePath = () => `/needs-lists/${world.listId}/visits`
const loadCase = (b: Browser) =>
  call(caseVisitsPage.loader, b.get(casePath()), ctx, { id: String(world.listId) })
const postCase = (b: Browser, fields: [string, string | number][]) =>
  call(caseVisitsPage.action, b.post(casePath(), fields), ctx, { id: String(world.listId) })
const loadVisit = (b: Browser, id: number | string) =>
  call(visitPage.loader, b.get(`/visits/${id}`), ctx, { id: String(id) })
const postVisit = (b: Browser, id: number, fields: [string, string | number][]) =>
  call(visitPage.action, b.post(`/visits/${id}`, fields), ctx, { id: String(id) })
const loadIcs = (b: Browser, id: number | string) =>
  call(icsRoute.loader, b.get(`/visits/${id}.ics`), ctx, { id: String(id) })
const loadPlan = (b: Browser, id: number, query = '') =>
  call(planPage.loader, b.get(`/visits/${id}/plan${query}`), ctx, { id: String(id) })
const postPlan = (b: Browser, id: number, fields: [string, string | number][]) =>
  call(planPage.action, b.post(`/visits/${id}/plan`, fields), ctx, { id: String(id) })

async function visitCount() {
  const r = await tdb.db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

async function caseVersion() {
  const out = await loadCase(as.steward)
  return (out.data as { version: number }).version
}

const scheduleFields = async (
  extra: [string, string | number][] = [],
  expertIds = world.experts.map((e) => e.expert.id),
): Promise<[string, string | number][]> => [
  ['intent', 'schedule'],
  ['version', await caseVersion()],
  ['kind', 'inspection'],
  ['startsAt', '2026-03-11T09:30'],
  ['durationMinutes', 120],
  ['place', ''],
  ...expertIds.map((id) => ['expertIds', id] as [string, number]),
  ['cadre.name', ''],
  ['cadre.userId', ''],
  ['others[0].name', ''],
  ['others[0].userId', ''],
  ...world.itemIds.map((id) => ['itemIds', id] as [string, number]),
  ['templateIds', electrical],
  ['objectives', '排查隐患'],
  ['notes', ''],
  ...extra,
]

let visitId: number

describe('the visits page of a case', () => {
  it('shows the schedule form to the case steward only; outsiders get 403, strangers sign in', async () => {
    const steward = await loadCase(as.steward)
    expect(steward.status).toBe(200)
    expect(steward.data).toMatchObject({
      canSchedule: true,
      form: { defaultPlace: CASE_ADDRESS },
      visits: [],
    })
    const contact = await loadCase(as.contact)
    expect(contact.data).toMatchObject({ canSchedule: false, form: null })
    for (const b of [as.otherContact, as.otherCoordinator, as.outsider]) {
      expect(await loadCase(b)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    const anon = await loadCase(await anonymous(ctx))
    expect(anon.status).toBe(302)
    expect(anon.location).toMatch(/^\/sign-in\?/)
  })

  it('refuses bad input and other people with translated errors, and writes nothing', async () => {
    const before = await visitCount()
    const cases: [[string, string | number][], string][] = [
      [[['startsAt', '2026-02-31T09:00']], 'visits.errors.startsAt'],
      [[['durationMinutes', 5]], 'visits.errors.duration'],
      [[['templateIds', 'abc']], 'errors.badRequest'],
      [[['startsAt', '2026-03-01T09:00']], 'visits.errors.past'],
    ]
    for (const [extra, key] of cases) {
      const fields = (await scheduleFields()).filter(([k]) => !extra.some(([e]) => e === k))
      const out = await postCase(as.steward, [...fields, ...extra])
      expect(out.status, key).toBe(400)
      expect(formError(out), key).toBe(key)
    }
    const noIntent = await postCase(as.steward, [['startsAt', '2026-03-11T09:30']])
    expect(noIntent.status).toBe(400)
    expect(formError(noIntent)).toBe('errors.badRequest')
    for (const b of [as.contact, as.coordinator, as.expertA]) {
      expect(await postCase(b, await scheduleFields())).toMatchObject({
        status: 403,
        body: 'errors.forbidden',
      })
    }
    const csrf = await call(
      caseVisitsPage.action,
      as.steward.post(casePath(), await scheduleFields(), { csrf: null }),
      ctx,
      { id: String(world.listId) },
    )
    expect(csrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await visitCount()).toBe(before)
  })

  it('shows conflicts before saving, then schedules once the steward acknowledges them', async () => {
    const saturday = (await scheduleFields()).map(([k, v]) =>
      k === 'startsAt'
        ? ([k, '2026-03-14T09:30'] as [string, string])
        : ([k, v] as [string, string | number]),
    )
    const check = await postCase(
      as.steward,
      saturday.map(([k, v]) => (k === 'intent' ? [k, 'check'] : [k, v])),
    )
    expect(check.status).toBe(200)
    expect((check.data as { conflicts: { kind: string }[] }).conflicts.map((c) => c.kind)).toEqual([
      'weekday',
      'weekday',
    ])
    const before = await visitCount()
    const warned = await postCase(as.steward, saturday)
    expect(warned.status).toBe(400)
    expect(formError(warned)).toBe('visits.errors.conflicts')
    expect((warned.data as { conflicts: unknown[] }).conflicts).toHaveLength(2)
    expect(await visitCount()).toBe(before)

    // A clean weekday slot schedules straight away.
    const done = await postCase(as.steward, await scheduleFields())
    expect(done.status).toBe(302)
    const match = /^\/visits\/(\d+)\?done=scheduled$/.exec(done.location ?? '')
    expect(match).not.toBeNull()
    visitId = Number(match?.[1])
    expect(ctx.pokes).toBeGreaterThan(0)
    // And the Saturday one once acknowledged.
    const anyway = await postCase(as.steward, [
      ...saturday.filter(([k]) => k !== 'version'),
      ['version', await caseVersion()],
      ['acknowledgeConflicts', 'on'],
    ])
    expect(anyway.status).toBe(302)
    expect(await visitCount()).toBe(before + 2)
    const list = await loadCase(as.contact)
    expect((list.data as { visits: { sequence: number }[] }).visits.map((v) => v.sequence)).toEqual(
      [1, 2],
    )
  })
})

describe('the visit page', () => {
  it('is for the team, the steward, the enterprise and union users of the subtree', async () => {
    for (const b of [as.steward, as.contact, as.coordinator, as.expertA, as.expertB]) {
      expect((await loadVisit(b, visitId)).status).toBe(200)
    }
    for (const b of [as.otherContact, as.otherCoordinator, as.outsider]) {
      expect(await loadVisit(b, visitId)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    expect(await loadVisit(as.steward, 'abc')).toMatchObject({ status: 404 })
    expect(await loadVisit(as.steward, 999_999)).toMatchObject({ status: 404 })
    const contact = await loadVisit(as.contact, visitId)
    expect(contact.data).toMatchObject({
      can: { confirm: true, counterPropose: true, reschedule: false, cancel: false },
      visit: { status: 'proposed', place: CASE_ADDRESS },
      plan: { version: 1 },
    })
    const steward = await loadVisit(as.steward, visitId)
    expect(steward.data).toMatchObject({
      can: { confirm: false, reschedule: true, cancel: true, updateTeam: true },
    })
  })

  it('actions by role, with translated errors for bad input and refusals for others', async () => {
    const version = (await loadVisit(as.contact, visitId)).data as { version: number }
    expect(
      await postVisit(as.steward, visitId, [
        ['intent', 'confirm'],
        ['version', version.version],
      ]),
    ).toMatchObject({ status: 403, body: 'errors.forbidden' })
    const badTime = await postVisit(as.contact, visitId, [
      ['intent', 'counter'],
      ['version', version.version],
      ['startsAt', 'next week'],
    ])
    expect(badTime.status).toBe(400)
    expect(formError(badTime)).toBe('visits.errors.startsAt')
    const stale = await postVisit(as.contact, visitId, [
      ['intent', 'confirm'],
      ['version', version.version + 5],
    ])
    expect(formError(stale)).toBe('errors.conflict')
    expect(stale.status).toBe(409)
    expect(formError(stale)).toBe('errors.conflict')
    const ok = await postVisit(as.contact, visitId, [
      ['intent', 'confirm'],
      ['version', version.version],
    ])
    expect(ok).toMatchObject({ status: 302, location: `/visits/${visitId}?done=confirmed` })
    const after = (await loadVisit(as.steward, visitId)).data as {
      visit: { status: string }
      version: number
      can: { onsite: boolean }
    }
    expect(after.visit.status).toBe('scheduled')
    expect(after.can.onsite).toBe(true)
    const noReason = await postVisit(as.steward, visitId, [
      ['intent', 'cancel'],
      ['version', after.version],
      ['reason', ''],
    ])
    expect(noReason.status).toBe(400)
    expect(formError(noReason)).toBe('matching.errors.reasonRequired')
    expect(
      ((await loadVisit(as.steward, visitId)).data as { visit: { status: string } }).visit.status,
    ).toBe('scheduled')
  })

  it('the calendar file: Beijing times, the case, the steward as organiser; readers only', async () => {
    const out = await loadIcs(as.expertA, visitId)
    expect(out.status).toBe(200)
    const body = out.body ?? ''
    expect(body).toContain('BEGIN:VCALENDAR')
    expect(body).toContain('DTSTART;TZID=Asia/Shanghai:20260311T093000')
    expect(body).toContain('DTEND;TZID=Asia/Shanghai:20260311T113000')
    expect(body).toContain('TZID:Asia/Shanghai')
    expect(body).toContain(`UID:visit-${visitId}@zhuqi`)
    expect(body).toContain(`LOCATION:${CASE_ADDRESS}`)
    expect(body).toMatch(/SUMMARY:现场勘查 · /)
    expect(body).toContain(`ORGANIZER;CN="${world.users.steward.name}"`)
    expect(body).toContain('STATUS:CONFIRMED')
    for (const b of [as.steward, as.contact, as.coordinator]) {
      expect((await loadIcs(b, visitId)).status).toBe(200)
    }
    for (const b of [as.otherContact, as.otherCoordinator, as.outsider]) {
      expect(await loadIcs(b, visitId)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    expect(await loadIcs(as.steward, '12x')).toMatchObject({ status: 404 })
  })
})

describe('the plan page', () => {
  it('shows the plan to readers; only the steward and team experts save; bad input changes nothing', async () => {
    const view = await loadPlan(as.contact, visitId)
    expect(view.status).toBe(200)
    expect(view.data).toMatchObject({ plan: { version: 1, current: true }, can: { edit: false } })
    expect(await loadPlan(as.outsider, visitId)).toMatchObject({ status: 403 })
    expect(await loadPlan(as.steward, visitId, '?version=abc')).toMatchObject({ status: 404 })
    expect(await loadPlan(as.steward, visitId, '?version=7')).toMatchObject({ status: 404 })
    const steward = (await loadPlan(as.steward, visitId)).data as {
      lines: { id: number; labelZh: string; kind: string }[]
      can: { edit: boolean }
    }
    expect(steward.can.edit).toBe(true)
    const fields = (extra: [string, string | number][] = []): [string, string | number][] => [
      ['basedOn', 1],
      ['objectives', '新的目标'],
      ...world.itemIds.map((id) => ['itemIds', id] as [string, number]),
      ...steward.lines.flatMap((l, i) => [
        [`lines[${i}].id`, l.id] as [string, number],
        [`lines[${i}].labelZh`, l.labelZh] as [string, string],
        [`lines[${i}].kind`, l.kind] as [string, string],
      ]),
      ...extra,
    ]
    expect(await postPlan(as.contact, visitId, fields())).toMatchObject({ status: 403 })
    const n = steward.lines.length
    const bad = await postPlan(
      as.steward,
      visitId,
      fields([
        [`lines[${n}].labelZh`, '电压'],
        [`lines[${n}].kind`, 'measurement'],
        [`lines[${n}].min`, '9'],
        [`lines[${n}].max`, '1'],
      ]),
    )
    expect(bad.status).toBe(400)
    expect(formError(bad)).toBe('visits.checklists.errors.range')
    const stale = await postPlan(as.steward, visitId, [
      ...fields().filter(([k]) => k !== 'basedOn'),
      ['basedOn', 3],
    ])
    expect(formError(stale)).toBe('errors.conflict')
    expect(stale.status).toBe(409)
    expect(
      ((await loadPlan(as.steward, visitId)).data as { plan: { objectives: string } }).plan
        .objectives,
    ).toBe('排查隐患')
    const ok = await postPlan(as.expertA, visitId, fields())
    expect(ok).toMatchObject({ status: 302, location: `/visits/${visitId}/plan?done=planSaved` })
    expect(
      ((await loadPlan(as.steward, visitId)).data as { plan: { objectives: string } }).plan
        .objectives,
    ).toBe('新的目标')
  })
})

describe('my visits', () => {
  it('lists the upcoming visits I am on', async () => {
    const mine = await call(myVisitsPage.loader, as.expertA.get('/my-visits'), ctx)
    expect((mine.data as { visits: { id: number }[] }).visits.map((v) => v.id)).toContain(visitId)
    const none = await call(myVisitsPage.loader, as.outsider.get('/my-visits'), ctx)
    expect(none.data).toEqual({ visits: [] })
    const other = await call(myVisitsPage.loader, as.otherContact.get('/my-visits'), ctx)
    expect(other.data).toEqual({ visits: [] })
  })
})
