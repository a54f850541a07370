/**
 * Intake queue and steward workspace on 200,000 needs lists across 3,000
 * orgs: p50/p95 of one page through the same functions the pages call.
 * Target: every page in under 50 ms.
 */
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { connectPostgres, type Db } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { intakeQueue } from '#db/queries/needs-lists.ts'
import type { Database } from '#db/schema.ts'
import type { Principal } from '#workflows/access.ts'
import { recommendStewards, stewardWorkspace } from '#workflows/commands/stewards.ts'
import { intakeQueuePage } from '#workflows/commands/triage.ts'
import { DEFAULT_INTAKE_FILTERS, type IntakeFilters } from '#workflows/triage.schema.ts'
import {
  benchUrl,
  dropBenchDatabase,
  existingVersion,
  GENERATOR_VERSION,
  generate,
} from './generate-intake.ts'
import type { Bench, BenchOptions, Figure } from './types.ts'

const TARGET_MS = 50
const PAGE_SIZE = 20
const WARMUP = 5
const RUNS = 40

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] ?? Number.NaN
}

async function measure(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}

const coordinatorAt = (orgId: number, orgPath: string): Principal => ({
  userId: 0,
  memberships: [{ role: 'coordinator', orgId, orgPath, enterpriseId: null }],
})

async function subjects(db: Db) {
  const org = (kind: string) =>
    db
      .selectFrom('union_org')
      .select(['id', 'path', 'name'])
      .where('kind', '=', kind)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
  const root = await org('national_federation')
  const province = await org('provincial_federation')
  const city = await org('city_federation')
  // The district with the most enterprises in the province, and the province's busiest steward.
  const district = await db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select('e.district')
    .where('o.path', 'like', `${province.path}%`)
    .groupBy('e.district')
    .orderBy(sql`count(*)`, 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const steward = await db
    .selectFrom('needs_list')
    .select('steward_user_id')
    .where('steward_user_id', 'is not', null)
    .groupBy('steward_user_id')
    .orderBy(sql`count(*)`, 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const enterprise = await db
    .selectFrom('enterprise as e')
    .innerJoin('union_org as o', 'o.id', 'e.org_id')
    .select('e.id')
    .where('o.path', 'like', `${city.path}%`)
    .where('e.steward_user_id', 'is', null)
    .orderBy('e.id')
    .limit(1)
    .executeTakeFirstOrThrow()
  return {
    root,
    province,
    city,
    district: district.district ?? '',
    stewardId: steward.steward_user_id ?? 0,
    enterpriseId: enterprise.id,
  }
}

/**
 * Runs `fn` once against a Kysely that records its statements, then prints
 * EXPLAIN ANALYZE of each (for --explain).
 */
async function explain(log: (s: string) => void, label: string, fn: (db: Db) => Promise<unknown>) {
  const statements: { sql: string; parameters: readonly unknown[] }[] = []
  const pool = new pg.Pool({ connectionString: benchUrl(), max: 1 })
  const spy = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') statements.push(event.query)
    },
  })
  try {
    await fn(spy)
    log(`\n--- ${label}`)
    for (const st of statements) {
      const { rows } = await pool.query(`explain (analyze, buffers) ${st.sql}`, [...st.parameters])
      log(rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'))
    }
  } finally {
    await spy.destroy()
  }
}

