import pg from 'pg'
import { connectPglite, connectPostgres, type DbHandle } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { syncReferenceData } from '#db/reference/sync.server.ts'

export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

function urlFor(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface TestDatabase extends DbHandle {
  url: string
  name: string
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>
}

/** A fresh, migrated PostgreSQL database of its own for one test file. */
export async function createTestDatabase(label = 'zhuqi'): Promise<TestDatabase> {
  const name = `${label}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`.toLowerCase()
  await admin((c) => c.query(`create database "${name}"`))
  const url = urlFor(name)
  const handle = connectPostgres(url, { max: 10 })
  await migrateToLatest(handle.db)
  await syncReferenceData(handle.db)
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close()
      await admin(async (c) => {
        // pg's pool.end() resolves before its sockets have closed; a forced drop that
        // terminates a session still closing makes that client emit an unhandled error.
        for (let i = 0; i < 100; i++) {
          const { rows } = await c.query(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          )
          if (rows[0]?.n === 0) break
          await new Promise((r) => setTimeout(r, 20))
        }
        await c.query(`drop database if exists "${name}" with (force)`)
      })
    },
  }
}

/** An in-memory PGlite database with the same migrations. */
export async function createPgliteDatabase(): Promise<DbHandle> {
  const handle = connectPglite()
  await migrateToLatest(handle.db)
  await syncReferenceData(handle.db)
  return handle
}

/** A unique BullMQ prefix per test, so parallel tests never share queues. */
export function uniquePrefix(label = 't'): string {
  return `zq-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
}
