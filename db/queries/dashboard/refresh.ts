import { type RawBuilder, sql } from 'kysely'
import { HELD_VISIT_STATES } from '#workflows/outcomes/aggregate.ts'
import type { Db, DbOrTrx } from '../../client.server.ts'

/**
 * Keeps the dashboard summaries in step with the real tables (see migration
 * 2026-11-29T12-dashboards). Triggers mark a case dirty whenever anything it
 * is counted by changes. A refresh takes each dirty case's contribution out
 * of the per-org monthly sums, recomputes its facts from the real tables and
 * puts the new contribution in: the same SQL a from-scratch rebuild runs,
 * narrowed to those cases, so its cost does not grow with the country. Every
 * summary is a plain sum over cases, which makes the difference exact; a
 * test keeps refresh and rebuild equal.
 */

// One refresh at a time; a second reader waits, then finds nothing dirty.
const REFRESH_LOCK = 727_100_712

type CaseFilter = readonly number[] | 'all'

/** 'YYYY-MM' of a timestamp column on the Beijing calendar. */
const monthOf = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'Asia/Shanghai', 'YYYY-MM')`

function listFilter(column: string, cases: CaseFilter): RawBuilder<boolean> {
  return cases === 'all' ? sql<boolean>`true` : sql<boolean>`${sql.ref(column)} = any(${cases})`
}

/** Every month in which the facts of these cases count for something. */
async function monthsOfCases(trx: DbOrTrx, cases: CaseFilter): Promise<string[]> {
  const { rows } = await sql<{ month: string }>`
    select ${monthOf('filed_at')} as month from case_fact
     where filed_at is not null and ${listFilter('needs_list_id', cases)}
    union select ${monthOf('closed_at')} from case_fact
     where closed_at is not null and ${listFilter('needs_list_id', cases)}
    union select ${monthOf('agreement_signed_at')} from case_fact
     where agreement_signed_at is not null and ${listFilter('needs_list_id', cases)}
    union select ${monthOf('left_at')} from case_stage_span
     where left_at is not null and ${listFilter('needs_list_id', cases)}
    union select ${monthOf('resolved_at')} from case_deadline_fact
     where ${listFilter('needs_list_id', cases)}
  `.execute(trx)
  return rows.map((r) => r.month)
}

async function deleteFacts(trx: DbOrTrx, cases: CaseFilter): Promise<void> {
  for (const table of ['case_item_fact', 'case_stage_span', 'case_deadline_fact', 'case_fact']) {
    await sql`delete from ${sql.table(table)} where ${listFilter('needs_list_id', cases)}`.execute(
      trx,
    )
  }
}

/** The facts of these cases, recomputed from the real tables. */
async function insertFacts(trx: DbOrTrx, cases: CaseFilter): Promise<void> {
  // Each confirmed item with its outcome (an outcome of a vanished item counts for nothing).
  await sql`
    insert into case_item_fact
      (confirmed_item_id, needs_list_id, category, result, workers_trained,
       benefit_estimated, benefit_confirmed)
    select ci.id, ci.needs_list_id, ci.category, o.result, coalesce(o.workers_trained, 0),
           case when o.benefit_status is distinct from 'confirmed' then coalesce(o.benefit_yuan, 0) else 0 end,
           case when o.benefit_status = 'confirmed' then coalesce(o.benefit_yuan, 0) else 0 end
      from confirmed_item ci
      left join item_outcome o on o.confirmed_item_id = ci.id
     where ${listFilter('ci.needs_list_id', cases)}
  `.execute(trx)

  // 参与劳模工匠人次: each expert once per held visit, plus paired experts on no held visit
  // (the same rule as workflows/outcomes/aggregate.ts).
  const held = sql.join(HELD_VISIT_STATES.map((s) => sql.lit(s)))
  await sql`
    insert into case_fact
      (needs_list_id, org_id, ancestor_ids, enterprise_id, steward_user_id, status,
       industry, district, park, tags, categories, filed_at, closed_at, agreement_signed_at,
       items, problems_solved, partly_solved, expert_participations, workers_trained,
       benefit_estimated, benefit_confirmed, rating)
    select nl.id, nl.org_id,
           string_to_array(trim(both '/' from o.path), '/')::integer[],
           nl.enterprise_id, nl.steward_user_id, nl.status,
           e.industry, e.district, e.park, e.tags,
           coalesce(
             (select array_agg(distinct ci.category order by ci.category)
                from confirmed_item ci where ci.needs_list_id = nl.id),
             (select array_agg(distinct ni.category order by ni.category)
                from need_item ni where ni.needs_list_id = nl.id),
             '{}'),
           nl.submitted_at, nl.closed_at,
           (select min(ev.at) from workflow_event ev
             where ev.subject_type = 'needs_list' and ev.subject_id = nl.id
               and ev.to_state = 'paired' and ev.from_state is distinct from 'paired'),
           coalesce(items.items, 0), coalesce(items.solved, 0), coalesce(items.partly, 0),
           coalesce(on_visits.times, 0) + coalesce(remote.experts, 0),
           coalesce(items.trained, 0), coalesce(items.estimated, 0), coalesce(items.confirmed, 0),
           sr.average
      from needs_list nl
      join union_org o on o.id = nl.org_id
      join enterprise e on e.id = nl.enterprise_id
      left join service_rating sr on sr.needs_list_id = nl.id
      left join lateral (
        select count(*)::int as items,
               count(*) filter (where f.result = 'solved')::int as solved,
               count(*) filter (where f.result = 'partly_solved')::int as partly,
               sum(f.workers_trained)::int as trained,
               sum(f.benefit_estimated) as estimated,
               sum(f.benefit_confirmed) as confirmed
          from case_item_fact f where f.needs_list_id = nl.id
      ) items on true
      left join lateral (
        select count(*)::int as times from (
          select distinct m.visit_id, m.expert_id
            from visit v join visit_member m on m.visit_id = v.id
           where v.needs_list_id = nl.id and v.status in (${held})
             and m.role = 'expert' and m.expert_id is not null
        ) d
      ) on_visits on true
      left join lateral (
        select count(distinct p.expert_id)::int as experts
          from pairing p
         where p.needs_list_id = nl.id
           and not exists (
             select 1 from visit v join visit_member m on m.visit_id = v.id
              where v.needs_list_id = nl.id and v.status in (${held})
                and m.role = 'expert' and m.expert_id = p.expert_id)
      ) remote on true
     where ${listFilter('nl.id', cases)}
  `.execute(trx)

  // Stays in each state, from the audit trail; instant stays (closed, then archived
  // in the same transaction) are not stays.
  await sql`
    insert into case_stage_span (needs_list_id, stage, entered_at, left_at, hours)
    select s.subject_id, s.to_state, s.at, s.next_at,
           case when s.next_at is null then null
                else ceil(extract(epoch from (s.next_at - s.at)) / 3600)::int end
      from (
        select ev.subject_id, ev.to_state, ev.at,
               lead(ev.at) over (partition by ev.subject_id order by ev.at, ev.id) as next_at
          from workflow_event ev
         where ev.subject_type = 'needs_list'
           and ev.from_state is distinct from ev.to_state
           and ${listFilter('ev.subject_id', cases)}
      ) s
     where s.next_at is null or s.next_at > s.at
  `.execute(trx)

  // Deadlines that are over: met when the stage was left (timer cancelled) by the
  // deadline; missed when the breach fired or the stage was left late.
  await sql`
    insert into case_deadline_fact (timer_id, needs_list_id, stage, due_at, resolved_at, met)
    select t.id, wf.needs_list_id, t.stage, t.due_at, t.updated_at,
           t.status = 'cancelled' and t.updated_at <= t.due_at
      from (
        select w.id as workflow_id, w.subject_id as needs_list_id
          from workflow_instance w
         where w.subject_type = 'needs_list' and ${listFilter('w.subject_id', cases)}
        union all
        select w.id, i.needs_list_id
          from invitation i
          join workflow_instance w on w.subject_type = 'invitation' and w.subject_id = i.id
         where ${listFilter('i.needs_list_id', cases)}
        union all
        select w.id, v.needs_list_id
          from visit v
          join workflow_instance w on w.subject_type = 'visit' and w.subject_id = v.id
         where ${listFilter('v.needs_list_id', cases)}
      ) wf
      join workflow_timer t on t.workflow_id = wf.workflow_id
     where t.phase = 'breach' and t.status in ('fired', 'cancelled')
  `.execute(trx)
}

/** The additive columns of org_period_figures. */
export const FIGURE_COLUMNS = [
  'cases_filed',
  'cases_closed',
  'items_closed',
  'problems_solved',
  'partly_solved',
  'expert_participations',
  'workers_trained',
  'benefit_estimated',
  'benefit_confirmed',
  'agreements_signed',
  'rating_sum',
  'rating_count',
] as const

const STEWARD_COLUMNS = [
  'cases_closed',
  'rating_sum',
  'rating_count',
  'deadlines_resolved',
  'deadlines_met',
] as const

/** The reporting periods a month ('YYYY-MM') belongs to: itself, its quarter, its year. */
export function periodsOfMonth(month: string): string[] {
  const year = month.slice(0, 4)
  return [month, `${year}-Q${Math.floor((Number(month.slice(5, 7)) + 2) / 3)}`, year]
}

/** The same in SQL, as rows `p(period)` to join laterally. */
const periodsOf = (month: RawBuilder<string>) => sql`unnest(array[
  ${month},
  left(${month}, 4) || '-Q' || ((substr(${month}, 6, 2)::int + 2) / 3)::text,
  left(${month}, 4)]) p(period)`

/**
 * Stays are counted to the hour up to three days and to the day beyond, which
 * is all the precision a median or p90 of a stage needs, and keeps the
 * histogram small enough to read for a whole country.
 */
const hoursBucket = sql`case when s.hours <= 72 then s.hours else ceil(s.hours / 24.0)::int * 24 end`

/**
 * What the facts of some cases (or of all) add to each org's periods, grouped
 * and multiplied by `sign`: +1 to add, -1 to take away. Every summary is a sum
 * over cases, so taking a case's old contribution away and adding its new one
 * gives exactly what recomputing from scratch gives.
 */
function figuresContribution(cases: CaseFilter, sign: 1 | -1) {
  // A case counts when filed (by filing month), when closed (outcomes, by closing
  // month) and when its agreement is signed (by signing month).
  const events = sql`
    select needs_list_id, ${monthOf('filed_at')} as month, 1 as filed, 0 as closed, 0 as signed
      from case_fact where filed_at is not null and ${listFilter('needs_list_id', cases)}
    union all
    select needs_list_id, ${monthOf('closed_at')}, 0, 1, 0
      from case_fact where closed_at is not null and ${listFilter('needs_list_id', cases)}
    union all
    select needs_list_id, ${monthOf('agreement_signed_at')}, 0, 0, 1
      from case_fact where agreement_signed_at is not null and ${listFilter('needs_list_id', cases)}
  `
  const month = sql<string>`ev.month`
  const all = sql`
    select a.org_id, p.period, d.dim, d.key,
           ${sign} * sum(ev.filed), ${sign} * sum(ev.closed), ${sign} * sum(ev.closed * f.items),
           ${sign} * sum(ev.closed * f.problems_solved), ${sign} * sum(ev.closed * f.partly_solved),
           ${sign} * sum(ev.closed * f.expert_participations),
           ${sign} * sum(ev.closed * f.workers_trained),
           ${sign} * sum(ev.closed * f.benefit_estimated),
           ${sign} * sum(ev.closed * f.benefit_confirmed),
           ${sign} * sum(ev.signed),
           ${sign} * coalesce(sum(f.rating) filter (where ev.closed = 1), 0),
           ${sign} * count(f.rating) filter (where ev.closed = 1)
      from (${events}) ev
      join case_fact f on f.needs_list_id = ev.needs_list_id
      cross join lateral (
        values ('all', ''), ('industry', coalesce(f.industry, '')),
               ('district', coalesce(f.district, '')), ('park', coalesce(f.park, ''))
        union all
        select 'tag', t from unnest(f.tags) t
      ) d(dim, key)
      cross join unnest(f.ancestor_ids) a(org_id)
      cross join lateral ${periodsOf(month)}
     group by a.org_id, p.period, d.dim, d.key`
  // By category: a case once per category it has; item figures from that category's
  // items; participations, agreements and ratings belong to no single category.
  const category = sql`
    select a.org_id, p.period, 'category', c.category,
           ${sign} * sum(ev.filed), ${sign} * sum(ev.closed), ${sign} * sum(ev.closed * c.items),
           ${sign} * sum(ev.closed * c.solved), ${sign} * sum(ev.closed * c.partly), 0,
           ${sign} * sum(ev.closed * c.trained), ${sign} * sum(ev.closed * c.estimated),
           ${sign} * sum(ev.closed * c.confirmed), 0, 0, 0
      from (${events}) ev
      join case_fact f on f.needs_list_id = ev.needs_list_id
      cross join lateral (
        select cat as category,
               count(i.confirmed_item_id)::int as items,
               count(*) filter (where i.result = 'solved')::int as solved,
               count(*) filter (where i.result = 'partly_solved')::int as partly,
               coalesce(sum(i.workers_trained), 0)::int as trained,
               coalesce(sum(i.benefit_estimated), 0) as estimated,
               coalesce(sum(i.benefit_confirmed), 0) as confirmed
          from unnest(f.categories) cat
          left join case_item_fact i on i.needs_list_id = f.needs_list_id and i.category = cat
         group by cat
      ) c
      cross join unnest(f.ancestor_ids) a(org_id)
      cross join lateral ${periodsOf(month)}
     where ev.signed = 0
     group by a.org_id, p.period, c.category`
  return sql`${all} union all ${category}`
}

function stageHoursContribution(cases: CaseFilter, sign: 1 | -1) {
  return sql`
    select a.org_id, p.period, s.stage, ${hoursBucket}, ${sign} * count(*)
      from case_stage_span s
      join case_fact f on f.needs_list_id = s.needs_list_id
      cross join unnest(f.ancestor_ids) a(org_id)
      cross join lateral ${periodsOf(monthOf('s.left_at'))}
     where s.left_at is not null and ${listFilter('s.needs_list_id', cases)}
     group by 1, 2, 3, 4`
}

function slaContribution(cases: CaseFilter, sign: 1 | -1) {
  return sql`
    select a.org_id, p.period, d.stage,
           ${sign} * count(*), ${sign} * count(*) filter (where d.met)
      from case_deadline_fact d
      join case_fact f on f.needs_list_id = d.needs_list_id
      cross join unnest(f.ancestor_ids) a(org_id)
      cross join lateral ${periodsOf(monthOf('d.resolved_at'))}
     where ${listFilter('d.needs_list_id', cases)}
     group by 1, 2, 3`
}

function enterpriseContribution(cases: CaseFilter, sign: 1 | -1) {
  return sql`
    select a.org_id, p.period, f.enterprise_id, ${sign} * count(*)
      from case_fact f
      cross join unnest(f.ancestor_ids) a(org_id)
      cross join lateral ${periodsOf(monthOf('f.closed_at'))}
     where f.closed_at is not null and ${listFilter('f.needs_list_id', cases)}
     group by 1, 2, 3`
}

/** A steward's closures and ratings (by closing month) and deadlines (by resolution). */
function stewardContribution(cases: CaseFilter, sign: 1 | -1) {
  return sql`
    select x.steward_user_id, p.period,
           ${sign} * sum(x.closed), ${sign} * coalesce(sum(x.rating), 0), ${sign} * count(x.rating),
           ${sign} * sum(x.resolved), ${sign} * sum(x.met)
      from (
        select f.steward_user_id, ${monthOf('f.closed_at')} as month,
               1 as closed, f.rating, 0 as resolved, 0 as met
          from case_fact f
         where f.closed_at is not null and f.steward_user_id is not null
           and ${listFilter('f.needs_list_id', cases)}
        union all
        select f.steward_user_id, ${monthOf('d.resolved_at')}, 0, null, 1, d.met::int
          from case_deadline_fact d
          join case_fact f on f.needs_list_id = d.needs_list_id
         where f.steward_user_id is not null and ${listFilter('d.needs_list_id', cases)}
      ) x
      cross join lateral ${periodsOf(sql<string>`x.month`)}
     group by 1, 2`
}

const figuresInsert = sql`insert into org_period_figures
  (org_id, period, dim, key, ${sql.join(FIGURE_COLUMNS.map((c) => sql.ref(c)))})`
const stageHoursInsert = sql`insert into org_period_stage_hours (org_id, period, stage, hours, spans)`
const slaInsert = sql`insert into org_period_sla (org_id, period, stage, resolved, met)`
const enterpriseInsert = sql`insert into org_period_enterprise (org_id, period, enterprise_id, cases)`
const stewardInsert = sql`insert into steward_period_figures
  (steward_user_id, period, ${sql.join(STEWARD_COLUMNS.map((c) => sql.ref(c)))})`

const addTo = (table: string, columns: readonly string[]) =>
  sql.join(
    columns.map(
      (c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`,
    ),
  )

