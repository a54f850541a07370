import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'
import { instanceOf } from '../helpers/world.ts'

let tdb: TestDatabase
let world: PairedCase

beforeAll(async () => {
  tdb = await createTestDatabase('visits')
  world = await buildPairedCase(tdb.db)
})

afterAll(async () => {
  await tdb?.drop()
})

describe('the fixture', () => {
  it('schedules, confirms and checks in a visit', async () => {
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('paired')
    const v = await scheduleTestVisit(tdb.db, world, { checkIn: true })
    expect(v.planItemIds.length).toBeGreaterThan(5)
    const row = await tdb.db
      .selectFrom('visit')
      .selectAll()
      .where('id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('on_site')
    expect((await instanceOf(tdb.db, world.listId)).state).toBe('in_service')
  })
})
