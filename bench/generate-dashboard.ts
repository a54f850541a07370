/**
 * Generates the national data set of the dashboard benchmark into a database
 * of its own (zhuqi_bench_dashboard) on a real PostgreSQL:
 *
 * - the intake data set's 3,000-org tree, coordinators, stewards with
 *   profiles and 60,000 enterprises (bench/generate-intake.ts), plus a
 *   federation admin at the root, every province and every city;
 * - 50,000 experts from the talent generator (bench/generate-talent.ts), with
 *   their honours, managed by cities (80 %), provinces and mid-level unions;
 * - 200,000 needs lists over 2026: 80 % served to the end (68 % archived,
 *   12 % closed and waiting for the archive run), the rest in every open
 *   stage (some past their deadline), drafts, returned, rejected and withdrawn;
 * - per list: 1–4 items, confirmed once approved; proposals, invitations
 *   (pending ones with a deadline while inviting), the pairing meeting,
 *   pairings and the agreement; 1–3 visits with the paired experts and the
 *   steward as members (held ones checked in); an outcome per item
 *   (results, estimated/confirmed benefit, workers trained); the enterprise's
 *   service rating (90 % of closed cases; the rest closed by the feedback
 *   deadline) and expert ratings;
 * - the needs-list workflow: one workflow_instance per list, ≥ 2.5 million
 *   workflow_event rows walking NEEDS_LIST_STATES with increasing timestamps
 *   (plus edits, re-runs, further visits and outcomes, and fired deadlines),
 *   and a reminder and a breach workflow_timer per deadline stage entered
 *   (fired when the stay outlasted it, cancelled when the case moved on in
 *   time, pending for the current stage).
 *
 * Everything but the org rows and the experts is written with INSERT … SELECT
 * over generate_series on one loading session with the dashboard triggers
 * bypassed (session_replication_role = replica); the summaries are then built
 * in one go by rebuildDashboard (db/queries/dashboard/refresh.ts).
 *
 *   npx tsx bench/generate-dashboard.ts      # (re)creates zhuqi_bench_dashboard and keeps it
 *   BENCH_DATABASE_URL=postgres://… to use another server
 *
 * Names are invented ("模拟…"). Deterministic: no random(); spreads come from
 * hashint8 of the row's number and a salt, and the talent generator is seeded.
 */
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { connectPostgres, type Db } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { rebuildDashboard } from '#db/queries/dashboard/refresh.ts'
import type { Database } from '#db/schema.ts'
import {
  benchUrl,
  dropDatabase,
  existingVersion,
  loadOrgsPeopleEnterprises,
  orgTree,
  recreateDatabase,
  SIZES,
  step,
} from './generate-intake.ts'
import { generateTalent } from './generate-talent.ts'

export const DASHBOARD_DATABASE = 'zhuqi_bench_dashboard'
/** Bump when the generated shape changes, so a kept database is regenerated. */
export const DASHBOARD_GENERATOR_VERSION = 2

export const DASHBOARD_SIZES = {
  needsLists: 200_000,
  experts: 50_000,
} as const

/** The data set's "now": every generated instant lies before it. */
export const DATA_NOW = new Date('2026-11-28T10:00:00Z')
const YEAR_START = '2026-01-01T00:00:00+08:00'

export const dashboardUrl = () => benchUrl(DASHBOARD_DATABASE)
export const dashboardVersion = () => existingVersion(DASHBOARD_DATABASE)
export const dropDashboardDatabase = () => dropDatabase(DASHBOARD_DATABASE)

type Log = (s: string) => void

/**
 * The loading session: one connection, user triggers off (the dirty marking
 * would queue every case; the rebuild reads them all anyway), a large
 * work_mem for the window sorts, no waiting on the WAL flush.
 */
function loader(): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: dashboardUrl(),
    max: 1,
    options:
      '-c session_replication_role=replica -c work_mem=256MB -c maintenance_work_mem=512MB -c synchronous_commit=off',
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/** Uniform in [0, 1) from a row number and a salt (deterministic, no shared state). */
const U_FUNCTION = sql`
  create function bench_u(a bigint, salt int) returns float8
  language sql immutable parallel safe
  as $$ select (hashint8(a * 1000 + salt)::float8 + 2147483648) / 4294967296 $$`

async function loadUsers(db: Kysely<Database>) {
  // Federation admins (the dashboards' viewers) at the root, provinces and cities.
  await sql`insert into app_user (email, name, password_hash)
    select 'admin-' || o.id || '@bench.zhuqi.test', '模拟管理员' || o.id, 'bench-no-login'
    from union_org o where o.depth <= 2`.execute(db)
  await sql`insert into membership (user_id, org_id, role)
    select u.id, replace(split_part(u.email, '@', 1), 'admin-', '')::int, 'federation_admin'
    from app_user u where u.email like 'admin-%'`.execute(db)
}

