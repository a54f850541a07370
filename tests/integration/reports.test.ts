import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linesOf, recordLine, saveFinding } from '#workflows/commands/onsite.ts'
import { confirmReport, reportView, submitReport } from '#workflows/commands/reports.ts'
import { DomainError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let outsider: PairedCase

beforeAll(async () => {
  tdb = await createTestDatabase('reports')
  outsider = await buildPairedCase(tdb.db)
})

afterAll(async () => {
  await tdb?.drop()
})

/** An on-site visit of a case of its own, experts[0] on the team, experts[1] not. */
async function onSiteVisit() {
  const w = await buildPairedCase(tdb.db)
  const v = await scheduleTestVisit(tdb.db, w, {
    checkIn: true,
    expertIds: [w.experts[0]?.expert.id as number],
  })
  return { ...v, w }
}

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) {
      return { code: err.code, key: (err.details.messageKey as string | undefined) ?? null }
    }
    throw err
  }
  throw new Error('expected a refusal')
}

/** Everything a refused submit or confirm must leave as it was. */
async function footprint(visitId: number) {
  const [visit, report, instance, events] = await Promise.all([
    tdb.db.selectFrom('visit').selectAll().where('id', '=', visitId).executeTakeFirstOrThrow(),
    tdb.db
      .selectFrom('visit_report')
      .selectAll()
      .where('visit_id', '=', visitId)
      .executeTakeFirst(),
    tdb.db
      .selectFrom('workflow_instance')
      .select(['state', 'version'])
      .where('subject_type', '=', 'visit')
      .where('subject_id', '=', visitId)
      .executeTakeFirstOrThrow(),
    tdb.db
      .selectFrom('workflow_event')
      .select('id')
      .where('subject_type', '=', 'visit')
      .where('subject_id', '=', visitId)
      .execute(),
  ])
  return { status: visit.status, report, instance, events: events.length }
}

describe('submitting the report', () => {
  it('only the case steward submits it, through the workflow, with a summary', async () => {
    const v = await onSiteVisit()
    const before = await footprint(v.visitId)
    for (const p of [v.w.principals.expert, v.w.principals.coordinator, v.w.principals.contact]) {
      expect(
        await refusal(submitReport(tdb.db, p, v.visitId, { summary: '总体良好，无重大隐患' })),
      ).toMatchObject({ code: 'forbidden' })
    }
    for (const p of [v.w.principals.expert2, outsider.principals.steward]) {
      expect(
        await refusal(submitReport(tdb.db, p, v.visitId, { summary: '总体良好，无重大隐患' })),
      ).toMatchObject({ code: 'notFound' })
    }
    expect(
      await refusal(submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '好' })),
    ).toEqual({ code: 'validation', key: 'onsite.errors.summaryTooShort' })
    expect(await refusal(submitReport(tdb.db, v.w.principals.steward, v.visitId, {}))).toEqual({
      code: 'validation',
      key: 'errors.required',
    })
    expect(await footprint(v.visitId)).toEqual(before)

    const at = new Date('2026-12-02T08:00:00Z')
    const result = await submitReport(
      tdb.db,
      v.w.principals.steward,
      v.visitId,
      { summary: '  配电设备总体良好，2 号箱端子过热  ', recommendations: '停电紧固端子' },
      { now: at },
    )
    expect(result).toMatchObject({ fromState: 'on_site', state: 'reported' })
    const after = await footprint(v.visitId)
    expect(after.status).toBe('reported')
    expect(after.report).toMatchObject({
      summary: '配电设备总体良好，2 号箱端子过热',
      recommendations: '停电紧固端子',
      submitted_by: v.w.users.steward.id,
      confirmed_at: null,
    })
    expect(after.report?.submitted_at.toISOString()).toBe(at.toISOString())
    // The enterprise is asked to confirm (outbox notification of the transition).
    const notices = await tdb.db
      .selectFrom('outbox')
      .select('payload')
      .where('queue', '=', 'notify')
      .execute()
    expect(
      notices.some(
        (n) =>
          (n.payload as { kind?: string; subjectId?: number }).kind === 'visit.reported' &&
          (n.payload as { subjectId?: number }).subjectId === v.visitId,
      ),
    ).toBe(true)
  })

  it('a corrected report replaces the text while it awaits confirmation', async () => {
    const v = await onSiteVisit()
    await submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '第一稿结论' })
    const again = await submitReport(tdb.db, v.w.principals.steward, v.visitId, {
      summary: '更正后的结论',
    })
    expect(again).toMatchObject({ fromState: 'reported', state: 'reported' })
    const report = await tdb.db
      .selectFrom('visit_report')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(report).toMatchObject({ summary: '更正后的结论', recommendations: null })
  })

  it('cannot be submitted before check-in', async () => {
    const w = await buildPairedCase(tdb.db)
    const v = await scheduleTestVisit(tdb.db, w, { confirm: true })
    expect(
      await refusal(
        submitReport(tdb.db, w.principals.steward, v.visitId, { summary: '还没去现场' }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    const report = await tdb.db
      .selectFrom('visit_report')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .executeTakeFirst()
    expect(report).toBeUndefined()
  })
})

describe('confirming the report', () => {
  it('a contact of the enterprise confirms with their typed name and remarks', async () => {
    const v = await onSiteVisit()
    expect(
      await refusal(confirmReport(tdb.db, v.w.principals.contact, v.visitId, { name: '林晓梅' })),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    await submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '总体良好，建议整改' })
    const before = await footprint(v.visitId)
    expect(
      await refusal(confirmReport(tdb.db, v.w.principals.steward, v.visitId, { name: '陈志远' })),
    ).toMatchObject({ code: 'forbidden' })
    expect(
      await refusal(confirmReport(tdb.db, v.w.principals.expert, v.visitId, { name: '王建国' })),
    ).toMatchObject({ code: 'forbidden' })
    expect(
      await refusal(
        confirmReport(tdb.db, outsider.principals.contact, v.visitId, { name: '别家企业' }),
      ),
    ).toMatchObject({ code: 'notFound' })
    expect(
      await refusal(confirmReport(tdb.db, v.w.principals.contact, v.visitId, { name: ' 林 ' })),
    ).toEqual({ code: 'validation', key: 'onsite.errors.nameTooShort' })
    expect(await footprint(v.visitId)).toEqual(before)

    const at = new Date('2026-12-03T02:00:00Z')
    const result = await confirmReport(
      tdb.db,
      v.w.principals.contact2,
      v.visitId,
      { name: ' 林晓梅 ', remarks: '同意整改建议，月底前完成。' },
      { now: at },
    )
    expect(result).toMatchObject({ fromState: 'reported', state: 'report_confirmed' })
    const report = await tdb.db
      .selectFrom('visit_report')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(report).toMatchObject({
      confirmed_by: v.w.users.contact2.id,
      confirmed_name: '林晓梅',
      enterprise_remarks: '同意整改建议，月底前完成。',
    })
    expect(report.confirmed_at?.toISOString()).toBe(at.toISOString())
    expect((await footprint(v.visitId)).status).toBe('report_confirmed')
    // Confirmed is final: neither a second confirmation nor a corrected report.
    expect(
      await refusal(confirmReport(tdb.db, v.w.principals.contact, v.visitId, { name: '林晓梅' })),
    ).toMatchObject({ code: 'transitionNotAllowed' })
    expect(
      await refusal(
        submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '再改一次' }),
      ),
    ).toMatchObject({ code: 'transitionNotAllowed' })
  })
})

