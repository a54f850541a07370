import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely'
import * as foundation from './migrations/2026-11-29T00-foundation.ts'
import * as intake from './migrations/2026-11-29T01-intake-and-confirmation.ts'
import * as stewards from './migrations/2026-11-29T04-stewards.ts'
import * as confirmation from './migrations/2026-11-29T05-confirmation.ts'
import * as delivery from './migrations/2026-11-29T06-delivery.ts'
import * as deadlines from './migrations/2026-11-29T07-deadlines.ts'
import * as rateLimits from './migrations/2026-11-29T08-rate-limits.ts'
import * as talentPool from './migrations/2026-11-29T09-talent-pool.ts'
import * as matching from './migrations/2026-11-29T10-matching.ts'
import * as inspections from './migrations/2026-11-29T11-inspections.ts'
import * as dashboards from './migrations/2026-11-29T12-dashboards.ts'

// Listed explicitly so the bundle and tsx see the same set; names sort by date.
const migrations: Record<string, Migration> = {
  '2026-11-29T00-foundation': foundation,
  '2026-11-29T01-intake-and-confirmation': intake,
  '2026-11-29T04-stewards': stewards,
  '2026-11-29T05-confirmation': confirmation,
  '2026-11-29T06-delivery': delivery,
  '2026-11-29T07-deadlines': deadlines,
  '2026-11-29T08-rate-limits': rateLimits,
  '2026-11-29T09-talent-pool': talentPool,
  '2026-11-29T10-matching': matching,
  '2026-11-29T11-inspections': inspections,
  '2026-11-29T12-dashboards': dashboards,
}

export const MIGRATION_NAMES = Object.keys(migrations).sort()

const provider: MigrationProvider = { getMigrations: async () => migrations }

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
