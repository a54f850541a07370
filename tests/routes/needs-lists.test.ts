import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as index from '#app/routes/needs-lists._index.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import * as edit from '#app/routes/needs-lists.$id.edit.tsx'
import * as newList from '#app/routes/needs-lists.new.tsx'
import { makeUser } from '#db/factories.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import {
  anonymous,
  Browser,
  buildContext,
  call,
  intents,
  needsListFields,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  footprint,
  instanceOf,
  listRow,
  outboxOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: {
  contact: Browser
  contact2: Browser
  otherContact: Browser
  coordinator: Browser
  coordinator2: Browser
  otherCoordinator: Browser
  steward: Browser
  expert: Browser
}

const ITEM_A = {
  category: 'equipment_diagnosis',
  description: 'Health diagnosis of the distribution boxes',
  urgency: 'high',
  headcount: 2,
}
const ITEM_B = {
  category: 'skills_training',
  description: 'Skills training for 20 welders',
  urgency: 'normal',
  headcount: 1,
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_lists')
  world = await buildWorld(tdb.db, 'rl')
  ctx = buildContext(tdb.db)
  const expert = await makeUser(tdb.db, {
    email: 'rl-expert@zhuqi.test',
    name: 'rl expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  const { users } = world
  as = {
    contact: await signIn(ctx, users.contact.id),
    contact2: await signIn(ctx, users.contact2.id),
    otherContact: await signIn(ctx, users.otherContact.id),
    coordinator: await signIn(ctx, users.coordinator.id),
    coordinator2: await signIn(ctx, users.coordinator2.id),
    otherCoordinator: await signIn(ctx, users.otherCoordinator.id),
    steward: await signIn(ctx, users.steward.id),
    expert: await signIn(ctx, expert.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

function itemsOf(listId: number) {
  return tdb.db
    .selectFrom('need_item')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('position')
    .execute()
}

async function tableCounts() {
  const count = async (table: 'needs_list' | 'need_item' | 'workflow_event' | 'outbox') => {
    const row = await tdb.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return {
    lists: await count('needs_list'),
    items: await count('need_item'),
    events: await count('workflow_event'),
    outbox: await count('outbox'),
  }
}

/** The Conform reply of an action that returned one. */
function replyOf(data: unknown) {
  return (
    data as {
      result: {
        error?: Record<string, string[] | null>
        initialValue: { title?: string; version?: string; items?: Record<string, string>[] }
      }
    }
  ).result
}

const path = (id: number | string) => `/needs-lists/${id}`

function detailLoader(browser: Browser, id: number | string) {
  return call(detail.loader, browser.get(path(id)), ctx, { id: String(id) })
}

function detailAction(
  browser: Browser,
  id: number | string,
  fields: Record<string, string | number>,
  options?: { csrf?: string | null },
) {
  return call(detail.action, browser.post(path(id), fields, options), ctx, { id: String(id) })
}

async function submitted(title: string) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  return id
}

describe('anonymous visitors', () => {
  it('are sent to sign in from every page, with the way back', async () => {
    const anon = await anonymous(ctx)
    const cases = [
      [index.loader, '/needs-lists', {}],
      [newList.loader, '/needs-lists/new', {}],
      [detail.loader, '/needs-lists/1', { id: '1' }],
      [edit.loader, '/needs-lists/1/edit', { id: '1' }],
    ] as const
    for (const [loader, url, params] of cases) {
      const out = await call(loader, anon.get(url), ctx, params)
      expect(out.status, url).toBe(302)
      expect(out.location).toBe(`/sign-in?${new URLSearchParams({ redirectTo: url })}`)
    }
  })

  it('cannot post a new list', async () => {
    const before = await tableCounts()
    const anon = await anonymous(ctx)
    const out = await call(
      newList.action,
      anon.post('/needs-lists/new', needsListFields('Anonymous list', [ITEM_A])),
      ctx,
    )
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/sign-in\?/)
    expect(await tableCounts()).toEqual(before)
  })
})

describe('the happy path through the actions: create → submit → accept', () => {
  it('works end to end and leaves the right rows behind', async () => {
    const pokes = ctx.pokes

    // create
    const created = await call(
      newList.action,
      as.contact.post(
        '/needs-lists/new',
        needsListFields('  Power room check  ', [ITEM_A, ITEM_B]),
      ),
      ctx,
    )
    expect(created.status).toBe(302)
    const match = created.location?.match(/^\/needs-lists\/(\d+)\?done=created$/)
    expect(match).not.toBeNull()
    const id = Number(match?.[1])
    const row = await listRow(tdb.db, id)
    expect(row).toMatchObject({
      title: 'Power room check',
      status: 'draft',
      enterprise_id: world.enterprise.id,
      org_id: world.orgs.district.id,
      created_by: world.users.contact.id,
    })
    expect(
      (await itemsOf(id)).map((i) => [i.category, i.description, i.urgency, i.headcount]),
    ).toEqual([
      [ITEM_A.category, ITEM_A.description, ITEM_A.urgency, 2],
      [ITEM_B.category, ITEM_B.description, ITEM_B.urgency, 1],
    ])
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'draft', version: 1 })
    expect(ctx.pokes).toBe(pokes + 1)

    // the contact's list page shows it
    const mine = await call(index.loader, as.contact.get('/needs-lists'), ctx)
    const entry = (
      mine.data as { lists: { id: number; itemCount: number; status: string }[] }
    ).lists.find((l) => l.id === id)
    expect(entry).toMatchObject({ status: 'draft', itemCount: 2 })

    // detail, as the contact: may edit and submit, not triage
    const view = await detailLoader(as.contact, id)
    expect(view.status).toBe(200)
    expect(view.data).toMatchObject({
      list: {
        id,
        title: 'Power room check',
        status: 'draft',
        enterpriseName: world.enterprise.name,
      },
      version: 1,
      can: { edit: true, submit: true, accept: false, return: false },
      notice: null,
    })
    const withNotice = await call(detail.loader, as.contact.get(`${path(id)}?done=created`), ctx, {
      id: String(id),
    })
    expect((withNotice.data as { notice: string }).notice).toBe('needsList.created')

    // submit
    const submit = await detailAction(as.contact, id, { intent: 'submit', version: 1 })
    expect(submit.status).toBe(302)
    expect(submit.location).toBe(`${path(id)}?done=submitted`)
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'submitted', version: 2 })
    expect((await listRow(tdb.db, id)).submitted_at).not.toBeNull()
    expect(ctx.pokes).toBe(pokes + 2)
    expect((await outboxOf(tdb.db, id)).length).toBeGreaterThan(0)

    // the coordinator of the city sees the triage actions
    const coordinatorView = await detailLoader(as.coordinator, id)
    expect(coordinatorView.data).toMatchObject({
      version: 2,
      can: { edit: false, submit: false, accept: true, return: true },
    })

    // accept
    const accept = await detailAction(as.coordinator, id, { intent: 'accept', version: 2 })
    expect(accept.status).toBe(302)
    expect(accept.location).toBe(`${path(id)}?done=accepted`)
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'awaiting_steward', version: 3 })
    expect((await listRow(tdb.db, id)).status).toBe('awaiting_steward')
    expect(ctx.pokes).toBe(pokes + 3)
    const events = await eventsOf(tdb.db, id)
    expect(events.map((e) => [e.event_type, e.actor_user_id, e.actor_role])).toEqual([
      ['CREATE', world.users.contact.id, 'enterprise_contact'],
      ['SUBMIT', world.users.contact.id, 'enterprise_contact'],
      ['ACCEPT', world.users.coordinator.id, 'coordinator'],
    ])

    // the timeline on the page
    const after = await detailLoader(as.contact, id)
    expect(after.data).toMatchObject({
      list: { status: 'awaiting_steward' },
      can: { edit: false, submit: false, accept: false, return: false },
    })
    const timeline = (after.data as { timeline: { type: string; actorName: string }[] }).timeline
    expect(timeline.map((e) => [e.type, e.actorName])).toEqual([
      ['CREATE', world.users.contact.name],
      ['SUBMIT', world.users.contact.name],
      ['ACCEPT', world.users.coordinator.name],
    ])
  })
})