async function loadExperts(db: Kysely<Database>) {
  const talent = generateTalent({ items: 0, experts: DASHBOARD_SIZES.experts, seed: 20261129 })
  const orgs = orgTree()
  const cities = orgs.filter((o) => o.kind === 'city_federation')
  const provinces = orgs.filter((o) => o.kind === 'provincial_federation')
  const mids = orgs.filter((o) => o.depth === 3)
  const orgOf = (i: number) =>
    i % 10 < 8
      ? (cities[(i * 7) % cities.length]?.id as number)
      : i % 10 === 8
        ? (provinces[i % provinces.length]?.id as number)
        : (mids[(i * 13) % mids.length]?.id as number)
  const CHUNK = 10_000
  for (let from = 0; from < talent.candidates.length; from += CHUNK) {
    const chunk = talent.candidates.slice(from, from + CHUNK)
    const ids = chunk.map((_, k) => from + k + 1)
    await sql`insert into expert (id, org_id, name, gender, mobile, employer, job_title, districts, parks, weekdays, capacity, status)
      overriding system value
      select t.id, t.org_id, t.name, case when t.id % 5 = 0 then 'female' else 'male' end,
             '199' || lpad(t.id::text, 8, '0'), '模拟制造企业' || (t.id % 997), '高级技师',
             coalesce(string_to_array(nullif(t.districts, ''), ','), '{}'),
             coalesce(string_to_array(nullif(t.parks, ''), ','), '{}'),
             string_to_array(t.weekdays, ',')::int[], t.capacity,
             case when t.id % 20 = 0 then 'paused' else 'active' end
      from unnest(${ids}::int[], ${ids.map(orgOf)}::int[], ${chunk.map((c) => c.name)}::text[],
                  ${chunk.map((c) => c.districts.join(','))}::text[], ${chunk.map((c) => c.parks.join(','))}::text[],
                  ${chunk.map((c) => c.weekdays.join(','))}::text[], ${chunk.map((c) => c.capacity)}::int[])
        as t(id, org_id, name, districts, parks, weekdays, capacity)`.execute(db)
    const honours = chunk.flatMap((c, k) =>
      c.honours.map((h) => ({ id: from + k + 1, type: h.type, level: h.level, year: h.year })),
    )
    if (honours.length > 0) {
      await sql`insert into expert_honour (expert_id, type, level, year)
        select * from unnest(${honours.map((h) => h.id)}::int[], ${honours.map((h) => h.type)}::text[],
                             ${honours.map((h) => h.level)}::text[], ${honours.map((h) => h.year)}::int[])`.execute(
        db,
      )
    }
  }
  await sql`select setval(pg_get_serial_sequence('expert', 'id'), (select max(id) from expert))`.execute(
    db,
  )
  // Experts by province, numbered, so a case draws its experts from its own province.
  await sql`create table bench_expert as
    select split_part(o.path, '/', 3)::int as province_id,
           (row_number() over (partition by split_part(o.path, '/', 3) order by e.id) - 1)::int as k,
           e.id as expert_id, e.name
    from expert e join union_org o on o.id = e.org_id`.execute(db)
  await sql`create index on bench_expert (province_id, k)`.execute(db)
  await sql`create table bench_expert_count as
    select province_id, count(*)::int as n from bench_expert group by province_id`.execute(db)
}

/**
 * The happy path of a needs list (NEEDS_LIST_STATES), one row per event, with
 * how long the case then stays in the state it entered (hours: a uniform
 * range, and a share drawn from a longer tail), and the deadline (SLA stage,
 * working days ≈ 1.4 calendar days each) of that state when it has one.
 */
