// All-in-one local process: web, outbox relay and workers.
import { parseEnv } from '#app/env.server.ts'
import { startRuntime } from '#app/runtime.server.ts'
import { stopOnSignals } from '#app/shutdown.server.ts'
import { createLogger } from '#jobs/logger.ts'
import { exitWithConfigError } from './config-error.ts'

const env = exitWithConfigError(parseEnv)
const logger = createLogger({ level: env.LOG_LEVEL })
const runtime = await startRuntime({
  env,
  web: true,
  worker: true,
  dev: process.argv.includes('--dev'),
  logger,
})
stopOnSignals(runtime.stop, logger)
console.log(`\n  助企 Zhuqi is running at ${runtime.url}\n`)
