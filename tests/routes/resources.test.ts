import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as desk from '#app/routes/matching.tsx'
import * as page from '#app/routes/needs-lists.$id.resources.tsx'
import { makeUser } from '#db/factories.ts'
import {
  addExpert,
  buildMatchingWorld,
  invitationsOf,
  liveProposals,
  type MatchingWorld,
  proposalsOf,
  readyList,
  type SkillName,
} from '../helpers/matching-world.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { footprint, instanceOf, TEST_PASSWORD } from '../helpers/world.ts'

let tdb: TestDatabase
let world: MatchingWorld
let ctx: TestContext
let as: Record<
  | 'contact'
  | 'otherContact'
  | 'coordinator'
  | 'otherCoordinator'
  | 'steward'
  | 'otherSteward'
  | 'expert',
  Browser
>
let expert: Awaited<ReturnType<typeof addExpert>>
let runner: Awaited<ReturnType<typeof addExpert>>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_resources')
  world = await buildMatchingWorld(tdb.db, 'rr')
  ctx = buildContext(tdb.db)
  const second = await makeUser(tdb.db, {
    email: 'rr-steward2@zhuqi.test',
    name: 'rr steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  expert = await addExpert(tdb.db, world, {
    name: '王师傅',
    skills: [['boxes', 5]],
    honours: [{ type: 'national_model_worker', level: 'national' }],
    parks: ['软件园'],
  })
  runner = await addExpert(tdb.db, world, { name: '李师傅', skills: [['boxes', 3]] })
  const { users } = world
  as = {
    contact: await signIn(ctx, users.contact.id),
    otherContact: await signIn(ctx, users.otherContact.id),
    coordinator: await signIn(ctx, users.coordinator.id),
    otherCoordinator: await signIn(ctx, users.otherCoordinator.id),
    steward: await signIn(ctx, users.steward.id),
    otherSteward: await signIn(ctx, second.id),
    expert: await signIn(ctx, expert.user?.id as number),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const path = (id: number | string) => `/needs-lists/${id}/resources`

function load(browser: Browser, id: number | string, query = '') {
  return call(page.loader, browser.get(`${path(id)}${query}`), ctx, { id: String(id) })
}

function post(
  browser: Browser,
  id: number,
  fields: Record<string, string | number>,
  options?: { csrf?: string | null },
) {
  return call(page.action, browser.post(path(id), fields, options), ctx, { id: String(id) })
}

function formError(out: { data: unknown }) {
  const result = (out.data as { result?: { error?: Record<string, string[] | null> } }).result
  return result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
}

async function everything(id: number) {
  return {
    ...(await footprint(tdb.db, id)),
    proposals: (await proposalsOf(tdb.db, id)).map((p) => [p.id, p.status]),
    invitations: (await invitationsOf(tdb.db, id)).map((i) => [i.id, i.status]),
    constraints: (
      await tdb.db
        .selectFrom('match_constraint')
        .select('id')
        .where('needs_list_id', '=', id)
        .execute()
    ).map((c) => c.id),
  }
}

async function ready(title: string, skill: SkillName = 'boxes') {
  return readyList(tdb.db, world, title, [{ title: '配电箱诊断', headcount: 1, skills: [skill] }])
}

describe('the resource list page', () => {
  it('sends anonymous visitors to sign in, 404s bad ids and 403s outsiders', async () => {
    const { id } = await ready('Visibility')
    const anon = await load(await anonymous(ctx), id)
    expect(anon.status).toBe(302)
    expect(anon.location).toMatch(/^\/sign-in\?/)
    for (const bad of ['abc', '0', '99999999'])
      expect((await load(as.steward, bad)).status).toBe(404)
    for (const browser of [as.otherContact, as.otherCoordinator, as.expert]) {
      expect(await load(browser, id)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
  })

  it('the steward runs matching and sees the candidates with their explanation', async () => {
    const { id, version } = await ready('Happy')
    const before = await load(as.steward, id)
    expect(before.data).toMatchObject({
      audience: 'steward',
      // Pins may come before the first run.
      can: { run: true, constrain: true, invite: false },
      runs: [],
    })
    const pokes = ctx.pokes
    const out = await post(as.steward, id, { intent: 'run', version })
    expect(out).toMatchObject({ status: 302, location: `${path(id)}?done=matched` })
    expect(ctx.pokes).toBe(pokes + 1)
    expect((await instanceOf(tdb.db, id)).state).toBe('matching')
    const after = await load(as.steward, id, '?done=matched')
    const data = after.data as {
      notice: string
      items: {
        candidates: { name: string; factors: { factor: string }[]; status: string; score: number }[]
        coverage: { full: boolean }
      }[]
      skills: Record<string, { nameZh: string }>
      can: Record<string, boolean>
    }
    expect(data.notice).toBe('matching.notice.matched')
    expect(data.can).toMatchObject({ run: true, constrain: true, invite: true })
    expect(data.items[0]?.candidates.map((c) => [c.name, c.status])).toEqual([
      ['王师傅', 'proposed'],
    ])
    expect(data.items[0]?.candidates[0]?.factors.map((f) => f.factor)).toEqual(
      expect.arrayContaining(['skill', 'proficiency', 'honour', 'proximity']),
    )
    expect(data.skills[String(world.skills.boxes)]?.nameZh).toBe('配电箱健康诊断')
    expect(data.items[0]?.coverage.full).toBe(true)

    // The enterprise reads the names only; the coordinator reads everything but acts on nothing but runs.
    const seen = await load(as.contact, id)
    expect(seen.data).toMatchObject({
      audience: 'enterprise',
      can: { run: false, constrain: false, invite: false, answer: false },
      runs: [],
    })
    const candidate = (seen.data as { items: { candidates: Record<string, unknown>[] }[] }).items[0]
      ?.candidates[0]
    expect(candidate).toMatchObject({ name: '王师傅', score: null, factors: [], mobile: null })

    // Search the pool by name and pin someone by hand.
    const found = await load(as.steward, id, `?q=${encodeURIComponent('李')}`)
    const search = (found.data as { search: { found: { kind: string; id: number }[] } }).search
    expect(search.found.map((f) => `${f.kind}:${f.id}`)).toEqual([runner.key])
    const { version: v2 } = await instanceOf(tdb.db, id)
    const item = (await proposalsOf(tdb.db, id))[0]?.confirmed_item_id as number
    const pinned = await post(as.steward, id, {
      intent: 'pin',
      version: v2,
      itemId: item,
      candidate: runner.key,
    })
    expect(pinned).toMatchObject({ status: 302, location: `${path(id)}?done=pinned` })
    expect(await liveProposals(tdb.db, id)).toEqual([
      { itemId: item, key: runner.key, status: 'proposed', source: 'pinned' },
    ])
  })

  it('the enterprise, a coordinator and another steward cannot act; bad input is a translated error', async () => {
    const { id, version } = await ready('Refusals')
    await post(as.steward, id, { intent: 'run', version })
    const { version: v } = await instanceOf(tdb.db, id)
    const item = (await proposalsOf(tdb.db, id))[0]?.confirmed_item_id as number
    const before = await everything(id)
    // The enterprise cannot run matching, nor another steward; nobody but the steward invites.
    for (const browser of [as.contact, as.otherSteward, as.expert]) {
      const run = await post(browser, id, { intent: 'run', version: v })
      expect(run, 'run').toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    for (const browser of [as.contact, as.otherSteward, as.coordinator]) {
      const invite = await post(browser, id, { intent: 'invite', version: v })
      expect(invite).toMatchObject({ status: 403, body: 'errors.forbidden' })
      const pin = await post(browser, id, {
        intent: 'pin',
        version: v,
        itemId: item,
        candidate: runner.key,
      })
      expect(pin).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    // Malformed and invalid posts: 400 with a translation key, nothing written.
    const cases: [Record<string, string | number>, string][] = [
      [{ intent: 'explode', version: v }, 'errors.badRequest'],
      [
        { intent: 'pin', version: v, itemId: item, candidate: 'robot:7' },
        'matching.errors.candidate',
      ],
      [{ intent: 'pin', version: v, itemId: 'x', candidate: runner.key }, 'errors.badRequest'],
      [
        { intent: 'pin', version: v, itemId: 999_999, candidate: runner.key },
        'matching.errors.unknownItem',
      ],
      [
        {
          intent: 'exclude',
          version: v,
          itemId: item,
          candidate: runner.key,
          reason: 'x'.repeat(501),
        },
        'errors.tooLong',
      ],
      [{ intent: 'decline', invitationId: 1, reason: '' }, 'matching.errors.reasonRequired'],
      [{ intent: 'replace', version: v, proposalId: 999_999 }, 'matching.errors.unknownProposal'],
    ]
    for (const [fields, key] of cases) {
      const out = await post(as.steward, id, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(formError(out), JSON.stringify(fields)).toBe(key)
    }
    // A stale version is a conflict; a missing CSRF token a 403.
    const stale = await post(as.steward, id, { intent: 'run', version: v - 1 })
    expect(stale.status).toBe(409)
    expect(formError(stale)).toBe('errors.conflict')
    const csrf = await post(as.steward, id, { intent: 'run', version: v }, { csrf: null })
    expect(csrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await everything(id)).toEqual(before)
  })

  it('the steward invites, then answers for an expert; an invitation of another list is refused', async () => {
    const { id, version } = await ready('Invite')
    await post(as.steward, id, { intent: 'run', version })
    const { version: v } = await instanceOf(tdb.db, id)
    const sent = await post(as.steward, id, { intent: 'invite', version: v })
    expect(sent).toMatchObject({ status: 302, location: `${path(id)}?done=invited` })
    const [inv] = await invitationsOf(tdb.db, id)
    expect(inv?.status).toBe('pending')
    const view = await load(as.steward, id)
    expect((view.data as { can: Record<string, boolean> }).can).toMatchObject({
      answer: true,
      invite: false,
    })

    // Another list's invitation cannot be answered through this page.
    const other = await ready('Invite other')
    const wrong = await post(as.steward, other.id, {
      intent: 'accept',
      invitationId: inv?.id as number,
    })
    expect(wrong.status).toBe(400)
    expect(formError(wrong)).toBe('errors.notFound')
    expect((await invitationsOf(tdb.db, id))[0]?.status).toBe('pending')

    const answered = await post(as.steward, id, {
      intent: 'accept',
      invitationId: inv?.id as number,
    })
    expect(answered).toMatchObject({ status: 302, location: `${path(id)}?done=answered` })
    expect((await invitationsOf(tdb.db, id))[0]?.status).toBe('accepted')
  })
})

describe('the matching desk', () => {
  it('is for coordinators and admins; "match all" matches every waiting list and shows the summary', async () => {
    // A skill only this test's expert has: the other tests' lists do not compete for them.
    await addExpert(tdb.db, world, { name: '赵师傅', skills: [['ppe', 4]] })
    const a = await ready('Desk A', 'ppe')
    expect((await call(desk.loader, as.steward.get('/matching'), ctx)).status).toBe(403)
    expect((await call(desk.loader, as.contact.get('/matching'), ctx)).status).toBe(403)
    const before = await call(desk.loader, as.coordinator.get('/matching'), ctx)
    const lists = (before.data as { lists: { id: number; itemCount: number; headcount: number }[] })
      .lists
    expect(lists.find((l) => l.id === a.id)).toMatchObject({ itemCount: 1, headcount: 1 })
    // The other city's desk does not see it.
    const elsewhere = await call(desk.loader, as.otherCoordinator.get('/matching'), ctx)
    expect((elsewhere.data as { lists: { id: number }[] }).lists.map((l) => l.id)).not.toContain(
      a.id,
    )

    const stewardPost = await call(
      desk.action,
      as.steward.post('/matching', { intent: 'matchAll' }),
      ctx,
    )
    expect(stewardPost.status).toBe(403)
    const bad = await call(desk.action, as.coordinator.post('/matching', { intent: 'other' }), ctx)
    expect(bad.status).toBe(400)
    expect((await instanceOf(tdb.db, a.id)).state).toBe('ready_for_matching')

    const out = await call(
      desk.action,
      as.coordinator.post('/matching', { intent: 'matchAll' }),
      ctx,
    )
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/matching\?done=batch&lists=\d+&filled=\d+&missing=\d+&score=/)
    expect((await instanceOf(tdb.db, a.id)).state).toBe('matching')
    const after = await call(desk.loader, as.coordinator.get(out.location as string), ctx)
    expect((after.data as { summary: { lists: number } | null }).summary?.lists).toBeGreaterThan(0)
    // Garbage in the summary query shows nothing rather than failing.
    const garbage = await call(desk.loader, as.coordinator.get('/matching?done=batch&lists=x'), ctx)
    expect((garbage.data as { summary: unknown }).summary).toBeNull()
  })
})