describe('the new list form', () => {
  it('adds and removes items without JavaScript (list intents) and writes nothing', async () => {
    const before = await tableCounts()
    const add = await call(
      newList.action,
      as.contact.post(
        '/needs-lists/new',
        needsListFields('Draft', [ITEM_A], { __intent__: intents.insert('items') }),
      ),
      ctx,
    )
    expect(add.status).toBe(200)
    expect(replyOf(add.data).initialValue.items).toHaveLength(2)
    expect(replyOf(add.data).initialValue.items?.[0]).toMatchObject({
      description: ITEM_A.description,
    })

    const remove = await call(
      newList.action,
      as.contact.post(
        '/needs-lists/new',
        needsListFields('Draft', [ITEM_A, ITEM_B], { __intent__: intents.remove('items', 0) }),
      ),
      ctx,
    )
    expect(remove.status).toBe(200)
    const items = replyOf(remove.data).initialValue.items
    expect(items).toHaveLength(1)
    expect(items?.[0]).toMatchObject({ description: ITEM_B.description })
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses bad input with 400 and translation keys, writing nothing', async () => {
    const before = await tableCounts()
    const cases: [string, ReturnType<typeof needsListFields>, string, string][] = [
      ['empty title', needsListFields('', [ITEM_A]), 'title', 'errors.required'],
      ['short title', needsListFields('x', [ITEM_A]), 'title', 'errors.titleTooShort'],
      [
        'headcount 0',
        needsListFields('Valid title', [{ ...ITEM_A, headcount: 0 }]),
        'items[0].headcount',
        'errors.headcount',
      ],
      [
        'headcount not a number',
        needsListFields('Valid title', [{ ...ITEM_A, headcount: 'two' }]),
        'items[0].headcount',
        'errors.headcount',
      ],
      [
        'unknown category',
        needsListFields('Valid title', [ITEM_B, { ...ITEM_A, category: 'magic' }]),
        'items[1].category',
        'errors.category',
      ],
      [
        'short description',
        needsListFields('Valid title', [{ ...ITEM_A, description: 'ab' }]),
        'items[0].description',
        'errors.descriptionTooShort',
      ],
    ]
    for (const [what, fields, field, key] of cases) {
      const out = await call(newList.action, as.contact.post('/needs-lists/new', fields), ctx)
      expect(out.status, what).toBe(400)
      expect(replyOf(out.data).error?.[field], what).toEqual([key])
    }
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses a missing or wrong CSRF token with 403, writing nothing', async () => {
    const before = await tableCounts()
    const fields = needsListFields('CSRF test', [ITEM_A])
    const noToken = await call(
      newList.action,
      as.contact.post('/needs-lists/new', fields, { csrf: null }),
      ctx,
    )
    expect(noToken).toMatchObject({ status: 403, thrown: true, body: 'errors.csrf' })
    const wrongToken = await call(
      newList.action,
      as.contact.post('/needs-lists/new', fields, { csrf: 'x'.repeat(43) }),
      ctx,
    )
    expect(wrongToken).toMatchObject({ status: 403, body: 'errors.csrf' })
    // A token from another browser's page does not match this browser's cookie.
    const foreign = await call(
      newList.action,
      as.contact.post('/needs-lists/new', fields, { csrf: as.contact2.csrf }),
      ctx,
    )
    expect(foreign).toMatchObject({ status: 403, body: 'errors.csrf' })
    // No CSRF cookie at all (only the session).
    const session = as.contact.cookieHeader?.split('; ')[0] ?? ''
    const cookieless = new Browser(session, as.contact.csrf)
    const noCookie = await call(newList.action, cookieless.post('/needs-lists/new', fields), ctx)
    expect(noCookie).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await tableCounts()).toEqual(before)
  })

  it('is for enterprise contacts only', async () => {
    const before = await tableCounts()
    for (const browser of [as.coordinator, as.steward, as.expert]) {
      expect((await call(newList.loader, browser.get('/needs-lists/new'), ctx)).status).toBe(403)
      expect((await call(index.loader, browser.get('/needs-lists'), ctx)).status).toBe(403)
      const out = await call(
        newList.action,
        browser.post('/needs-lists/new', needsListFields('Not mine', [ITEM_A])),
        ctx,
      )
      expect(out.status).toBe(403)
    }
    expect(await tableCounts()).toEqual(before)
  })

  it("lists only the contact's own enterprise's lists", async () => {
    const mine = await draftList(tdb.db, world, 'Mine only')
    const out = await call(index.loader, as.otherContact.get('/needs-lists'), ctx)
    const ids = (out.data as { lists: { id: number }[] }).lists.map((l) => l.id)
    expect(ids).not.toContain(mine)
    const own = await call(index.loader, as.contact2.get('/needs-lists'), ctx)
    expect((own.data as { lists: { id: number }[] }).lists.map((l) => l.id)).toContain(mine)
  })
})

