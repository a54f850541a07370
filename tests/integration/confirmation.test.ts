import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import {
  approveRevision,
  commentOnProposal,
  confirmationView,
  filedItems,
  proposeRevision,
  saveRevision,
} from '#workflows/commands/confirmation.ts'
import { submitNeedsList, triageNeedsList } from '#workflows/commands/needs-lists.ts'
import { type ConfirmationDocument, initialDraft, storedDocument } from '#workflows/confirmation.ts'
import { dispatch } from '#workflows/dispatch.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  draftList,
  eventsOf,
  footprint,
  instanceOf,
  listRow,
  outboxOf,
  principalOf,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let otherSteward: Principal
let outsideSteward: Principal
let skillIds: number[]

beforeAll(async () => {
  tdb = await createTestDatabase('confirmation')
  world = await buildWorld(tdb.db, 'cf')
  const { district, otherCity } = world.orgs
  const second = await makeUser(tdb.db, {
    email: 'cf-steward2@zhuqi.test',
    name: 'cf steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: district.id,
  })
  otherSteward = await principalOf(tdb.db, second.id)
  const outside = await makeUser(tdb.db, {
    email: 'cf-outside-steward@zhuqi.test',
    name: 'cf outside steward',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: otherCity.id,
  })
  outsideSteward = await principalOf(tdb.db, outside.id)
  // The enterprise's dedicated steward: accepting a list hands it to them.
  await tdb.db
    .updateTable('enterprise')
    .set({ steward_user_id: world.users.steward.id })
    .where('id', '=', world.enterprise.id)
    .execute()
  const domain = await tdb.db
    .insertInto('skill')
    .values({ level: 'domain', code: 'cf-elec', name_zh: '电气', name_en: 'Electrical', path: '/' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tdb.db
    .updateTable('skill')
    .set({ path: `/${domain.id}/` })
    .where('id', '=', domain.id)
    .execute()
  const rows = await tdb.db
    .insertInto('skill')
    .values(
      ['cf-boxes', 'cf-lines'].map((code, i) => ({
        parent_id: domain.id,
        level: 'skill' as const,
        code,
        name_zh: code,
        name_en: code,
        path: `/${domain.id}/${i}/`,
      })),
    )
    .returning('id')
    .execute()
  skillIds = rows.map((r) => r.id)
})

afterAll(async () => {
  await tdb?.drop()
})

/** A list filed by the world's contact and accepted into confirming with its steward. */
async function confirming(title: string) {
  const id = await draftList(tdb.db, world, title)
  await submitNeedsList(tdb.db, world.principals.contact, id, 1)
  await triageNeedsList(tdb.db, world.principals.coordinator, id, { type: 'ACCEPT' }, 2)
  const instance = await instanceOf(tdb.db, id)
  expect(instance.state).toBe('confirming')
  return { id, version: instance.version }
}

async function draftOf(id: number) {
  return initialDraft(await filedItems(tdb.db, id))
}

function revisionsOf(id: number) {
  return tdb.db
    .selectFrom('needs_revision')
    .selectAll()
    .where('needs_list_id', '=', id)
    .orderBy('revision')
    .execute()
}

function confirmedOf(id: number) {
  return tdb.db
    .selectFrom('confirmed_item')
    .selectAll()
    .where('needs_list_id', '=', id)
    .orderBy('position')
    .execute()
}

async function everything(id: number) {
  return {
    ...(await footprint(tdb.db, id)),
    revisions: (await revisionsOf(id)).map((r) => r.id),
    confirmed: (await confirmedOf(id)).map((c) => c.id),
  }
}

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

describe('saving revisions', () => {
  it('numbers revisions, stores the document and audits a REVISE per save', async () => {
    const { id, version } = await confirming('Numbering')
    const steward = world.principals.steward
    const doc = await draftOf(id)
    const first = await saveRevision(tdb.db, steward, id, doc, version)
    expect(first).toEqual({ revision: 1, version: version + 1 })

    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const edited: ConfirmationDocument = {
      items: [
        { ...a, title: 'Distribution boxes', skillIds: [skillIds[0] as number] },
        { ...a, key: 'n1', title: 'Supply lines', headcount: 1 },
      ],
      dropped: [{ sourceItemId: b.sourceItemIds[0] as number, reason: 'The city runs it' }],
    }
    const second = await saveRevision(tdb.db, steward, id, edited, first.version)
    expect(second).toEqual({ revision: 2, version: version + 2 })

    const rows = await revisionsOf(id)
    expect(rows.map((r) => [r.revision, r.kind, r.author_user_id, r.author_role])).toEqual([
      [1, 'edit', world.users.steward.id, 'steward'],
      [2, 'edit', world.users.steward.id, 'steward'],
    ])
    expect(storedDocument(rows[0]?.items)).toEqual(doc)
    expect(storedDocument(rows[1]?.items)).toEqual(edited)
    const revise = (await eventsOf(tdb.db, id)).filter((e) => e.event_type === 'REVISE')
    expect(revise.map((e) => [e.payload.revision, e.actor_user_id, e.to_state])).toEqual([
      [1, world.users.steward.id, 'confirming'],
      [2, world.users.steward.id, 'confirming'],
    ])
    expect(await instanceOf(tdb.db, id)).toMatchObject({
      state: 'confirming',
      version: version + 2,
    })

    // The page's history shows each revision's diff against the one before.
    const view = await confirmationView(tdb.db, steward, id)
    expect(view.draftRevision).toBe(2)
    expect(view.draft).toEqual(edited)
    expect(view.keySeed).toBe(1)
    expect(view.history[0]?.diff?.unchanged).toBe(true)
    const diff = view.history[1]?.diff
    expect(diff?.added.map((x) => [x.item.key, x.splitFrom])).toEqual([['n1', a.key]])
    expect(diff?.removed.map((x) => x.item.key)).toEqual([b.key])
    expect(diff?.dropped).toEqual([
      { sourceItemId: b.sourceItemIds[0], from: null, to: 'The city runs it' },
    ])
  })

  it('refuses a stale version, an unchanged document and invalid content, writing nothing', async () => {
    const { id, version } = await confirming('Refusals')
    const steward = world.principals.steward
    const doc = await draftOf(id)
    await saveRevision(tdb.db, steward, id, doc, version)
    const before = await everything(id)

    const stale = await refused(saveRevision(tdb.db, steward, id, doc, version))
    expect(stale.code).toBe('conflict')
    const same = await refused(saveRevision(tdb.db, steward, id, doc, version + 1))
    expect(same.details).toMatchObject({ messageKey: 'confirmation.errors.noChanges' })

    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const cases: [unknown, string, string][] = [
      [{ items: [a], dropped: [] }, 'dropped', 'confirmation.errors.uncovered'],
      [{ items: [{ ...a, headcount: 0 }, b] }, 'items[0].headcount', 'errors.headcount'],
      [{ items: [a, { ...b, title: '' }] }, 'items[1].title', 'confirmation.errors.titleRequired'],
      [
        { items: [a, { ...b, skillIds: [999999] }] },
        'items[1].skillIds',
        'taxonomy.errors.unknownSkill',
      ],
      [{ items: [a, { ...b, category: 'no_such' }] }, 'items[1].category', 'errors.category'],
      [
        { items: [a, { ...b, sourceItemIds: [1] }] },
        'items[1].sourceItemIds',
        'confirmation.errors.unknownSource',
      ],
      ['nonsense', 'items', 'errors.badRequest'],
    ]
    for (const [input, field, key] of cases) {
      const err = await refused(saveRevision(tdb.db, steward, id, input, version + 1))
      expect(err.code, key).toBe('validation')
      expect(err.details, key).toEqual({ field, messageKey: key })
    }
    expect(await everything(id)).toEqual(before)
  })

  it('lets exactly one of two concurrent saves of the same version through', async () => {
    const { id, version } = await confirming('Concurrent saves')
    const doc = await draftOf(id)
    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const other = { ...doc, items: [{ ...a, title: 'Another title' }, b] }
    const results = await Promise.allSettled([
      saveRevision(tdb.db, world.principals.steward, id, doc, version),
      saveRevision(tdb.db, world.principals.steward, id, other, version),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failed = results.find((r) => r.status === 'rejected')
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' })
    expect((await revisionsOf(id)).map((r) => r.revision)).toEqual([1])
    expect(await instanceOf(tdb.db, id)).toMatchObject({ version: version + 1 })
  })

  it('is only for the case steward: others get ForbiddenError and nothing is written', async () => {
    const { id, version } = await confirming('Not yours')
    const doc = await draftOf(id)
    const before = await everything(id)
    const { principals } = world
    for (const principal of [
      otherSteward,
      outsideSteward,
      principals.coordinator,
      principals.admin,
      principals.contact,
      principals.otherContact,
    ]) {
      await expect(saveRevision(tdb.db, principal, id, doc, version)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
      await expect(proposeRevision(tdb.db, principal, id, version, doc)).rejects.toBeInstanceOf(
        ForbiddenError,
      )
    }
    expect(await everything(id)).toEqual(before)
  })

  it('follows a reassignment: the new steward may revise, the old one no longer', async () => {
    const { id, version } = await confirming('Reassigned')
    await dispatch(
      tdb.db,
      { subjectType: 'needs_list', subjectId: id },
      {
        type: 'ASSIGN_STEWARD',
        actor: { userId: world.users.coordinator.id, role: 'coordinator' },
        stewardId: otherSteward.userId,
      },
      { expectedVersion: version },
    )
    const doc = await draftOf(id)
    await expect(
      saveRevision(tdb.db, world.principals.steward, id, doc, version + 1),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await saveRevision(tdb.db, otherSteward, id, doc, version + 1)).toEqual({
      revision: 1,
      version: version + 2,
    })
  })
})

describe('propose → approve', () => {
  it('materialises confirmed_item exactly from the approved revision', async () => {
    const { id, version } = await confirming('Approve me')
    const steward = world.principals.steward
    const doc = await draftOf(id)
    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const r1 = await saveRevision(tdb.db, steward, id, doc, version)
    const edited: ConfirmationDocument = {
      items: [
        {
          ...b,
          title: 'Welding training',
          skillIds: [...skillIds],
          windowStart: '2026-04-01',
          windowEnd: '2026-04-30',
          mode: 'onsite',
          place: 'Workshop 3',
          expectedOutcome: '20 certified welders',
          headcount: 3,
        },
        { ...a, key: 'n1', sourceItemIds: [...a.sourceItemIds], title: 'Boxes' },
        { ...a, title: 'Lines' },
      ],
      dropped: [],
    }
    // Saving and proposing in one step: REVISE then PROPOSE in one transaction.
    const proposed = await proposeRevision(tdb.db, steward, id, r1.version, edited)
    expect(proposed).toEqual({ revision: 2, version: r1.version + 2 })
    expect(await instanceOf(tdb.db, id)).toMatchObject({ state: 'awaiting_approval' })
    expect((await listRow(tdb.db, id)).status).toBe('awaiting_approval')
    expect((await revisionsOf(id)).map((r) => [r.revision, r.kind, r.subject_revision])).toEqual([
      [1, 'edit', null],
      [2, 'edit', null],
      [3, 'proposal', 2],
    ])
    const outbox = await outboxOf(tdb.db, id)
    expect(outbox.filter((r) => r.queue === 'notify').at(-1)?.payload).toMatchObject({
      kind: 'needsList.awaitingApproval',
      audience: 'enterprise',
      enterpriseId: world.enterprise.id,
    })

    // The enterprise sees the proposal with its diff against what it filed.
    const view = await confirmationView(tdb.db, world.principals.contact, id)
    expect(view.view.can).toMatchObject({ approve: true, comment: true, revise: false })
    expect(view.proposal?.revision).toBe(2)
    expect(view.proposal?.document).toEqual(edited)
    expect(view.proposal?.againstPrevious).toBe(false)
    expect(view.proposal?.diff?.reordered).toBe(true)

    // Stewards and other contacts cannot approve; a stale revision is refused.
    const before = await everything(id)
    for (const principal of [
      steward,
      world.principals.coordinator,
      world.principals.otherContact,
    ]) {
      await expect(
        approveRevision(tdb.db, principal, id, 2, proposed.version),
      ).rejects.toBeInstanceOf(ForbiddenError)
    }
    const stale = await refused(
      approveRevision(tdb.db, world.principals.contact, id, 1, proposed.version),
    )
    expect(stale.code).toBe('transitionNotAllowed')
    const staleVersion = await refused(
      approveRevision(tdb.db, world.principals.contact, id, 2, proposed.version - 1),
    )
    expect(staleVersion.code).toBe('conflict')
    expect(await everything(id)).toEqual(before)

    const approved = await approveRevision(
      tdb.db,
      world.principals.contact2,
      id,
      2,
      proposed.version,
    )
    expect(approved.version).toBe(proposed.version + 1)
    const instance = await instanceOf(tdb.db, id)
    expect(instance.state).toBe('ready_for_matching')
    expect((instance.snapshot as { context: { approvedRevision: number } }).context).toMatchObject({
      approvedRevision: 2,
      proposedRevision: 2,
    })
    const items = await confirmedOf(id)
    expect(
      items.map((c) => ({
        revision: c.revision,
        position: c.position,
        title: c.title,
        category: c.category,
        description: c.description,
        urgency: c.urgency,
        headcount: c.headcount,
        skill_ids: c.skill_ids,
        source_item_ids: c.source_item_ids,
        mode: c.mode,
        place: c.place,
        expected_outcome: c.expected_outcome,
      })),
    ).toEqual(
      edited.items.map((i, position) => ({
        revision: 2,
        position,
        title: i.title,
        category: i.category,
        description: i.description,
        urgency: i.urgency,
        headcount: i.headcount,
        skill_ids: i.skillIds,
        source_item_ids: i.sourceItemIds,
        mode: i.mode,
        place: i.place,
        expected_outcome: i.expectedOutcome,
      })),
    )
    const windows = await tdb.db
      .selectFrom('confirmed_item')
      .select((eb) => [
        eb.fn<string>('to_char', ['window_start', eb.val('YYYY-MM-DD')]).as('start'),
        eb.fn<string>('to_char', ['window_end', eb.val('YYYY-MM-DD')]).as('end'),
      ])
      .where('needs_list_id', '=', id)
      .orderBy('position')
      .execute()
    expect(windows).toEqual([
      { start: '2026-04-01', end: '2026-04-30' },
      { start: null, end: null },
      { start: null, end: null },
    ])
    const rows = await revisionsOf(id)
    expect(rows.at(-1)).toMatchObject({
      revision: 4,
      kind: 'approval',
      subject_revision: 2,
      author_user_id: world.users.contact2.id,
      author_role: 'enterprise_contact',
      items: null,
    })
    const approve = (await eventsOf(tdb.db, id)).at(-1)
    expect(approve).toMatchObject({
      event_type: 'APPROVE',
      actor_user_id: world.users.contact2.id,
      to_state: 'ready_for_matching',
    })
    expect(approve?.payload).toEqual({ revision: 2 })
    expect((await outboxOf(tdb.db, id)).at(-1)?.payload).toMatchObject({
      kind: 'needsList.readyForMatching',
      audience: 'users',
      userIds: [world.users.steward.id],
    })

    // Nothing more can change.
    await expect(saveRevision(tdb.db, steward, id, doc, approved.version)).rejects.toMatchObject({
      code: 'transitionNotAllowed',
    })
    const done = await confirmationView(tdb.db, world.principals.coordinator, id)
    expect(done.approvedRevision).toBe(2)
    expect(done.confirmed).toHaveLength(3)
    expect(done.history.map((h) => h.kind)).toEqual(['edit', 'edit', 'proposal', 'approval'])
  })

  it('proposes the latest saved revision when given no document, and needs one saved', async () => {
    const { id, version } = await confirming('Propose saved')
    const steward = world.principals.steward
    const none = await refused(proposeRevision(tdb.db, steward, id, version))
    expect(none.details).toMatchObject({ messageKey: 'confirmation.errors.nothingToPropose' })
    const saved = await saveRevision(tdb.db, steward, id, await draftOf(id), version)
    // The same document as the latest revision is not saved again.
    const out = await proposeRevision(tdb.db, steward, id, saved.version, await draftOf(id))
    expect(out).toEqual({ revision: 1, version: saved.version + 1 })
    expect((await revisionsOf(id)).map((r) => r.kind)).toEqual(['edit', 'proposal'])
    const propose = (await eventsOf(tdb.db, id)).filter((e) => e.event_type === 'PROPOSE')
    expect(propose.map((e) => e.payload)).toEqual([{ revision: 1 }])
  })
})

describe('comment → back to confirming', () => {
  it('records the comment, notifies the steward and lets the steward revise and re-propose', async () => {
    const { id, version } = await confirming('Comment on it')
    const steward = world.principals.steward
    const doc = await draftOf(id)
    const p1 = await proposeRevision(tdb.db, steward, id, version, doc)
    expect(p1.revision).toBe(1)

    const blank = await refused(
      commentOnProposal(tdb.db, world.principals.contact, id, ' ', p1.version),
    )
    expect(blank.details).toMatchObject({ messageKey: 'confirmation.errors.commentRequired' })
    for (const principal of [steward, otherSteward, world.principals.otherContact]) {
      await expect(
        commentOnProposal(tdb.db, principal, id, 'Please add the lines', p1.version),
      ).rejects.toBeInstanceOf(ForbiddenError)
    }

    const commented = await commentOnProposal(
      tdb.db,
      world.principals.contact,
      id,
      '  Please split the supply lines out  ',
      p1.version,
    )
    expect(await instanceOf(tdb.db, id)).toMatchObject({
      state: 'confirming',
      version: commented.version,
    })
    expect((await revisionsOf(id)).at(-1)).toMatchObject({
      revision: 3,
      kind: 'comment',
      comment: 'Please split the supply lines out',
      subject_revision: 1,
      author_user_id: world.users.contact.id,
    })
    const event = (await eventsOf(tdb.db, id)).at(-1)
    expect(event?.event_type).toBe('COMMENT')
    expect(event?.payload).toEqual({ comment: 'Please split the supply lines out', revision: 1 })
    const notes = (await outboxOf(tdb.db, id)).map((o) => o.payload)
    expect(notes.find((p) => p.kind === 'needsList.commented')).toMatchObject({
      kind: 'needsList.commented',
      audience: 'users',
      userIds: [world.users.steward.id],
    })
    // Approval is over: the enterprise cannot approve the old proposal now.
    await expect(
      approveRevision(tdb.db, world.principals.contact, id, 1, commented.version),
    ).rejects.toMatchObject({ code: 'transitionNotAllowed' })

    const [a, b] = doc.items
    if (!a || !b) throw new Error('fixture')
    const split = { items: [a, { ...a, key: 'n1', title: 'Supply lines' }, b], dropped: [] }
    const p2 = await proposeRevision(tdb.db, steward, id, commented.version, split)
    expect(p2.revision).toBe(4)
    const view = await confirmationView(tdb.db, world.principals.contact, id)
    expect(view.proposal?.revision).toBe(4)
    expect(view.proposal?.againstPrevious).toBe(true)
    expect(view.proposal?.diff?.added.map((x) => [x.item.key, x.splitFrom])).toEqual([
      ['n1', a.key],
    ])
    expect(view.history.map((h) => [h.revision, h.kind])).toEqual([
      [1, 'edit'],
      [2, 'proposal'],
      [3, 'comment'],
      [4, 'edit'],
      [5, 'proposal'],
    ])
    await approveRevision(tdb.db, world.principals.contact, id, 4, p2.version)
    expect((await confirmedOf(id)).map((c) => [c.title, c.revision])).toEqual([
      [a.title, 4],
      ['Supply lines', 4],
      [b.title, 4],
    ])
  })
})

describe('reading the page data', () => {
  it('is for those who may read the list', async () => {
    const { id } = await confirming('Readers')
    for (const principal of [
      world.principals.contact,
      world.principals.steward,
      otherSteward,
      world.principals.coordinator,
      world.principals.admin,
    ]) {
      await expect(confirmationView(tdb.db, principal, id)).resolves.toBeTruthy()
    }
    for (const principal of [
      world.principals.otherContact,
      world.principals.otherCoordinator,
      outsideSteward,
    ]) {
      await expect(confirmationView(tdb.db, principal, id)).rejects.toBeInstanceOf(ForbiddenError)
    }
    const mine = await confirmationView(tdb.db, world.principals.steward, id)
    expect(mine.view.can).toMatchObject({ revise: true, propose: true, approve: false })
    expect(mine.draft).toEqual(mine.initial)
    const others = await confirmationView(tdb.db, otherSteward, id)
    expect(others.view.can).toMatchObject({ revise: false, propose: false })
  })
})
