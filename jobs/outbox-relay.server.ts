import type { JobsOptions } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Db } from '#db/client.server.ts'
import { claimPendingOutbox, markOutboxFailed, markOutboxRelayed } from '#db/queries/outbox.ts'
import { REMOVE_JOBS, type RemoveJobsPayload } from '#workflows/effects.ts'
import type { Logger } from './logger.ts'
import { outboxJobId, type QueueName, type Queues } from './queues.server.ts'

export interface OutboxRelay {
  /** Moves one batch; returns how many rows were relayed. */
  runOnce: () => Promise<number>
  /** Relays batches until none is left; returns how many rows were relayed. */
  drain: () => Promise<number>
  /** Asks the loop to look now instead of at the next tick. */
  poke: () => void
  stop: () => Promise<void>
}

export const DEFAULT_RELAY_BATCH_SIZE = 1_000
export const DEFAULT_RELAY_PARALLEL = 2

type Job = { name: string; data: Record<string, unknown>; opts: JobsOptions }

/**
 * Moves committed outbox rows into BullMQ. The job id is derived from the row id,
 * so a crash between `addBulk` and the commit only re-adds jobs BullMQ already has.
 * A row named REMOVE_JOBS removes the jobs of other rows instead (the delayed
 * jobs of cancelled timers). Removing a job that is gone, running or not added
 * yet (its row in a batch still in flight) does nothing; the timeout job drops
 * a cancelled timer anyway, so a missed removal is harmless.
 *
 * One batch is one transaction: claim up to `batchSize` rows (row locks, SKIP
 * LOCKED), `addBulk` them per queue (one pipelined round trip each), mark them
 * relayed, commit. While a backlog drains, `parallel` batches are in flight at
 * once, so one batch's database work overlaps another's Redis work; SKIP LOCKED
 * keeps them (and any other relay process) on disjoint rows.
 */
export function startOutboxRelay(deps: {
  db: Db
  queues: Queues
  connection: Redis
  logger: Logger
  intervalMs?: number
  batchSize?: number
  /** Batches in flight at once while draining a backlog. */
  parallel?: number
  /** Leave false to drive `runOnce` by hand (tests). */
  autoStart?: boolean
}): OutboxRelay {
  const intervalMs = deps.intervalMs ?? 500
  const batchSize = deps.batchSize ?? DEFAULT_RELAY_BATCH_SIZE
  const parallel = Math.max(1, deps.parallel ?? DEFAULT_RELAY_PARALLEL)
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()

  async function runOnce(): Promise<number> {
    if (deps.connection.status !== 'ready') return 0
    let claimed: number[] = []
    try {
      return await relayBatch()
    } catch (err) {
      // The batch rolled back; note why on the rows for the admins, then retry later.
      await markOutboxFailed(deps.db, claimed, String(err)).catch(() => {})
      throw err
    }

    function relayBatch() {
      return deps.db.transaction().execute(async (trx) => {
        const rows = await claimPendingOutbox(trx, batchSize)
        claimed = rows.map((r) => r.id)
        if (rows.length === 0) return 0
        const now = Date.now()
        const byQueue = new Map<QueueName, Job[]>()
        const removals = new Map<QueueName, string[]>()
        const unknown: number[] = []
        const relayed: number[] = []
        for (const row of rows) {
          const name = row.queue as QueueName
          if (!deps.queues[name]) {
            unknown.push(row.id)
            continue
          }
          if (row.job_name === REMOVE_JOBS) {
            const ids = (row.payload as unknown as RemoveJobsPayload).outboxIds ?? []
            removals.set(name, [...(removals.get(name) ?? []), ...ids.map(outboxJobId)])
            relayed.push(row.id)
            continue
          }
          let jobs = byQueue.get(name)
          if (!jobs) {
            jobs = []
            byQueue.set(name, jobs)
          }
          jobs.push({
            name: row.job_name,
            data: row.payload,
            opts: {
              jobId: outboxJobId(row.id),
              delay: Math.max(0, new Date(row.run_at).getTime() - now),
            },
          })
          relayed.push(row.id)
        }
        await Promise.all([...byQueue].map(([name, jobs]) => deps.queues[name].addBulk(jobs)))
        // After the adds, so a job added and cancelled within one batch goes too.
        for (const [name, jobIds] of removals) {
          await Promise.all(jobIds.map((jobId) => deps.queues[name].remove(jobId)))
        }
        // A row for a queue this version does not know (e.g. mid rolling deploy)
        // waits for a relay that does, without holding up the others.
        if (unknown.length > 0) {
          await markOutboxFailed(trx, unknown, 'no such queue in this relay')
          deps.logger.warn({ rows: unknown }, 'outbox rows for an unknown queue left pending')
        }
        await markOutboxRelayed(trx, relayed, new Date())
        return relayed.length
      })
    }
  }

  /**
   * Relays until nothing is left: one batch, and when it came back full (a
   * backlog), `parallel` lanes of batches until each comes back short.
   */
  async function drain(): Promise<number> {
    let total = await runOnce()
    if (total < batchSize) return total
    const lane = async () => {
      while (!stopped) {
        const rows = await runOnce()
        total += rows
        if (rows < batchSize) return
      }
    }
    const lanes = await Promise.allSettled(Array.from({ length: parallel }, lane))
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected')
    if (failed) throw failed.reason
    return total
  }

  async function loop() {
    if (stopped) return
    try {
      await drain()
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'outbox relay: batch not relayed, will retry')
    }
    if (!stopped) timer = setTimeout(tick, intervalMs)
  }

  function tick() {
    timer = undefined
    running = loop()
  }

  if (deps.autoStart !== false) tick()

  return {
    runOnce,
    drain,
    poke() {
      if (stopped || !timer) return
      clearTimeout(timer)
      tick()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
