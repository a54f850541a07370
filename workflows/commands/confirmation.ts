import type { Db, DbOrTrx } from '#db/client.server.ts'
import {
  confirmedItemsOf,
  filedItemsOf,
  findRevision,
  insertRevision,
  latestEdit,
  latestRevisionNumber,
  replaceConfirmedItems,
  revisionsOf,
} from '#db/queries/confirmation.ts'
import { findNeedsList } from '#db/queries/needs-lists.ts'
import { skillsByIds } from '#db/queries/skills.ts'
import { findWorkflowInstance, lockWorkflowInstance } from '#db/queries/workflow.ts'
import { type Principal, requireMembership } from '../access.ts'
import type { Actor } from '../actor.ts'
import {
  type ConfirmationDocument,
  commentSchema,
  type DocumentDiff,
  diffDocuments,
  type FiledItem,
  initialDraft,
  keySeedOf,
  parseDocument,
  sameDocument,
  storedDocument,
} from '../confirmation.ts'
import { dispatchInTransaction } from '../dispatch.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { validateNeedItems } from '../need-items.ts'
import type { NeedItemData } from '../needs-list.schema.ts'
import { type CommandOptions, needsListView } from './needs-lists.ts'

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

interface ConfirmationContext {
  stewardId?: number | null
  proposedRevision?: number | null
  approvedRevision?: number | null
}

function contextOf(snapshot: unknown): ConfirmationContext {
  return ((snapshot as { context?: ConfirmationContext } | null)?.context ??
    {}) as ConfirmationContext
}

async function loadScoped(db: DbOrTrx, id: number) {
  const list = await findNeedsList(db, id)
  if (!list) throw new NotFoundError('needs_list', id)
  return { list, scope: { orgPath: list.orgPath, enterpriseId: list.enterprise_id } }
}

/** Only the case's own steward, acting as a steward in the list's org subtree. */
async function caseSteward(
  db: DbOrTrx,
  principal: Principal,
  id: number,
): Promise<Actor & { userId: number }> {
  const { scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['steward'])
  const workflow = await findWorkflowInstance(db, ref(id))
  if (!workflow) throw new NotFoundError('workflow', id)
  if (contextOf(workflow.snapshot).stewardId !== principal.userId) {
    throw new ForbiddenError('only the case steward confirms its needs')
  }
  return { userId: principal.userId, role: 'steward' }
}

/** A contact of the list's own enterprise. */
async function enterpriseContact(db: DbOrTrx, principal: Principal, id: number): Promise<Actor> {
  const { scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['enterprise_contact'])
  return { userId: principal.userId, role: 'enterprise_contact' }
}

export async function filedItems(db: DbOrTrx, id: number): Promise<FiledItem[]> {
  const rows = await filedItemsOf(db, id)
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    title: r.title,
    description: r.description,
    urgency: r.urgency,
    headcount: r.headcount,
    skillIds: r.skillIds,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    mode: r.mode,
    place: r.place,
    expectedOutcome: r.expectedOutcome,
  }))
}

/** A form field name for a schema path: items[0].title. */
const fieldName = (path: (string | number)[]) =>
  path.reduce<string>(
    (name, p) => (typeof p === 'number' ? `${name}[${p}]` : name ? `${name}.${p}` : p),
    '',
  ) || 'items'

/** Validates a document against the list's filed items and the skills taxonomy. */
async function validDocument(db: DbOrTrx, id: number, input: unknown) {
  const filed = await filedItems(db, id)
  const parsed = parseDocument(
    input,
    filed.map((f) => f.id),
  )
  if (!parsed.ok) {
    const first = parsed.issues[0]
    throw new ValidationError(fieldName(first?.path ?? []), first?.message ?? 'errors.badRequest')
  }
  // Active categories (or one the enterprise filed under) and existing skills.
  await validateNeedItems(
    db,
    parsed.document.items.map((i) => ({
      category: i.category,
      description: i.description,
      urgency: i.urgency as NeedItemData['urgency'],
      headcount: i.headcount,
      skillIds: i.skillIds,
    })),
    { keepCategories: filed.map((f) => f.category) },
  )
  return { document: parsed.document, filed }
}

/**
 * Locks the list's workflow row, which also serialises the numbering of its
 * revisions, and checks the version the caller saw before anything else.
 */
async function lockAt(trx: DbOrTrx, id: number, expectedVersion: number | undefined) {
  const row = await lockWorkflowInstance(trx, ref(id))
  if (!row) throw new NotFoundError('workflow', id)
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new ConflictError(expectedVersion, row.version)
  }
  return row
}

