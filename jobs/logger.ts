import { pino } from 'pino'

export type Logger = pino.Logger

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    name: options.name ?? 'zhuqi',
  })
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = pino({ level: 'silent' })