async function loadPath(db: Kysely<Database>) {
  await sql`create table bench_path (
      k int primary key, event_type text, from_state text, to_state text, actor_role text,
      lo float8, hi float8, tail_p float8, tail_lo float8, tail_hi float8,
      sla text, wd int, remind_wd int)`.execute(db)
  await sql`insert into bench_path values
    (0, 'CREATE', null, 'draft', 'enterprise_contact', 1, 72, 0, 0, 0, null, null, null),
    (1, 'SUBMIT', 'draft', 'submitted', 'enterprise_contact', 1, 80, 0.12, 100, 220, 'triage', 3, 1),
    (2, 'ACCEPT', 'submitted', 'awaiting_steward', 'coordinator', 1, 48, 0.10, 70, 150, 'steward_assignment', 2, 1),
    (3, 'ASSIGN_STEWARD', 'awaiting_steward', 'confirming', 'coordinator', 4, 60, 0.15, 70, 200, 'needs_confirmation', 2, 1),
    (4, 'PROPOSE', 'confirming', 'awaiting_approval', 'steward', 2, 120, 0.08, 170, 320, 'enterprise_approval', 5, 1),
    (5, 'APPROVE', 'awaiting_approval', 'ready_for_matching', 'enterprise_contact', 1, 48, 0, 0, 0, null, null, null),
    (6, 'MATCH', 'ready_for_matching', 'matching', 'steward', 1, 72, 0, 0, 0, null, null, null),
    (7, 'SEND_INVITATIONS', 'matching', 'inviting', 'steward', 24, 120, 0, 0, 0, null, null, null),
    (8, 'SCHEDULE_MEETING', 'inviting', 'pairing', 'steward', 24, 168, 0, 0, 0, null, null, null),
    (9, 'CONFIRM_PAIRING', 'pairing', 'paired', 'steward', 24, 150, 0.12, 170, 350, 'visit_scheduling', 5, 1),
    (10, 'SCHEDULE_VISIT', 'paired', 'in_service', 'steward', 168, 1080, 0, 0, 0, null, null, null),
    (11, 'RECORD_OUTCOME', 'in_service', 'outcomes', 'steward', 24, 240, 0, 0, 0, null, null, null),
    (12, 'REQUEST_FEEDBACK', 'outcomes', 'feedback', 'steward', 10, 200, 0, 0, 0, 'feedback', 7, 2),
    (13, 'RATE', 'feedback', 'closed', 'enterprise_contact', 24, 480, 0, 0, 0, null, null, null),
    (14, 'ARCHIVE', 'closed', 'archived', 'system', 0, 0, 0, 0, 0, null, null, null)`.execute(db)
  // Per-mille bands of the final status; final_k is the path event that led there.
  await sql`create table bench_band (lo int, hi int, band text, final_k int)`.execute(db)
  await sql`insert into bench_band values
    (0, 680, 'archived', 14), (680, 800, 'closed', 13),
    (800, 810, 'draft', 0), (810, 825, 'submitted', 1), (825, 830, 'returned', 2),
    (830, 840, 'rejected', 2), (840, 850, 'withdrawn', null), (850, 860, 'awaiting_steward', 2),
    (860, 875, 'confirming', 3), (875, 885, 'awaiting_approval', 4),
    (885, 900, 'ready_for_matching', 5), (900, 910, 'matching', 6), (910, 925, 'inviting', 7),
    (925, 935, 'pairing', 8), (935, 950, 'paired', 9), (950, 975, 'in_service', 10),
    (975, 990, 'outcomes', 11), (990, 1000, 'feedback', 12)`.execute(db)
}

async function loadCases(db: Kysely<Database>) {
  const n = DASHBOARD_SIZES.needsLists
  // One row per case: where it sits, who works it, how far it got.
  await sql`create table bench_case as
    select g + 1 as id, g, e.id as enterprise_id,
           case when g % 33 = 0 then l.city_id else e.org_id end as org_id,
           l.city_id, split_part(o.path, '/', 3)::int as province_id,
           coalesce(e.steward_user_id, sp.user_id) as steward_id,
           cu.id as coordinator_id,
           b.band,
           coalesce(b.final_k, 1 + (g % 8)) as final_k,
           case when b.band in ('returned', 'rejected', 'withdrawn')
                then coalesce(b.final_k, 1 + (g % 8)) - 1 else b.final_k end as top_k,
           bench_u(g, 50) >= 0.1 as rated,
           case when bench_u(g, 60) < 0.30 then 1 when bench_u(g, 60) < 0.65 then 2
                when bench_u(g, 60) < 0.85 then 3 else 4 end as n_items,
           case when bench_u(g, 61) < 0.70 then 1 when bench_u(g, 61) < 0.90 then 2 else 3 end as n_visits
    from generate_series(0::bigint, ${n - 1}) g
    join enterprise e on e.id = 1 + (g * 104729) % ${SIZES.enterprises}
    join bench_leaf l on l.org_id = e.org_id
    join union_org o on o.id = e.org_id
    left join steward_profile sp on sp.org_id = e.org_id
    left join app_user cu on cu.email = 'coord-' || l.city_id || '@bench.zhuqi.test'
    join bench_band b on (g * 389) % 1000 >= b.lo and (g * 389) % 1000 < b.hi`.execute(db)
  await sql`alter table bench_case add primary key (id)`.execute(db)

  // Every stay: the planned length (hrs) and the part that happened (len):
  // all of it for stays the case left, part of it for the current one.
  await sql`create table bench_stay as
    select c.id, p.k, p.sla, p.wd, p.remind_wd,
           h.hrs,
           case when p.k < c.final_k then h.hrs
                when c.band = 'archived' then 0
                when c.band = 'closed' then bench_u(c.g, 70) * 480
                when c.band in ('archived', 'rejected', 'withdrawn', 'returned') then bench_u(c.g, 70) * 24 * 150
                else h.hrs * bench_u(c.g, 70) end as len
    from bench_case c
    join bench_path p on p.k <= c.final_k
    cross join lateral (select case
        -- Closed without a rating: the feedback deadline closed it.
        when p.k = 12 and not c.rated then p.wd * 33.6
        when bench_u(c.g, 100 + p.k) < p.tail_p
          then p.tail_lo + bench_u(c.g, 200 + p.k) * (p.tail_hi - p.tail_lo)
        else p.lo + bench_u(c.g, 300 + p.k) * (p.hi - p.lo) end as hrs) h`.execute(db)
  await sql`create table bench_off as
    select id, k,
           coalesce(sum(len) over (partition by id order by k rows between unbounded preceding and 1 preceding), 0) as off_h
    from bench_stay`.execute(db)
  await sql`alter table bench_off add primary key (id, k)`.execute(db)
  // The first event's time: archived cases spread over the year; the others
  // end "now" (their current stay's length back from the data set's now).
  await sql`alter table bench_case add column t0 timestamptz`.execute(db)
  await sql`update bench_case c set t0 = case
      when c.band = 'archived' then ${YEAR_START}::timestamptz
        + bench_u(c.g, 80) * (${DATA_NOW}::timestamptz - interval '2 days' - ${YEAR_START}::timestamptz
                              - (o.off_h + s.len) * interval '1 hour')
      else ${DATA_NOW}::timestamptz - (o.off_h + s.len) * interval '1 hour' end
    from bench_off o, bench_stay s
    where o.id = c.id and o.k = c.final_k and s.id = c.id and s.k = c.final_k`.execute(db)
  await sql`create table bench_t as
    select s.id, s.k, s.sla, s.wd, s.remind_wd, s.len,
           c.t0 + o.off_h * interval '1 hour' as t,
           c.t0 + (o.off_h + s.len) * interval '1 hour' as t_end
    from bench_stay s join bench_off o using (id, k) join bench_case c on c.id = s.id`.execute(db)
  await sql`alter table bench_t add primary key (id, k)`.execute(db)
  await sql`drop table bench_stay`.execute(db)
  await sql`drop table bench_off`.execute(db)
}

