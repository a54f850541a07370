import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalStorage } from '#app/storage/storage.server.ts'
import type { Db } from '#db/client.server.ts'
import { rebuildDashboard, refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { caseTotals } from '#workflows/commands/outcomes.ts'
import { rateService } from '#workflows/commands/rating.ts'
import {
  confirmedAgreement,
  FIXTURE_SCORES,
  reportedVisit,
  toFeedback,
} from '../helpers/closing-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase } from '../helpers/visit-world.ts'

// The summaries may be brought up to date case by case (refresh) or from
// scratch (rebuild); both must always give the same rows, and a case's facts
// must say what the outcomes page says.

let tdb: TestDatabase
let uploads: string
let closed: PairedCase
let open: PairedCase

async function summaries(db: Db) {
  const read = async (table: string, order: string) =>
    (await sql.raw(`select * from ${table} order by ${order}`).execute(db)).rows
  return {
    facts: await read('case_fact', 'needs_list_id'),
    items: await read('case_item_fact', 'confirmed_item_id'),
    spans: await read(
      '(select needs_list_id, stage, entered_at, left_at, hours from case_stage_span) s',
      'needs_list_id, entered_at, stage',
    ),
    deadlines: await read('case_deadline_fact', 'timer_id'),
    figures: await read('org_period_figures', 'org_id, period, dim, key'),
    hours: await read('org_period_stage_hours', 'org_id, period, stage, hours'),
    sla: await read('org_period_sla', 'org_id, period, stage'),
    enterprises: await read('org_period_enterprise', 'org_id, period, enterprise_id'),
    stewards: await read('steward_period_figures', 'steward_user_id, period'),
  }
}

async function dirtyIds(db: Db) {
  const rows = await db.selectFrom('dashboard_dirty').select('needs_list_id').execute()
  return rows.map((r) => r.needs_list_id).sort()
}

beforeAll(async () => {
  tdb = await createTestDatabase('dashboard_refresh')
  uploads = mkdtempSync(path.join(tmpdir(), 'zhuqi-dashboard-'))
  const storage = createLocalStorage(uploads)
  closed = await buildPairedCase(tdb.db, { label: 'dr-closed' })
  await confirmedAgreement(tdb.db, closed)
  await reportedVisit(tdb.db, closed, storage, { photos: 1 })
  await toFeedback(tdb.db, closed)
  await rateService(tdb.db, closed.principals.contact, closed.listId, {
    scores: FIXTURE_SCORES,
    comment: '好',
  })
  open = await buildPairedCase(tdb.db, { label: 'dr-open' })
})

afterAll(async () => {
  await tdb?.drop()
  if (uploads) rmSync(uploads, { recursive: true, force: true })
})

describe('dashboard summaries', () => {
  it('marks every case the workflows touched as dirty, in the writing transaction', async () => {
    expect(await dirtyIds(tdb.db)).toEqual(expect.arrayContaining([closed.listId, open.listId]))
  })

  it('refreshes dirty cases to the same rows a rebuild gives', async () => {
    const result = await refreshDashboard(tdb.db)
    expect(result.cases).toBeGreaterThanOrEqual(2)
    expect(result.months.length).toBeGreaterThan(0)
    expect(await dirtyIds(tdb.db)).toEqual([])
    const refreshed = await summaries(tdb.db)
    await rebuildDashboard(tdb.db)
    expect(await summaries(tdb.db)).toEqual(refreshed)
    // Nothing is dirty: a second refresh does nothing.
    expect(await refreshDashboard(tdb.db)).toEqual({ cases: 0, months: [] })
  })

  it("keeps each case's facts equal to its outcomes page totals", async () => {
    for (const world of [closed, open]) {
      const { aggregate } = await caseTotals(tdb.db, world.listId)
      const fact = await tdb.db
        .selectFrom('case_fact')
        .selectAll()
        .where('needs_list_id', '=', world.listId)
        .executeTakeFirstOrThrow()
      expect({
        items: fact.items,
        solved: fact.problems_solved,
        partly: fact.partly_solved,
        participations: fact.expert_participations,
        trained: fact.workers_trained,
        estimated: Number(fact.benefit_estimated).toFixed(2),
        confirmed: Number(fact.benefit_confirmed).toFixed(2),
      }).toEqual({
        items: aggregate.items,
        solved: aggregate.problemsSolved,
        partly: aggregate.partlySolved,
        participations: aggregate.expertParticipations,
        trained: aggregate.workersTrained,
        estimated: aggregate.benefit.estimated,
        confirmed: aggregate.benefit.confirmed,
      })
    }
    const closedFact = await tdb.db
      .selectFrom('case_fact')
      .selectAll()
      .where('needs_list_id', '=', closed.listId)
      .executeTakeFirstOrThrow()
    expect(closedFact.closed_at).not.toBeNull()
    expect(closedFact.agreement_signed_at).not.toBeNull()
    expect(closedFact.rating).not.toBeNull()
    const openFact = await tdb.db
      .selectFrom('case_fact')
      .selectAll()
      .where('needs_list_id', '=', open.listId)
      .executeTakeFirstOrThrow()
    expect(openFact.closed_at).toBeNull()
  })

  it('counts the closed case once for every org above it, and its stays and deadlines', async () => {
    const fact = await tdb.db
      .selectFrom('case_fact')
      .select(['ancestor_ids', 'org_id'])
      .where('needs_list_id', '=', closed.listId)
      .executeTakeFirstOrThrow()
    expect(fact.ancestor_ids.at(-1)).toBe(fact.org_id)
    const rows = await tdb.db
      .selectFrom('org_period_figures')
      .select(['org_id', 'cases_closed'])
      .where('dim', '=', 'all')
      // Year rows: the month and quarter rows say the same once more each.
      .where('period', 'like', '____')
      .where('cases_closed', '>', 0)
      .execute()
    expect(rows.map((r) => r.org_id).sort()).toEqual([...fact.ancestor_ids].sort())
    const spans = await tdb.db
      .selectFrom('case_stage_span')
      .select(['stage', 'left_at', 'hours'])
      .where('needs_list_id', '=', closed.listId)
      .execute()
    // Archived is where the case rests; closed lasted no time at all.
    expect(spans.find((s) => s.stage === 'archived')?.left_at).toBeNull()
    expect(spans.some((s) => s.stage === 'closed')).toBe(false)
    expect(spans.filter((s) => s.left_at !== null).every((s) => (s.hours ?? 0) >= 1)).toBe(true)
    const deadlines = await tdb.db
      .selectFrom('case_deadline_fact')
      .select(['stage', 'met'])
      .where('needs_list_id', '=', closed.listId)
      .execute()
    // Everything happened at once in the test, so every deadline was met.
    expect(deadlines.length).toBeGreaterThan(0)
    expect(deadlines.every((d) => d.met)).toBe(true)
  })

  it('follows a change outside the workflows (the enterprise re-tagged) the same way', async () => {
    await tdb.db
      .updateTable('enterprise')
      .set({ tags: ['little_giant'], district: '海湾区' })
      .where('id', '=', closed.enterprise.id)
      .execute()
    expect(await dirtyIds(tdb.db)).toContain(closed.listId)
    await refreshDashboard(tdb.db)
    const tagged = await tdb.db
      .selectFrom('org_period_figures')
      .select(['key', 'cases_closed'])
      .where('dim', '=', 'tag')
      .where('org_id', '=', closed.enterprise.org_id)
      .where('period', 'like', '____')
      .where('cases_closed', '>', 0)
      .execute()
    expect(tagged).toEqual([{ key: 'little_giant', cases_closed: 1 }])
    const refreshed = await summaries(tdb.db)
    await rebuildDashboard(tdb.db)
    expect(await summaries(tdb.db)).toEqual(refreshed)
  })

  it('counts a breached deadline as missed', async () => {
    const timer = await tdb.db
      .selectFrom('workflow_timer as t')
      .innerJoin('workflow_instance as w', 'w.id', 't.workflow_id')
      .select(['t.id', 't.due_at'])
      .where('w.subject_type', '=', 'needs_list')
      .where('w.subject_id', '=', open.listId)
      .where('t.phase', '=', 'breach')
      .where('t.status', '=', 'pending')
      .executeTakeFirstOrThrow()
    await tdb.db
      .updateTable('workflow_timer')
      .set({ status: 'fired', updated_at: timer.due_at })
      .where('id', '=', timer.id)
      .execute()
    await refreshDashboard(tdb.db)
    const fact = await tdb.db
      .selectFrom('case_deadline_fact')
      .select(['met', 'needs_list_id'])
      .where('timer_id', '=', timer.id)
      .executeTakeFirstOrThrow()
    expect(fact).toEqual({ met: false, needs_list_id: open.listId })
  })

  it('stays equal to a rebuild through edits that move a case between months, orgs and dimensions', async () => {
    const db = tdb.db
    const [item] = await db
      .selectFrom('confirmed_item')
      .select(['id', 'category'])
      .where('needs_list_id', '=', closed.listId)
      .orderBy('position')
      .execute()
    const visitMember = await db
      .selectFrom('visit_member as m')
      .innerJoin('visit as v', 'v.id', 'm.visit_id')
      .select('m.id')
      .where('v.needs_list_id', '=', closed.listId)
      .where('m.role', '=', 'expert')
      .executeTakeFirstOrThrow()
    const otherOrg = open.enterprise.org_id
    const edits: [string, () => Promise<unknown>][] = [
      [
        'closed a month earlier',
        () =>
          db
            .updateTable('needs_list')
            .set({ closed_at: new Date('2026-01-15T02:00:00Z') })
            .where('id', '=', closed.listId)
            .execute(),
      ],
      [
        'an outcome changes its result and benefit',
        () =>
          db
            .updateTable('item_outcome')
            .set({ result: 'not_feasible', benefit_yuan: '77.70', benefit_status: 'confirmed' })
            .where('confirmed_item_id', '=', item?.id as number)
            .execute(),
      ],
      [
        'an item changes category',
        () =>
          db
            .updateTable('confirmed_item')
            .set({ category: item?.category === 'training' ? 'safety' : 'training' })
            .where('id', '=', item?.id as number)
            .execute(),
      ],
      [
        'the case moves to another org',
        () =>
          db
            .updateTable('needs_list')
            .set({ org_id: otherOrg })
            .where('id', '=', closed.listId)
            .execute(),
      ],
      [
        'an expert leaves a held visit',
        () => db.deleteFrom('visit_member').where('id', '=', visitMember.id).execute(),
      ],
      [
        'the rating is corrected',
        () =>
          db
            .updateTable('service_rating')
            .set({ average: '2.50' })
            .where('needs_list_id', '=', closed.listId)
            .execute(),
      ],
      [
        'the open case is filed in another month',
        () =>
          db
            .updateTable('needs_list')
            .set({ submitted_at: new Date('2025-12-31T17:00:00Z') })
            .where('id', '=', open.listId)
            .execute(),
      ],
    ]
    for (const [what, edit] of edits) {
      await edit()
      const result = await refreshDashboard(db)
      expect(result.cases, what).toBeGreaterThan(0)
      const refreshed = await summaries(db)
      await rebuildDashboard(db)
      expect(await summaries(db), what).toEqual(refreshed)
    }
    // 2025-12-31T17:00Z is already January in Beijing.
    const filed = await db
      .selectFrom('case_fact')
      .select((eb) =>
        sql<string>`to_char(${eb.ref('filed_at')} at time zone 'Asia/Shanghai', 'YYYY-MM')`.as('m'),
      )
      .where('needs_list_id', '=', open.listId)
      .executeTakeFirstOrThrow()
    expect(filed.m).toBe('2026-01')
  })
})
