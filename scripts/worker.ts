// Worker process only: outbox relay and BullMQ workers, no HTTP.
import { parseEnv } from '#app/env.server.ts'
import { startRuntime } from '#app/runtime.server.ts'
import { stopOnSignals } from '#app/shutdown.server.ts'
import { createLogger } from '#jobs/logger.ts'
import { exitWithConfigError } from './config-error.ts'

const env = exitWithConfigError(parseEnv)
const logger = createLogger({ level: env.LOG_LEVEL, name: 'zhuqi-worker' })
const runtime = await startRuntime({ env, web: false, worker: true, logger })
stopOnSignals(runtime.stop, logger)
logger.info('worker ready')