async function loadNeedsLists(db: Kysely<Database>) {
  const n = DASHBOARD_SIZES.needsLists
  await sql`insert into needs_list (id, enterprise_id, org_id, title, status, created_by, submitted_at,
                                    steward_user_id, stage_entered_at, due_at, closed_at, archived_at,
                                    created_at, updated_at)
    overriding system value
    select c.id, c.enterprise_id, c.org_id, '模拟需求清单' || c.id, c.band, 1,
           case when c.top_k >= 1 then t1.t end,
           case when c.top_k >= 3 then c.steward_id end,
           tf.t,
           case when c.band not in ('archived', 'closed', 'rejected', 'withdrawn', 'returned', 'draft')
                 and tf.sla is not null then tf.t + tf.wd * interval '33.6 hours' end,
           case when c.band in ('archived', 'closed') then t13.t end,
           case when c.band = 'archived' then tf.t end,
           c.t0, tf.t
    from bench_case c
    join bench_t tf on tf.id = c.id and tf.k = c.final_k
    left join bench_t t1 on t1.id = c.id and t1.k = 1
    left join bench_t t13 on t13.id = c.id and t13.k = 13`.execute(db)
  await sql`select setval(pg_get_serial_sequence('needs_list', 'id'), ${n})`.execute(db)

  const categories = sql`(array['tech_breakthrough','equipment_diagnosis','process_improvement','skills_training',
    'management','safety','new_energy','digital','occupational_health','other'])`
  await sql`insert into need_item (needs_list_id, position, category, title, description, urgency, headcount, mode)
    select c.id, p - 1, ${categories}[1 + (c.id * 31 + p * 7) % 10],
           '模拟需求事项' || p, '模拟需求描述：设备诊断、工艺改进或技能培训',
           (array['low','normal','high','urgent'])[1 + (c.id + p) % 4], 1 + (c.id + p) % 3,
           (array['onsite','remote','either'])[1 + (c.id * p) % 3]
    from bench_case c cross join generate_series(1, c.n_items) p`.execute(db)
  // Confirmed once the enterprise approved (APPROVE, k = 5).
  await sql`insert into confirmed_item (needs_list_id, revision, position, category, title, description,
                                        urgency, headcount, mode)
    select i.needs_list_id, 1, i.position, i.category, i.title, i.description, i.urgency, i.headcount, i.mode
    from need_item i join bench_case c on c.id = i.needs_list_id
    where c.top_k >= 5
    order by i.needs_list_id, i.position`.execute(db)
}

