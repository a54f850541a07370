import type { Cookie } from '@remix-run/node'
import type { Db } from '#db/client.server.ts'
import type { JobsService } from '#jobs/delivery/status.server.ts'
import type { Logger } from '#jobs/logger.ts'
import type { FileStorage } from './storage/storage.server.ts'

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
  /** Queue status and retries for the admin jobs page (absent where no queues exist). */
  jobs?: JobsService
  /** Uploaded files (attachments): DATA_DIR/uploads, a temporary directory in tests. */
  storage: FileStorage
}

declare module '@remix-run/server-runtime' {
  interface AppLoadContext extends AppContext {}
}
