import type { Redis } from 'ioredis'
import type { Db } from '#db/client.server.ts'
import { claimPendingOutbox, markOutboxFailed, markOutboxRelayed } from '#db/queries/outbox.ts'
import type { Logger } from './logger.ts'
import { outboxJobId, type QueueName, type Queues } from './queues.server.ts'

export interface OutboxRelay {
  /** Moves one batch; returns how many rows were relayed. */
  runOnce: () => Promise<number>
  /** Asks the loop to look now instead of at the next tick. */
  poke: () => void
  stop: () => Promise<void>
}

/**
 * Moves committed outbox rows into BullMQ. The job id is derived from the row id,
 * so a crash between `addBulk` and the commit only re-adds jobs BullMQ already has.
 */
export function startOutboxRelay(deps: {
  db: Db
  queues: Queues
  connection: Redis
  logger: Logger
  intervalMs?: number
  batchSize?: number
  /** Leave false to drive `runOnce` by hand (tests). */
  autoStart?: boolean
}): OutboxRelay {
  const intervalMs = deps.intervalMs ?? 500
  const batchSize = deps.batchSize ?? 500
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
        const byQueue = new Map<QueueName, typeof rows>()
        const unknown: number[] = []
        for (const row of rows) {
          const name = row.queue as QueueName
          if (!deps.queues[name]) unknown.push(row.id)
          else byQueue.set(name, [...(byQueue.get(name) ?? []), row])
        }
        for (const [name, batch] of byQueue) {
          await deps.queues[name].addBulk(
            batch.map((row) => ({
              name: row.job_name,
              data: row.payload,
              opts: {
                jobId: outboxJobId(row.id),
                delay: Math.max(0, new Date(row.run_at).getTime() - now),
              },
            })),
          )
        }
        // A row for a queue this version does not know (e.g. mid rolling deploy)
        // waits for a relay that does, without holding up the others.
        if (unknown.length > 0) {
          await markOutboxFailed(trx, unknown, 'no such queue in this relay')
          deps.logger.warn({ rows: unknown }, 'outbox rows for an unknown queue left pending')
        }
        const relayed = claimed.filter((id) => !unknown.includes(id))
        await markOutboxRelayed(trx, relayed, new Date())
        return relayed.length
      })
    }
  }

  async function loop() {
    if (stopped) return
    try {
      let moved = 0
      do {
        moved = await runOnce()
      } while (moved === batchSize && !stopped)
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