async function loadDelivery(db: Kysely<Database>) {
  // The expert of each confirmed item, from the case's province.
  await sql`create table bench_item as
    select ci.id as item_id, ci.needs_list_id as id, ci.position, ci.category, be.expert_id, be.name as expert_name
    from confirmed_item ci
    join bench_case c on c.id = ci.needs_list_id
    join bench_expert_count n on n.province_id = c.province_id
    join bench_expert be on be.province_id = c.province_id
      and be.k = floor(bench_u(ci.id, 400) * n.n)::int`.execute(db)
  await sql`alter table bench_item add primary key (item_id)`.execute(db)

  // Invitations from the first matching run (SEND_INVITATIONS, k = 7).
  await sql`insert into resource_proposal (id, needs_list_id, confirmed_item_id, expert_id, score, source, status, created_at, updated_at)
    overriding system value
    select i.item_id, i.id, i.item_id, i.expert_id, 0.5 + bench_u(i.item_id, 401) / 2, 'engine',
           case when c.top_k >= 8 or i.position = 0 then 'accepted' else 'invited' end,
           t6.t, t7.t
    from bench_item i join bench_case c on c.id = i.id
    join bench_t t6 on t6.id = c.id and t6.k = 6
    join bench_t t7 on t7.id = c.id and t7.k = 7
    where c.top_k >= 7`.execute(db)
  // While inviting, the first invitation is accepted and the others wait, some past their deadline.
  await sql`insert into invitation (id, proposal_id, needs_list_id, confirmed_item_id, expert_id, status,
                                    due_at, responded_at, created_at, updated_at)
    overriding system value
    select r.id, r.id, r.needs_list_id, r.confirmed_item_id, r.expert_id,
           case when r.status = 'accepted' then 'accepted' else 'pending' end,
           case when r.status = 'accepted' then null
                else t7.t + interval '100.8 hours' * (0.3 + bench_u(r.id, 402)) end,
           case when r.status = 'accepted' then t7.t + t7.len * bench_u(r.id, 403) * interval '1 hour' end,
           t7.t, t7.t
    from resource_proposal r join bench_t t7 on t7.id = r.needs_list_id and t7.k = 7`.execute(db)
  await sql`select setval(pg_get_serial_sequence('resource_proposal', 'id'), (select max(id) from resource_proposal)),
                    setval(pg_get_serial_sequence('invitation', 'id'), (select max(id) from invitation))`.execute(
    db,
  )
  await sql`insert into pairing_meeting (needs_list_id, held_at, place, attendees, recorded_by, created_at)
    select c.id, t8.t + t8.len * 0.6 * interval '1 hour', '模拟会议室', '[]'::jsonb, c.steward_id, t8.t
    from bench_case c join bench_t t8 on t8.id = c.id and t8.k = 8
    where c.top_k >= 8`.execute(db)
  await sql`insert into pairing (needs_list_id, confirmed_item_id, invitation_id, expert_id, decision, created_at)
    select i.id, i.item_id, i.item_id, i.expert_id, '一一配对', t9.t
    from bench_item i join bench_case c on c.id = i.id
    join bench_t t9 on t9.id = c.id and t9.k = 9
    where c.top_k >= 9`.execute(db)
  await sql`insert into agreement (needs_list_id, number, term_start, term_end, content, generated_by, created_at)
    select c.id, 'MNXY-2026-' || lpad(c.id::text, 6, '0'),
           to_char(t9.t at time zone 'Asia/Shanghai', 'YYYY-MM-DD'),
           to_char((t9.t + interval '180 days') at time zone 'Asia/Shanghai', 'YYYY-MM-DD'),
           '{}'::jsonb, c.steward_id, t9.t + t9.len * 0.1 * interval '1 hour'
    from bench_case c join bench_t t9 on t9.id = c.id and t9.k = 9
    where c.top_k >= 9`.execute(db)

  // Visits spread over the stay in service; held ones are checked in. The
  // last of several is sometimes cancelled; a case still in service has its
  // last visit ahead.
  await sql`insert into visit (needs_list_id, sequence, kind, starts_at, duration_minutes, place, status,
                               checked_in_at, checked_in_by, created_by, created_at, updated_at)
    select c.id, j,
           case when j = 1 then 'inspection' when j = 3 then 'training' else 'follow_up' end,
           v.starts_at, 120 + 30 * ((c.id + j) % 5), '模拟企业厂区', v.status,
           case when v.status = 'report_confirmed' then v.starts_at + interval '10 minutes' end,
           case when v.status = 'report_confirmed' then c.steward_id end,
           c.steward_id, v.created_at, v.starts_at
    from bench_case c
    join bench_t t10 on t10.id = c.id and t10.k = 10
    cross join generate_series(1, c.n_visits) j
    cross join lateral (select
        t10.t + t10.len * ((j - 1)::float8 / c.n_visits) * interval '1 hour' as created_at,
        case when c.band = 'in_service' and j = c.n_visits
             then ${DATA_NOW}::timestamptz + interval '2 days' + (c.id % 48) * interval '1 hour'
             else t10.t + t10.len * ((j - 1 + 0.2 + 0.6 * bench_u(c.id * 10 + j, 404)) / c.n_visits) * interval '1 hour'
        end as starts_at,
        case when c.band = 'in_service' and j = c.n_visits then 'scheduled'
             when j = c.n_visits and j > 1 and bench_u(c.id, 405) < 0.1 then 'cancelled'
             else 'report_confirmed' end as status) v
    where c.top_k >= 10`.execute(db)
  await sql`insert into visit_member (visit_id, role, user_id, expert_id, name)
    select v.id, 'expert', null, i.expert_id, i.expert_name
    from visit v join (select distinct on (id, expert_id) id, expert_id, expert_name from bench_item) i
      on i.id = v.needs_list_id
    union all
    select v.id, 'steward', c.steward_id, null, '模拟管家' || c.steward_id
    from visit v join bench_case c on c.id = v.needs_list_id`.execute(db)

  // Outcomes: every item once the case went to feedback, the first half while recording.
  await sql`insert into item_outcome (needs_list_id, confirmed_item_id, result, description, benefit_yuan,
                                      benefit_status, benefit_basis, workers_trained, person_times,
                                      patents, innovations, recorded_by, recorded_at, updated_at)
    select i.id, i.item_id,
           case when bench_u(i.item_id, 500) < 0.55 then 'solved'
                when bench_u(i.item_id, 500) < 0.80 then 'partly_solved'
                when bench_u(i.item_id, 500) < 0.90 then 'not_feasible' else 'transferred' end,
           '模拟服务成效：排查隐患、改进工艺、培训职工',
           case when bench_u(i.item_id, 501) >= 0.35
                then round((5000 + power(bench_u(i.item_id, 502), 2) * 495000)::numeric, 2) end,
           case when bench_u(i.item_id, 501) >= 0.70 then 'confirmed'
                when bench_u(i.item_id, 501) >= 0.35 then 'estimated' end,
           case when bench_u(i.item_id, 501) >= 0.35 then '模拟测算' end,
           floor(bench_u(i.item_id, 503) * 60)::int,
           floor(bench_u(i.item_id, 503) * 60)::int + 2,
           case when bench_u(i.item_id, 504) < 0.05 then 1 else 0 end,
           case when bench_u(i.item_id, 505) < 0.15 then 1 else 0 end,
           c.steward_id, r.at, r.at
    from bench_item i join bench_case c on c.id = i.id
    join bench_t t11 on t11.id = c.id and t11.k = 11
    cross join lateral (select t11.t + t11.len * (i.position::float8 / c.n_items) * interval '1 hour' as at) r
    where c.top_k >= 12 or (c.top_k = 11 and i.position < (c.n_items + 1) / 2)`.execute(db)
  await sql`insert into service_rating (needs_list_id, enterprise_id, scores, average, comment, rated_by, rated_at)
    select c.id, c.enterprise_id,
           jsonb_build_object('responsiveness', s.a, 'expertise', s.b, 'attitude', s.c, 'effect', s.d),
           round((s.a + s.b + s.c + s.d) / 4.0, 2), '模拟评价：服务及时、专业', 1, t13.t
    from bench_case c join bench_t t13 on t13.id = c.id and t13.k = 13
    cross join lateral (select 3 + floor(bench_u(c.id, 600) * 2.999)::int as a,
                               3 + floor(bench_u(c.id, 601) * 2.999)::int as b,
                               4 + floor(bench_u(c.id, 602) * 1.999)::int as c,
                               3 + floor(bench_u(c.id, 603) * 2.999)::int as d) s
    where c.top_k >= 13 and c.rated`.execute(db)
  await sql`insert into expert_rating (expert_id, enterprise_id, needs_list_id, score, rated_at)
    select i.expert_id, c.enterprise_id, c.id, round((3 + bench_u(i.item_id, 604) * 2)::numeric, 2), t13.t
    from bench_item i join bench_case c on c.id = i.id
    join bench_t t13 on t13.id = c.id and t13.k = 13
    where c.top_k >= 13 and c.rated`.execute(db)
}

