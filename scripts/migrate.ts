// Applies pending migrations to the configured database (also done at every start).
import path from 'node:path'
import { parseEnv } from '#app/env.server.ts'
import { connectDatabase } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { exitWithConfigError } from './config-error.ts'

const env = exitWithConfigError(parseEnv)
const db = connectDatabase({
  databaseUrl: env.DATABASE_URL,
  pgliteDir: path.join(env.DATA_DIR, 'pglite'),
})
try {
  const applied = await migrateToLatest(db.db)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.')
} finally {
  await db.close()
}
