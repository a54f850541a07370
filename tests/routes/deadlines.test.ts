import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as calendar from '#app/routes/admin.calendar.tsx'
import * as deadlines from '#app/routes/admin.deadlines.tsx'
import * as intake from '#app/routes/intake.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import * as workspace from '#app/routes/workspace.tsx'
import { makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, ITEMS, listRow, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<
  'contact' | 'coordinator' | 'steward' | 'admin' | 'cityAdmin' | 'otherCityAdmin',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_deadlines')
  world = await buildWorld(tdb.db, 'rd')
  ctx = buildContext(tdb.db)
  const admin = (key: string, orgId: number) =>
    makeUser(tdb.db, {
      email: `rd-${key}@zhuqi.test`,
      name: `rd ${key}`,
      password: TEST_PASSWORD,
      role: 'federation_admin',
      orgId,
    })
  const cityAdmin = await admin('city-admin', world.orgs.city.id)
  const otherCityAdmin = await admin('other-city-admin', world.orgs.otherCity.id)
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    steward: await signIn(ctx, u.steward.id),
    // The province has no parent: its admin is a top-level admin.
    admin: await signIn(ctx, u.admin.id),
    cityAdmin: await signIn(ctx, cityAdmin.id),
    otherCityAdmin: await signIn(ctx, otherCityAdmin.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

function replyOf(data: unknown) {
  return (
    data as {
      result: {
        error?: Record<string, string[] | null>
        initialValue: Record<string, unknown>
      }
    }
  ).result
}

type StageRow = {
  stage: string
  workingDays: number
  remindBefore: number
  source: { kind: string; orgName?: string }
  live: boolean
}
type PolicyPage = {
  org: { id: number; name: string }
  orgs: { id: number; name: string }[]
  stages: StageRow[]
  notice: string | null
}

const slaRows = () =>
  tdb.db.selectFrom('sla_policy').selectAll().orderBy('org_id').orderBy('stage').execute()
const overrideRows = () =>
  tdb.db.selectFrom('calendar_override').selectAll().orderBy('date').execute()

describe('the deadlines admin page', () => {
  const post = (browser: Browser, fields: Record<string, string | number>, csrf?: string | null) =>
    call(deadlines.action, browser.post('/admin/deadlines', fields, { csrf }), ctx)
  const page = async (browser: Browser, query = '') => {
    const out = await call(deadlines.loader, browser.get(`/admin/deadlines${query}`), ctx)
    expect(out.status).toBe(200)
    return out.data as PolicyPage
  }
  const stage = (p: PolicyPage, s: string) => p.stages.find((r) => r.stage === s) as StageRow

  it('is for federation admins only (403 for everyone else, nothing written)', async () => {
    for (const browser of [as.contact, as.coordinator, as.steward]) {
      expect((await call(deadlines.loader, browser.get('/admin/deadlines'), ctx)).status).toBe(403)
      const out = await post(browser, {
        intent: 'save',
        orgId: world.orgs.city.id,
        stage: 'triage',
        workingDays: 9,
        remindBefore: 1,
      })
      expect(out.status).toBe(403)
    }
    const anon = await anonymous(ctx)
    expect((await call(deadlines.loader, anon.get('/admin/deadlines'), ctx)).status).toBe(302)
    // A forged post without the CSRF token.
    const forged = await post(
      as.admin,
      {
        intent: 'save',
        orgId: world.orgs.city.id,
        stage: 'triage',
        workingDays: 9,
        remindBefore: 1,
      },
      null,
    )
    expect(forged.status).toBe(403)
    expect(await slaRows()).toEqual([])
  })

  it('shows every stage with its effective deadline and where it comes from', async () => {
    const p = await page(as.admin)
    expect(p.org.id).toBe(world.orgs.province.id)
    expect(p.orgs.map((o) => o.id)).toContain(world.orgs.district.id)
    expect(p.stages.map((s) => s.stage)).toEqual([
      'triage',
      'steward_assignment',
      'needs_confirmation',
      'enterprise_approval',
      'invitation_answer',
      'visit_scheduling',
      'report',
      'report_confirmation',
      'feedback',
    ])
    expect(p.stages.map((s) => s.workingDays)).toEqual([3, 2, 2, 5, 3, 5, 3, 5, 7])
    expect(p.stages.every((s) => s.source.kind === 'default')).toBe(true)
    // Every stage has a workflow behind it now: cases, invitations and visits.
    expect(p.stages.filter((s) => s.live).map((s) => s.stage)).toEqual([
      'triage',
      'steward_assignment',
      'needs_confirmation',
      'enterprise_approval',
      'invitation_answer',
      'visit_scheduling',
      'report',
      'report_confirmation',
      'feedback',
    ])
  })

  it('sets a rule for an org; its subtree inherits it; resetting inherits again', async () => {
    const saved = await post(as.admin, {
      intent: 'save',
      orgId: world.orgs.city.id,
      stage: 'triage',
      workingDays: 5,
      remindBefore: 2,
    })
    expect(saved.status).toBe(302)
    expect(saved.location).toBe(
      `/admin/deadlines?org=${world.orgs.city.id}&done=saved#stage-triage`,
    )
    expect(await slaRows()).toMatchObject([
      {
        org_id: world.orgs.city.id,
        stage: 'triage',
        working_days: 5,
        remind_before_working_days: 2,
        updated_by: world.users.admin.id,
      },
    ])
    const city = await page(as.admin, `?org=${world.orgs.city.id}&done=saved`)
    expect(city.notice).toBe('deadlines.policy.saved')
    expect(stage(city, 'triage')).toMatchObject({
      workingDays: 5,
      remindBefore: 2,
      source: { kind: 'own' },
    })
    const district = await page(as.cityAdmin, `?org=${world.orgs.district.id}`)
    expect(stage(district, 'triage')).toMatchObject({
      workingDays: 5,
      source: { kind: 'inherited', orgName: world.orgs.city.name },
    })
    expect(stage(district, 'feedback').source.kind).toBe('default')

    // A new list in the district gets the city's triage deadline.
    const monday = new Date('2026-11-30T02:00:00Z')
    const id = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Under the city rule',
      items: ITEMS,
    })
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, { now: monday })
    expect((await listRow(tdb.db, id)).due_at?.toISOString()).toBe('2026-12-07T10:00:00.000Z')

    // Saving again updates in place.
    expect(
      (
        await post(as.cityAdmin, {
          intent: 'save',
          orgId: world.orgs.city.id,
          stage: 'triage',
          workingDays: 4,
          remindBefore: 0,
        })
      ).status,
    ).toBe(302)
    expect(await slaRows()).toMatchObject([{ working_days: 4, remind_before_working_days: 0 }])

    const reset = await post(as.admin, {
      intent: 'reset',
      orgId: world.orgs.city.id,
      stage: 'triage',
    })
    expect(reset.location).toBe(
      `/admin/deadlines?org=${world.orgs.city.id}&done=wasReset#stage-triage`,
    )
    expect(await slaRows()).toEqual([])
    expect(stage(await page(as.admin, `?org=${world.orgs.city.id}`), 'triage').source.kind).toBe(
      'default',
    )
  })

  it('validates the form (400, translated, nothing written)', async () => {
    const base = { intent: 'save', orgId: world.orgs.city.id, stage: 'triage' }
    const cases: [Record<string, string | number>, string, string][] = [
      [{ ...base, workingDays: 0, remindBefore: 0 }, 'workingDays', 'deadlines.errors.workingDays'],
      [
        { ...base, workingDays: 61, remindBefore: 1 },
        'workingDays',
        'deadlines.errors.workingDays',
      ],
      [
        { ...base, workingDays: 'x', remindBefore: 1 },
        'workingDays',
        'deadlines.errors.workingDays',
      ],
      [
        { ...base, workingDays: 2.5, remindBefore: 1 },
        'workingDays',
        'deadlines.errors.workingDays',
      ],
      [
        { ...base, workingDays: 3, remindBefore: -1 },
        'remindBefore',
        'deadlines.errors.remindBefore',
      ],
      [
        { ...base, workingDays: 3, remindBefore: 3 },
        'remindBefore',
        'deadlines.errors.remindNotBeforeDeadline',
      ],
      [
        { ...base, stage: 'lunch_break', workingDays: 3, remindBefore: 1 },
        'stage',
        'deadlines.errors.stage',
      ],
    ]
    for (const [fields, field, key] of cases) {
      const out = await post(as.admin, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(replyOf(out.data).error?.[field], JSON.stringify(fields)).toEqual([key])
    }
    // An unknown org, and resetting what was never set: a clear message, nothing written.
    const unknown = await post(as.admin, {
      ...base,
      orgId: 999_999,
      workingDays: 3,
      remindBefore: 1,
    })
    expect(unknown.status).toBe(400)
    expect(replyOf(unknown.data).error?.['']).toEqual(['deadlines.errors.unknownOrg'])
    const nothing = await post(as.admin, {
      intent: 'reset',
      orgId: world.orgs.city.id,
      stage: 'feedback',
    })
    expect(nothing.status).toBe(400)
    expect(replyOf(nothing.data).error?.['']).toEqual(['deadlines.errors.noOwnRule'])
    const noIntent = await post(as.admin, { orgId: world.orgs.city.id, stage: 'triage' })
    expect(noIntent.status).toBe(400)
    expect(await slaRows()).toEqual([])
  })

  it('an admin manages only the orgs of their own subtree', async () => {
    // The city admin may not set the province's rules, nor the other city's.
    for (const orgId of [world.orgs.province.id, world.orgs.otherCity.id]) {
      const out = await post(as.cityAdmin, {
        intent: 'save',
        orgId,
        stage: 'triage',
        workingDays: 4,
        remindBefore: 1,
      })
      expect(out.status).toBe(403)
    }
    expect(
      (
        await call(
          deadlines.loader,
          as.cityAdmin.get(`/admin/deadlines?org=${world.orgs.province.id}`),
          ctx,
        )
      ).status,
    ).toBe(403)
    expect(
      (
        await call(
          deadlines.loader,
          as.otherCityAdmin.get(`/admin/deadlines?org=${world.orgs.district.id}`),
          ctx,
        )
      ).status,
    ).toBe(403)
    expect(
      (await call(deadlines.loader, as.admin.get('/admin/deadlines?org=999999'), ctx)).status,
    ).toBe(404)
    // A malformed org parameter falls back to the admin's own org.
    expect((await page(as.cityAdmin, '?org=abc')).org.id).toBe(world.orgs.city.id)
    expect(await slaRows()).toEqual([])
  })
})

