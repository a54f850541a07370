import { type JobsOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { QUEUES } from '#workflows/effects.ts'

/** E-mail/SMS deliveries and the daily digest; fed by the notify worker, not the outbox. */
export const DELIVER_QUEUE = 'deliver' as const

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES] | typeof DELIVER_QUEUE
export const QUEUE_NAMES = [...Object.values(QUEUES), DELIVER_QUEUE] as QueueName[]

/**
 * Completed jobs are kept for a week so that re-adding the same jobId (relay
 * crash between add and mark) stays a no-op; failures are kept for inspection.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
}

export type Queues = Record<QueueName, Queue>

/** `prefix` isolates deployments and tests sharing one Redis (hash-tag it for Cluster). */
export function createQueues(connection: Redis, prefix: string): Queues {
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })
      // The connection already logs outages (rate-limited); a queue without an 'error'
      // listener would print every failed reconnect attempt to stderr with a stack.
      queue.on('error', () => {})
      return [name, queue]
    }),
  ) as Queues
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()))
}

export function outboxJobId(outboxId: number): string {
  return `outbox-${outboxId}`
}
