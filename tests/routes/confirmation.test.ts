import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as page from '#app/routes/needs-lists.$id.confirmation.tsx'
import { makeUser } from '#db/factories.ts'
import { filedItems } from '#workflows/commands/confirmation.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import { type ConfirmationDocument, initialDraft } from '#workflows/confirmation.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  intents,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  footprint,
  instanceOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let skillId: number
let as: {
  contact: Browser
  contact2: Browser
  otherContact: Browser
  coordinator: Browser
  otherCoordinator: Browser
  steward: Browser
  otherSteward: Browser
  expert: Browser
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_confirmation')
  world = await buildWorld(tdb.db, 'rc')
  ctx = buildContext(tdb.db)
  const { district } = world.orgs
  const extra = (key: string, role: 'expert' | 'steward') =>
    makeUser(tdb.db, {
      email: `rc-${key}@zhuqi.test`,
      name: `rc ${key}`,
      password: TEST_PASSWORD,
      role,
      orgId: district.id,
    })
  const expert = await extra('expert', 'expert')
  const otherSteward = await extra('steward2', 'steward')
  await tdb.db
    .updateTable('enterprise')
    .set({ steward_user_id: world.users.steward.id })
    .where('id', '=', world.enterprise.id)
    .execute()
  const skill = await tdb.db
    .insertInto('skill')
    .values({ level: 'domain', code: 'rc-weld', name_zh: '焊接', name_en: 'Welding', path: '/rc/' })
    .returning('id')
    .executeTakeFirstOrThrow()
  skillId = skill.id
  const { users } = world
  as = {
    contact: await signIn(ctx, users.contact.id),
    contact2: await signIn(ctx, users.contact2.id),
    otherContact: await signIn(ctx, users.otherContact.id),
    coordinator: await signIn(ctx, users.coordinator.id),
    otherCoordinator: await signIn(ctx, users.otherCoordinator.id),
    steward: await signIn(ctx, users.steward.id),
    otherSteward: await signIn(ctx, otherSteward.id),
    expert: await signIn(ctx, expert.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

const path = (id: number | string) => `/needs-lists/${id}/confirmation`

function load(browser: Browser, id: number | string) {
  return call(page.loader, browser.get(path(id)), ctx, { id: String(id) })
}

function post(
  browser: Browser,
  id: number,
  fields: [string, string | number][] | Record<string, string | number>,
  options?: { csrf?: string | null },
) {
  return call(page.action, browser.post(path(id), fields, options), ctx, { id: String(id) })
}

/** A list in confirming with the world's steward; returns its id and workflow version. */
async function confirming(title: string) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  const { version, state } = await instanceOf(tdb.db, id)
  expect(state).toBe('confirming')
  return { id, version }
}

async function draftOf(id: number) {
  return initialDraft(await filedItems(tdb.db, id))
}

/** The editor's fields for a document, as the browser posts them. */
function editorFields(
  doc: ConfirmationDocument,
  filedIds: number[],
  extra: Record<string, string | number>,
  reasons: Record<number, string> = {},
): [string, string | number][] {
  const fields: [string, string | number][] = []
  doc.items.forEach((item, i) => {
    const p = `items[${i}]`
    fields.push([`${p}.key`, item.key])
    fields.push([`${p}.title`, item.title])
    fields.push([`${p}.category`, item.category])
    fields.push([`${p}.description`, item.description])
    fields.push([`${p}.urgency`, item.urgency])
    fields.push([`${p}.headcount`, item.headcount])
    fields.push([`${p}.mode`, item.mode])
    fields.push([`${p}.windowStart`, item.windowStart ?? ''])
    fields.push([`${p}.windowEnd`, item.windowEnd ?? ''])
    fields.push([`${p}.place`, item.place ?? ''])
    fields.push([`${p}.expectedOutcome`, item.expectedOutcome ?? ''])
    for (const s of item.skillIds) fields.push([`${p}.skillIds`, s])
    for (const s of item.sourceItemIds) fields.push([`${p}.sourceItemIds`, s])
  })
  filedIds.forEach((id, j) => {
    fields.push([`dropped[${j}].sourceItemId`, id])
    fields.push([`dropped[${j}].reason`, reasons[id] ?? ''])
  })
  for (const [k, v] of Object.entries(extra)) fields.push([k, v])
  return fields
}

function replyOf(out: { data: unknown }) {
  return (
    out.data as {
      result: {
        status?: string
        intent?: { type: string }
        error?: Record<string, string[] | null>
        initialValue: { items?: Record<string, unknown>[]; intent?: string; version?: string }
      }
    }
  ).result
}

async function everything(id: number) {
  const [revisions, confirmed] = await Promise.all([
    tdb.db.selectFrom('needs_revision').select('id').where('needs_list_id', '=', id).execute(),
    tdb.db.selectFrom('confirmed_item').select('id').where('needs_list_id', '=', id).execute(),
  ])
  return {
    ...(await footprint(tdb.db, id)),
    revisions: revisions.map((r) => r.id),
    confirmed: confirmed.map((c) => c.id),
  }
}

describe('who may see the page', () => {
  it('sends anonymous visitors to sign in and answers 404 for bad ids', async () => {
    const anon = await anonymous(ctx)
    const out = await load(anon, 1)
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/sign-in\?/)
    for (const id of ['abc', '0', '99999999']) {
      expect((await load(as.steward, id)).status, id).toBe(404)
    }
  })

  it('is 403 for an expert, another enterprise and another subtree', async () => {
    const { id } = await confirming('Readers only')
    for (const browser of [as.expert, as.otherContact, as.otherCoordinator]) {
      expect(await load(browser, id)).toMatchObject({ status: 403, body: 'errors.forbidden' })
    }
  })

  it('gives the case steward the editor, from the filed items, and the others a read-only page', async () => {
    const { id, version } = await confirming('Editor view')
    const filed = await filedItems(tdb.db, id)
    const mine = await load(as.steward, id)
    expect(mine.status).toBe(200)
    expect(mine.data).toMatchObject({
      list: { id, status: 'confirming' },
      version,
      can: { revise: true, propose: true, approve: false, comment: false },
      editor: { revision: null, keySeed: 0 },
      proposal: null,
      history: [],
    })
    const editor = (mine.data as { editor: { defaultValue: Record<string, unknown> } }).editor
    expect(editor.defaultValue).toMatchObject({
      version: String(version),
      items: filed.map((f) => ({ key: `f${f.id}`, sourceItemIds: [String(f.id)] })),
      dropped: filed.map((f) => ({ sourceItemId: String(f.id), reason: '' })),
    })
    for (const browser of [as.otherSteward, as.contact, as.coordinator]) {
      const out = await load(browser, id)
      expect(out.status).toBe(200)
      expect(out.data).toMatchObject({ editor: null, can: { revise: false } })
    }
  })
})

describe('the steward saves and proposes', () => {
  it('saves a revision, then sends it; the enterprise approves; confirmed items appear', async () => {
    const { id, version } = await confirming('Happy path')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const pokes = ctx.pokes

    const edited: ConfirmationDocument = {
      items: [
        { ...a, title: 'Distribution boxes', skillIds: [skillId], windowStart: '2026-05-01' },
        { ...a, key: 'n1', title: 'Supply lines', headcount: 1 },
      ],
      dropped: [],
    }
    const saved = await post(
      as.steward,
      id,
      editorFields(
        edited,
        filedIds,
        { version, intent: 'save' },
        { [b.sourceItemIds[0] as number]: 'Run by the city' },
      ),
    )
    expect(saved).toMatchObject({
      status: 302,
      location: `${path(id)}?done=saved&revision=1`,
    })
    expect(ctx.pokes).toBe(pokes + 1)
    const rows = await tdb.db
      .selectFrom('needs_revision')
      .selectAll()
      .where('needs_list_id', '=', id)
      .execute()
    expect(rows.map((r) => [r.revision, r.kind])).toEqual([[1, 'edit']])
    expect(rows[0]?.items).toEqual({
      items: edited.items,
      dropped: [{ sourceItemId: b.sourceItemIds[0], reason: 'Run by the city' }],
    })

    const after = await call(
      page.loader,
      as.steward.get(`${path(id)}?done=saved&revision=1`),
      ctx,
      {
        id: String(id),
      },
    )
    expect(after.data).toMatchObject({
      version: version + 1,
      notice: { key: 'confirmation.notice.saved', revision: 1 },
      editor: { revision: 1, keySeed: 1 },
    })
    const history = (after.data as { history: { kind: string; diff: { added: unknown[] } }[] })
      .history
    expect(history.map((h) => h.kind)).toEqual(['edit'])
    expect(history[0]?.diff.added).toHaveLength(1)

    // Propose what was saved (the form posts the same document).
    const proposed = await post(
      as.steward,
      id,
      editorFields(
        edited,
        filedIds,
        { version: version + 1, intent: 'propose' },
        { [b.sourceItemIds[0] as number]: 'Run by the city' },
      ),
    )
    expect(proposed).toMatchObject({
      status: 302,
      location: `${path(id)}?done=proposed&revision=1`,
    })
    expect(await instanceOf(tdb.db, id)).toMatchObject({
      state: 'awaiting_approval',
      version: version + 2,
    })

    // The enterprise sees it next to what it filed, and may approve or comment.
    const theirs = await load(as.contact, id)
    expect(theirs.data).toMatchObject({
      can: { approve: true, comment: true, revise: false },
      editor: null,
      proposal: { revision: 1, againstPrevious: false },
    })
    expect((await load(as.steward, id)).data).toMatchObject({
      editor: null,
      can: { approve: false },
    })

    const approved = await post(as.contact2, id, {
      intent: 'approve',
      version: version + 2,
      revision: 1,
    })
    expect(approved).toMatchObject({ status: 302, location: `${path(id)}?done=approved` })
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'ready_for_matching' })
    const confirmed = await tdb.db
      .selectFrom('confirmed_item')
      .selectAll()
      .where('needs_list_id', '=', id)
      .orderBy('position')
      .execute()
    expect(confirmed.map((c) => [c.title, c.revision, c.skill_ids, c.source_item_ids])).toEqual([
      ['Distribution boxes', 1, [skillId], a.sourceItemIds],
      ['Supply lines', 1, [], a.sourceItemIds],
    ])
    const done = await load(as.coordinator, id)
    expect(done.data).toMatchObject({
      list: { status: 'ready_for_matching' },
      approved: { revision: 1 },
      proposal: null,
    })
  })

  it('lets the enterprise comment, which sends the case back to the steward', async () => {
    const { id, version } = await confirming('Comment path')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    const sent = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version, intent: 'propose' }),
    )
    expect(sent.status).toBe(302)
    const before = await everything(id)
    const blank = await post(as.contact, id, {
      intent: 'comment',
      version: version + 2,
      comment: ' ',
    })
    expect(blank.status).toBe(400)
    expect(replyOf(blank).error?.comment).toEqual(['confirmation.errors.commentRequired'])
    expect(await everything(id)).toEqual(before)

    const out = await post(as.contact, id, {
      intent: 'comment',
      version: version + 2,
      comment: 'Please add the supply lines',
    })
    expect(out).toMatchObject({ status: 302, location: `${path(id)}?done=commented` })
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'confirming' })
    const view = await load(as.steward, id)
    const history = (view.data as { history: { kind: string; comment: string | null }[] }).history
    expect(history.map((h) => [h.kind, h.comment])).toEqual([
      ['edit', null],
      ['proposal', null],
      ['comment', 'Please add the supply lines'],
    ])
    const timeline = (view.data as { timeline: { type: string; comment: string | null }[] })
      .timeline
    expect(timeline.at(-1)).toMatchObject({
      type: 'COMMENT',
      comment: 'Please add the supply lines',
    })
  })
})