/** Adds (or, with -1, takes away) what the current facts of these cases count for. */
async function applyContribution(trx: DbOrTrx, ids: readonly number[], sign: 1 | -1) {
  await sql`${figuresInsert} ${figuresContribution(ids, sign)}
    on conflict (org_id, period, dim, key) do update
    set ${addTo('org_period_figures', FIGURE_COLUMNS)}`.execute(trx)
  await sql`${stageHoursInsert} ${stageHoursContribution(ids, sign)}
    on conflict (org_id, period, stage, hours) do update
    set ${addTo('org_period_stage_hours', ['spans'])}`.execute(trx)
  await sql`${slaInsert} ${slaContribution(ids, sign)}
    on conflict (org_id, period, stage) do update
    set ${addTo('org_period_sla', ['resolved', 'met'])}`.execute(trx)
  await sql`${enterpriseInsert} ${enterpriseContribution(ids, sign)}
    on conflict (org_id, period, enterprise_id) do update
    set ${addTo('org_period_enterprise', ['cases'])}`.execute(trx)
  await sql`${stewardInsert} ${stewardContribution(ids, sign)}
    on conflict (steward_user_id, period) do update
    set ${addTo('steward_period_figures', STEWARD_COLUMNS)}`.execute(trx)
}

/** Rows left at zero by a case moving away (another period, org or dimension) go. */
async function dropEmptyRows(trx: DbOrTrx, months: readonly string[]) {
  if (months.length === 0) return
  const periods = [...new Set(months.flatMap(periodsOfMonth))]
  const allZero = (columns: readonly string[]) =>
    sql.join(
      columns.map((c) => sql`${sql.ref(c)} = 0`),
      sql` and `,
    )
  await sql`delete from org_period_figures
    where period = any(${periods}) and ${allZero(FIGURE_COLUMNS)}`.execute(trx)
  await sql`delete from org_period_stage_hours where period = any(${periods}) and spans = 0`.execute(
    trx,
  )
  await sql`delete from org_period_sla where period = any(${periods}) and resolved = 0`.execute(trx)
  await sql`delete from org_period_enterprise where period = any(${periods}) and cases = 0`.execute(
    trx,
  )
  await sql`delete from steward_period_figures
    where period = any(${periods}) and ${allZero(STEWARD_COLUMNS)}`.execute(trx)
}