describe('the working-day calendar admin page', () => {
  const post = (browser: Browser, fields: Record<string, string>, csrf?: string | null) =>
    call(calendar.action, browser.post('/admin/calendar', fields, { csrf }), ctx)
  type CalendarPage = {
    canEdit: boolean
    coveredUntil: number
    overrides: { date: string; kind: string; official: string; note: string | null }[]
  }

  it('is for federation admins; only top-level admins change it (403, nothing written)', async () => {
    const change = { intent: 'save', date: '2026-12-01', kind: 'holiday', note: 'x' }
    for (const browser of [as.contact, as.coordinator, as.steward]) {
      expect((await call(calendar.loader, browser.get('/admin/calendar'), ctx)).status).toBe(403)
      expect((await post(browser, change)).status).toBe(403)
    }
    // A city admin reads it but may not change the system-wide calendar.
    const read = await call(calendar.loader, as.cityAdmin.get('/admin/calendar'), ctx)
    expect(read.status).toBe(200)
    expect((read.data as CalendarPage).canEdit).toBe(false)
    expect((await post(as.cityAdmin, change)).status).toBe(403)
    expect((await post(as.admin, change, null)).status).toBe(403)
    expect(await overrideRows()).toEqual([])
  })

  it('adds a local holiday and an extra working day, shows them against the official calendar, deletes them', async () => {
    const saved = await post(as.admin, {
      intent: 'save',
      date: '2026-12-01',
      kind: 'holiday',
      note: ' 地方假日 ',
    })
    expect(saved.status).toBe(302)
    expect(saved.location).toBe('/admin/calendar?done=saved')
    expect(
      (await post(as.admin, { intent: 'save', date: '2026-12-05', kind: 'workday', note: '' }))
        .status,
    ).toBe(302)
    const out = await call(calendar.loader, as.admin.get('/admin/calendar?done=saved'), ctx)
    const data = out.data as CalendarPage & { notice: string }
    expect(data.canEdit).toBe(true)
    expect(data.coveredUntil).toBeGreaterThanOrEqual(2026)
    expect(data.notice).toBe('deadlines.calendar.saved')
    expect(data.overrides).toMatchObject([
      { date: '2026-12-05', kind: 'workday', official: 'holiday', note: null },
      { date: '2026-12-01', kind: 'holiday', official: 'workday', note: '地方假日' },
    ])
    // Deadlines computed from now on use it: Monday + 1 working day skips the local holiday.
    await tdb.db
      .insertInto('sla_policy')
      .values({
        org_id: world.orgs.district.id,
        stage: 'triage',
        working_days: 1,
        remind_before_working_days: 0,
      })
      .execute()
    const id = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Local holiday',
      items: ITEMS,
    })
    await submitNeedsList(tdb.db, world.principals.contact, id, 1, {
      now: new Date('2026-11-30T02:00:00Z'),
    })
    expect((await listRow(tdb.db, id)).due_at?.toISOString()).toBe('2026-12-02T10:00:00.000Z')
    await tdb.db.deleteFrom('sla_policy').execute()

    expect((await post(as.admin, { intent: 'delete', date: '2026-12-05' })).location).toBe(
      '/admin/calendar?done=removed',
    )
    expect((await overrideRows()).map((r) => r.date)).toEqual(['2026-12-01'])
    await tdb.db.deleteFrom('calendar_override').execute()
  })

  it('validates dates and refuses changes that change nothing (400, translated, nothing written)', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ intent: 'save', date: '2026-02-30', kind: 'holiday' }, 'date', 'deadlines.errors.date'],
      [{ intent: 'save', date: 'next friday', kind: 'holiday' }, 'date', 'deadlines.errors.date'],
      [{ intent: 'save', date: '', kind: 'holiday' }, 'date', 'deadlines.errors.date'],
      [
        { intent: 'save', date: '1999-01-04', kind: 'holiday' },
        'date',
        'deadlines.errors.dateRange',
      ],
      [{ intent: 'save', date: '2026-12-01', kind: 'half-day' }, 'kind', 'deadlines.errors.kind'],
      [
        { intent: 'save', date: '2026-12-01', kind: 'holiday', note: 'x'.repeat(201) },
        'note',
        'errors.tooLong',
      ],
      [{ intent: 'delete', date: '2026/12/01' }, 'date', 'deadlines.errors.date'],
    ]
    for (const [fields, field, key] of cases) {
      const out = await post(as.admin, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(replyOf(out.data).error?.[field], JSON.stringify(fields)).toEqual([key])
    }
    const formError = async (fields: Record<string, string>) => {
      const out = await post(as.admin, fields)
      expect(out.status).toBe(400)
      return replyOf(out.data).error?.['']
    }
    // A Saturday is already a day off; National Day is already a holiday; a Monday already works.
    expect(await formError({ intent: 'save', date: '2026-11-28', kind: 'holiday' })).toEqual([
      'deadlines.errors.alreadyHoliday',
    ])
    expect(await formError({ intent: 'save', date: '2026-10-02', kind: 'holiday' })).toEqual([
      'deadlines.errors.alreadyHoliday',
    ])
    expect(await formError({ intent: 'save', date: '2026-11-30', kind: 'workday' })).toEqual([
      'deadlines.errors.alreadyWorkday',
    ])
    expect(await formError({ intent: 'delete', date: '2026-12-24' })).toEqual([
      'deadlines.errors.noOverride',
    ])
    expect(await overrideRows()).toEqual([])
  })
})

