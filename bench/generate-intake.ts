/**
 * Generates the intake/steward benchmark data set into a database of its own
 * on a real PostgreSQL: 3,000 union orgs in a national tree (national → 31
 * provinces → 310 cities → 1,240 industry/district unions → 1,418 parks),
 * 60,000 enterprises, 2,658 stewards with profiles, and 200,000 needs lists
 * with ~500,000 items, their workflow rows, audit events and steward
 * assignments. Everything but the 3,000 org rows is written with
 * INSERT … SELECT generate_series, so it takes seconds, not minutes.
 *
 *   npx tsx bench/generate-intake.ts            # (re)creates zhuqi_bench_intake and keeps it
 *   BENCH_DATABASE_URL=postgres://… to use another server (its /postgres is used to create the db)
 *
 * Names are invented ("模拟…"); no real data is used. Deterministic: the
 * same rows come out every time (no random(), only arithmetic on the series).
 */
import { sql } from 'kysely'
import pg from 'pg'
import { connectPostgres, type Db } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'

export const BENCH_SERVER_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const BENCH_DATABASE = 'zhuqi_bench_intake'
/** Bump when the generated shape changes, so a kept database is regenerated. */
export const GENERATOR_VERSION = 4

export const SIZES = {
  provinces: 31,
  citiesPerProvince: 10,
  /** Two industry-union federations and two district unions per city. */
  midPerCity: 4,
  parks: 1418,
  enterprises: 60_000,
  needsLists: 200_000,
} as const