describe('the report view', () => {
  it('marks deviations, and shows the enterprise nothing before submission', async () => {
    const v = await onSiteVisit()
    const { lines } = await linesOf(tdb.db, v.visitId)
    const voltage = lines.find((l) => l.item.label_zh === '线电压')?.item.id as number
    const frequency = lines.find((l) => l.item.label_zh === '频率')?.item.id as number
    await recordLine(tdb.db, v.w.principals.expert, v.visitId, {
      planItemId: voltage,
      value: '345',
    })
    await recordLine(tdb.db, v.w.principals.expert, v.visitId, {
      planItemId: frequency,
      value: '50.02',
    })
    await saveFinding(tdb.db, v.w.principals.expert, v.visitId, {
      clientKey: 'rv-finding-0001',
      severity: 'high',
      title: '线电压偏低',
      planItemId: voltage,
    })
    const early = await reportView(tdb.db, v.w.principals.contact, v.visitId)
    expect(early.ready).toBe(false)
    const preview = await reportView(tdb.db, v.w.principals.steward, v.visitId)
    if (!preview.ready) throw new Error('the steward sees the draft')
    expect(preview.can).toMatchObject({ submit: true, confirm: false, onsite: true })
    expect(preview.flaggedCount).toBe(1)
    const byId = new Map(preview.lines.map((l) => [l.item.id, l]))
    expect(byId.get(voltage)).toMatchObject({ deviation: 'below', record: { flagged: true } })
    expect(byId.get(frequency)).toMatchObject({ deviation: null, record: { flagged: false } })

    await submitReport(tdb.db, v.w.principals.steward, v.visitId, { summary: '电压偏低，需整改' })
    const shown = await reportView(tdb.db, v.w.principals.contact, v.visitId)
    if (!shown.ready) throw new Error('the enterprise sees the submitted report')
    expect(shown.can).toMatchObject({ confirm: true, submit: false, onsite: false })
    expect(shown.findings.map((f) => f.title)).toEqual(['线电压偏低'])
    expect(shown.report?.summary).toBe('电压偏低，需整改')
    expect(shown.members.map((m) => m.role).sort()).toEqual(['expert', 'steward'])
    expect(await refusal(reportView(tdb.db, outsider.principals.contact, v.visitId))).toMatchObject(
      {
        code: 'notFound',
      },
    )
    expect(await refusal(reportView(tdb.db, v.w.principals.expert2, v.visitId))).toMatchObject({
      code: 'notFound',
    })
  })
})