const SUMMARY_TABLES = [
  'org_period_figures',
  'org_period_stage_hours',
  'org_period_sla',
  'org_period_enterprise',
  'steward_period_figures',
]

/** Every summary from scratch. */
async function recomputeAll(trx: DbOrTrx): Promise<void> {
  for (const table of SUMMARY_TABLES) await sql`delete from ${sql.table(table)}`.execute(trx)
  await sql`${figuresInsert} ${figuresContribution('all', 1)}`.execute(trx)
  await sql`${stageHoursInsert} ${stageHoursContribution('all', 1)}`.execute(trx)
  await sql`${slaInsert} ${slaContribution('all', 1)}`.execute(trx)
  await sql`${enterpriseInsert} ${enterpriseContribution('all', 1)}`.execute(trx)
  await sql`${stewardInsert} ${stewardContribution('all', 1)}`.execute(trx)
}

async function stampMonths(trx: DbOrTrx, months: readonly string[], now: Date): Promise<void> {
  if (months.length === 0) return
  await trx
    .insertInto('dashboard_refresh')
    .values(months.map((month) => ({ month, refreshed_at: now })))
    .onConflict((oc) => oc.column('month').doUpdateSet({ refreshed_at: now }))
    .execute()
}

function inTransaction<T>(db: DbOrTrx, work: (trx: DbOrTrx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : (db as Db).transaction().execute(work)
}

export interface RefreshResult {
  /** Cases whose facts were recomputed. */
  cases: number
  /** Months whose summaries were recomputed. */
  months: string[]
}

/**
 * Brings the summaries up to date: cheap (one indexed probe) when nothing is
 * dirty. Readers call it before reading, so figures are always current.
 */
export async function refreshDashboard(db: DbOrTrx, now = new Date()): Promise<RefreshResult> {
  const probe = await db.selectFrom('dashboard_dirty').select('needs_list_id').limit(1).execute()
  if (probe.length === 0) return { cases: 0, months: [] }
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(trx)
    const dirty = await trx.deleteFrom('dashboard_dirty').returning('needs_list_id').execute()
    if (dirty.length === 0) return { cases: 0, months: [] }
    const ids = dirty.map((d) => d.needs_list_id)
    const before = await monthsOfCases(trx, ids)
    await applyContribution(trx, ids, -1)
    await deleteFacts(trx, ids)
    await insertFacts(trx, ids)
    await applyContribution(trx, ids, 1)
    const after = await monthsOfCases(trx, ids)
    const months = [...new Set([...before, ...after])].sort()
    await dropEmptyRows(trx, months)
    await stampMonths(trx, months, now)
    return { cases: ids.length, months }
  })
}

/** Recomputes every fact and every month from scratch (after bulk loads, or to verify). */
export async function rebuildDashboard(db: DbOrTrx, now = new Date()): Promise<RefreshResult> {
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(trx)
    await trx.deleteFrom('dashboard_dirty').execute()
    await deleteFacts(trx, 'all')
    await insertFacts(trx, 'all')
    await recomputeAll(trx)
    const months = (await monthsOfCases(trx, 'all')).sort()
    await trx.deleteFrom('dashboard_refresh').execute()
    await stampMonths(trx, months, now)
    const { count } = await trx
      .selectFrom('case_fact')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow()
    return { cases: Number(count), months }
  })
}

/** When the summaries last changed (the epoch when they never have). */
export async function dashboardAsOf(db: DbOrTrx): Promise<Date> {
  const row = await db
    .selectFrom('dashboard_refresh')
    .select((eb) => eb.fn.max('refreshed_at').as('at'))
    .executeTakeFirst()
  return row?.at ? new Date(row.at) : new Date(0)
}