async function loadWorkflow(db: Kysely<Database>) {
  await sql`insert into workflow_instance (id, subject_type, subject_id, machine_id, machine_version, state, snapshot, version, updated_at)
    overriding system value
    select c.id, 'needs_list', c.id, 'needs-list', 4, c.band,
           jsonb_build_object('status', case when c.band in ('archived', 'rejected', 'withdrawn') then 'done' else 'active' end,
             'value', c.band, 'historyValue', '{}'::jsonb, 'children', '{}'::jsonb,
             'context', jsonb_build_object('round', 1, 'returnReason', null, 'closeReason', null,
               'edits', 0, 'stageEntry', 1, 'deadlinesFired', '[]'::jsonb,
               'stewardId', case when c.top_k >= 3 then c.steward_id end, 'pairedUserIds', '[]'::jsonb,
               'proposedRevision', null, 'approvedRevision', null)),
           1, ${DATA_NOW}::timestamptz
    from bench_case c`.execute(db)
  await sql`select setval(pg_get_serial_sequence('workflow_instance', 'id'), ${DASHBOARD_SIZES.needsLists})`.execute(
    db,
  )

  // A reminder and a breach timer for every entry into a deadline stage.
  await sql`create table bench_timer as
    select t.id, t.k, t.sla, row_number() over (partition by t.id order by t.k)::int as entry,
           ph.phase, ph.due_at, t.t as created_at,
           -- The feedback breach that closed an unrated case ends the stay exactly.
           case when (ph.due_at < t.t_end or (t.k = 12 and ph.phase = 'breach' and not c.rated and c.top_k >= 13))
                 and (t.k < c.final_k or ph.due_at <= ${DATA_NOW}::timestamptz) then 'fired'
                when t.k < c.final_k then 'cancelled' else 'pending' end as status,
           least(ph.due_at, t.t_end) as updated_at
    from bench_t t join bench_case c on c.id = t.id
    cross join lateral (values
        ('remind', t.t + (t.wd - t.remind_wd) * interval '33.6 hours'),
        ('breach', t.t + t.wd * interval '33.6 hours')) ph(phase, due_at)
    where t.sla is not null and t.k <= c.top_k`.execute(db)
  await sql`insert into workflow_timer (workflow_id, stage, entry, phase, due_at, outbox_id, status, created_at, updated_at)
    select id, sla, entry, phase, due_at, 0, status, created_at,
           case when status = 'pending' then created_at else updated_at end
    from bench_timer order by id, entry, phase`.execute(db)

  // The audit trail, unordered first, numbered (version) per case by time.
  await sql`create unlogged table bench_ev (
      id int, at timestamptz, ord int, event_type text, from_state text, to_state text,
      actor_role text, payload jsonb)`.execute(db)
  await sql`insert into bench_ev
    select c.id, t.t, t.k * 10,
           case when t.k = c.final_k and c.band = 'returned' then 'RETURN'
                when t.k = c.final_k and c.band = 'rejected' then 'REJECT'
                when t.k = c.final_k and c.band = 'withdrawn' then 'WITHDRAW'
                when t.k = 13 and not c.rated then 'DEADLINE'
                else p.event_type end,
           p.from_state,
           case when t.k = c.final_k and c.band in ('returned', 'rejected', 'withdrawn') then c.band
                else p.to_state end,
           case when t.k = c.final_k and c.band = 'withdrawn' then 'enterprise_contact'
                when t.k = 13 and not c.rated then 'system'
                else p.actor_role end,
           case when t.k = 13 and not c.rated
                then jsonb_build_object('stage', 'feedback', 'phase', 'breach')
                else '{}'::jsonb end
    from bench_t t join bench_case c on c.id = t.id join bench_path p on p.k = t.k`.execute(db)
  // Fired deadlines (the feedback breach that closed a case is its closing event).
  await sql`insert into bench_ev
    select m.id, m.due_at, m.k * 10 + case when m.phase = 'remind' then 1 else 2 end,
           'DEADLINE', p.to_state, p.to_state, 'system',
           jsonb_build_object('stage', m.sla, 'phase', m.phase, 'entry', m.entry)
    from bench_timer m join bench_path p on p.k = m.k
    where m.status = 'fired' and not (m.sla = 'feedback' and m.phase = 'breach'
      and exists (select 1 from bench_case c where c.id = m.id and not c.rated and c.top_k >= 13))`.execute(
    db,
  )
  // Work inside a stage: edits of drafts, steward revisions, matching re-runs,
  // the agreement, later visits and outcomes.
  await sql`insert into bench_ev
    select t.id, t.t + t.len * x.f * interval '1 hour', t.k * 10 + 5, x.event_type, x.state, x.state, x.role, '{}'::jsonb
    from bench_t t join bench_case c on c.id = t.id
    cross join lateral (values
        (0, 'EDIT', 'draft', 'enterprise_contact', 0.5, 0.4),
        (3, 'REVISE', 'confirming', 'steward', 0.5, 0.3),
        (6, 'MATCH', 'matching', 'steward', 0.5, 0.2),
        (9, 'GENERATE_AGREEMENT', 'paired', 'steward', 0.1, 1.0)) x(k, event_type, state, role, f, share)
    where x.k = t.k and bench_u(t.id, 700 + t.k) < x.share
      and t.k <= c.top_k and not (t.k = c.final_k and c.band in ('archived', 'closed'))`.execute(db)
  await sql`insert into bench_ev
    select v.needs_list_id, v.created_at, 100 + v.sequence, 'SCHEDULE_VISIT', 'in_service', 'in_service',
           'steward', jsonb_build_object('visitId', v.id)
    from visit v where v.sequence > 1`.execute(db)
  await sql`insert into bench_ev
    select o.needs_list_id, o.recorded_at, 110 + i.position, 'RECORD_OUTCOME', 'outcomes', 'outcomes',
           'steward', jsonb_build_object('itemId', o.confirmed_item_id)
    from item_outcome o join bench_item i on i.item_id = o.confirmed_item_id
    where i.position > 0`.execute(db)
  await sql`insert into workflow_event (workflow_id, subject_type, subject_id, event_type, actor_user_id,
                                        actor_role, from_state, to_state, version, payload, at)
    select e.id, 'needs_list', e.id, e.event_type,
           case e.actor_role when 'enterprise_contact' then 1 when 'coordinator' then c.coordinator_id
                             when 'steward' then c.steward_id end,
           e.actor_role, e.from_state, e.to_state,
           row_number() over (partition by e.id order by e.at, e.ord)::int, e.payload, e.at
    from bench_ev e join bench_case c on c.id = e.id
    order by e.id, e.at, e.ord`.execute(db)
  await sql`update workflow_instance w set version = x.n
    from (select workflow_id, max(version) as n from workflow_event group by workflow_id) x
    where x.workflow_id = w.id`.execute(db)
}

