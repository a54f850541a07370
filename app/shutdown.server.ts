import type { Logger } from '#jobs/logger.ts'

/** Stops gracefully on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger) {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1)
    stopping = true
    logger.info({ signal }, 'shutting down')
    stop()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err: String(err) }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
}
