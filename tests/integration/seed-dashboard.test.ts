import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIGURE_COLUMNS, refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from '#db/seed.server.ts'
import {
  DASHBOARD_DEMO_USERS,
  DASHBOARD_DEMO_YEAR,
  seedDashboard,
} from '#db/seed-dashboard.server.ts'
import { PAIRED_CASE_TITLE, READY_CASE_TITLE } from '#db/seed-matching.server.ts'
import { TARGET_METRICS } from '#workflows/dashboard/metrics.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'

let tdb: TestDatabase
const ORGS = {
  city: '鹭江市总工会',
  industry: '鹭江市机电冶金产业工会联合会',
  park: '鹭江高新技术产业园区工会',
  district: '鹭江市海湾区总工会',
}
const orgId: Record<string, number> = {}

beforeAll(async () => {
  tdb = await createTestDatabase('seed_dashboard')
  await seedDemo(tdb.db)
  const rows = await tdb.db.selectFrom('union_org').select(['id', 'name']).execute()
  for (const [key, name] of Object.entries(ORGS)) {
    orgId[key] = rows.find((r) => r.name === name)?.id as number
  }
}, 300_000)

afterAll(async () => {
  await tdb?.drop()
})

/** Row counts of the tables the history writes to. */
async function footprint() {
  const { rows } = await sql<Record<string, number>>`
    select (select count(*) from needs_list)::int as lists,
           (select count(*) from enterprise)::int as enterprises,
           (select count(*) from app_user)::int as users,
           (select count(*) from workflow_event)::int as events,
           (select count(*) from item_outcome)::int as outcomes,
           (select count(*) from org_target)::int as targets`.execute(tdb.db)
  return rows[0]
}

const METRICS = FIGURE_COLUMNS

/** An org's year figures from the summaries (its own rows hold its whole subtree). */
async function yearFigures(id: number): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, string | number>>`
    select ${sql.join(
      METRICS.map((m) => sql`coalesce(sum(${sql.ref(m)}), 0)::text as ${sql.ref(m)}`),
    )}
      from org_period_figures
     where org_id = ${id} and dim = 'all' and period = ${String(DASHBOARD_DEMO_YEAR)}`.execute(
    tdb.db,
  )
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]))
}