describe('editing', () => {
  it('saves with the version the form was rendered with', async () => {
    const id = await draftList(tdb.db, world, 'Before edit')
    const form = await call(edit.loader, as.contact.get(`${path(id)}/edit`), ctx, {
      id: String(id),
    })
    expect(form.status).toBe(200)
    expect(form.data).toMatchObject({ id, title: 'Before edit', version: 1 })
    expect((form.data as { items: unknown[] }).items).toHaveLength(2)

    const out = await call(
      edit.action,
      as.contact.post(`${path(id)}/edit`, needsListFields('After edit', [ITEM_B], { version: 1 })),
      ctx,
      { id: String(id) },
    )
    expect(out.status).toBe(302)
    expect(out.location).toBe(`${path(id)}?done=saved`)
    expect((await listRow(tdb.db, id)).title).toBe('After edit')
    expect((await itemsOf(id)).map((i) => i.description)).toEqual([ITEM_B.description])
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'draft', version: 2 })
    expect((await eventsOf(tdb.db, id)).map((e) => e.event_type)).toEqual(['CREATE', 'EDIT'])
  })

  it('answers a stale version with 409 and a translated conflict, changing nothing', async () => {
    const id = await draftList(tdb.db, world, 'Stale edit')
    const first = await call(
      edit.action,
      as.contact2.post(
        `${path(id)}/edit`,
        needsListFields('Edited by contact2', [ITEM_A], { version: 1 }),
      ),
      ctx,
      { id: String(id) },
    )
    expect(first.status).toBe(302)
    const before = await footprint(tdb.db, id)
    const stale = await call(
      edit.action,
      as.contact.post(`${path(id)}/edit`, needsListFields('Overwrite', [ITEM_B], { version: 1 })),
      ctx,
      { id: String(id) },
    )
    expect(stale.status).toBe(409)
    expect(replyOf(stale.data).error?.['']).toEqual(['errors.conflict'])
    // The form keeps what the user typed and the version it was rendered with.
    expect(replyOf(stale.data).initialValue).toMatchObject({ title: 'Overwrite', version: '1' })
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect((await listRow(tdb.db, id)).title).toBe('Edited by contact2')
    expect((await itemsOf(id)).map((i) => i.description)).toEqual([ITEM_A.description])
  })

  it('needs the version and valid content (400, nothing written)', async () => {
    const id = await draftList(tdb.db, world, 'Validated edit')
    const before = await footprint(tdb.db, id)
    const noVersion = await call(
      edit.action,
      as.contact.post(`${path(id)}/edit`, needsListFields('No version', [ITEM_A])),
      ctx,
      { id: String(id) },
    )
    expect(noVersion.status).toBe(400)
    expect(replyOf(noVersion.data).error?.version).toEqual(['errors.badRequest'])
    const badItem = await call(
      edit.action,
      as.contact.post(
        `${path(id)}/edit`,
        needsListFields('', [{ ...ITEM_A, headcount: 0 }], { version: 1 }),
      ),
      ctx,
      { id: String(id) },
    )
    expect(badItem.status).toBe(400)
    expect(replyOf(badItem.data).error).toMatchObject({
      title: ['errors.required'],
      'items[0].headcount': ['errors.headcount'],
    })
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect((await listRow(tdb.db, id)).title).toBe('Validated edit')
  })

  it("is 403 for another enterprise's contact and for union roles, changing nothing", async () => {
    const id = await draftList(tdb.db, world, 'Not yours to edit')
    const before = await footprint(tdb.db, id)
    const other = await call(edit.loader, as.otherContact.get(`${path(id)}/edit`), ctx, {
      id: String(id),
    })
    expect(other.status).toBe(403)
    for (const browser of [as.otherContact, as.coordinator, as.otherCoordinator]) {
      const out = await call(
        edit.action,
        browser.post(`${path(id)}/edit`, needsListFields('Hijacked', [ITEM_A], { version: 1 })),
        ctx,
        { id: String(id) },
      )
      expect(out.status).toBe(403)
      expect(out.body).toBe('errors.forbidden')
    }
    expect(await footprint(tdb.db, id)).toEqual(before)
    expect((await listRow(tdb.db, id)).title).toBe('Not yours to edit')
  })

  it('is refused once submitted (409)', async () => {
    const id = await submitted('Submitted, no edits')
    const before = await footprint(tdb.db, id)
    const form = await call(edit.loader, as.contact.get(`${path(id)}/edit`), ctx, {
      id: String(id),
    })
    expect(form).toMatchObject({ status: 409, body: 'errors.transitionNotAllowed' })
    const out = await call(
      edit.action,
      as.contact.post(`${path(id)}/edit`, needsListFields('Late edit', [ITEM_A], { version: 2 })),
      ctx,
      { id: String(id) },
    )
    expect(out.status).toBe(409)
    expect(replyOf(out.data).error?.['']).toEqual(['errors.transitionNotAllowed'])
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('needs a CSRF token', async () => {
    const id = await draftList(tdb.db, world, 'CSRF edit')
    const before = await footprint(tdb.db, id)
    const out = await call(
      edit.action,
      as.contact.post(`${path(id)}/edit`, needsListFields('Forged', [ITEM_A], { version: 1 }), {
        csrf: null,
      }),
      ctx,
      { id: String(id) },
    )
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })
})

