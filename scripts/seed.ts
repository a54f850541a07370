// Seeds the demo data into the configured database if it is empty.
import path from 'node:path'
import { parseEnv } from '#app/env.server.ts'
import { connectDatabase } from '#db/client.server.ts'
import { migrateToLatest } from '#db/migrate.server.ts'
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from '#db/seed.server.ts'
import { exitWithConfigError } from './config-error.ts'

const env = exitWithConfigError(parseEnv)
const db = connectDatabase({
  databaseUrl: env.DATABASE_URL,
  pgliteDir: path.join(env.DATA_DIR, 'pglite'),
})
try {
  await migrateToLatest(db.db)
  if (await isEmpty(db.db)) {
    await seedDemo(db.db)
    console.log('Demo data seeded. Sign in with any of these (password %s):', DEMO_PASSWORD)
    for (const [role, email] of Object.entries(DEMO_USERS))
      console.log(`  ${role.padEnd(16)} ${email}`)
  } else {
    console.log('The database already has data; nothing seeded.')
  }
} finally {
  await db.close()
}
