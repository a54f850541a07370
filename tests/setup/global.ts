import pg from 'pg'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names this run, so browser test files build the app once between them. */
    testRunId: string
  }
}

/** Fails fast, with the fix, when the services integration tests need are down. */
export default async function setup(project: TestProject) {
  project.provide('testRunId', `${process.pid}-${Date.now()}`)
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${String(err)}). Start it or set TEST_DATABASE_URL; .ci/run starts it.`,
    )
  } finally {
    await client.end().catch(() => {})
  }
}