describe('refusals', () => {
  it('is 403 for anyone but the case steward, with nothing written', async () => {
    const { id, version } = await confirming('Forbidden edits')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    const before = await everything(id)
    for (const browser of [
      as.otherSteward,
      as.coordinator,
      as.contact,
      as.otherContact,
      as.expert,
    ]) {
      for (const fields of [
        editorFields(doc, filedIds, { version, intent: 'save' }),
        editorFields(doc, filedIds, { version, intent: 'propose' }),
        editorFields(doc, filedIds, { version, op: 'split:0' }),
      ]) {
        const out = await post(browser, id, fields)
        expect(out).toMatchObject({ status: 403, body: 'errors.forbidden' })
      }
    }
    expect(await everything(id)).toEqual(before)
  })

  it('is 403 for approving or commenting by anyone but the enterprise, with nothing written', async () => {
    const { id, version } = await confirming('Forbidden decisions')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    await post(as.steward, id, editorFields(doc, filedIds, { version, intent: 'propose' }))
    const before = await everything(id)
    for (const browser of [as.steward, as.coordinator, as.otherContact, as.otherCoordinator]) {
      const approve = await post(browser, id, {
        intent: 'approve',
        version: version + 2,
        revision: 1,
      })
      expect(approve.status).toBe(403)
      const comment = await post(browser, id, {
        intent: 'comment',
        version: version + 2,
        comment: 'Not mine to say',
      })
      expect(comment.status).toBe(403)
    }
    expect(await everything(id)).toEqual(before)
    // A revision other than the one on offer, and a stale version, are 409s.
    const wrong = await post(as.contact, id, {
      intent: 'approve',
      version: version + 2,
      revision: 7,
    })
    expect(wrong.status).toBe(409)
    expect(replyOf(wrong).error?.['']).toEqual(['errors.transitionNotAllowed'])
    const stale = await post(as.contact, id, {
      intent: 'approve',
      version: version + 1,
      revision: 1,
    })
    expect(stale.status).toBe(409)
    expect(replyOf(stale).error?.['']).toEqual(['errors.conflict'])
    expect(await everything(id)).toEqual(before)
  })

  it('answers bad input with 400 and translated errors, writing nothing', async () => {
    const { id, version } = await confirming('Bad input')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const before = await everything(id)
    const save = { version, intent: 'save' }
    const cases: [string, [string, string | number][], string, string][] = [
      [
        'no title',
        editorFields({ ...doc, items: [{ ...a, title: '' }, b] }, filedIds, save),
        'items[0].title',
        'confirmation.errors.titleRequired',
      ],
      [
        'headcount 0',
        editorFields({ ...doc, items: [a, { ...b, headcount: 0 }] }, filedIds, save),
        'items[1].headcount',
        'errors.headcount',
      ],
      [
        'window backwards',
        editorFields(
          { ...doc, items: [{ ...a, windowStart: '2026-06-02', windowEnd: '2026-06-01' }, b] },
          filedIds,
          save,
        ),
        'items[0].windowEnd',
        'errors.windowOrder',
      ],
      [
        'filed item dropped without a reason',
        editorFields({ ...doc, items: [a] }, filedIds, save),
        'dropped[1].reason',
        'confirmation.errors.dropReasonRequired',
      ],
      [
        'no items',
        editorFields({ ...doc, items: [] }, filedIds, save),
        'items',
        'confirmation.errors.noItems',
      ],
      [
        'unknown source',
        editorFields(
          { ...doc, items: [a, { ...b, sourceItemIds: [...b.sourceItemIds, 424242] }] },
          filedIds,
          save,
        ),
        'items[1].sourceItemIds',
        'confirmation.errors.unknownSource',
      ],
      [
        'no version',
        editorFields(doc, filedIds, { intent: 'save' }),
        'version',
        'errors.badRequest',
      ],
      ['no intent', editorFields(doc, filedIds, { version }), 'intent', 'errors.badRequest'],
    ]
    for (const [what, fields, field, key] of cases) {
      const out = await post(as.steward, id, fields)
      expect(out.status, what).toBe(400)
      expect(replyOf(out).error?.[field], what).toEqual([key])
    }
    // Rules only the server can check come back on their field too.
    const unknownSkill = await post(
      as.steward,
      id,
      editorFields({ ...doc, items: [a, { ...b, skillIds: [987654] }] }, filedIds, save),
    )
    expect(unknownSkill.status).toBe(400)
    expect(replyOf(unknownSkill).error?.['items[1].skillIds']).toEqual([
      'taxonomy.errors.unknownSkill',
    ])
    const stale = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version: version - 1, intent: 'save' }),
    )
    expect(stale.status).toBe(409)
    expect(replyOf(stale).error?.['']).toEqual(['errors.conflict'])
    const csrf = await post(as.steward, id, editorFields(doc, filedIds, save), { csrf: null })
    expect(csrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await everything(id)).toEqual(before)

    // Saving twice the same content is refused with a message.
    expect((await post(as.steward, id, editorFields(doc, filedIds, save))).status).toBe(302)
    const again = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version: version + 1, intent: 'save' }),
    )
    expect(again.status).toBe(400)
    expect(replyOf(again).error?.['']).toEqual(['confirmation.errors.noChanges'])
  })
})

