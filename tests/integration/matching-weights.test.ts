import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeOrg, makeUser } from '#db/factories.ts'
import { effectiveWeights, upsertWeights } from '#db/queries/matching-weights.ts'
import type { Principal } from '#workflows/access.ts'
import {
  matchingWeightsPage,
  resetMatchingWeights,
  setMatchingWeights,
} from '#workflows/commands/matching-weights.ts'
import { DomainError, ForbiddenError, NotFoundError } from '#workflows/errors.ts'
import { DEFAULT_WEIGHTS } from '#workflows/matching/index.ts'
import type { MatchWeights } from '#workflows/matching/types.ts'
import { WEIGHT_FACTORS } from '#workflows/matching-weights.schema.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, principalOf, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let cityAdmin: Principal
/** A park union under the district: the deepest level. */
let park: { id: number; path: string; name: string }

beforeAll(async () => {
  tdb = await createTestDatabase('matching_weights')
  world = await buildWorld(tdb.db, 'mw')
  park = await makeOrg(tdb.db, 'mw park', 'park_union', world.orgs.district.id)
  const user = await makeUser(tdb.db, {
    email: 'mw-city-admin@zhuqi.test',
    name: 'mw city admin',
    password: TEST_PASSWORD,
    role: 'federation_admin',
    orgId: world.orgs.city.id,
  })
  cityAdmin = await principalOf(tdb.db, user.id)
})

afterAll(async () => {
  await tdb?.drop()
})

const weights = (over: Partial<MatchWeights> = {}): MatchWeights => ({
  skill: 50,
  proficiency: 10,
  honour: 5,
  proximity: 20,
  availability: 10,
  load: 8,
  rating: 2,
  continuity: 0,
  volunteer: 25,
  ...over,
})

const rows = () => tdb.db.selectFrom('matching_weights').selectAll().orderBy('org_id').execute()

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(err instanceof DomainError)) throw new Error(`expected a domain error, got ${String(err)}`)
  return err
}

describe('effectiveWeights: the nearest org’s row on the path, over the defaults', () => {
  it('inherits own, parent’s, grandparent’s and default weights', async () => {
    const { province, city, district, otherCity } = world.orgs
    expect(await effectiveWeights(tdb.db, park.path)).toEqual(DEFAULT_WEIGHTS)

    const now = new Date()
    const provinceWeights = weights({ skill: 30 })
    await upsertWeights(tdb.db, {
      orgId: province.id,
      weights: provinceWeights,
      updatedBy: world.users.admin.id,
      now,
    })
    // Everyone below the province, the other city too, uses the province's.
    for (const path of [province.path, city.path, district.path, park.path, otherCity.path]) {
      expect(await effectiveWeights(tdb.db, path)).toEqual(provinceWeights)
    }

    const cityWeights = weights({ skill: 70, volunteer: 0 })
    await upsertWeights(tdb.db, {
      orgId: city.id,
      weights: cityWeights,
      updatedBy: world.users.admin.id,
      now,
    })
    expect(await effectiveWeights(tdb.db, city.path)).toEqual(cityWeights)
    expect(await effectiveWeights(tdb.db, district.path)).toEqual(cityWeights)
    expect(await effectiveWeights(tdb.db, park.path)).toEqual(cityWeights)
    expect(await effectiveWeights(tdb.db, otherCity.path)).toEqual(provinceWeights)

    const parkWeights = weights({ proximity: 100 })
    await upsertWeights(tdb.db, {
      orgId: park.id,
      weights: parkWeights,
      updatedBy: world.users.admin.id,
      now,
    })
    expect(await effectiveWeights(tdb.db, park.path)).toEqual(parkWeights)
    expect(await effectiveWeights(tdb.db, district.path)).toEqual(cityWeights)
    await tdb.db.deleteFrom('matching_weights').execute()
  })

  it('a row missing a factor, or holding a bad value, falls back to the default for it', async () => {
    await tdb.db
      .insertInto('matching_weights')
      .values({
        org_id: world.orgs.city.id,
        weights: JSON.stringify({ skill: 12, load: -3, rating: 'high', honour: 0 }),
      })
      .execute()
    expect(await effectiveWeights(tdb.db, world.orgs.district.path)).toEqual({
      ...DEFAULT_WEIGHTS,
      skill: 12,
      honour: 0,
    })
    await tdb.db.deleteFrom('matching_weights').execute()
  })

  it('an empty or malformed path gets the defaults', async () => {
    expect(await effectiveWeights(tdb.db, '')).toEqual(DEFAULT_WEIGHTS)
    expect(await effectiveWeights(tdb.db, '/x/y/')).toEqual(DEFAULT_WEIGHTS)
  })
})