/**
 * Drops and recreates the database, migrates it and fills it. Returns the
 * connected handle (the dashboard summaries are left to rebuildDashboard).
 */
export async function generateDashboard(log: Log = console.log): Promise<Db> {
  await recreateDatabase(DASHBOARD_DATABASE)
  const db = connectPostgres(dashboardUrl(), { max: 4 }).db
  const t0 = performance.now()
  log(
    `generating ${DASHBOARD_DATABASE} (${DASHBOARD_SIZES.needsLists} needs lists, ${DASHBOARD_SIZES.experts} experts, 3,000 orgs)…`,
  )
  await step('migrations', () => migrateToLatest(db), log)
  const load = loader()
  try {
    await sql`drop function if exists bench_u(bigint, int)`.execute(load)
    await U_FUNCTION.execute(load)
    await loadOrgsPeopleEnterprises(load as Db, log)
    await step('federation admins', () => loadUsers(load), log)
    await step('experts', () => loadExperts(load), log)
    await step('case timelines', () => loadPath(load).then(() => loadCases(load)), log)
    await step('needs lists and items', () => loadNeedsLists(load), log)
    await step('invitations, pairings, visits, outcomes, ratings', () => loadDelivery(load), log)
    await step('workflow rows, timers, audit events', () => loadWorkflow(load), log)
    await step(
      'analyze',
      async () => {
        for (const t of [
          'bench_path',
          'bench_band',
          'bench_case',
          'bench_t',
          'bench_item',
          'bench_timer',
          'bench_ev',
          'bench_expert',
          'bench_expert_count',
        ]) {
          await sql`drop table ${sql.table(t)}`.execute(load)
        }
        await sql`drop function bench_u(bigint, int)`.execute(load)
        await sql`insert into bench_meta values ('version', ${String(DASHBOARD_GENERATOR_VERSION)})`.execute(
          load,
        )
        await sql`vacuum analyze`.execute(load)
      },
      log,
    )
  } finally {
    await load.destroy()
  }
  const counts = await sql<{ t: string; n: number }>`
    select 'needs lists' as t, count(*)::int as n from needs_list
    union all select 'closed', count(*)::int from needs_list where closed_at is not null
    union all select 'audit events', count(*)::int from workflow_event
    union all select 'timers', count(*)::int from workflow_timer
    union all select 'visits', count(*)::int from visit
    union all select 'experts', count(*)::int from expert`.execute(db)
  log(`  ${counts.rows.map((r) => `${r.t} ${r.n.toLocaleString('en')}`).join(', ')}`)
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return db
}

/** Builds every dashboard summary from scratch; returns how long it took (ms). */
export async function rebuildSummaries(db: Db, log: Log = console.log): Promise<number> {
  const t0 = performance.now()
  await rebuildDashboard(db)
  const ms = performance.now() - t0
  log(`  ${'rebuildDashboard'.padEnd(34)} ${(ms / 1000).toFixed(1)} s`)
  return ms
}

// Run directly: generate, build the summaries and keep the database.
if (import.meta.url === `file://${process.argv[1]}`) {
  const db = await generateDashboard()
  if (!process.argv.includes('--no-rebuild')) await rebuildSummaries(db)
  await db.destroy()
}
