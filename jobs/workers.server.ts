import { type Job, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Db } from '#db/client.server.ts'
import type { DeadlinePolicy } from '#workflows/deadlines.ts'
import { type NotifyJob, QUEUES, type TimeoutJob } from '#workflows/effects.ts'
import {
  type DeliverWorker,
  type DeliveryWorkerConfig,
  startDeliverWorker,
} from './delivery/worker.server.ts'
import type { Logger } from './logger.ts'
import { processNotifyJob } from './notify.job.ts'
import type { Queues } from './queues.server.ts'
import { processTimeoutJob } from './timeout.job.ts'

export interface Workers {
  workers: Worker[]
  /** The deliver worker, when deliveries are on. */
  deliver?: DeliverWorker
  close: () => Promise<void>
}

export function startWorkers(deps: {
  db: Db
  connection: Redis
  prefix: string
  logger: Logger
  deadlines?: DeadlinePolicy
  concurrency?: number
  /** With both: e-mail/SMS deliveries and the daily digest (see delivery/). */
  queues?: Queues
  delivery?: DeliveryWorkerConfig
}): Workers {
  const common = {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 4,
  }
  const deliver =
    deps.queues && deps.delivery
      ? startDeliverWorker({
          db: deps.db,
          queue: deps.queues.deliver,
          logger: deps.logger,
          common,
          config: deps.delivery,
        })
      : undefined
  const notify = new Worker(
    QUEUES.notify,
    async (job: Job<NotifyJob>) =>
      processNotifyJob(deps.db, String(job.id), job.data, deliver?.deps),
    common,
  )
  const timeout = new Worker(
    QUEUES.timeout,
    async (job: Job<TimeoutJob>) => processTimeoutJob(deps.db, job.data, deps.deadlines),
    common,
  )
  const workers = deliver ? [notify, timeout, deliver.worker] : [notify, timeout]
  for (const w of workers) {
    w.on('failed', (job, err) =>
      deps.logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'),
    )
    w.on('error', (err) => deps.logger.debug({ queue: w.name, err: err.message }, 'worker error'))
  }
  return {
    workers,
    deliver,
    close: async () => {
      await deliver?.stop()
      await Promise.all(workers.map((w) => w.close()))
    },
  }
}