describe('the matching weights commands', () => {
  it('shows each weight with where it comes from (own, inherited, default) and what reset gives', async () => {
    const admin = world.principals.admin
    const fresh = await matchingWeightsPage(tdb.db, admin, world.orgs.district.id)
    expect(fresh.weights.map((w) => w.factor)).toEqual([...WEIGHT_FACTORS])
    expect(fresh.weights.map((w) => w.value)).toEqual(WEIGHT_FACTORS.map((f) => DEFAULT_WEIGHTS[f]))
    expect(fresh.weights.every((w) => w.source.kind === 'default')).toBe(true)
    expect(fresh.row).toBeNull()

    const at = new Date('2026-12-01T02:00:00Z')
    await setMatchingWeights(
      tdb.db,
      admin,
      { orgId: world.orgs.city.id, weights: weights({ skill: 60 }) },
      at,
    )
    expect(await rows()).toMatchObject([
      {
        org_id: world.orgs.city.id,
        weights: weights({ skill: 60 }),
        updated_by: world.users.admin.id,
        updated_at: at,
      },
    ])
    const city = await matchingWeightsPage(tdb.db, admin, world.orgs.city.id)
    expect(city.weights.every((w) => w.source.kind === 'own')).toBe(true)
    expect(city.weights.find((w) => w.factor === 'skill')?.value).toBe(60)
    // Resetting the city would give the province's (here: the defaults).
    expect(city.inherited.map((w) => w.value)).toEqual(
      WEIGHT_FACTORS.map((f) => DEFAULT_WEIGHTS[f]),
    )
    expect(city.row).toMatchObject({ orgId: world.orgs.city.id, updatedByName: 'mw admin' })

    const district = await matchingWeightsPage(tdb.db, cityAdmin, world.orgs.district.id)
    expect(district.weights.map((w) => w.source)).toEqual(
      WEIGHT_FACTORS.map(() => ({
        kind: 'inherited',
        orgId: world.orgs.city.id,
        orgName: world.orgs.city.name,
      })),
    )
    expect(district.inherited.find((w) => w.factor === 'skill')?.value).toBe(60)
    // The city admin's picker holds their subtree only.
    expect(district.orgs.map((o) => o.id).sort()).toEqual(
      [world.orgs.city.id, world.orgs.district.id, park.id].sort(),
    )

    // Saving again replaces the row.
    await setMatchingWeights(
      tdb.db,
      cityAdmin,
      { orgId: world.orgs.city.id, weights: weights({ skill: 0.5, load: 100 }) },
      at,
    )
    expect((await rows()).map((r) => r.weights)).toEqual([weights({ skill: 0.5, load: 100 })])

    await resetMatchingWeights(tdb.db, cityAdmin, { orgId: world.orgs.city.id })
    expect(await rows()).toEqual([])
    expect(await effectiveWeights(tdb.db, world.orgs.district.path)).toEqual(DEFAULT_WEIGHTS)
  })

  it('federation admins manage their own subtree only; nothing changes otherwise', async () => {
    const at = new Date()
    for (const principal of [
      world.principals.coordinator,
      world.principals.steward,
      world.principals.contact,
    ]) {
      await expect(
        setMatchingWeights(
          tdb.db,
          principal,
          { orgId: world.orgs.city.id, weights: weights() },
          at,
        ),
      ).rejects.toBeInstanceOf(ForbiddenError)
      await expect(matchingWeightsPage(tdb.db, principal, null)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    for (const orgId of [world.orgs.province.id, world.orgs.otherCity.id]) {
      await expect(
        setMatchingWeights(tdb.db, cityAdmin, { orgId, weights: weights() }, at),
      ).rejects.toBeInstanceOf(ForbiddenError)
      await expect(resetMatchingWeights(tdb.db, cityAdmin, { orgId })).rejects.toBeInstanceOf(
        ForbiddenError,
      )
      await expect(matchingWeightsPage(tdb.db, cityAdmin, orgId)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    await expect(
      matchingWeightsPage(tdb.db, world.principals.admin, 999_999),
    ).rejects.toBeInstanceOf(NotFoundError)
    const unknown = await refused(
      setMatchingWeights(
        tdb.db,
        world.principals.admin,
        { orgId: 999_999, weights: weights() },
        at,
      ),
    )
    expect(unknown.details).toMatchObject({ messageKey: 'matchingWeights.errors.unknownOrg' })
    const nothing = await refused(
      resetMatchingWeights(tdb.db, world.principals.admin, { orgId: world.orgs.city.id }),
    )
    expect(nothing.details).toMatchObject({ messageKey: 'matchingWeights.errors.noOwnWeights' })
    expect(await rows()).toEqual([])
  })

  it('the command refuses bad weights whoever calls it', async () => {
    const cases: [Partial<MatchWeights>, string, string][] = [
      [{ skill: 0 }, 'skill', 'matchingWeights.errors.skillPositive'],
      [{ load: -1 }, 'load', 'matchingWeights.errors.weight'],
      [{ honour: 101 }, 'honour', 'matchingWeights.errors.weight'],
      [{ rating: Number.NaN }, 'rating', 'matchingWeights.errors.weight'],
      [{ volunteer: Number.POSITIVE_INFINITY }, 'volunteer', 'matchingWeights.errors.weight'],
    ]
    for (const [over, field, key] of cases) {
      const err = await refused(
        setMatchingWeights(
          tdb.db,
          world.principals.admin,
          { orgId: world.orgs.city.id, weights: weights(over) },
          new Date(),
        ),
      )
      expect(err.details, JSON.stringify(over)).toEqual({ field, messageKey: key })
    }
    expect(await rows()).toEqual([])
  })
})
