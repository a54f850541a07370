// Web process only, for scale-out: state changes go to the outbox; workers deliver them.
import { parseEnv } from '#app/env.server.ts'
import { startRuntime } from '#app/runtime.server.ts'
import { stopOnSignals } from '#app/shutdown.server.ts'
import { createLogger } from '#jobs/logger.ts'
import { exitWithConfigError } from './config-error.ts'

const env = exitWithConfigError(parseEnv)
const logger = createLogger({ level: env.LOG_LEVEL, name: 'zhuqi-web' })
const runtime = await startRuntime({ env, web: true, worker: false, logger })
stopOnSignals(runtime.stop, logger)