describe('the dashboard demo history', () => {
  it('keeps the earlier demo cases as they were (海湾新能源, lists 4 and 5)', async () => {
    const rows = await tdb.db
      .selectFrom('needs_list')
      .select(['id', 'title', 'status'])
      .where('id', 'in', [4, 5])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { id: 4, title: READY_CASE_TITLE, status: 'ready_for_matching' },
      { id: 5, title: PAIRED_CASE_TITLE, status: 'paired' },
    ])
  })

  it('seeding again changes nothing', async () => {
    const before = await footprint()
    await seedDashboard(tdb.db, DEMO_PASSWORD)
    expect(await isEmpty(tdb.db)).toBe(false)
    expect(await footprint()).toEqual(before)
  })

  it('closes cases in at least three months and three orgs, mostly archived, a few open and two overdue', async () => {
    const { rows: closed } = await sql<{ org_id: number; month: string; n: number }>`
      select org_id, to_char(closed_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
             count(*)::int as n
        from needs_list where closed_at is not null and status = 'archived'
       group by 1, 2`.execute(tdb.db)
    expect(new Set(closed.map((r) => r.month)).size).toBeGreaterThanOrEqual(3)
    expect(new Set(closed.map((r) => r.org_id)).size).toBeGreaterThanOrEqual(3)
    expect(closed.reduce((n, r) => n + r.n, 0)).toBeGreaterThanOrEqual(15)

    const { rows: overdue } = await sql<{ id: number }>`
      select id from needs_list
       where due_at < now() and status not in ('closed', 'archived') and id > 5`.execute(tdb.db)
    expect(overdue.length).toBe(2)
    const { rows: open } = await sql<{ status: string }>`
      select distinct status from needs_list
       where id > 5 and status not in ('closed', 'archived')`.execute(tdb.db)
    expect(open.length).toBeGreaterThanOrEqual(4)
  })

  it('has outcomes of every kind, held visits, signed agreements, ratings and both kinds of benefit', async () => {
    const { rows } = await sql<Record<string, number>>`
      select (select count(*) from item_outcome where result = 'solved')::int as solved,
             (select count(*) from item_outcome where result = 'partly_solved')::int as partly,
             (select count(*) from item_outcome where result = 'not_feasible')::int as infeasible,
             (select count(*) from item_outcome where benefit_status = 'confirmed')::int as confirmed,
             (select count(*) from item_outcome where benefit_status = 'estimated')::int as estimated,
             (select count(*) from item_outcome where workers_trained > 0)::int as training,
             (select count(*) from visit where status = 'report_confirmed')::int as visits,
             (select count(*) from service_rating)::int as ratings`.execute(tdb.db)
    const r = rows[0] as Record<string, number>
    for (const key of Object.keys(r)) expect(r[key], key).toBeGreaterThan(0)
    // One case closed at its feedback deadline, unrated.
    const { rows: timeout } = await sql<{ n: number }>`
      select count(*)::int as n from needs_list nl
       where nl.status = 'archived'
         and not exists (select 1 from service_rating r where r.needs_list_id = nl.id)`.execute(
      tdb.db,
    )
    expect(timeout[0]?.n).toBe(1)
  })

  it('summaries agree with the real tables, and no part is bigger than the city', async () => {
    await refreshDashboard(tdb.db)
    const city = await yearFigures(orgId.city as number)
    const { rows } = await sql<{ closed: number; filed: number }>`
      select count(*) filter (where to_char(closed_at at time zone 'Asia/Shanghai', 'YYYY') = ${String(DASHBOARD_DEMO_YEAR)})::int as closed,
             count(*) filter (where to_char(submitted_at at time zone 'Asia/Shanghai', 'YYYY') = ${String(DASHBOARD_DEMO_YEAR)})::int as filed
        from needs_list`.execute(tdb.db)
    expect(city.cases_closed).toBe(rows[0]?.closed)
    expect(city.cases_filed).toBe(rows[0]?.filed)
    expect(city.problems_solved).toBeGreaterThan(10)
    expect(city.expert_participations).toBeGreaterThan(10)
    expect(city.workers_trained).toBeGreaterThan(100)
    expect(city.agreements_signed).toBeGreaterThan(10)
    expect((city.benefit_estimated ?? 0) + (city.benefit_confirmed ?? 0)).toBeGreaterThan(1_000_000)
    for (const part of ['industry', 'park', 'district'] as const) {
      const figures = await yearFigures(orgId[part] as number)
      expect(figures.cases_closed, part).toBeGreaterThan(0)
      for (const m of METRICS) expect(figures[m], `${part} ${m}`).toBeLessThanOrEqual(city[m] ?? 0)
    }
    const park = await yearFigures(orgId.park as number)
    const industry = await yearFigures(orgId.industry as number)
    for (const m of METRICS) expect(park[m], m).toBeLessThanOrEqual(industry[m] ?? 0)
    // Met and missed deadlines both occur.
    const { rows: sla } = await sql<{ resolved: number; met: number }>`
      select coalesce(sum(resolved), 0)::int as resolved, coalesce(sum(met), 0)::int as met
        from org_period_sla where org_id = ${orgId.city} and period = ${String(DASHBOARD_DEMO_YEAR)}`.execute(
      tdb.db,
    )
    expect(sla[0]?.met).toBeGreaterThan(0)
    expect(sla[0]?.met).toBeLessThan(sla[0]?.resolved ?? 0)
  })

  it('sets yearly targets for the city and its two children, and adds the park admin', async () => {
    const targets = await tdb.db
      .selectFrom('org_target')
      .select(['org_id', 'metric'])
      .where('year', '=', DASHBOARD_DEMO_YEAR)
      .execute()
    for (const org of ['city', 'industry', 'district'] as const) {
      expect(
        targets
          .filter((t) => t.org_id === orgId[org])
          .map((t) => t.metric)
          .sort(),
      ).toEqual([...TARGET_METRICS].sort())
    }
    const admin = await tdb.db
      .selectFrom('app_user as u')
      .innerJoin('membership as m', 'm.user_id', 'u.id')
      .select(['m.role', 'm.org_id'])
      .where('u.email', '=', DASHBOARD_DEMO_USERS.parkAdmin)
      .execute()
    expect(admin).toEqual([{ role: 'federation_admin', org_id: orgId.park }])
    expect(DEMO_USERS.parkAdmin).toBe(DASHBOARD_DEMO_USERS.parkAdmin)
  })

  it('leaves no backlog of past notices for the relay', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from outbox where relayed_at is null and run_at < now() - interval '1 day'`.execute(
      tdb.db,
    )
    expect(rows[0]?.n).toBe(0)
  })
})