async function writeEdit(
  trx: DbOrTrx,
  id: number,
  actor: Actor & { userId: number },
  document: ConfirmationDocument,
  expectedVersion: number | undefined,
  options: CommandOptions,
) {
  const now = options.now ?? new Date()
  const userId = actor.userId
  const revision = (await latestRevisionNumber(trx, id)) + 1
  const result = await dispatchInTransaction(
    trx,
    ref(id),
    { type: 'REVISE', actor, revision, itemCount: document.items.length },
    { ...options, expectedVersion },
  )
  await insertRevision(trx, {
    listId: id,
    revision,
    kind: 'edit',
    document,
    authorUserId: userId,
    authorRole: actor.role,
    at: now,
  })
  return { revision, version: result.version }
}

async function unchangedSinceLatest(trx: DbOrTrx, id: number, document: ConfirmationDocument) {
  const latest = await latestEdit(trx, id)
  return latest !== undefined && sameDocument(storedDocument(latest.items), document)
    ? latest.revision
    : null
}

/**
 * The case's steward saves the confirmed needs as a new revision (REVISE, same
 * transaction). A document identical to the latest revision is refused.
 */
export async function saveRevision(
  db: Db,
  principal: Principal,
  id: number,
  input: unknown,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
): Promise<{ revision: number; version: number }> {
  const actor = await caseSteward(db, principal, id)
  const { document } = await validDocument(db, id, input)
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, id, expectedVersion)
    if ((await unchangedSinceLatest(trx, id, document)) !== null) {
      throw new ValidationError('items', 'confirmation.errors.noChanges')
    }
    return writeEdit(trx, id, actor, document, expectedVersion, options)
  })
}

/**
 * Sends the confirmed needs to the enterprise for approval (PROPOSE). With a
 * document that differs from the latest revision, it is saved first (REVISE),
 * in the same transaction; without one, the latest saved revision is sent.
 */
export async function proposeRevision(
  db: Db,
  principal: Principal,
  id: number,
  expectedVersion: number | undefined,
  input?: unknown,
  options: CommandOptions = {},
): Promise<{ revision: number; version: number }> {
  const actor = await caseSteward(db, principal, id)
  const document = input === undefined ? null : (await validDocument(db, id, input)).document
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, id, expectedVersion)
    let version = expectedVersion
    let revision: number | null = null
    if (document) {
      revision = await unchangedSinceLatest(trx, id, document)
      if (revision === null) {
        const saved = await writeEdit(trx, id, actor, document, version, options)
        revision = saved.revision
        version = version === undefined ? undefined : saved.version
      }
    } else {
      revision = (await latestEdit(trx, id))?.revision ?? null
    }
    if (revision === null)
      throw new ValidationError('items', 'confirmation.errors.nothingToPropose')
    const entry = (await latestRevisionNumber(trx, id)) + 1
    const result = await dispatchInTransaction(
      trx,
      ref(id),
      { type: 'PROPOSE', actor, revision },
      { ...options, expectedVersion: version },
    )
    await insertRevision(trx, {
      listId: id,
      revision: entry,
      kind: 'proposal',
      subjectRevision: revision,
      authorUserId: principal.userId,
      authorRole: actor.role,
      at: now,
    })
    return { revision, version: result.version }
  })
}

/**
 * The enterprise approves the revision on offer (APPROVE): its items become the
 * list's confirmed items, which matching works on, in the same transaction.
 */
export async function approveRevision(
  db: Db,
  principal: Principal,
  id: number,
  revision: number,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
): Promise<{ version: number }> {
  const actor = await enterpriseContact(db, principal, id)
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    await lockAt(trx, id, expectedVersion)
    const entry = (await latestRevisionNumber(trx, id)) + 1
    // The machine refuses any revision but the one proposed.
    const result = await dispatchInTransaction(
      trx,
      ref(id),
      { type: 'APPROVE', actor, revision },
      { ...options, expectedVersion },
    )
    const row = await findRevision(trx, id, revision)
    if (row?.kind !== 'edit') throw new NotFoundError('needs_revision', revision)
    const document = storedDocument(row.items)
    await replaceConfirmedItems(trx, id, revision, document.items)
    await insertRevision(trx, {
      listId: id,
      revision: entry,
      kind: 'approval',
      subjectRevision: revision,
      authorUserId: principal.userId,
      authorRole: actor.role,
      at: now,
    })
    return { version: result.version }
  })
}

/** The enterprise sends the proposal back to the steward with a comment (COMMENT). */
export async function commentOnProposal(
  db: Db,
  principal: Principal,
  id: number,
  comment: string,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
): Promise<{ version: number }> {
  const actor = await enterpriseContact(db, principal, id)
  const parsed = commentSchema.safeParse(comment)
  if (!parsed.success) {
    throw new ValidationError('comment', parsed.error.issues[0]?.message ?? 'errors.badRequest')
  }
  const now = options.now ?? new Date()
  return db.transaction().execute(async (trx) => {
    const locked = await lockAt(trx, id, expectedVersion)
    const proposed = contextOf(locked.snapshot).proposedRevision ?? null
    const entry = (await latestRevisionNumber(trx, id)) + 1
    const result = await dispatchInTransaction(
      trx,
      ref(id),
      { type: 'COMMENT', actor, comment: parsed.data, revision: proposed },
      { ...options, expectedVersion },
    )
    await insertRevision(trx, {
      listId: id,
      revision: entry,
      kind: 'comment',
      comment: parsed.data,
      subjectRevision: proposed,
      authorUserId: principal.userId,
      authorRole: actor.role,
      at: now,
    })
    return { version: result.version }
  })
}

