import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as list from '#app/routes/my-invitations._index.tsx'
import * as detail from '#app/routes/my-invitations.$id.tsx'
import { runMatching, sendInvitations } from '#workflows/commands/resource-list.ts'
import {
  addExpert,
  buildMatchingWorld,
  invitationsOf,
  type MatchingWorld,
  readyList,
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

let tdb: TestDatabase
let world: MatchingWorld
let ctx: TestContext
let me: Awaited<ReturnType<typeof addExpert>>
let you: Awaited<ReturnType<typeof addExpert>>
let as: { me: Browser; you: Browser; steward: Browser; contact: Browser }
let mine: number
let yours: number
let listId: number

beforeAll(async () => {
  tdb = await createTestDatabase('routes_my_invitations')
  world = await buildMatchingWorld(tdb.db, 'mi')
  ctx = buildContext(tdb.db)
  me = await addExpert(tdb.db, world, {
    name: '陈工',
    skills: [['boxes', 5]],
    honours: [{ type: 'great_craftsman', level: 'national' }],
  })
  you = await addExpert(tdb.db, world, { name: '周工', skills: [['boxes', 4]] })
  const ready = await readyList(tdb.db, world, '配电房诊断', [
    {
      title: '配电箱健康诊断',
      headcount: 2,
      skills: ['boxes'],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
    },
  ])
  listId = ready.id
  await runMatching(tdb.db, world.principals.steward, ready.id)
  await sendInvitations(tdb.db, world.principals.steward, ready.id)
  const invitations = await invitationsOf(tdb.db, ready.id)
  mine = invitations.find((i) => i.expert_id === me.expert.id)?.id as number
  yours = invitations.find((i) => i.expert_id === you.expert.id)?.id as number
  as = {
    me: await signIn(ctx, me.user?.id as number),
    you: await signIn(ctx, you.user?.id as number),
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const path = (id: number | string) => `/my-invitations/${id}`
const load = (b: Browser, id: number | string) =>
  call(detail.loader, b.get(path(id)), ctx, { id: String(id) })
const post = (b: Browser, id: number, fields: Record<string, string | number>) =>
  call(detail.action, b.post(path(id), fields), ctx, { id: String(id) })

function formError(out: { data: unknown }) {
  const result = (out.data as { result?: { error?: Record<string, string[] | null> } }).result
  return result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
}

async function statusOf(id: number) {
  return (await invitationsOf(tdb.db, listId)).find((i) => i.id === id)?.status
}

describe('my invitations', () => {
  it('an expert sees only their own invitations', async () => {
    const anon = await call(list.loader, (await anonymous(ctx)).get('/my-invitations'), ctx)
    expect(anon.status).toBe(302)
    const mineList = await call(list.loader, as.me.get('/my-invitations'), ctx)
    expect(
      (mineList.data as { invitations: { id: number }[] }).invitations.map((i) => i.id),
    ).toEqual([mine])
    const yoursList = await call(list.loader, as.you.get('/my-invitations'), ctx)
    expect(
      (yoursList.data as { invitations: { id: number }[] }).invitations.map((i) => i.id),
    ).toEqual([yours])
    // Not for people who are not experts.
    expect((await call(list.loader, as.contact.get('/my-invitations'), ctx)).status).toBe(403)

    const page = await load(as.me, mine)
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({
      invitation: {
        id: mine,
        status: 'pending',
        itemTitle: '配电箱健康诊断',
        enterpriseName: world.enterprise.name,
        windowStart: '2026-04-01',
        windowEnd: '2026-04-30',
        stewardName: world.users.steward.name,
      },
      can: { accept: true, decline: true },
    })
    const factors = (page.data as { factors: { factor: string }[] }).factors.map((f) => f.factor)
    expect(factors).toEqual(expect.arrayContaining(['skill', 'honour', 'availability']))
    // Someone else's invitation, or a steward on this page: 403; bad ids 404.
    for (const [browser, id] of [
      [as.me, yours],
      [as.you, mine],
      [as.steward, mine],
      [as.contact, mine],
    ] as const) {
      expect(await load(browser, id)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
    for (const bad of ['x', '0', '99999999', '99999999999']) {
      expect((await load(as.me, bad)).status).toBe(404)
    }
  })

  it('declining needs a reason; nobody answers another expert’s invitation', async () => {
    const blank = await post(as.you, yours, { intent: 'decline', reason: '' })
    expect(blank.status).toBe(400)
    expect(formError(blank)).toBe('matching.errors.reasonRequired')
    const bogus = await post(as.you, yours, { intent: 'maybe' })
    expect(bogus.status).toBe(400)
    expect(formError(bogus)).toBe('errors.badRequest')
    const stolen = await post(as.me, yours, { intent: 'accept' })
    expect(stolen).toMatchObject({ status: 403, body: 'errors.forbidden' })
    expect(await statusOf(yours)).toBe('pending')

    const accepted = await post(as.me, mine, { intent: 'accept' })
    expect(accepted).toMatchObject({ status: 302, location: `${path(mine)}?done=accepted` })
    expect(await statusOf(mine)).toBe('accepted')
    const after = await call(detail.loader, as.me.get(`${path(mine)}?done=accepted`), ctx, {
      id: String(mine),
    })
    expect(after.data).toMatchObject({
      notice: 'matching.notice.accepted',
      invitation: { status: 'accepted' },
      // Changing one's mind is still possible until the pairing is confirmed.
      can: { accept: false, decline: true },
    })
    // Accepting twice is refused as a stale action, not a server error.
    const twice = await post(as.me, mine, { intent: 'accept' })
    expect(twice.status).toBe(409)
    expect(formError(twice)).toBe('errors.transitionNotAllowed')

    const declined = await post(as.you, yours, { intent: 'decline', reason: '本月在外地支援' })
    expect(declined).toMatchObject({ status: 302, location: `${path(yours)}?done=declined` })
    expect(await statusOf(yours)).toBe('declined')
  })
})
