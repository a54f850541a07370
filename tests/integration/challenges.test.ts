import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client.server.ts'
import { makeEnterprise, makeExpert, makeUser } from '#db/factories.ts'
import { volunteersByItem } from '#db/queries/challenges.ts'
import type { Role } from '#db/schema.ts'
import type { Principal } from '#workflows/access.ts'
import {
  challengesPage,
  challengeView,
  closeChallenge,
  publishChallenge,
  volunteerForChallenge,
  withdrawVolunteering,
} from '#workflows/commands/challenges.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import { dispatch } from '#workflows/dispatch.ts'
import { DomainError, ForbiddenError, NotFoundError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  ITEMS,
  instanceOf,
  principalOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let skillIds: number[]
/** A contact of an enterprise that sits directly under the city (not in the district). */
let cityContact: Principal
/** A steward of the district who is not the cases' steward. */
let otherSteward: Principal
/** The city enterprise's steward. */
let citySteward: Principal

type ExpertKey = 'province' | 'city' | 'district' | 'otherCity' | 'paused'
const experts = {} as Record<ExpertKey, { id: number; principal: Principal }>
let unlinkedExpert: Principal

// Tuesday 2026-12-01, 10:00 in Beijing.
const NOW = new Date('2026-12-01T02:00:00Z')

beforeAll(async () => {
  tdb = await createTestDatabase('challenges')
  world = await buildWorld(tdb.db, 'ch')
  const { db } = tdb
  const { province, city, district, otherCity } = world.orgs
  const user = async (key: string, role: Role, orgId: number, enterpriseId?: number) =>
    makeUser(db, {
      email: `ch-${key}@zhuqi.test`,
      name: `ch ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId,
      enterpriseId,
    })
  await db
    .updateTable('enterprise')
    .set({ steward_user_id: world.users.steward.id, district: 'Haicang' })
    .where('id', '=', world.enterprise.id)
    .execute()
  citySteward = await principalOf(db, (await user('city-steward', 'steward', city.id)).id)
  const cityEnterprise = await makeEnterprise(db, {
    orgId: city.id,
    name: 'ch city works',
    stewardUserId: citySteward.userId,
  })
  cityContact = await principalOf(
    db,
    (await user('city-contact', 'enterprise_contact', city.id, cityEnterprise.id)).id,
  )
  otherSteward = await principalOf(db, (await user('steward2', 'steward', district.id)).id)

  const orgOf: Record<ExpertKey, number> = {
    province: province.id,
    city: city.id,
    district: district.id,
    otherCity: otherCity.id,
    paused: city.id,
  }
  for (const [key, orgId] of Object.entries(orgOf) as [ExpertKey, number][]) {
    const u = await user(`expert-${key}`, 'expert', orgId)
    const expert = await makeExpert(db, {
      orgId,
      userId: u.id,
      name: `ch expert ${key}`,
      mobile: `139000000${Object.keys(orgOf).indexOf(key)}`,
      status: key === 'paused' ? 'paused' : 'active',
    })
    experts[key] = { id: expert.id, principal: await principalOf(db, u.id) }
  }
  unlinkedExpert = await principalOf(db, (await user('expert-unlinked', 'expert', city.id)).id)
  const skills = await db
    .selectFrom('skill')
    .select('id')
    .where('level', '=', 'skill')
    .orderBy('id')
    .limit(2)
    .execute()
  skillIds = skills.map((s) => s.id)
  expect(skillIds).toHaveLength(2)
})

afterAll(async () => {
  await tdb?.drop()
})

/** A case filed by `contact`, confirmed and approved: ready for matching, with two confirmed items. */
async function readyCase(
  title: string,
  contact: Principal = world.principals.contact,
  steward: Principal = world.principals.steward,
) {
  const db: Db = tdb.db
  const id = await createNeedsList(db, contact, { title, items: ITEMS })
  await submitNeedsList(db, contact, id, 1)
  await triageNeedsList(db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  const doc = initialDraft(await filedItems(db, id))
  doc.items = doc.items.map((item, n) => ({
    ...item,
    skillIds: n === 0 ? [...skillIds] : [],
    windowStart: '2026-12-07',
    windowEnd: '2026-12-18',
    place: n === 0 ? 'Workshop 2' : null,
  }))
  const { version } = await instanceOf(db, id)
  const proposed = await proposeRevision(db, steward, id, version, doc)
  await approveRevision(db, contact, id, proposed.revision, proposed.version)
  expect((await instanceOf(db, id)).state).toBe('ready_for_matching')
  const items = await db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', id)
    .orderBy('position')
    .execute()
  return { id, items: items.map((i) => i.id) }
}

const coordinatorActor = () => ({
  userId: world.users.coordinator.id,
  role: 'coordinator' as const,
})
const stewardActor = () => ({ userId: world.users.steward.id, role: 'steward' as const })
const ref = (id: number) => ({ subjectType: 'needs_list', subjectId: id })

async function toMatching(id: number) {
  await dispatch(tdb.db, ref(id), {
    type: 'MATCH',
    actor: coordinatorActor(),
    runId: 1,
    proposals: 1,
  })
}
async function toInviting(id: number) {
  await dispatch(tdb.db, ref(id), {
    type: 'SEND_INVITATIONS',
    actor: stewardActor(),
    invitations: 1,
  })
}
async function toPairing(id: number) {
  await dispatch(tdb.db, ref(id), {
    type: 'SCHEDULE_MEETING',
    actor: stewardActor(),
    meetingId: 1,
    accepted: 1,
  })
}

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(err instanceof DomainError)) throw new Error(`expected a domain error, got ${String(err)}`)
  return err
}

const keyOf = (err: DomainError) => err.details.messageKey

const challengeRows = () => tdb.db.selectFrom('open_challenge').selectAll().orderBy('id').execute()
const volunteerRows = (challengeId: number) =>
  tdb.db
    .selectFrom('challenge_volunteer')
    .selectAll()
    .where('challenge_id', '=', challengeId)
    .orderBy('expert_id')
    .execute()

const publish = (
  principal: Principal,
  itemId: number,
  extra: { note?: string | null; closesOn?: string | null } = {},
  now = NOW,
) =>
  publishChallenge(
    tdb.db,
    principal,
    { itemId, note: extra.note ?? null, closesOn: extra.closesOn ?? null },
    now,
  )

describe('publishing a confirmed item as an open challenge', () => {
  it('is allowed in ready_for_matching, matching and inviting, and refused before and after', async () => {
    const c = await readyCase('States')
    const [a, b] = c.items as [number, number]
    const first = await publish(world.principals.coordinator, a, {
      note: 'Hands-on welders wanted',
      closesOn: '2026-12-10',
    })
    expect(await challengeRows()).toMatchObject([
      {
        id: first.id,
        confirmed_item_id: a,
        needs_list_id: c.id,
        org_id: world.orgs.district.id,
        note: 'Hands-on welders wanted',
        closes_on: '2026-12-10',
        status: 'open',
        published_by: world.users.coordinator.id,
        published_at: NOW,
      },
    ])
    await toMatching(c.id)
    await closeChallenge(tdb.db, world.principals.coordinator, first.id)
    // Re-publishing a closed challenge opens the same one again with the new note.
    expect(await publish(world.principals.admin, a, { note: 'Again' })).toEqual(first)
    expect((await challengeRows())[0]).toMatchObject({
      status: 'open',
      note: 'Again',
      closes_on: null,
      published_by: world.users.admin.id,
    })
    await toInviting(c.id)
    const second = await publish(world.principals.steward, b)
    expect(second.id).not.toBe(first.id)

    await toPairing(c.id)
    await closeChallenge(tdb.db, world.principals.steward, second.id)
    const late = await refused(publish(world.principals.coordinator, b))
    expect(keyOf(late)).toBe('challenges.errors.caseState')

    // A case still in confirmation has no confirmed items; a withdrawn one refuses.
    const w = await readyCase('Withdrawn')
    await dispatch(tdb.db, ref(w.id), {
      type: 'WITHDRAW',
      actor: { userId: world.users.contact.id, role: 'enterprise_contact' },
    })
    expect(keyOf(await refused(publish(world.principals.coordinator, w.items[0] as number)))).toBe(
      'challenges.errors.caseState',
    )
    expect((await challengeRows()).filter((r) => r.needs_list_id === w.id)).toEqual([])
  })

  it('is for coordinators and admins of the case’s subtree and the case steward only', async () => {
    const c = await readyCase('Scope')
    const item = c.items[0] as number
    for (const principal of [
      world.principals.otherCoordinator,
      otherSteward,
      world.principals.contact,
      experts.city.principal,
    ]) {
      await expect(publish(principal, item)).rejects.toBeInstanceOf(ForbiddenError)
    }
    await expect(publish(world.principals.coordinator, 999_999)).rejects.toBeInstanceOf(
      NotFoundError,
    )
    expect((await challengeRows()).filter((r) => r.needs_list_id === c.id)).toEqual([])
    const { id } = await publish(world.principals.provinceCoordinator, item)
    // Closing follows the same rule.
    for (const principal of [
      world.principals.otherCoordinator,
      otherSteward,
      experts.city.principal,
    ]) {
      await expect(closeChallenge(tdb.db, principal, id)).rejects.toBeInstanceOf(ForbiddenError)
    }
    await closeChallenge(tdb.db, world.principals.coordinator2, id)
    expect(keyOf(await refused(closeChallenge(tdb.db, world.principals.coordinator, id)))).toBe(
      'challenges.errors.alreadyClosed',
    )
    await expect(
      closeChallenge(tdb.db, world.principals.coordinator, 999_999),
    ).rejects.toBeInstanceOf(NotFoundError)
  })

  it('checks the closing date against today in Beijing and refuses a second publication', async () => {
    const c = await readyCase('Dates')
    const item = c.items[0] as number
    // NOW is 10:00 on 1 December in Beijing.
    expect(
      keyOf(await refused(publish(world.principals.coordinator, item, { closesOn: '2026-11-30' }))),
    ).toBe('challenges.errors.closesOnPast')
    expect(
      keyOf(await refused(publish(world.principals.coordinator, item, { closesOn: '2027-12-31' }))),
    ).toBe('challenges.errors.closesOnTooFar')
    // Late on 30 November UTC it is already 1 December in Beijing: the 30th is past.
    const lateUtc = new Date('2026-11-30T16:30:00Z')
    expect(
      keyOf(
        await refused(
          publish(world.principals.coordinator, item, { closesOn: '2026-11-30' }, lateUtc),
        ),
      ),
    ).toBe('challenges.errors.closesOnPast')
    expect((await challengeRows()).filter((r) => r.needs_list_id === c.id)).toEqual([])
    await publish(world.principals.coordinator, item, { closesOn: '2026-12-01' })
    expect(keyOf(await refused(publish(world.principals.coordinator, item)))).toBe(
      'challenges.errors.alreadyOpen',
    )
  })
})

describe('volunteering (揭榜)', () => {
  it('is open to experts whose managing org is an ancestor-or-self of the case’s org', async () => {
    const c = await readyCase('Pool scope')
    const { id } = await publish(world.principals.coordinator, c.items[0] as number)
    for (const key of ['province', 'city', 'district'] as const) {
      await volunteerForChallenge(tdb.db, experts[key].principal, id, { note: `from ${key}` }, NOW)
    }
    expect((await volunteerRows(id)).map((r) => [r.expert_id, r.note])).toEqual(
      [
        [experts.province.id, 'from province'],
        [experts.city.id, 'from city'],
        [experts.district.id, 'from district'],
      ].sort((x, y) => (x[0] as number) - (y[0] as number)),
    )
    // Another city's expert does not even see it.
    await expect(
      volunteerForChallenge(tdb.db, experts.otherCity.principal, id, { note: null }, NOW),
    ).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      challengeView(tdb.db, experts.otherCity.principal, id, NOW),
    ).rejects.toBeInstanceOf(NotFoundError)
    // A case of the city itself is not in the district's pool.
    const cityCase = await readyCase('City case', cityContact, citySteward)
    const cityChallenge = await publish(world.principals.coordinator, cityCase.items[0] as number)
    await expect(
      volunteerForChallenge(
        tdb.db,
        experts.district.principal,
        cityChallenge.id,
        { note: null },
        NOW,
      ),
    ).rejects.toBeInstanceOf(NotFoundError)
    await volunteerForChallenge(
      tdb.db,
      experts.city.principal,
      cityChallenge.id,
      { note: null },
      NOW,
    )

    // Not an expert, no linked profile, a paused profile.
    await expect(
      volunteerForChallenge(tdb.db, world.principals.coordinator, id, { note: null }, NOW),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(
      keyOf(await refused(volunteerForChallenge(tdb.db, unlinkedExpert, id, { note: null }, NOW))),
    ).toBe('challenges.errors.noProfile')
    expect(
      keyOf(
        await refused(
          volunteerForChallenge(tdb.db, experts.paused.principal, id, { note: null }, NOW),
        ),
      ),
    ).toBe('challenges.errors.paused')
    expect(await volunteerRows(id)).toHaveLength(3)
    await expect(
      volunteerForChallenge(tdb.db, experts.city.principal, 999_999, { note: null }, NOW),
    ).rejects.toBeInstanceOf(NotFoundError)
  })

  it('is idempotent: twice is once (the note follows the latest), and can be withdrawn while open', async () => {
    const c = await readyCase('Twice')
    const { id } = await publish(world.principals.coordinator, c.items[0] as number)
    const expert = experts.city
    await volunteerForChallenge(tdb.db, expert.principal, id, { note: 'first' }, NOW)
    const [once] = await volunteerRows(id)
    await volunteerForChallenge(
      tdb.db,
      expert.principal,
      id,
      { note: 'first' },
      new Date(NOW.getTime() + 60_000),
    )
    expect(await volunteerRows(id)).toEqual([once])
    await volunteerForChallenge(tdb.db, expert.principal, id, { note: 'updated' }, NOW)
    expect(await volunteerRows(id)).toEqual([{ ...once, note: 'updated' }])

    await withdrawVolunteering(tdb.db, expert.principal, id)
    expect(await volunteerRows(id)).toEqual([])
    expect(keyOf(await refused(withdrawVolunteering(tdb.db, expert.principal, id)))).toBe(
      'challenges.errors.notVolunteered',
    )
    await volunteerForChallenge(tdb.db, expert.principal, id, { note: null }, NOW)
    await closeChallenge(tdb.db, world.principals.coordinator, id)
    expect(keyOf(await refused(withdrawVolunteering(tdb.db, expert.principal, id)))).toBe(
      'challenges.errors.closed',
    )
    expect(await volunteerRows(id)).toHaveLength(1)
    await expect(
      withdrawVolunteering(tdb.db, experts.otherCity.principal, id),
    ).rejects.toBeInstanceOf(NotFoundError)
  })

  it('a closed challenge, a closing date past in Beijing, or a case gone on to pairing refuses new volunteers', async () => {
    const c = await readyCase('Refusals')
    const [a, b] = c.items as [number, number]
    const closing = await publish(world.principals.coordinator, a, { closesOn: '2026-12-01' })
    const closed = await publish(world.principals.coordinator, b)
    await closeChallenge(tdb.db, world.principals.coordinator, closed.id)
    const expert = experts.district.principal

    expect(
      keyOf(await refused(volunteerForChallenge(tdb.db, expert, closed.id, { note: null }, NOW))),
    ).toBe('challenges.errors.closed')
    // 23:59 on 1 December in Beijing is still in time; midnight is not.
    const midnight = new Date('2026-12-01T16:00:00Z')
    expect(
      keyOf(
        await refused(volunteerForChallenge(tdb.db, expert, closing.id, { note: null }, midnight)),
      ),
    ).toBe('challenges.errors.expired')
    await volunteerForChallenge(
      tdb.db,
      expert,
      closing.id,
      { note: null },
      new Date('2026-12-01T15:59:00Z'),
    )
    expect(await volunteerRows(closing.id)).toHaveLength(1)

    await toMatching(c.id)
    await toInviting(c.id)
    await toPairing(c.id)
    expect(
      keyOf(
        await refused(
          volunteerForChallenge(tdb.db, experts.city.principal, closing.id, { note: null }, NOW),
        ),
      ),
    ).toBe('challenges.errors.caseMoved')
    expect(await volunteerRows(closing.id)).toHaveLength(1)
    expect(await volunteerRows(closed.id)).toEqual([])
  })
})

describe('volunteersByItem', () => {
  it('maps items to the experts who volunteered on their open challenge only', async () => {
    const c = await readyCase('By item')
    const [a, b] = c.items as [number, number]
    const ca = await publish(world.principals.coordinator, a)
    const cb = await publish(world.principals.coordinator, b)
    await volunteerForChallenge(tdb.db, experts.city.principal, ca.id, { note: null }, NOW)
    await volunteerForChallenge(tdb.db, experts.district.principal, ca.id, { note: null }, NOW)
    await volunteerForChallenge(tdb.db, experts.province.principal, cb.id, { note: null }, NOW)
    const both = await volunteersByItem(tdb.db, [a, b, 999_999])
    expect([...both.keys()].sort()).toEqual([a, b].sort())
    expect([...(both.get(a) ?? [])].sort()).toEqual([experts.city.id, experts.district.id].sort())
    expect(both.get(b)).toEqual([experts.province.id])

    await closeChallenge(tdb.db, world.principals.coordinator, cb.id)
    const open = await volunteersByItem(tdb.db, [a, b])
    expect(open.has(b)).toBe(false)
    expect(open.get(a)).toHaveLength(2)
    expect(await volunteersByItem(tdb.db, [])).toEqual(new Map())
    // An item never published has no entry.
    const other = await readyCase('Unpublished')
    expect(await volunteersByItem(tdb.db, other.items)).toEqual(new Map())
  })
})

describe('the challenge pages', () => {
  it('experts see the open challenges of their pool; union users those of their subtree with volunteers', async () => {
    await tdb.db.deleteFrom('open_challenge').execute()
    const c = await readyCase('Pages')
    const [a, b] = c.items as [number, number]
    const open = await publish(world.principals.coordinator, a, {
      note: 'Come',
      closesOn: '2026-12-05',
    })
    const expired = await publish(world.principals.coordinator, b, { closesOn: '2026-12-01' })
    await volunteerForChallenge(tdb.db, experts.city.principal, open.id, { note: 'Me' }, NOW)
    const later = new Date('2026-12-02T02:00:00Z')

    const cityPage = await challengesPage(tdb.db, experts.city.principal, {
      status: 'open',
      now: later,
    })
    expect(cityPage.union).toBeNull()
    expect(cityPage.expert?.profile).toMatchObject({ id: experts.city.id, status: 'active' })
    // The expired one is left out (the expert had not volunteered on it).
    expect(cityPage.expert?.challenges.map((x) => x.id)).toEqual([open.id])
    const shown = cityPage.expert?.challenges[0]
    expect(shown).toMatchObject({
      itemId: a,
      enterpriseName: world.enterprise.name,
      district: 'Haicang',
      place: 'Workshop 2',
      windowStart: '2026-12-07',
      windowEnd: '2026-12-18',
      note: 'Come',
      volunteered: true,
      myNote: 'Me',
      closedReason: null,
    })
    expect(shown?.skills.map((s) => s.id).sort()).toEqual([...skillIds].sort())
    expect(shown?.skills.every((s) => s.nameZh.length > 0 && s.nameEn.length > 0)).toBe(true)

    const otherPage = await challengesPage(tdb.db, experts.otherCity.principal, {
      status: 'open',
      now: NOW,
    })
    expect(otherPage.expert?.challenges).toEqual([])
    const unlinked = await challengesPage(tdb.db, unlinkedExpert, { status: 'open', now: NOW })
    expect(unlinked.expert).toEqual({ profile: null, challenges: [] })

    const union = await challengesPage(tdb.db, world.principals.coordinator, {
      status: 'open',
      now: later,
    })
    expect(union.expert).toBeNull()
    expect(
      union.union?.challenges.map((x) => [
        x.id,
        x.volunteerCount,
        x.volunteers.map((v) => v.name),
        x.closedReason,
      ]),
    ).toEqual([
      [expired.id, 0, [], 'expired'],
      [open.id, 1, ['ch expert city'], null],
    ])
    const otherUnion = await challengesPage(tdb.db, world.principals.otherCoordinator, {
      status: 'open',
      now: NOW,
    })
    expect(otherUnion.union?.challenges).toEqual([])
    await expect(
      challengesPage(tdb.db, world.principals.contact, { status: 'open', now: NOW }),
    ).rejects.toBeInstanceOf(ForbiddenError)

    // The detail: volunteers for the union, one's own volunteering for the expert.
    const detail = await challengeView(tdb.db, world.principals.steward, open.id, NOW)
    expect(detail.union?.volunteers.map((v) => [v.expertId, v.note])).toEqual([
      [experts.city.id, 'Me'],
    ])
    expect(detail.union?.canManage).toBe(true)
    expect(detail.expert).toBeNull()
    const asOtherSteward = await challengeView(tdb.db, otherSteward, open.id, NOW)
    expect(asOtherSteward.union?.canManage).toBe(false)
    const mine = await challengeView(tdb.db, experts.city.principal, open.id, NOW)
    expect(mine.union).toBeNull()
    expect(mine.expert).toMatchObject({ expertId: experts.city.id, volunteered: true, note: 'Me' })
    await expect(
      challengeView(tdb.db, world.principals.otherCoordinator, open.id, NOW),
    ).rejects.toBeInstanceOf(ForbiddenError)
    await expect(
      challengeView(tdb.db, world.principals.contact, open.id, NOW),
    ).rejects.toBeInstanceOf(NotFoundError)
    // A closed challenge the expert never volunteered on is gone for them.
    await closeChallenge(tdb.db, world.principals.coordinator, expired.id)
    await expect(
      challengeView(tdb.db, experts.district.principal, expired.id, NOW),
    ).rejects.toBeInstanceOf(NotFoundError)
    const closedList = await challengesPage(tdb.db, world.principals.coordinator, {
      status: 'closed',
      now: NOW,
    })
    expect(closedList.union?.challenges.map((x) => x.id)).toEqual([expired.id])
  })
})
