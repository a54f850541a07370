import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '#workflows/access.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import type { DispatchResult } from '#workflows/dispatch.ts'
import { ConflictError, TransitionNotAllowedError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  instanceOf,
  listRow,
  outboxOf,
  type World,
  waitFor,
} from '../helpers/world.ts'

const LISTS = 20

let tdb: TestDatabase
let world: World

beforeAll(async () => {
  tdb = await createTestDatabase('concurrency')
  world = await buildWorld(tdb.db, 'concurrency')
})

afterAll(async () => {
  await tdb?.drop()
})

type Decision = { type: 'ACCEPT' } | { type: 'RETURN'; reason: string }
const ACCEPT: Decision = { type: 'ACCEPT' }
const RETURN: Decision = { type: 'RETURN', reason: 'Please add equipment models' }
const stateAfter = { ACCEPT: 'awaiting_steward', RETURN: 'returned' } as const
const noticeAfter = { ACCEPT: 'needsList.accepted', RETURN: 'needsList.returned' } as const

async function submittedLists(label: string, n = LISTS): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) {
    const id = await draftList(tdb.db, world, `${label} ${i}`)
    await submitNeedsList(tdb.db, world.principals.contact, id, 1)
    ids.push(id)
  }
  return ids
}

interface Contender {
  who: Principal
  decision: Decision
}

/**
 * Checks one race on a submitted list (version 2): exactly one contender won,
 * every loser was refused with `loserError`, and the audit trail and the
 * outbox hold the winner's transition only.
 */
async function expectOneWinner(
  id: number,
  contenders: Contender[],
  results: PromiseSettledResult<DispatchResult>[],
  loserErrors: (typeof ConflictError | typeof TransitionNotAllowedError)[],
) {
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ r, c: contenders[i] }] : []))
  const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
  expect(won).toHaveLength(1)
  expect(lost).toHaveLength(contenders.length - 1)
  for (const err of lost) {
    expect(
      loserErrors.some((E) => err instanceof E),
      String(err),
    ).toBe(true)
  }
  const winner = won[0]
  if (!winner?.c || winner.r.status !== 'fulfilled') throw new Error('no winner')
  const type = winner.c.decision.type
  expect(winner.r.value).toEqual({ fromState: 'submitted', state: stateAfter[type], version: 3 })

  const instance = await instanceOf(tdb.db, id)
  expect(instance).toMatchObject({ state: stateAfter[type], version: 3 })
  expect((await listRow(tdb.db, id)).status).toBe(stateAfter[type])

  const triage = (await eventsOf(tdb.db, id)).filter((e) => e.version > 2)
  expect(triage).toHaveLength(1)
  expect(triage[0]).toMatchObject({
    event_type: type,
    actor_user_id: winner.c.who.userId,
    from_state: 'submitted',
    to_state: stateAfter[type],
    version: 3,
  })

  // submit left a notice and the triage reminder and breach timers; the race adds only
  // the winner's effects: removal of those timers' jobs, its single notice and, for an
  // acceptance, the timers of the next stage.
  const outbox = await outboxOf(tdb.db, id)
  const [, remind, breach] = outbox
  const race = outbox.slice(3)
  expect(race).toHaveLength(type === 'ACCEPT' ? 4 : 2)
  expect(race[0]).toMatchObject({
    queue: 'timeout',
    job_name: 'remove-jobs',
    payload: { outboxIds: [remind?.id, breach?.id] },
  })
  expect(race.filter((r) => r.queue === 'notify')).toHaveLength(1)
  expect(race[1]).toMatchObject({
    queue: 'notify',
    payload: { kind: noticeAfter[type], audience: 'enterprise' },
  })
}

describe('concurrent triage on PostgreSQL', () => {
  it('the pool really runs commands side by side', async () => {
    // Two sessions sleeping together take about one sleep, not two.
    const started = Date.now()
    await Promise.all([
      sql`select pg_sleep(0.3)`.execute(tdb.db),
      sql`select pg_sleep(0.3)`.execute(tdb.db),
    ])
    expect(Date.now() - started).toBeLessThan(550)
  })

  it('ACCEPT and RETURN at the same expectedVersion: one wins, the other gets ConflictError', async () => {
    const ids = await submittedLists('accept-vs-return')
    const contenders: Contender[] = [
      { who: world.principals.coordinator, decision: ACCEPT },
      { who: world.principals.coordinator2, decision: RETURN },
    ]
    const races = await Promise.all(
      ids.map((id) =>
        Promise.allSettled(
          contenders.map((c) => triageNeedsList(tdb.db, c.who, id, c.decision, 2)),
        ),
      ),
    )
    for (const [i, id] of ids.entries()) {
      await expectOneWinner(id, contenders, races[i] ?? [], [ConflictError])
    }
  })

  it('two ACCEPTs at the same expectedVersion: exactly one is recorded', async () => {
    const ids = await submittedLists('accept-vs-accept')
    const contenders: Contender[] = [
      { who: world.principals.coordinator, decision: ACCEPT },
      { who: world.principals.coordinator2, decision: ACCEPT },
    ]
    const races = await Promise.all(
      ids.map((id) =>
        Promise.allSettled(
          contenders.map((c) => triageNeedsList(tdb.db, c.who, id, c.decision, 2)),
        ),
      ),
    )
    for (const [i, id] of ids.entries()) {
      await expectOneWinner(id, contenders, races[i] ?? [], [ConflictError])
    }
  })

  it('without expectedVersion the loser is refused by the machine instead', async () => {
    const ids = await submittedLists('no-version')
    const contenders: Contender[] = [
      { who: world.principals.coordinator, decision: ACCEPT },
      { who: world.principals.admin, decision: RETURN },
      { who: world.principals.coordinator2, decision: ACCEPT },
    ]
    const races = await Promise.all(
      ids.map((id) =>
        Promise.allSettled(
          contenders.map((c) => triageNeedsList(tdb.db, c.who, id, c.decision, undefined)),
        ),
      ),
    )
    for (const [i, id] of ids.entries()) {
      await expectOneWinner(id, contenders, races[i] ?? [], [TransitionNotAllowedError])
    }
  })

  it('both commands wait on the workflow row lock, then exactly one goes through', async () => {
    const [id] = await submittedLists('row-lock', 1)
    if (id === undefined) throw new Error('no list')
    const contenders: Contender[] = [
      { who: world.principals.coordinator, decision: ACCEPT },
      { who: world.principals.coordinator2, decision: RETURN },
    ]
    let race: Promise<PromiseSettledResult<DispatchResult>[]> | undefined
    await tdb.db.transaction().execute(async (trx) => {
      // Hold the row lock dispatch takes, so both commands are provably in flight at once.
      await trx
        .selectFrom('workflow_instance')
        .select('id')
        .where('subject_type', '=', 'needs_list')
        .where('subject_id', '=', id)
        .forUpdate()
        .execute()
      race = Promise.allSettled(
        contenders.map((c) => triageNeedsList(tdb.db, c.who, id, c.decision, 2)),
      )
      await waitFor(
        async () => {
          const row = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(tdb.db)
          return (row.rows[0]?.n ?? 0) >= 2
        },
        { what: 'both commands blocked on the row lock' },
      )
    })
    const results = await (race ?? Promise.reject(new Error('race not started')))
    await expectOneWinner(id, contenders, results, [ConflictError])
  })
})