// ---------------------------------------------------------------------------
// What the confirmation page shows.

export interface HistoryEntry {
  revision: number
  kind: 'edit' | 'proposal' | 'comment' | 'approval'
  authorName: string
  authorRole: string
  at: Date
  comment: string | null
  subjectRevision: number | null
  /** edit: against the previous edit (the first against the filed items); proposal: against the previous proposal. */
  diff: DocumentDiff | null
}

/** The history with each entry's diff; documents by edit revision. */
export function historyOf(
  rows: Awaited<ReturnType<typeof revisionsOf>>,
  initial: ConfirmationDocument,
) {
  const documents = new Map<number, ConfirmationDocument>()
  let lastEdit = initial
  let lastProposal = initial
  const entries: HistoryEntry[] = rows.map((row) => {
    let diff: DocumentDiff | null = null
    if (row.kind === 'edit') {
      const doc = storedDocument(row.items)
      documents.set(row.revision, doc)
      diff = diffDocuments(lastEdit, doc)
      lastEdit = doc
    } else if (row.kind === 'proposal' && row.subject_revision !== null) {
      const doc = documents.get(row.subject_revision)
      if (doc) {
        diff = diffDocuments(lastProposal, doc)
        lastProposal = doc
      }
    }
    return {
      revision: row.revision,
      kind: row.kind,
      authorName: row.authorName,
      authorRole: row.author_role,
      at: row.created_at,
      comment: row.comment,
      subjectRevision: row.subject_revision,
      diff,
    }
  })
  return { entries, documents }
}

/** The page's data: the list, the filed items, the working draft, the proposal and the history. */
export async function confirmationView(db: Db, principal: Principal, id: number) {
  const view = await needsListView(db, principal, id)
  const [filed, rows] = await Promise.all([filedItems(db, id), revisionsOf(db, id)])
  const initial = initialDraft(filed)
  const { entries, documents } = historyOf(rows, initial)
  const context = contextOf({ context: view.context })

  const edits = entries.filter((e) => e.kind === 'edit')
  const latest = edits.at(-1)
  const draft = latest ? (documents.get(latest.revision) ?? initial) : initial

  const proposedRevision = context.proposedRevision ?? null
  const proposals = entries.filter((e) => e.kind === 'proposal')
  const currentProposal =
    view.list.status === 'awaiting_approval' && proposedRevision !== null
      ? proposals.filter((p) => p.subjectRevision === proposedRevision).at(-1)
      : undefined
  const proposal =
    currentProposal && proposedRevision !== null
      ? {
          revision: proposedRevision,
          document: documents.get(proposedRevision) ?? initial,
          diff: currentProposal.diff,
          /** Whether an earlier proposal exists (else the diff is against the filed items). */
          againstPrevious: proposals.indexOf(currentProposal) > 0,
          at: currentProposal.at,
          authorName: currentProposal.authorName,
        }
      : null

  const confirmed = view.list.status === 'ready_for_matching' ? await confirmedItemsOf(db, id) : []
  const allDocs = [initial, ...documents.values()]
  const referencedSkills = [
    ...new Set([
      ...allDocs.flatMap((d) => d.items.flatMap((i) => i.skillIds)),
      ...confirmed.flatMap((c) => c.skill_ids),
    ]),
  ]
  const skills = await skillsByIds(db, referencedSkills)

  return {
    view,
    filed,
    initial,
    draft,
    draftRevision: latest?.revision ?? null,
    keySeed: keySeedOf([...documents.values()]),
    history: entries,
    /** Every saved edit's document, by revision. */
    documents,
    proposal,
    approvedRevision: context.approvedRevision ?? null,
    confirmed,
    skills,
  }
}

/**
 * What the steward's editor needs to handle a post (split, merge, list intents)
 * before anything is saved; only for the case's steward.
 */
export async function editorContext(db: Db, principal: Principal, id: number) {
  await caseSteward(db, principal, id)
  const [filed, rows] = await Promise.all([filedItems(db, id), revisionsOf(db, id)])
  const documents = rows.filter((r) => r.kind === 'edit').map((r) => storedDocument(r.items))
  return { filedIds: filed.map((f) => f.id), keySeed: keySeedOf(documents) }
}