describe('the detail page and its actions', () => {
  it('is 404 for ids that are not positive integers or do not exist', async () => {
    const before = await tableCounts()
    for (const id of ['abc', '1.5', '0', '-3', '007', '1e3', '99999999']) {
      expect((await detailLoader(as.contact, id)).status, id).toBe(404)
      const action = await detailAction(as.contact, id, { intent: 'submit', version: 1 })
      expect(action.status, id).toBe(404)
      expect(action.body).toBe('errors.notFound')
      const editForm = await call(edit.loader, as.contact.get(`${path(id)}/edit`), ctx, { id })
      expect(editForm.status, id).toBe(404)
    }
    expect(await tableCounts()).toEqual(before)
  })

  it("is 403 for another enterprise's contact, who cannot submit either", async () => {
    const id = await draftList(tdb.db, world, 'Other enterprise')
    const before = await footprint(tdb.db, id)
    expect(await detailLoader(as.otherContact, id)).toMatchObject({
      status: 403,
      body: 'errors.forbidden',
    })
    const out = await detailAction(as.otherContact, id, { intent: 'submit', version: 1 })
    expect(out).toMatchObject({ status: 403, body: 'errors.forbidden' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('is 403 for a coordinator of another subtree, who cannot triage either', async () => {
    const id = await submitted('Other subtree')
    const before = await footprint(tdb.db, id)
    expect((await detailLoader(as.otherCoordinator, id)).status).toBe(403)
    expect(
      (await detailAction(as.otherCoordinator, id, { intent: 'accept', version: 2 })).status,
    ).toBe(403)
    expect(
      (await detailAction(as.otherCoordinator, id, { intent: 'return', version: 2, reason: 'No' }))
        .status,
    ).toBe(403)
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('lets a steward of the subtree read without actions, and refuses an expert', async () => {
    const id = await submitted('Steward reads')
    expect((await detailLoader(as.steward, id)).data).toMatchObject({
      can: { edit: false, submit: false, accept: false, return: false },
    })
    expect((await detailLoader(as.expert, id)).status).toBe(403)
  })

  it('does not let a contact accept their own list (403)', async () => {
    const id = await submitted('Self accept')
    const before = await footprint(tdb.db, id)
    const out = await detailAction(as.contact, id, { intent: 'accept', version: 2 })
    expect(out).toMatchObject({ status: 403, body: 'errors.forbidden' })
    const ret = await detailAction(as.contact, id, { intent: 'return', version: 2, reason: 'Hm' })
    expect(ret.status).toBe(403)
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('requires a return reason, validated on the server (400, nothing written)', async () => {
    const id = await submitted('Needs a reason')
    const before = await footprint(tdb.db, id)
    for (const reason of [undefined, '', '   ', 'x']) {
      const fields: Record<string, string | number> = { intent: 'return', version: 2 }
      if (reason !== undefined) fields.reason = reason
      const out = await detailAction(as.coordinator, id, fields)
      expect(out.status, JSON.stringify(reason)).toBe(400)
      expect(replyOf(out.data).error?.reason).toEqual(['errors.reasonRequired'])
    }
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('returns with a reason the contact then sees, and records it in the history', async () => {
    const id = await submitted('Return me')
    const out = await detailAction(as.coordinator, id, {
      intent: 'return',
      version: 2,
      reason: '  Please give the equipment models  ',
    })
    expect(out.status).toBe(302)
    expect(out.location).toBe(`${path(id)}?done=returned`)
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'returned', version: 3 })
    expect((await listRow(tdb.db, id)).status).toBe('returned')
    const view = await detailLoader(as.contact, id)
    expect(view.data).toMatchObject({
      list: { status: 'returned' },
      returnReason: 'Please give the equipment models',
      can: { edit: true, submit: true, accept: false, return: false },
    })
    const ret = (
      view.data as { timeline: { type: string; reason: string | null; actorRole: string }[] }
    ).timeline.find((e) => e.type === 'RETURN')
    expect(ret).toMatchObject({
      reason: 'Please give the equipment models',
      actorRole: 'coordinator',
    })
  })

  it('answers a stale version with 409 and changes nothing', async () => {
    const id = await submitted('Stale accept')
    const before = await footprint(tdb.db, id)
    const out = await detailAction(as.coordinator, id, { intent: 'accept', version: 1 })
    expect(out.status).toBe(409)
    expect(replyOf(out.data).error?.['']).toEqual(['errors.conflict'])
    const submitAgain = await detailAction(as.contact, id, { intent: 'submit', version: 1 })
    expect(submitAgain.status).toBe(409)
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('answers an action the state does not allow with 409', async () => {
    const id = await submitted('Already accepted')
    await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
    const before = await footprint(tdb.db, id)
    const out = await detailAction(as.coordinator2, id, { intent: 'accept', version: 3 })
    expect(out.status).toBe(409)
    expect(replyOf(out.data).error?.['']).toEqual(['errors.transitionNotAllowed'])
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('will not submit a list without items (400, translated)', async () => {
    const created = await call(
      newList.action,
      as.contact.post('/needs-lists/new', needsListFields('No items yet', [])),
      ctx,
    )
    expect(created.status).toBe(302)
    const id = Number(created.location?.match(/\/needs-lists\/(\d+)/)?.[1])
    const before = await footprint(tdb.db, id)
    const out = await detailAction(as.contact, id, { intent: 'submit', version: 1 })
    expect(out.status).toBe(400)
    expect(replyOf(out.data).error?.['']).toEqual(['errors.noItems'])
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('refuses unknown intents and missing versions with 400', async () => {
    const id = await draftList(tdb.db, world, 'Odd posts')
    const before = await footprint(tdb.db, id)
    expect((await detailAction(as.contact, id, { intent: 'explode', version: 1 })).status).toBe(400)
    expect((await detailAction(as.contact, id, { intent: 'submit' })).status).toBe(400)
    expect((await detailAction(as.contact, id, { version: 1 })).status).toBe(400)
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('refuses a missing or wrong CSRF token with 403 and changes nothing', async () => {
    const id = await submitted('CSRF triage')
    const before = await footprint(tdb.db, id)
    const none = await detailAction(
      as.coordinator,
      id,
      { intent: 'accept', version: 2 },
      { csrf: null },
    )
    expect(none).toMatchObject({ status: 403, body: 'errors.csrf' })
    const wrong = await detailAction(
      as.coordinator,
      id,
      { intent: 'accept', version: 2 },
      { csrf: as.otherCoordinator.csrf },
    )
    expect(wrong).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await footprint(tdb.db, id)).toEqual(before)
  })

  it('goes back where the form came from (same site only)', async () => {
    const a = await submitted('Back to intake')
    const out = await detailAction(as.coordinator, a, {
      intent: 'accept',
      version: 2,
      redirectTo: '/intake?page=2',
    })
    expect(out.location).toBe('/intake?page=2&done=accepted')
    const b = await submitted('No open redirect')
    const evil = await detailAction(as.coordinator, b, {
      intent: 'accept',
      version: 2,
      redirectTo: '//evil.example/x',
    })
    expect(evil.location).toBe(`${path(b)}?done=accepted`)
  })
})
