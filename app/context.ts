import type { Cookie } from '@remix-run/node'
import type { Db } from '#db/client.server.ts'
import type { Logger } from '#jobs/logger.ts'

/** What the server hands every loader and action. */
export type AppContext = {
  db: Db
  logger: Logger
  sessionCookie: Cookie
  csrfCookie: Cookie
  /** Wakes the outbox relay right after a commit, when one runs in this process. */
  pokeOutbox: () => void
  /** Fixed clock in tests; real time otherwise. */
  now: () => Date
  /** The client's address as the HTTP server saw it (per request). */
  clientIp: string
}

declare module '@remix-run/server-runtime' {
  interface AppLoadContext extends AppContext {}
}