describe('due dates in the queues and on the case', () => {
  // Lists entering triage a day apart: due Thursday, Friday and the Monday after.
  const entries = ['2026-11-30T02:00:00Z', '2026-12-01T02:00:00Z', '2026-12-02T02:00:00Z']
  let ids: number[]
  let accepted: number

  async function submittedAt(principal: Principal, title: string, when: string) {
    const id = await createNeedsList(tdb.db, principal, { title, items: ITEMS })
    await submitNeedsList(tdb.db, principal, id, 1, { now: new Date(when) })
    return id
  }

  beforeAll(async () => {
    await tdb.db.deleteFrom('sla_policy').execute()
    await tdb.db.deleteFrom('calendar_override').execute()
    // Everything earlier tests submitted leaves the intake queue.
    const earlier = await tdb.db
      .selectFrom('needs_list')
      .select('id')
      .where('status', '=', 'submitted')
      .execute()
    for (const row of earlier) {
      await triageNeedsList(
        tdb.db,
        world.principals.coordinator,
        row.id,
        {
          type: 'RETURN',
          reason: 'Not this test',
        },
        undefined,
      )
    }
    // Submitted newest first, so ids do not give the order away.
    ids = []
    for (let i = entries.length - 1; i >= 0; i--) {
      ids[i] = await submittedAt(world.principals.contact, `Due ${i}`, entries[i] as string)
    }
    await tdb.db
      .updateTable('enterprise')
      .set({ steward_user_id: world.users.steward.id })
      .where('id', '=', world.enterprise.id)
      .execute()
    accepted = await submittedAt(world.principals.contact, 'In confirmation', entries[0] as string)
    await triageNeedsList(tdb.db, world.principals.coordinator, accepted, { type: 'ACCEPT' }, 2, {
      now: new Date(entries[0] as string),
    })
  })

  type Row = { id: number; dueAt: string | Date | null; overdue: boolean }
  const intakePage = async (query: string) => {
    const out = await call(intake.loader, as.coordinator.get(`/intake${query}`), ctx)
    expect(out.status).toBe(200)
    return out.data as { lists: Row[]; invalid: string[]; filters: { overdue?: boolean } }
  }

  it('the intake queue shows each list’s due date, sorts by it and flags overdue ones', async () => {
    ctx.setNow(new Date('2026-12-04T06:00:00Z')) // Friday 14:00: the first is overdue
    try {
      const byDue = await intakePage('?sort=due')
      expect(byDue.lists.map((l) => l.id)).toEqual(ids)
      expect(byDue.lists.map((l) => new Date(l.dueAt as string).toISOString())).toEqual([
        '2026-12-03T10:00:00.000Z',
        '2026-12-04T10:00:00.000Z',
        '2026-12-07T10:00:00.000Z',
      ])
      expect(byDue.lists.map((l) => l.overdue)).toEqual([true, false, false])

      const overdue = await intakePage('?sort=due&overdue=1')
      expect(overdue.filters.overdue).toBe(true)
      expect(overdue.lists.map((l) => l.id)).toEqual([ids[0]])

      // The filter applies to every status: the case in confirmation was due Wednesday 18:00.
      const confirmingOverdue = await intakePage('?status=confirming&overdue=1')
      expect(confirmingOverdue.lists.map((l) => l.id)).toEqual([accepted])

      const bad = await intakePage('?overdue=yes')
      expect(bad.invalid).toEqual(['overdue'])
      expect(bad.lists).toHaveLength(3)
    } finally {
      ctx.setNow(null)
    }
  })

  it('the case page shows the current stage’s deadline; the steward workspace shows it per case', async () => {
    ctx.setNow(new Date('2026-12-01T02:00:00Z'))
    try {
      const page = await call(detail.loader, as.coordinator.get(`/needs-lists/${ids[1]}`), ctx, {
        id: String(ids[1]),
      })
      expect((page.data as { due: unknown }).due).toEqual({
        stage: 'triage',
        at: new Date('2026-12-04T10:00:00.000Z'),
        overdue: false,
      })
      const ws = await call(workspace.loader, as.steward.get('/workspace'), ctx)
      const cases = (ws.data as { cases: Row[]; waiting: Row[] }).waiting
      expect(
        cases.map((c) => [c.id, new Date(c.dueAt as string).toISOString(), c.overdue]),
      ).toEqual([[accepted, '2026-12-02T10:00:00.000Z', false]])
    } finally {
      ctx.setNow(null)
    }
    // A stage without a deadline shows none.
    await triageNeedsList(
      tdb.db,
      world.principals.coordinator,
      ids[2] as number,
      {
        type: 'RETURN',
        reason: 'More detail',
      },
      2,
    )
    const returned = await call(detail.loader, as.contact.get(`/needs-lists/${ids[2]}`), ctx, {
      id: String(ids[2]),
    })
    expect((returned.data as { due: unknown }).due).toBeNull()
    expect((await listRow(tdb.db, ids[2] as number)).due_at).toBeNull()
  })
})