export function benchUrl(database = BENCH_DATABASE): string {
  const url = new URL(BENCH_SERVER_URL)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function dropDatabase(database: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${database}" with (force)`))
}

/** Drops `database` if it exists and creates it empty. */
export async function recreateDatabase(database: string): Promise<void> {
  await dropDatabase(database)
  await admin((c) => c.query(`create database "${database}"`))
}

export async function dropBenchDatabase(): Promise<void> {
  await dropDatabase(BENCH_DATABASE)
}

/** The generator version stored in a kept database, or null when there is none. */
export async function existingVersion(database = BENCH_DATABASE): Promise<number | null> {
  const exists = await admin((c) =>
    c.query('select 1 from pg_database where datname = $1', [database]),
  )
  if (exists.rowCount === 0) return null
  const client = new pg.Client({ connectionString: benchUrl(database) })
  await client.connect()
  try {
    const { rows } = await client.query("select value from bench_meta where key = 'version'")
    return rows[0] ? Number(rows[0].value) : null
  } catch {
    return null
  } finally {
    await client.end()
  }
}

interface OrgRow {
  id: number
  parent: number | null
  name: string
  kind: string
  path: string
  depth: number
}

/** The org tree, computed here (3,000 rows) so paths and kinds are exact. */
export function orgTree(): OrgRow[] {
  const rows: OrgRow[] = []
  let next = 1
  const add = (parent: OrgRow | null, name: string, kind: string) => {
    const id = next++
    const row: OrgRow = {
      id,
      parent: parent?.id ?? null,
      name,
      kind,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
    }
    rows.push(row)
    return row
  }
  const root = add(null, '模拟全国总工会', 'national_federation')
  const mids: OrgRow[] = []
  for (let p = 1; p <= SIZES.provinces; p++) {
    const province = add(root, `模拟第${p}省总工会`, 'provincial_federation')
    for (let c = 1; c <= SIZES.citiesPerProvince; c++) {
      const city = add(province, `模拟${p}省${c}市总工会`, 'city_federation')
      for (let m = 1; m <= SIZES.midPerCity; m++) {
        const industry = m <= 2
        mids.push(
          add(
            city,
            industry ? `模拟${p}-${c}市第${m}产业工会联合会` : `模拟${p}-${c}市第${m - 2}区总工会`,
            industry ? 'industry_federation' : 'district_union',
          ),
        )
      }
    }
  }
  for (let k = 0; k < SIZES.parks; k++) {
    // Spread parks over the mid-level orgs, a few getting two.
    const mid = mids[(k * 7) % mids.length] as OrgRow
    add(mid, `${mid.name}第${k + 1}园区工会`, 'park_union')
  }
  return rows
}

export async function step(label: string, fn: () => Promise<unknown>, log: (s: string) => void) {
  const t0 = performance.now()
  await fn()
  log(`  ${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

/**
 * Drops and recreates the bench database, migrates it with the app's
 * migrations and fills it. Returns the connected handle.
 */
export async function generate(log: (s: string) => void = console.log): Promise<Db> {
  await recreateDatabase(BENCH_DATABASE)
  const handle = connectPostgres(benchUrl(), { max: 4 })
  const db = handle.db
  const t0 = performance.now()
  log(`generating ${BENCH_DATABASE} (${SIZES.needsLists} needs lists, 3,000 orgs)…`)
  await step('migrations', () => migrateToLatest(db), log)
  await loadOrgsPeopleEnterprises(db, log)
  await loadNeedsLists(db, log)
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return db
}

/**
 * The part other bench data sets share: the 3,000-org tree, the helper
 * tables bench_meta and bench_leaf (leaf orgs enterprises belong to), a filer,
 * coordinators at every city, province and the root, a steward with a profile
 * at every org below the cities, and 60,000 enterprises with their industry,
 * district, park, tags and (for 70 %) a dedicated steward.
 */
export async function loadOrgsPeopleEnterprises(db: Db, log: (s: string) => void): Promise<void> {
  const orgs = orgTree()

  await step(
    'orgs',
    async () => {
      for (let i = 0; i < orgs.length; i += 1000) {
        const chunk = orgs.slice(i, i + 1000)
        await sql`insert into union_org (id, parent_id, name, kind, path, depth) overriding system value values ${sql.join(
          chunk.map(
            (o) => sql`(${o.id}, ${o.parent}, ${o.name}, ${o.kind}, ${o.path}, ${o.depth})`,
          ),
        )}`.execute(db)
      }
      await sql`select setval(pg_get_serial_sequence('union_org', 'id'), (select max(id) from union_org))`.execute(
        db,
      )
    },
    log,
  )

  // Leaf orgs enterprises belong to (parks and district unions), numbered 0..n-1, with their city.
  await step(
    'helper tables',
    async () => {
      await sql`create table bench_meta (key text primary key, value text not null)`.execute(db)
      await sql`create table bench_leaf as
        select (row_number() over (order by o.id) - 1)::int as idx, o.id as org_id,
               split_part(o.path, '/', 4)::int as city_id,
               o.kind
        from union_org o where o.kind in ('park_union', 'district_union')`.execute(db)
    },
    log,
  )

  await step(
    'users (contact, coordinators, stewards)',
    async () => {
      // One filer for every list; coordinators at every city, province and the root.
      await sql`insert into app_user (email, name, password_hash)
        values ('filer@bench.zhuqi.test', '模拟填报人', 'bench-no-login')`.execute(db)
      await sql`insert into app_user (email, name, password_hash)
        select 'coord-' || o.id || '@bench.zhuqi.test', '模拟协调员' || o.id, 'bench-no-login'
        from union_org o where o.depth <= 2`.execute(db)
      await sql`insert into membership (user_id, org_id, role)
        select u.id, replace(split_part(u.email, '@', 1), 'coord-', '')::int, 'coordinator'
        from app_user u where u.email like 'coord-%'`.execute(db)
      // One steward per mid-level org and per park.
      await sql`insert into app_user (email, name, password_hash)
        select 'steward-' || o.id || '@bench.zhuqi.test', '模拟管家' || o.id, 'bench-no-login'
        from union_org o where o.depth >= 3`.execute(db)
      await sql`insert into membership (user_id, org_id, role)
        select u.id, replace(split_part(u.email, '@', 1), 'steward-', '')::int, 'steward'
        from app_user u where u.email like 'steward-%'`.execute(db)
      await sql`insert into steward_profile (user_id, org_id, capacity, districts, parks, industries)
        select m.user_id, m.org_id, 20 + (m.org_id % 21),
               array['模拟区' || split_part(o.path, '/', 4) || '-' || (1 + m.org_id % 3)],
               case when o.kind = 'park_union' then array['模拟园区' || o.id] else '{}'::text[] end,
               array[chr(65 + (m.org_id % 20)), 'C']
        from membership m join union_org o on o.id = m.org_id where m.role = 'steward'`.execute(db)
    },
    log,
  )

  await step(
    'enterprises',
    async () => {
      const leafCount = sql`(select count(*) from bench_leaf)`
      await sql`insert into enterprise (org_id, name, credit_code, district, park, industry, size, tags, normalized_name, steward_user_id)
        select l.org_id,
               '模拟' || l.city_id || '市' || chr(19968 + (g * 131) % 2000) || chr(19968 + (g * 17) % 2000) || '科技有限公司' || g,
               null,
               '模拟区' || l.city_id || '-' || (1 + g % 3),
               case when l.kind = 'park_union' then '模拟园区' || l.org_id end,
               case when g % 5 < 2 then 'C' else chr(65 + (g * 7) % 20) end,
               (array['micro','small','medium','large'])[1 + g % 4],
               array_remove(array[
                 case when g % 3 = 0 then 'innovative_sme' end,
                 case when g % 7 = 0 then 'srdi_provincial' end,
                 case when g % 29 = 0 then 'little_giant' end,
                 case when g % 97 = 0 then 'single_champion' end,
                 case when g % 61 = 0 then 'chain_leader' end
               ], null),
               null,
               -- 70% have a dedicated steward: their own org's steward.
               case when g % 10 < 7 then (select s.user_id from steward_profile s where s.org_id = l.org_id) end
        from generate_series(0, ${SIZES.enterprises - 1}) g
        join bench_leaf l on l.idx = (g * 7919) % ${leafCount}`.execute(db)
      await sql`insert into steward_assignment (enterprise_id, steward_user_id, assigned_by, reason, assigned_at)
        select e.id, e.steward_user_id, 1, '模拟分配', now() - ((e.id % 400) || ' days')::interval
        from enterprise e where e.steward_user_id is not null`.execute(db)
    },
    log,
  )
}

/** The intake data set's needs lists, items, workflow rows and audit events. */
async function loadNeedsLists(db: Db, log: (s: string) => void): Promise<void> {
  await step(
    'needs lists',
    async () => {
      await sql`create table bench_status (lo int, hi int, status text)`.execute(db)
      // Per-mille bands of the status mix (the rest of the pipeline's stages come later).
      await sql`insert into bench_status values
        (0, 120, 'submitted'), (120, 160, 'returned'), (160, 210, 'awaiting_steward'),
        (210, 310, 'confirming'), (310, 370, 'awaiting_approval'), (370, 820, 'ready_for_matching'),
        (820, 900, 'rejected'), (900, 950, 'withdrawn'), (950, 1000, 'draft')`.execute(db)
      // Spread over enterprises; 3% were routed up to the city federation's desk.
      await sql`insert into needs_list (enterprise_id, org_id, title, status, created_by, submitted_at, steward_user_id, stage_entered_at, created_at, updated_at)
        select e.id,
               case when g % 33 = 0 then l.city_id else e.org_id end,
               '模拟需求清单' || g,
               st.status,
               1,
               case when st.status = 'draft' or (st.status = 'withdrawn' and g % 2 = 0) then null
                    else ts.submitted end,
               case when st.status in ('confirming', 'awaiting_approval', 'ready_for_matching')
                    then e.steward_user_id end,
               case when st.status in ('draft', 'submitted') then ts.submitted
                    else ts.submitted + (now() - ts.submitted) * ((g % 97) / 100.0) end,
               ts.submitted - interval '1 day',
               now()
        from generate_series(0::bigint, ${SIZES.needsLists - 1}) g
        cross join lateral (select now() - ((g * 7 % 400) || ' days')::interval
                                         - ((g * 13 % 1440) || ' minutes')::interval as submitted) ts
        join enterprise e on e.id = 1 + (g * 104729) % ${SIZES.enterprises}
        join bench_leaf l on l.org_id = e.org_id
        join bench_status st on (g * 389) % 1000 >= st.lo and (g * 389) % 1000 < st.hi`.execute(db)
      // The current stage's deadline, for stages that have one (about their default
      // working days, as calendar days): a share of them is overdue, as in real queues.
      await sql`update needs_list set due_at = stage_entered_at + (case status
          when 'submitted' then interval '3 days' when 'awaiting_steward' then interval '2 days'
          when 'confirming' then interval '2 days' else interval '5 days' end)
          + ((id % 48) || ' hours')::interval
        where status in ('submitted', 'awaiting_steward', 'confirming', 'awaiting_approval')`.execute(
        db,
      )
      // Cases past intake need a steward: give the enterprise one where it had none.
      await sql`update needs_list l set steward_user_id = s.user_id
        from enterprise e join steward_profile s on s.org_id = e.org_id
        where l.enterprise_id = e.id and l.steward_user_id is null
          and l.status in ('confirming', 'awaiting_approval', 'ready_for_matching')`.execute(db)
    },
    log,
  )

  await step(
    'need items',
    async () => {
      await sql`insert into need_item (needs_list_id, position, category, title, description, urgency, headcount, mode)
        select l.id, p - 1,
               (array['tech_breakthrough','equipment_diagnosis','process_improvement','skills_training',
                      'management','safety','new_energy','digital','occupational_health','other'])[1 + (l.id * 31 + p * 7) % 10],
               '模拟需求事项' || p,
               '模拟需求描述：设备诊断、工艺改进或技能培训',
               (array['low','normal','high','urgent'])[1 + (l.id + p) % 4],
               1 + (l.id + p) % 5,
               (array['onsite','remote','either'])[1 + (l.id * p) % 3]
        from needs_list l cross join generate_series(1, 1 + l.id % 4) p`.execute(db)
    },
    log,
  )

  await step(
    'workflow rows and audit events',
    async () => {
      await sql`insert into workflow_instance (subject_type, subject_id, machine_id, machine_version, state, snapshot, version, updated_at)
        select 'needs_list', l.id, 'needs-list', 4, l.status,
               jsonb_build_object('status', 'active', 'value', l.status, 'historyValue', '{}'::jsonb,
                 'children', '{}'::jsonb,
                 'context', jsonb_build_object('round', 1, 'returnReason', null, 'closeReason', null,
                   'edits', 0, 'stageEntry', 1, 'deadlinesFired', '[]'::jsonb,
                   'stewardId', l.steward_user_id,
                   'proposedRevision', null, 'approvedRevision', null)),
               case when l.status = 'draft' then 1 else 2 end,
               l.updated_at
        from needs_list l`.execute(db)
      await sql`insert into workflow_event (workflow_id, subject_type, subject_id, event_type, actor_user_id, actor_role, from_state, to_state, version, payload, at)
        select w.id, 'needs_list', w.subject_id, 'CREATE', 1, 'enterprise_contact', null, 'draft', 1, '{}'::jsonb, l.created_at
        from workflow_instance w join needs_list l on l.id = w.subject_id`.execute(db)
    },
    log,
  )

  await step(
    'analyze',
    async () => {
      await sql`drop table bench_status`.execute(db)
      await sql`insert into bench_meta values ('version', ${String(GENERATOR_VERSION)})`.execute(db)
      await sql`vacuum analyze`.execute(db)
    },
    log,
  )
}

// Run directly: generate and keep the database.
if (import.meta.url === `file://${process.argv[1]}`) {
  const db = await generate()
  await db.destroy()
}