export const bench: Bench = {
  description: 'intake queue and steward workspace pages, 200k needs lists across 3,000 orgs',
  async run(options: BenchOptions): Promise<Figure[]> {
    const { log } = options
    let db: Db
    const kept = await existingVersion()
    if (options.keep && !options.fresh && kept === GENERATOR_VERSION) {
      log('reusing the kept bench database (pass --fresh to regenerate)')
      db = connectPostgres(benchUrl(), { max: 4 }).db
      await migrateToLatest(db)
      await sql`analyze`.execute(db)
    } else {
      db = await generate(log)
    }
    try {
      const s = await subjects(db)
      const now = new Date()
      const figures: Figure[] = []
      const cases: {
        name: string
        run: (db: Db) => Promise<unknown>
        baseline?: (db: Db) => Promise<unknown>
      }[] = []
      const queue = (
        name: string,
        scope: { id: number; path: string },
        patch: Partial<IntakeFilters>,
        withBaseline = false,
      ) => {
        const principal = coordinatorAt(scope.id, scope.path)
        const filters = { ...DEFAULT_INTAKE_FILTERS, ...patch }
        cases.push({
          name,
          run: (db) => intakeQueuePage(db, principal, filters, { pageSize: PAGE_SIZE, now }),
          baseline: withBaseline
            ? (db: Db) =>
                intakeQueue(db, {
                  orgPaths: [scope.path],
                  statuses: [filters.status],
                  limit: PAGE_SIZE + 1,
                  offset: (filters.page - 1) * PAGE_SIZE,
                })
            : undefined,
        })
      }
      const filtered: Partial<IntakeFilters> = { category: 'equipment_diagnosis', age: 7 }
      queue('intake.city.first_page', s.city, {}, true)
      queue('intake.city.filtered', s.city, filtered)
      queue('intake.province.first_page', s.province, {}, true)
      queue('intake.province.filtered', s.province, {
        ...filtered,
        district: s.district,
      })
      queue('intake.province.by_enterprise', s.province, { sort: 'enterprise' })
      queue('intake.national.first_page', s.root, {}, true)
      queue('intake.national.filtered', s.root, {
        category: 'new_energy',
        tag: 'srdi_provincial',
        age: 14,
      })
      queue('intake.national.confirming_by_stage', s.root, {
        status: 'confirming',
        sort: 'stage',
      })
      queue('intake.national.by_enterprise', s.root, { sort: 'enterprise' })
      // Deadlines: the earliest due first, and only the overdue ones.
      queue('intake.city.by_due', s.city, { sort: 'due' })
      queue('intake.province.overdue', s.province, { overdue: true, sort: 'due' })
      queue('intake.national.by_due', s.root, { sort: 'due' })
      queue('intake.national.overdue_confirming', s.root, {
        status: 'confirming',
        overdue: true,
        sort: 'due',
      })
      queue('intake.national.deep_page_100', s.root, { page: 100 }, true)
      queue('intake.province.deep_page_20', s.province, { page: 20 }, true)

      const stewardPrincipal: Principal = {
        userId: s.stewardId,
        memberships: [{ role: 'steward', orgId: 0, orgPath: '/', enterpriseId: null }],
      }
      cases.push({
        name: 'workspace.steward.page',
        run: (db) =>
          stewardWorkspace(db, stewardPrincipal, { stage: null, casePage: 1, enterprisePage: 1 }),
      })
      cases.push({
        name: 'workspace.steward.stage_page_2',
        run: (db) =>
          stewardWorkspace(db, stewardPrincipal, {
            stage: 'ready_for_matching',
            casePage: 2,
            enterprisePage: 1,
          }),
      })
      cases.push({
        name: 'stewards.recommendation',
        run: (db) => recommendStewards(db, coordinatorAt(s.city.id, s.city.path), s.enterpriseId),
      })

      log(
        `\nsubjects: city ${s.city.name}, province ${s.province.name}, root ${s.root.name}, steward #${s.stewardId}`,
      )
      log(`measuring ${cases.length} pages × ${RUNS} runs (after ${WARMUP} warm-up runs)…`)
      for (const c of cases) {
        const m = await measure(() => c.run(db))
        const baseline = c.baseline
        const base = baseline ? await measure(() => baseline(db)) : undefined
        figures.push({
          name: `${c.name}.p50`,
          value: m.p50,
          unit: 'ms',
          target: TARGET_MS,
          ...(base ? { baseline: base.p50 } : {}),
        })
        figures.push({
          name: `${c.name}.p95`,
          value: m.p95,
          unit: 'ms',
          target: TARGET_MS,
          ...(base ? { baseline: base.p95 } : {}),
        })
        log(`  ${c.name.padEnd(40)} p50 ${m.p50.toFixed(2)} ms  p95 ${m.p95.toFixed(2)} ms`)
        if (options.explain) await explain(log, c.name, c.run)
      }
      return figures
    } finally {
      await db.destroy()
      if (!options.keep) {
        await dropBenchDatabase()
        log('dropped the bench database (pass --keep to keep it)')
      }
    }
  },
}
