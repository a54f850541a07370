import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as list from '#app/routes/challenges._index.tsx'
import * as detail from '#app/routes/challenges.$id.tsx'
import * as publishPage from '#app/routes/challenges.new.tsx'
import { makeExpert, makeUser } from '#db/factories.ts'
import type { Role } from '#db/schema.ts'
import type { Principal } from '#workflows/access.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import {
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import { dispatch } from '#workflows/dispatch.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, ITEMS, instanceOf, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<
  | 'contact'
  | 'coordinator'
  | 'otherCoordinator'
  | 'steward'
  | 'otherSteward'
  | 'admin'
  | 'expert'
  | 'otherCityExpert'
  | 'unlinkedExpert',
  Browser
>
const expertIds = {} as Record<'expert' | 'otherCityExpert', number>

// Tuesday 2026-12-01, 10:00 in Beijing.
const NOW = new Date('2026-12-01T02:00:00Z')

beforeAll(async () => {
  tdb = await createTestDatabase('routes_challenges')
  world = await buildWorld(tdb.db, 'rch')
  ctx = buildContext(tdb.db)
  ctx.setNow(NOW)
  const user = (key: string, role: Role, orgId: number) =>
    makeUser(tdb.db, {
      email: `rch-${key}@zhuqi.test`,
      name: `rch ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId,
    })
  await tdb.db
    .updateTable('enterprise')
    .set({ steward_user_id: world.users.steward.id })
    .where('id', '=', world.enterprise.id)
    .execute()
  const expert = await user('expert', 'expert', world.orgs.city.id)
  const otherCityExpert = await user('other-city-expert', 'expert', world.orgs.otherCity.id)
  const unlinked = await user('unlinked-expert', 'expert', world.orgs.city.id)
  const otherSteward = await user('steward2', 'steward', world.orgs.district.id)
  expertIds.expert = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.city.id,
      userId: expert.id,
      name: 'rch city expert',
      mobile: '13900000001',
    })
  ).id
  expertIds.otherCityExpert = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.otherCity.id,
      userId: otherCityExpert.id,
      name: 'rch other city expert',
      mobile: '13900000002',
    })
  ).id
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    steward: await signIn(ctx, u.steward.id),
    otherSteward: await signIn(ctx, otherSteward.id),
    admin: await signIn(ctx, u.admin.id),
    expert: await signIn(ctx, expert.id),
    otherCityExpert: await signIn(ctx, otherCityExpert.id),
    unlinkedExpert: await signIn(ctx, unlinked.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

/** A case of the district's enterprise, confirmed and approved, with its confirmed item ids. */
async function readyCase(title: string) {
  const contact: Principal = world.principals.contact
  const id = await createNeedsList(tdb.db, contact, { title, items: ITEMS })
  await submitNeedsList(tdb.db, contact, id, 1)
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  const doc = initialDraft(await filedItems(tdb.db, id))
  const { version } = await instanceOf(tdb.db, id)
  const proposed = await proposeRevision(tdb.db, world.principals.steward, id, version, doc)
  await approveRevision(tdb.db, contact, id, proposed.revision, proposed.version)
  const items = await tdb.db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', id)
    .orderBy('position')
    .execute()
  return { id, items: items.map((i) => i.id) as [number, number] }
}

function replyOf(data: unknown) {
  return (data as { result: { error?: Record<string, string[] | null> } }).result
}

const challenges = () => tdb.db.selectFrom('open_challenge').selectAll().orderBy('id').execute()
const volunteers = () =>
  tdb.db
    .selectFrom('challenge_volunteer')
    .selectAll()
    .orderBy('challenge_id')
    .orderBy('expert_id')
    .execute()

const publish = (browser: Browser, fields: Record<string, string | number>, csrf?: string | null) =>
  call(publishPage.action, browser.post('/challenges/new', fields, { csrf }), ctx)
const act = (browser: Browser, id: number | string, fields: Record<string, string | number>) =>
  call(detail.action, browser.post(`/challenges/${id}`, fields), ctx, { id: String(id) })
const view = (browser: Browser, id: number | string) =>
  call(detail.loader, browser.get(`/challenges/${id}`), ctx, { id: String(id) })

describe('publishing from /challenges/new', () => {
  it('a coordinator of the subtree publishes an item; others may not (nothing written)', async () => {
    const c = await readyCase('Publish me')
    const item = c.items[0]
    for (const browser of [as.expert, as.contact]) {
      expect(
        (await call(publishPage.loader, browser.get(`/challenges/new?item=${item}`), ctx)).status,
      ).toBe(403)
      expect((await publish(browser, { itemId: item })).status).toBe(403)
    }
    // Outside the subtree, or a steward who is not the case's: 403.
    for (const browser of [as.otherCoordinator, as.otherSteward]) {
      expect(
        (await call(publishPage.loader, browser.get(`/challenges/new?item=${item}`), ctx)).status,
      ).toBe(403)
      expect((await publish(browser, { itemId: item })).status).toBe(403)
    }
    const anon = await anonymous(ctx)
    expect((await call(publishPage.loader, anon.get('/challenges/new'), ctx)).status).toBe(302)
    expect((await publish(as.coordinator, { itemId: item }, null)).status).toBe(403)
    expect(await challenges()).toEqual([])

    // The list of what may be published, then the form for one item.
    const choose = await call(publishPage.loader, as.coordinator.get('/challenges/new'), ctx)
    expect((choose.data as { items: { id: number }[] }).items.map((i) => i.id)).toEqual(
      expect.arrayContaining(c.items),
    )
    expect(
      (
        (await call(publishPage.loader, as.otherCoordinator.get('/challenges/new'), ctx)).data as {
          items: unknown[]
        }
      ).items,
    ).toEqual([])
    const form = await call(
      publishPage.loader,
      as.coordinator.get(`/challenges/new?item=${item}`),
      ctx,
    )
    expect((form.data as { item: { id: number; publishable: boolean } }).item).toMatchObject({
      id: item,
      publishable: true,
    })

    const out = await publish(as.coordinator, {
      itemId: item,
      note: '  Welders with pressure-vessel experience  ',
      closesOn: '2026-12-10',
    })
    expect(out.status).toBe(302)
    const [row] = await challenges()
    expect(out.location).toBe(`/challenges/${row?.id}?done=published`)
    expect(row).toMatchObject({
      confirmed_item_id: item,
      note: 'Welders with pressure-vessel experience',
      closes_on: '2026-12-10',
      status: 'open',
      published_by: world.users.coordinator.id,
    })
    // The case's own steward may publish too.
    expect((await publish(as.steward, { itemId: c.items[1] })).status).toBe(302)
    expect(await challenges()).toHaveLength(2)
  })

  it('bad input is a translated 400 and writes nothing', async () => {
    const c = await readyCase('Bad input')
    const item = c.items[0]
    const before = await challenges()
    const cases: [Record<string, string | number>, string, string][] = [
      [{ itemId: item, closesOn: 'next friday' }, 'closesOn', 'challenges.errors.closesOn'],
      [{ itemId: item, closesOn: '2026-02-30' }, 'closesOn', 'challenges.errors.closesOn'],
      [{ itemId: item, note: 'x'.repeat(501) }, 'note', 'errors.tooLong'],
      [{ itemId: 'seven' }, 'itemId', 'errors.badRequest'],
      [{}, 'itemId', 'errors.badRequest'],
    ]
    for (const [fields, field, key] of cases) {
      const out = await publish(as.coordinator, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(replyOf(out.data).error?.[field], JSON.stringify(fields)).toEqual([key])
    }
    const past = await publish(as.coordinator, { itemId: item, closesOn: '2026-11-30' })
    expect(past.status).toBe(400)
    expect(replyOf(past.data).error?.['']).toEqual(['challenges.errors.closesOnPast'])
    expect((await publish(as.coordinator, { itemId: 999_999 })).status).toBe(404)
    expect(
      (await call(publishPage.loader, as.coordinator.get('/challenges/new?item=abc'), ctx)).status,
    ).toBe(404)
    expect(await challenges()).toEqual(before)

    // A case gone on to pairing: a clear message.
    const actor = { userId: world.users.steward.id, role: 'steward' as const }
    const ref = { subjectType: 'needs_list', subjectId: c.id }
    await dispatch(tdb.db, ref, {
      type: 'MATCH',
      actor: { userId: world.users.coordinator.id, role: 'coordinator' },
      runId: 1,
      proposals: 1,
    })
    await dispatch(tdb.db, ref, { type: 'SEND_INVITATIONS', actor, invitations: 1 })
    await dispatch(tdb.db, ref, { type: 'SCHEDULE_MEETING', actor, meetingId: 1, accepted: 1 })
    const moved = await publish(as.coordinator, { itemId: item })
    expect(moved.status).toBe(400)
    expect(replyOf(moved.data).error?.['']).toEqual(['challenges.errors.caseState'])
    expect(await challenges()).toEqual(before)
  })
})

describe('volunteering on /challenges/:id', () => {
  it('an expert of the pool sees and volunteers; an expert of another city neither sees nor volunteers', async () => {
    const c = await readyCase('Volunteer')
    const published = await publish(as.coordinator, { itemId: c.items[0], closesOn: '2026-12-03' })
    const id = Number(published.location?.split('/')[2]?.split('?')[0])

    const mine = await call(list.loader, as.expert.get('/challenges'), ctx)
    expect(mine.status).toBe(200)
    const expertList = mine.data as { expert: { challenges: { id: number }[] }; union: unknown }
    expect(expertList.union).toBeNull()
    expect(expertList.expert.challenges.map((x) => x.id)).toContain(id)
    const theirs = await call(list.loader, as.otherCityExpert.get('/challenges'), ctx)
    expect(
      (theirs.data as { expert: { challenges: { id: number }[] } }).expert.challenges.map(
        (x) => x.id,
      ),
    ).not.toContain(id)
    expect((await call(list.loader, as.contact.get('/challenges'), ctx)).status).toBe(403)

    expect((await view(as.otherCityExpert, id)).status).toBe(404)
    expect(
      (await act(as.otherCityExpert, id, { intent: 'volunteer', note: 'Me too' })).status,
    ).toBe(404)
    expect((await view(as.otherCoordinator, id)).status).toBe(403)
    expect((await view(as.contact, id)).status).toBe(404)
    expect(await volunteers()).toEqual([])

    const page = await view(as.expert, id)
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({
      challenge: { id, enterpriseName: world.enterprise.name, closedReason: null },
      expert: { volunteered: false },
      union: null,
    })
    const done = await act(as.expert, id, { intent: 'volunteer', note: ' Ten years of welding ' })
    expect(done.status).toBe(302)
    expect(done.location).toBe(`/challenges/${id}?done=volunteered`)
    // Twice is once.
    expect(
      (await act(as.expert, id, { intent: 'volunteer', note: 'Ten years of welding' })).status,
    ).toBe(302)
    expect(await volunteers()).toMatchObject([
      { challenge_id: id, expert_id: expertIds.expert, note: 'Ten years of welding' },
    ])

    // Union users see the count and names.
    const union = await call(list.loader, as.steward.get('/challenges'), ctx)
    const rows = (
      union.data as {
        union: {
          challenges: { id: number; volunteerCount: number; volunteers: { name: string }[] }[]
        }
      }
    ).union.challenges
    expect(rows.find((r) => r.id === id)).toMatchObject({
      volunteerCount: 1,
      volunteers: [{ name: 'rch city expert' }],
    })
    // An expert may not close it; a coordinator outside the subtree may not either.
    expect((await act(as.expert, id, { intent: 'close' })).status).toBe(403)
    expect((await act(as.otherCoordinator, id, { intent: 'close' })).status).toBe(403)
    // A coordinator is not an expert: no volunteering.
    expect((await act(as.coordinator, id, { intent: 'volunteer' })).status).toBe(403)
    const unlinked = await act(as.unlinkedExpert, id, { intent: 'volunteer' })
    expect(unlinked.status).toBe(400)
    expect(replyOf(unlinked.data).error?.['']).toEqual(['challenges.errors.noProfile'])

    // Past the closing date (Beijing): refused with a clear message; withdrawing still works.
    ctx.setNow(new Date('2026-12-03T16:00:00Z'))
    try {
      const late = await act(as.otherCityExpert, id, { intent: 'volunteer' })
      expect(late.status).toBe(404)
      await tdb.db
        .updateTable('expert')
        .set({ org_id: world.orgs.province.id })
        .where('id', '=', expertIds.otherCityExpert)
        .execute()
      const expired = await act(as.otherCityExpert, id, { intent: 'volunteer' })
      expect(expired.status).toBe(400)
      expect(replyOf(expired.data).error?.['']).toEqual(['challenges.errors.expired'])
      expect((await act(as.expert, id, { intent: 'withdraw' })).location).toBe(
        `/challenges/${id}?done=withdrawn`,
      )
    } finally {
      ctx.setNow(NOW)
      await tdb.db
        .updateTable('expert')
        .set({ org_id: world.orgs.otherCity.id })
        .where('id', '=', expertIds.otherCityExpert)
        .execute()
    }
    expect(await volunteers()).toEqual([])

    // Closed by the coordinator: refused.
    expect((await act(as.coordinator, id, { intent: 'close' })).location).toBe(
      `/challenges/${id}?done=closed`,
    )
    const closed = await act(as.expert, id, { intent: 'volunteer' })
    expect(closed.status).toBe(400)
    expect(replyOf(closed.data).error?.['']).toEqual(['challenges.errors.closed'])
    expect(await volunteers()).toEqual([])
  })

  it('bad input is a translated 400 or a 404, never a 500', async () => {
    const c = await readyCase('Bad volunteer')
    const published = await publish(as.coordinator, { itemId: c.items[0] })
    const id = Number(published.location?.split('/')[2]?.split('?')[0])
    const tooLong = await act(as.expert, id, { intent: 'volunteer', note: 'x'.repeat(301) })
    expect(tooLong.status).toBe(400)
    expect(replyOf(tooLong.data).error?.note).toEqual(['errors.tooLong'])
    expect((await act(as.expert, id, { intent: 'applaud' })).status).toBe(400)
    expect((await act(as.expert, id, {})).status).toBe(400)
    const nothing = await act(as.expert, id, { intent: 'withdraw' })
    expect(nothing.status).toBe(400)
    expect(replyOf(nothing.data).error?.['']).toEqual(['challenges.errors.notVolunteered'])
    expect((await act(as.expert, 'abc', { intent: 'volunteer' })).status).toBe(404)
    expect((await act(as.expert, 999_999, { intent: 'volunteer' })).status).toBe(404)
    expect((await view(as.coordinator, '0')).status).toBe(404)
    const forged = await call(
      detail.action,
      as.expert.post(`/challenges/${id}`, { intent: 'volunteer' }, { csrf: null }),
      ctx,
      { id: String(id) },
    )
    expect(forged.status).toBe(403)
    const statusFilter = await call(
      list.loader,
      as.coordinator.get('/challenges?status=bogus'),
      ctx,
    )
    expect((statusFilter.data as { union: { status: string } }).union.status).toBe('open')
    expect(await volunteers()).toEqual([])
  })
})

describe('translations', () => {
  function lookup(dict: unknown, key: string): unknown {
    return key.split('.').reduce<unknown>((node, part) => {
      return typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[part]
        : undefined
    }, dict)
  }

  it('has every key the challenges and matching weights pages use, in both languages', async () => {
    const { readFile } = await import('node:fs/promises')
    const { resources } = await import('#app/i18n/config.ts')
    const { WEIGHT_FACTORS } = await import('#workflows/matching-weights.schema.ts')
    const files = [
      'workflows/challenge.schema.ts',
      'workflows/commands/challenges.ts',
      'workflows/matching-weights.schema.ts',
      'workflows/commands/matching-weights.ts',
      'app/routes/challenges._index.tsx',
      'app/routes/challenges.$id.tsx',
      'app/routes/challenges.new.tsx',
      'app/routes/admin.matching.tsx',
    ]
    const keys = new Set<string>()
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      for (const m of text.matchAll(
        /'((?:challenges|matchingWeights|errors|confirmation)\.[a-zA-Z.]+[a-zA-Z])'/g,
      )) {
        if (m[1]) keys.add(m[1])
      }
    }
    // The notices' namespace (noticeKeys) is not a message itself.
    keys.delete('challenges.notices')
    for (const s of ['open', 'closed', 'expired', 'caseMoved']) keys.add(`challenges.state.${s}`)
    for (const n of ['published', 'closed', 'volunteered', 'withdrawn']) {
      keys.add(`challenges.notices.${n}`)
    }
    for (const n of ['saved', 'wasReset']) keys.add(`matchingWeights.${n}`)
    for (const f of WEIGHT_FACTORS) {
      keys.add(`matchingWeights.factors.${f}.label`)
      keys.add(`matchingWeights.factors.${f}.help`)
    }
    for (const m of ['onsite', 'remote', 'either']) keys.add(`confirmation.mode.${m}`)
    for (const s of ['ready_for_matching', 'matching', 'inviting', 'pairing'])
      keys.add(`status.${s}`)
    expect(keys.size).toBeGreaterThan(80)
    for (const locale of ['zh-CN', 'en'] as const) {
      const missing = [...keys].filter(
        (k) => typeof lookup(resources[locale].translation, k) !== 'string',
      )
      expect(missing, locale).toEqual([])
    }
  })
})
