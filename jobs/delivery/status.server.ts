import type { JobsOptions } from 'bullmq'
import type { DbOrTrx } from '#db/client.server.ts'
import {
  deliveryCounts,
  failedDeliveries,
  failedDigests,
  markFailedAgain,
  outboxBacklog,
  reopenForRetry,
  sendInSubtrees,
} from '#db/queries/deliveries.ts'
import { QUEUE_NAMES, type QueueName, type Queues } from '../queues.server.ts'
import { DEFAULT_LEASE_MS, DELIVER_JOB, DELIVER_JOB_OPTIONS, deliveryJobId } from './deliver.job.ts'
import { DIGEST_JOB, digestJobId } from './digest.job.ts'
import { JOB_STATES, type JobState } from './job-states.ts'

export { JOB_STATES, type JobState }

export interface QueueStatus {
  name: QueueName
  counts: Record<JobState, number>
  failed: {
    id: string
    name: string
    error: string
    attemptsMade: number
    finishedAt: Date | null
  }[]
}

export type RetryResult = 'retried' | 'notFound' | 'notFailed' | 'unavailable'

/**
 * What the admin jobs page reads and does. The web process holds producer
 * queues (no workers) and the database; Redis being away only blanks the queue
 * part of the page.
 */
export interface JobsService {
  /** Counts and latest failures per queue (no personal data beyond error texts); null: no Redis. */
  queues: () => Promise<QueueStatus[] | null>
  /** Outbox backlog, and failed or stuck sends of users in the given org subtrees. */
  backlog: (orgPaths: string[]) => Promise<Awaited<ReturnType<typeof backlogOf>>>
  retryJob: (queue: string, jobId: string) => Promise<RetryResult>
  /** Re-sends a failed (or stuck) delivery or digest of a user in the given org subtrees. */
  retrySend: (kind: 'delivery' | 'digest', id: number, orgPaths: string[]) => Promise<RetryResult>
}

async function backlogOf(db: DbOrTrx, staleBefore: Date, orgPaths: string[]) {
  const [outbox, deliveries, digests, counts] = await Promise.all([
    outboxBacklog(db),
    failedDeliveries(db, staleBefore, orgPaths),
    failedDigests(db, staleBefore, orgPaths),
    deliveryCounts(db),
  ])
  return { outbox, deliveries, digests, counts }
}

function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as string[]).includes(name)
}

export function createJobsService(deps: {
  db: DbOrTrx
  queues: Queues
  now?: () => Date
  leaseMs?: number
  /** Attempts/backoff of re-queued sends (tests use short ones). */
  jobOptions?: JobsOptions
  latestFailed?: number
}): JobsService {
  const now = () => (deps.now ? deps.now() : new Date())
  const staleBefore = () => new Date(now().getTime() - (deps.leaseMs ?? DEFAULT_LEASE_MS))

  return {
    async queues() {
      try {
        return await Promise.all(
          QUEUE_NAMES.map(async (name) => {
            const queue = deps.queues[name]
            const [counts, failed] = await Promise.all([
              queue.getJobCounts(...JOB_STATES),
              queue.getFailed(0, (deps.latestFailed ?? 10) - 1),
            ])
            return {
              name,
              counts: Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<
                JobState,
                number
              >,
              failed: failed
                .filter((job) => job !== undefined)
                .map((job) => ({
                  id: String(job.id),
                  name: job.name,
                  error: job.failedReason ?? '',
                  attemptsMade: job.attemptsMade,
                  finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
                })),
            }
          }),
        )
      } catch {
        return null
      }
    },

    backlog: (orgPaths) => backlogOf(deps.db, staleBefore(), orgPaths),

    async retryJob(queueName, jobId) {
      if (!isQueueName(queueName)) return 'notFound'
      let job: Awaited<ReturnType<Queues[QueueName]['getJob']>>
      try {
        job = await deps.queues[queueName].getJob(jobId)
        if (job && (await job.getState()) !== 'failed') return 'notFailed'
      } catch {
        return 'unavailable'
      }
      if (!job) return 'notFound'
      // A failed send's row is failed too: reopen it, or the job would find nothing to do.
      if (queueName === 'deliver' && job.name === DELIVER_JOB && job.data?.deliveryId) {
        await reopenForRetry(deps.db, 'delivery', Number(job.data.deliveryId), staleBefore())
      }
      if (queueName === 'deliver' && job.name === DIGEST_JOB && job.data?.digestId) {
        await reopenForRetry(deps.db, 'digest', Number(job.data.digestId), staleBefore())
      }
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
      } catch {
        // Someone retried it a moment ago.
        return 'notFailed'
      }
      return 'retried'
    },

    async retrySend(kind, id, orgPaths) {
      if (!(await sendInSubtrees(deps.db, kind, id, orgPaths))) return 'notFound'
      const reopened = await reopenForRetry(deps.db, kind, id, staleBefore())
      if (!reopened) return 'notFailed'
      // A fresh job id per retry: the row's earlier job may still be kept as failed or completed.
      const base = kind === 'delivery' ? deliveryJobId(id) : digestJobId(id)
      try {
        await deps.queues.deliver.add(
          kind === 'delivery' ? DELIVER_JOB : DIGEST_JOB,
          kind === 'delivery' ? { deliveryId: id } : { digestId: id },
          {
            ...DELIVER_JOB_OPTIONS,
            ...deps.jobOptions,
            jobId: `${base}-retry-${reopened.attempts}`,
          },
        )
      } catch {
        // No job could be queued: leave the row failed, as it was, for a later retry.
        await markFailedAgain(deps.db, kind, id)
        return 'unavailable'
      }
      return 'retried'
    },
  }
}
