import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>
/** Repositories accept either the pool or an open transaction. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>

// int8 (ids of big tables, count(*)) as numbers: PGlite already does, pg returns strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10))

export interface DbHandle {
  db: Db
  kind: 'pg' | 'pglite'
  close: () => Promise<void>
}

export function connectPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, kind: 'pg', close: () => db.destroy() }
}

/** Embedded PostgreSQL (WASM) in this process; `dataDir` undefined keeps it in memory. */
export function connectPglite(dataDir?: string): DbHandle {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const client = new PGlite(dataDir)
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
  return { db, kind: 'pglite', close: () => db.destroy() }
}

export function connectDatabase(config: { databaseUrl?: string; pgliteDir: string }): DbHandle {
  return config.databaseUrl ? connectPostgres(config.databaseUrl) : connectPglite(config.pgliteDir)
}