describe('editing without JavaScript', () => {
  it('splits, merges, adds and removes items as round trips that write nothing', async () => {
    const { id, version } = await confirming('Round trips')
    const doc = await draftOf(id)
    const filedIds = (await filedItems(tdb.db, id)).map((f) => f.id)
    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const before = await everything(id)

    const split = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version, op: 'split:0' }),
    )
    expect(split.status).toBe(200)
    const afterSplit = replyOf(split)
    expect(afterSplit.intent?.type).toBe('update')
    // (A single posted value stays a string in the form's values.)
    expect(afterSplit.initialValue.items?.map((i) => [i.key, i.sourceItemIds])).toEqual([
      [a.key, String(a.sourceItemIds[0])],
      ['n1', String(a.sourceItemIds[0])],
      [b.key, String(b.sourceItemIds[0])],
    ])
    expect(afterSplit.initialValue.version).toBe(String(version))

    const merge = await post(as.steward, id, [
      ...editorFields(doc, filedIds, { version, op: 'merge' }),
      ['mergeKeys', a.key],
      ['mergeKeys', b.key],
    ])
    expect(merge.status).toBe(200)
    const merged = replyOf(merge).initialValue.items
    expect(merged).toHaveLength(1)
    expect(merged?.[0]).toMatchObject({
      key: a.key,
      sourceItemIds: [...a.sourceItemIds, ...b.sourceItemIds].map(String),
      headcount: String(a.headcount + b.headcount),
    })

    const one = await post(as.steward, id, [
      ...editorFields(doc, filedIds, { version, op: 'merge' }),
      ['mergeKeys', a.key],
    ])
    expect(one.status).toBe(400)
    expect(replyOf(one).error?.['']).toEqual(['confirmation.errors.mergeNeedsTwo'])
    const bad = await post(as.steward, id, editorFields(doc, filedIds, { version, op: 'split:9' }))
    expect(bad.status).toBe(400)

    const add = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version, __intent__: intents.insert('items', { key: 'n1' }) }),
    )
    expect(add.status).toBe(200)
    expect(replyOf(add).initialValue.items?.map((i) => i.key)).toEqual([a.key, b.key, 'n1'])
    const remove = await post(
      as.steward,
      id,
      editorFields(doc, filedIds, { version, __intent__: intents.remove('items', 0) }),
    )
    expect(remove.status).toBe(200)
    expect(replyOf(remove).initialValue.items?.map((i) => i.key)).toEqual([b.key])
    expect(await everything(id)).toEqual(before)

    // The split, filled in and saved, becomes a revision with both items.
    const [first, second, third] = afterSplit.initialValue.items ?? []
    const fields: [string, string | number][] = []
    ;[first, { ...second, title: 'Supply lines' }, third].forEach((item, i) => {
      for (const [k, v] of Object.entries(item ?? {})) {
        for (const value of Array.isArray(v) ? v : [v])
          fields.push([`items[${i}].${k}`, String(value)])
      }
    })
    filedIds.forEach((fid, j) => {
      fields.push([`dropped[${j}].sourceItemId`, fid])
    })
    fields.push(['version', version], ['intent', 'save'])
    const saved = await post(as.steward, id, fields)
    expect(saved.status).toBe(302)
    const row = await tdb.db
      .selectFrom('needs_revision')
      .select('items')
      .where('needs_list_id', '=', id)
      .executeTakeFirstOrThrow()
    expect((row.items as ConfirmationDocument).items.map((i) => [i.key, i.title])).toEqual([
      [a.key, a.title],
      ['n1', 'Supply lines'],
      [b.key, b.title],
    ])
  })
})
