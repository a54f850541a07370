import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { membershipsOf } from '#db/queries/users.ts'
import { DEMO_USERS, seedDemo } from '#db/seed.server.ts'
import { seedTalent } from '#db/seed-talent.server.ts'
import type { Principal } from '#workflows/access.ts'
import { listExperts, ownExpertProfile } from '#workflows/commands/experts.ts'
import { listTeams } from '#workflows/commands/service-teams.ts'
import { parseExpertFilters } from '#workflows/talent/filters.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'

let tdb: TestDatabase

async function principal(email: string): Promise<Principal> {
  const user = await tdb.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return { userId: user.id, memberships: await membershipsOf(tdb.db, user.id) }
}

beforeAll(async () => {
  tdb = await createTestDatabase('talent_seed')
  await seedDemo(tdb.db)
})

afterAll(async () => {
  await tdb?.drop()
})

describe('the demo talent pool', () => {
  it('has about forty experts under the city and industry federations, and three teams', async () => {
    const admin = await principal(DEMO_USERS.admin)
    const all = await listExperts(
      tdb.db,
      admin,
      parseExpertFilters(new URLSearchParams()).filters,
      {
        pageSize: 100,
      },
    )
    expect(all.total).toBeGreaterThanOrEqual(38)
    expect(new Set(all.rows.map((r) => r.orgName))).toEqual(
      new Set(['鹭江市总工会', '鹭江市机电冶金产业工会联合会']),
    )
    expect(
      all.rows.filter((r) => r.honours.some((h) => h.type === 'craftsman')).length,
    ).toBeGreaterThan(
      all.rows.filter((r) => r.honours.some((h) => h.type === 'national_model_worker')).length,
    )
    const teams = await listTeams(tdb.db, admin, { page: 1, pageSize: 10 })
    expect(teams.rows).toHaveLength(3)
  })

  it('links 王建国 and the two other demo expert users to their profiles', async () => {
    const wang = await ownExpertProfile(tdb.db, await principal(DEMO_USERS.expert))
    expect(wang).toMatchObject({ name: '王建国' })
    expect(wang?.honours).toContainEqual({
      type: 'national_model_worker',
      level: 'national',
      year: 2015,
    })
    expect(wang?.skills.map((s) => s.code)).toContain('power.equipment.distribution-box-diagnosis')
    expect(wang?.teams).toMatchObject([{ name: '配电设备健康诊断服务队', leads: true }])
    for (const email of [DEMO_USERS.expert2, DEMO_USERS.expert3]) {
      const p = await principal(email)
      expect(p.memberships.map((m) => m.role)).toEqual(['expert'])
      expect(await ownExpertProfile(tdb.db, p)).not.toBeNull()
    }
  })

  it('shows the park coordinator the experts managed above the park, who serve it', async () => {
    const park = await listExperts(
      tdb.db,
      await principal(DEMO_USERS.coordinator),
      parseExpertFilters(new URLSearchParams()).filters,
      { pageSize: 10 },
    )
    // Everyone in the demo pool is managed by the city or the industry federation above the park.
    expect(park.total).toBe(41)
    // Power-equipment experts free in the first confirmed list's window exist for matching.
    const city = await principal(DEMO_USERS.cityCoordinator)
    const skill = await tdb.db
      .selectFrom('skill')
      .select('id')
      .where('code', '=', 'power.equipment')
      .executeTakeFirstOrThrow()
    const found = await listExperts(
      tdb.db,
      city,
      parseExpertFilters(
        new URLSearchParams({
          skill: String(skill.id),
          from: '2026-12-07',
          to: '2026-12-18',
          free: '1',
        }),
      ).filters,
      { pageSize: 50 },
    )
    expect(found.total).toBeGreaterThanOrEqual(3)
  })

  it('seeds once: a second run adds nothing', async () => {
    const before = await tdb.db.selectFrom('expert').select('id').execute()
    await seedTalent(tdb.db, 'unused', {
      expert: DEMO_USERS.expert,
      expert2: DEMO_USERS.expert2,
      expert3: DEMO_USERS.expert3,
    })
    expect(await tdb.db.selectFrom('expert').select('id').execute()).toHaveLength(before.length)
  })
})
