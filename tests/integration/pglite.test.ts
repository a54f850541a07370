import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '#db/client.server.ts'
import { MIGRATION_NAMES, migrateToLatest } from '#db/migrate.server.ts'
import { rebuildDashboard, refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import { intakeQueue } from '#db/queries/needs-lists.ts'
import { intakeCoordinatorsFor } from '#db/queries/notifications.ts'
import { subtreeOf } from '#db/queries/orgs.ts'
import { claimPendingOutbox, pendingOutboxCount } from '#db/queries/outbox.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import { ConflictError } from '#workflows/errors.ts'
import { createPgliteDatabase, createTestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  instanceOf,
  listRow,
  outboxOf,
  timersOf,
  type World,
} from '../helpers/world.ts'

let handle: DbHandle
let world: World

beforeAll(async () => {
  handle = await createPgliteDatabase()
  world = await buildWorld(handle.db, 'pglite')
})

afterAll(async () => {
  await handle?.close()
})

describe('PGlite (embedded PostgreSQL)', () => {
  it('runs the same migrations, and migrating again is a no-op', async () => {
    expect(handle.kind).toBe('pglite')
    // The embedded database ends up with exactly the tables and columns PostgreSQL does.
    const shape = async (db: DbHandle['db']) =>
      (await db.introspection.getTables())
        .map((t) => `${t.name}(${t.columns.map((c) => `${c.name}:${c.dataType}`).join(',')})`)
        .sort()
    const pg = await createTestDatabase('pglite_ref')
    try {
      expect(await shape(handle.db)).toEqual(await shape(pg.db))
    } finally {
      await pg.drop()
    }
    expect((await handle.db.introspection.getTables()).map((t) => t.name)).toContain(
      'workflow_event',
    )
    expect(await migrateToLatest(handle.db)).toEqual([])
    expect(await migrateToLatest(handle.db)).toEqual([])
    const applied = await handle.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute()
    expect(applied.map((r) => r.name)).toEqual(MIGRATION_NAMES)
  })

  it('create → submit → accept, with audit and outbox, as on PostgreSQL', async () => {
    const { db } = handle
    const id = await draftList(db, world, 'Embedded list')
    expect(await instanceOf(db, id)).toMatchObject({ state: 'draft', version: 1 })

    await submitNeedsList(db, world.principals.contact, id, 1)
    expect(await instanceOf(db, id)).toMatchObject({ state: 'submitted', version: 2 })
    expect((await listRow(db, id)).status).toBe('submitted')
    const outbox = await outboxOf(db, id)
    expect(outbox.map((r) => [r.queue, (r.payload as { kind?: string }).kind])).toEqual([
      ['notify', 'needsList.submitted'],
      ['timeout', undefined],
      ['timeout', undefined],
    ])
    expect(await pendingOutboxCount(db)).toBe(3)
    expect((await listRow(db, id)).due_at).toBeInstanceOf(Date)

    await expect(
      triageNeedsList(db, world.principals.coordinator, id, { type: 'ACCEPT' }, 1),
    ).rejects.toThrow(ConflictError)
    const accepted = await triageNeedsList(
      db,
      world.principals.coordinator,
      id,
      { type: 'ACCEPT' },
      2,
    )
    expect(accepted).toEqual({ fromState: 'submitted', state: 'awaiting_steward', version: 3 })
    expect((await listRow(db, id)).status).toBe('awaiting_steward')
    expect((await eventsOf(db, id)).map((e) => [e.event_type, e.to_state, e.version])).toEqual([
      ['CREATE', 'draft', 1],
      ['SUBMIT', 'submitted', 2],
      ['ACCEPT', 'awaiting_steward', 3],
    ])
    expect(
      (await outboxOf(db, id)).map((r) => (r.payload as { kind?: string }).kind ?? r.job_name),
    ).toEqual([
      'needsList.submitted',
      'timeout',
      'timeout',
      // Leaving triage: its timers' jobs are removed, the next stage gets its own.
      'remove-jobs',
      'needsList.accepted',
      'timeout',
      'timeout',
    ])
    expect((await timersOf(db, id)).map((t) => [t.stage, t.entry, t.phase, t.status])).toEqual([
      ['triage', 1, 'remind', 'cancelled'],
      ['triage', 1, 'breach', 'cancelled'],
      ['steward_assignment', 2, 'remind', 'pending'],
      ['steward_assignment', 2, 'breach', 'pending'],
    ])

    // The relay's claim (FOR UPDATE SKIP LOCKED) works embedded too.
    const claimed = await db.transaction().execute((trx) => claimPendingOutbox(trx, 10))
    expect(claimed.map((r) => r.id)).toEqual((await outboxOf(db, id)).map((r) => r.id))
  })

  it('subtree and intake queries see the org tree by materialised path', async () => {
    const { db } = handle
    const { orgs } = world
    const subtree = await subtreeOf(db, orgs.city.path)
    expect(subtree.map((o) => o.id)).toEqual([orgs.city.id, orgs.district.id])
    expect(subtree.map((o) => o.depth)).toEqual([1, 2])
    expect(
      (await subtreeOf(db, orgs.province.path)).map((o) => o.id).sort((a, b) => a - b),
    ).toEqual(
      [orgs.province.id, orgs.city.id, orgs.district.id, orgs.otherCity.id].sort((a, b) => a - b),
    )
    expect(await subtreeOf(db, orgs.otherCity.path)).toHaveLength(1)

    expect((await intakeCoordinatorsFor(db, orgs.district.path)).sort((a, b) => a - b)).toEqual(
      [world.users.coordinator.id, world.users.coordinator2.id].sort((a, b) => a - b),
    )

    const waiting = await draftList(db, world, 'Waiting for triage')
    await submitNeedsList(db, world.principals.contact, waiting, 1)
    const queue = await intakeQueue(db, {
      orgPaths: [orgs.city.path],
      statuses: ['submitted'],
      limit: 10,
      offset: 0,
    })
    expect(queue.map((r) => [r.id, Number(r.itemCount)])).toEqual([[waiting, 2]])
    expect(
      await intakeQueue(db, {
        orgPaths: [orgs.otherCity.path],
        statuses: ['submitted'],
        limit: 10,
        offset: 0,
      }),
    ).toEqual([])
  })
})

describe('PGlite dashboard summaries', () => {
  it('marks cases dirty by trigger and refreshes them, as on PostgreSQL', async () => {
    const { db } = handle
    await rebuildDashboard(db)
    const id = await draftList(db, world, 'Embedded dashboard list')
    await submitNeedsList(db, world.principals.contact, id, 1)
    const dirty = await db.selectFrom('dashboard_dirty').select('needs_list_id').execute()
    expect(dirty.map((d) => d.needs_list_id)).toEqual([id])
    const result = await refreshDashboard(db)
    expect(result.cases).toBe(1)
    const filed = await db
      .selectFrom('org_period_figures')
      .select(['org_id', 'cases_filed'])
      .where('dim', '=', 'all')
      .where('period', '=', result.months.at(-1) as string)
      .where('org_id', '=', world.orgs.district.id)
      .executeTakeFirstOrThrow()
    expect(filed.cases_filed).toBeGreaterThanOrEqual(1)
  })
})
