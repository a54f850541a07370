import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as onsite from '#app/routes/visits.$id.onsite.tsx'
import * as report from '#app/routes/visits.$id.report.tsx'
import { linesOf, recordLine } from '#workflows/commands/onsite.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let ctx: TestContext
let world: PairedCase
let outsider: PairedCase
let visitId: number
let as: Record<'expert' | 'expert2' | 'steward' | 'contact' | 'otherContact', Browser>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_report')
  ctx = buildContext(tdb.db)
  world = await buildPairedCase(tdb.db)
  outsider = await buildPairedCase(tdb.db)
  const v = await scheduleTestVisit(tdb.db, world, {
    checkIn: true,
    expertIds: [world.experts[0]?.expert.id as number],
  })
  visitId = v.visitId
  const { lines } = await linesOf(tdb.db, visitId)
  const voltage = lines.find((l) => l.item.label_zh === '线电压')?.item.id as number
  await recordLine(tdb.db, world.principals.expert, visitId, { planItemId: voltage, value: '420' })
  as = {
    expert: await signIn(ctx, world.experts[0]?.user.id as number),
    expert2: await signIn(ctx, world.experts[1]?.user.id as number),
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
    otherContact: await signIn(ctx, outsider.users.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const load = (browser: Browser) =>
  call(report.loader, browser.get(`/visits/${visitId}/report`), ctx, { id: String(visitId) })
const confirm = (browser: Browser, fields: Record<string, string>) =>
  call(report.action, browser.post(`/visits/${visitId}/report`, fields), ctx, {
    id: String(visitId),
  })
const submit = (browser: Browser, fields: Record<string, string>) =>
  call(
    onsite.action,
    browser.post(`/visits/${visitId}/onsite`, { intent: 'submitReport', ...fields }),
    ctx,
    { id: String(visitId) },
  )

async function state() {
  const [visit, row] = await Promise.all([
    tdb.db.selectFrom('visit').select('status').where('id', '=', visitId).executeTakeFirstOrThrow(),
    tdb.db
      .selectFrom('visit_report')
      .selectAll()
      .where('visit_id', '=', visitId)
      .executeTakeFirst(),
  ])
  return { status: visit.status, report: row ?? null }
}

describe('the report page, submission and confirmation', () => {
  it('runs from submission to the enterprise confirmation, refusing everyone else', async () => {
    // Before submission: the enterprise sees that it is not ready, outsiders nothing at all.
    expect((await load(as.contact)).data).toMatchObject({ ready: false })
    expect((await load(as.steward)).data).toMatchObject({ ready: true, flaggedCount: 1 })
    for (const who of ['expert2', 'otherContact'] as const) {
      expect(await load(as[who]), who).toMatchObject({ status: 404, thrown: true })
    }
    expect(
      await call(report.loader, as.steward.get('/visits/0/report'), ctx, { id: '0' }),
    ).toMatchObject({ status: 404 })

    // Submitting: only the case steward, with a real summary.
    const before = await state()
    expect(await submit(as.expert, { summary: '总体良好，无重大隐患' })).toMatchObject({
      status: 403,
      thrown: true,
    })
    const short = await submit(as.steward, { summary: '好' })
    expect(short).toMatchObject({
      status: 400,
      data: { error: 'onsite.errors.summaryTooShort', values: { summary: '好' } },
    })
    expect(await state()).toEqual(before)
    const submitted = await submit(as.steward, {
      summary: '线电压偏高，建议调整变压器分接头',
      recommendations: '一周内复测',
    })
    expect(submitted).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/report?done=submitted`,
    })
    expect(ctx.pokes).toBeGreaterThan(0)

    const shown = await load(as.contact)
    expect(shown.data).toMatchObject({
      ready: true,
      can: { confirm: true, submit: false },
      report: { summary: '线电压偏高，建议调整变压器分接头', recommendations: '一周内复测' },
    })

    // Confirming: only this enterprise, with a typed name.
    const waiting = await state()
    expect(await confirm(as.steward, { intent: 'confirm', name: '陈志远' })).toMatchObject({
      status: 403,
      thrown: true,
    })
    expect(await confirm(as.otherContact, { intent: 'confirm', name: '别家' })).toMatchObject({
      status: 404,
      thrown: true,
    })
    expect(await confirm(as.contact, { intent: 'confirm', name: '林' })).toMatchObject({
      status: 400,
      data: { error: 'onsite.errors.nameTooShort', values: { name: '林' } },
    })
    expect(await confirm(as.contact, { intent: 'approve', name: '林晓梅' })).toMatchObject({
      status: 400,
      data: { error: 'errors.badRequest' },
    })
    expect(
      await confirm(as.contact, { intent: 'confirm', name: '林晓梅', remarks: 'x'.repeat(2001) }),
    ).toMatchObject({ status: 400, data: { error: 'errors.tooLong' } })
    expect(await state()).toEqual(waiting)

    const confirmed = await confirm(as.contact, {
      intent: 'confirm',
      name: '林晓梅',
      remarks: '同意，按建议整改',
    })
    expect(confirmed).toMatchObject({
      status: 302,
      location: `/visits/${visitId}/report?done=confirmed`,
    })
    const after = await state()
    expect(after.status).toBe('report_confirmed')
    expect(after.report).toMatchObject({
      confirmed_name: '林晓梅',
      confirmed_by: world.users.contact.id,
      enterprise_remarks: '同意，按建议整改',
    })
    expect((await load(as.contact)).data).toMatchObject({
      can: { confirm: false },
      report: { confirmed_name: '林晓梅' },
    })
    // Confirmed is final.
    expect(await confirm(as.contact, { intent: 'confirm', name: '林晓梅' })).toMatchObject({
      status: 409,
      data: { error: 'errors.transitionNotAllowed' },
    })
  })
})
