import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as notifications from '#app/routes/notifications.tsx'
import { insertNotifications } from '#db/queries/notifications.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

type Item = {
  id: number
  kind: string
  params: Record<string, unknown>
  link: string | null
  unread: boolean
}

let tdb: TestDatabase
let world: World
let ctx: TestContext
let contact: Browser
let ids: { mine: number[]; theirs: number }

beforeAll(async () => {
  tdb = await createTestDatabase('routes_inbox')
  world = await buildWorld(tdb.db, 'rn')
  ctx = buildContext(tdb.db)
  contact = await signIn(ctx, world.users.contact.id)
  const { contact: me, otherContact: them } = world.users
  await insertNotifications(tdb.db, [
    {
      userId: me.id,
      kind: 'needsList.accepted',
      params: { title: 'List A' },
      link: '/needs-lists/1',
      dedupeKey: 'rn-1',
    },
    {
      userId: me.id,
      kind: 'needsList.returned',
      params: { title: 'List B', reason: 'Be specific' },
      link: '/needs-lists/2',
      dedupeKey: 'rn-2',
    },
    {
      userId: me.id,
      kind: 'needsList.accepted',
      params: { title: 'C' },
      link: null,
      dedupeKey: 'rn-3',
    },
    {
      userId: them.id,
      kind: 'needsList.accepted',
      params: { title: 'Theirs' },
      link: '/needs-lists/9',
      dedupeKey: 'rn-4',
    },
  ])
  const rows = await tdb.db
    .selectFrom('notification')
    .select(['id', 'user_id'])
    .orderBy('id')
    .execute()
  ids = {
    mine: rows.filter((r) => r.user_id === me.id).map((r) => r.id),
    theirs: rows.find((r) => r.user_id === them.id)?.id ?? 0,
  }
})

afterAll(async () => {
  await tdb?.drop()
})

function readAtOf() {
  return tdb.db
    .selectFrom('notification')
    .select(['id', 'read_at'])
    .orderBy('id')
    .execute()
    .then((rows) => new Map(rows.map((r) => [r.id, r.read_at])))
}

async function inbox(browser: Browser) {
  const out = await call(notifications.loader, browser.get('/notifications'), ctx)
  expect(out.status).toBe(200)
  return (out.data as { notifications: Item[] }).notifications
}

const post = (browser: Browser, fields: Record<string, string | number>, csrf?: string | null) =>
  call(notifications.action, browser.post('/notifications', fields, { csrf }), ctx)

describe('the inbox', () => {
  it('sends anonymous visitors to sign in', async () => {
    const out = await call(notifications.loader, (await anonymous(ctx)).get('/notifications'), ctx)
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/sign-in\?redirectTo=%2Fnotifications$/)
  })

  it("shows the user's own notifications, newest first, all unread", async () => {
    const items = await inbox(contact)
    expect(items.map((n) => n.id)).toEqual([...ids.mine].reverse())
    expect(items.every((n) => n.unread)).toBe(true)
    expect(items.find((n) => n.kind === 'needsList.returned')).toMatchObject({
      params: { title: 'List B', reason: 'Be specific' },
      link: '/needs-lists/2',
    })
  })

  it('refuses a post without a CSRF token (403) and marks nothing', async () => {
    const before = await readAtOf()
    const out = await post(contact, { intent: 'readAll' }, null)
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await readAtOf()).toEqual(before)
  })

  it('refuses malformed posts with 400', async () => {
    const before = await readAtOf()
    expect((await post(contact, { intent: 'read', id: 'abc' })).status).toBe(400)
    expect((await post(contact, { intent: 'burn' })).status).toBe(400)
    expect(await readAtOf()).toEqual(before)
  })

  it("marks one read, and never someone else's", async () => {
    const [first] = ids.mine
    const out = await post(contact, { intent: 'read', id: first ?? 0 })
    expect(out).toMatchObject({ status: 302, location: '/notifications' })
    const foreign = await post(contact, { intent: 'read', id: ids.theirs })
    expect(foreign.status).toBe(302)
    const readAt = await readAtOf()
    expect(readAt.get(first ?? 0)).not.toBeNull()
    expect(ids.mine.slice(1).map((id) => readAt.get(id))).toEqual([null, null])
    expect(readAt.get(ids.theirs)).toBeNull()
    const items = await inbox(contact)
    expect(items.filter((n) => n.unread).map((n) => n.id)).toEqual(ids.mine.slice(1).reverse())
  })

  it('marks all read, for this user only', async () => {
    const out = await post(contact, { intent: 'readAll' })
    expect(out.status).toBe(302)
    const readAt = await readAtOf()
    expect(ids.mine.every((id) => readAt.get(id) !== null)).toBe(true)
    expect(readAt.get(ids.theirs)).toBeNull()
    expect((await inbox(contact)).some((n) => n.unread)).toBe(false)
  })
})
