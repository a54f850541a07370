import type { Db } from '#db/client.server.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import {
  type Channels,
  closeChannels,
  createChannels,
  createSmsTransport,
  type EmailConfig,
  type SmsTransportName,
} from './delivery/channels.ts'
import type { Logger } from './logger.ts'
import { type OutboxRelay, startOutboxRelay } from './outbox-relay.server.ts'
import { closeQueues, createQueues, type Queues } from './queues.server.ts'
import { createProducerConnection, createWorkerConnection } from './redis.server.ts'
import { startWorkers, type Workers } from './workers.server.ts'

export interface JobRuntime {
  relay?: OutboxRelay
  workers?: Workers
  queues: Queues
  /** Stops taking work, lets running jobs finish, then closes connections. */
  close: () => Promise<void>
}

/** Starts the outbox relay and/or the workers against one Redis. */
export function startJobRuntime(deps: {
  db: Db
  redisUrl: string
  prefix: string
  logger: Logger
  relay?: boolean
  workers?: boolean
  relayIntervalMs?: number
  deadlines?: DeadlinePolicy
  /** E-mail/SMS channels for the workers; without it only the in-app inbox is written. */
  delivery?: { email?: EmailConfig; sms: SmsTransportName; appUrl: string }
}): JobRuntime {
  const producer = createProducerConnection(deps.redisUrl, deps.logger)
  const queues = createQueues(producer, deps.prefix)
  const relay =
    deps.relay === false
      ? undefined
      : startOutboxRelay({
          db: deps.db,
          queues,
          connection: producer,
          logger: deps.logger,
          intervalMs: deps.relayIntervalMs,
        })
  const workerConnection =
    deps.workers === false ? undefined : createWorkerConnection(deps.redisUrl, deps.logger)
  let channels: Channels | undefined
  if (workerConnection && deps.delivery) {
    channels = createChannels({
      email: deps.delivery.email,
      sms: createSmsTransport(deps.delivery.sms, deps.logger),
    })
    if (!channels.email) deps.logger.info('e-mail channel off: SMTP_URL is not set')
  }
  const workers = workerConnection
    ? startWorkers({
        db: deps.db,
        connection: workerConnection,
        prefix: deps.prefix,
        logger: deps.logger,
        deadlines: deps.deadlines,
        queues,
        delivery:
          channels && deps.delivery ? { channels, appUrl: deps.delivery.appUrl } : undefined,
      })
    : undefined
  return {
    relay,
    workers,
    queues,
    close: async () => {
      await relay?.stop()
      await workers?.close()
      if (channels) await closeChannels(channels)
      await closeQueues(queues)
      producer.disconnect()
      workerConnection?.disconnect()
    },
  }
}
