import type { Db } from '#db/client.server.ts'
import {
  findNeedsList,
  insertNeedsList,
  needItemsOf,
  updateNeedsListContent,
} from '#db/queries/needs-lists.ts'
import { findWorkflowInstance, workflowTimeline } from '#db/queries/workflow.ts'
import { membershipFor, type Principal, requireMembership, requireRead } from '../access.ts'
import type { Actor } from '../actor.ts'
import type { DeadlinePolicy } from '../deadlines.ts'
import { allowedEvents, dispatch, dispatchInTransaction, startWorkflow } from '../dispatch.ts'
import { ForbiddenError, NotFoundError, SimilarItemsError, ValidationError } from '../errors.ts'
import { validateNeedItems } from '../need-items.ts'
import type { NeedsListInput } from '../needs-list.schema.ts'
import { similarOpenItems } from '../similar-items.ts'

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

export interface CommandOptions {
  now?: Date
  deadlines?: DeadlinePolicy
}

async function loadScoped(db: Db, id: number) {
  const list = await findNeedsList(db, id)
  if (!list) throw new NotFoundError('needs_list', id)
  return {
    list,
    scope: {
      orgPath: list.orgPath,
      enterpriseId: list.enterprise_id,
      stewardUserId: list.steward_user_id,
    },
  }
}

/** Drafts a needs list for the enterprise the contact belongs to. */
export async function createNeedsList(
  db: Db,
  principal: Principal,
  input: NeedsListInput & { enterpriseId?: number },
  options: CommandOptions = {},
): Promise<number> {
  const contact = principal.memberships.find(
    (m) =>
      m.role === 'enterprise_contact' &&
      (input.enterpriseId === undefined || m.enterpriseId === input.enterpriseId),
  )
  if (!contact?.enterpriseId)
    throw new ForbiddenError('only an enterprise contact drafts needs lists')
  const enterpriseId = contact.enterpriseId
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  return db.transaction().execute(async (trx) => {
    const enterprise = await trx
      .selectFrom('enterprise')
      .select(['id', 'org_id'])
      .where('id', '=', enterpriseId)
      .executeTakeFirst()
    if (!enterprise) throw new NotFoundError('enterprise', enterpriseId)
    await validateNeedItems(trx, input.items)
    const list = await insertNeedsList(trx, {
      enterpriseId,
      orgId: enterprise.org_id,
      title: input.title,
      createdBy: principal.userId,
      status: 'draft',
      items: input.items,
    })
    await startWorkflow(trx, ref(list.id), actor, options)
    return list.id
  })
}

export async function editNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  input: NeedsListInput,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const { scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['enterprise_contact'])
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  return db.transaction().execute(async (trx) => {
    const current = await needItemsOf(trx, id)
    await validateNeedItems(trx, input.items, { keepCategories: current.map((i) => i.category) })
    const result = await dispatchInTransaction(
      trx,
      ref(id),
      { type: 'EDIT', actor, itemCount: input.items.length },
      { ...options, expectedVersion },
    )
    await updateNeedsListContent(trx, id, input)
    return result
  })
}

export interface SubmitOptions extends CommandOptions {
  /**
   * When the enterprise has similar open need items (workflows/similar-items.ts):
   * 'refuse' throws SimilarItemsError listing them, after the version and state
   * checks, so the enterprise can look and confirm; 'allow' (the default, for
   * a confirmed submission) submits. Either way the SUBMIT event records them.
   */
  similarItems?: 'refuse' | 'allow'
}

export async function submitNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  expectedVersion: number | undefined,
  options: SubmitOptions = {},
) {
  const { list, scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['enterprise_contact'])
  const items = await needItemsOf(db, id)
  if (items.length === 0) throw new ValidationError('items', 'errors.noItems')
  const similar = await similarOpenItems(db, {
    enterpriseId: list.enterprise_id,
    listId: id,
    items,
  })
  const actor: Actor = { userId: principal.userId, role: 'enterprise_contact' }
  const flagged =
    similar.length > 0 ? { similarItemIds: [...new Set(similar.map((s) => s.itemId))] } : {}
  return db.transaction().execute(async (trx) => {
    const result = await dispatchInTransaction(
      trx,
      ref(id),
      { type: 'SUBMIT', actor, ...flagged },
      { ...options, expectedVersion },
    )
    // Thrown inside the transaction: the submission rolls back.
    if (similar.length > 0 && options.similarItems === 'refuse')
      throw new SimilarItemsError(similar)
    return result
  })
}

export type TriageDecision =
  | { type: 'ACCEPT' }
  | { type: 'RETURN'; reason: string }
  | { type: 'REJECT'; reason: string }

/**
 * The intake desk's decision. Accepting hands the case to the enterprise's
 * dedicated steward when it has one, else it waits for an assignment.
 */
export async function triageNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  decision: TriageDecision,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const { list, scope } = await loadScoped(db, id)
  const m = requireMembership(principal, scope, ['coordinator', 'federation_admin'])
  const actor: Actor = { userId: principal.userId, role: m.role }
  const event =
    decision.type === 'ACCEPT'
      ? { type: 'ACCEPT', actor, stewardId: await dedicatedStewardOf(db, list.enterprise_id) }
      : { ...decision, actor }
  return dispatch(db, ref(id), event, { ...options, expectedVersion })
}

/** The enterprise contact withdraws a list the union has not started working on. */
export async function withdrawNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  reason: string | undefined,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const { scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['enterprise_contact'])
  return dispatch(
    db,
    ref(id),
    { type: 'WITHDRAW', actor: { userId: principal.userId, role: 'enterprise_contact' }, reason },
    { ...options, expectedVersion },
  )
}

async function dedicatedStewardOf(db: Db, enterpriseId: number): Promise<number | null> {
  const row = await db
    .selectFrom('enterprise')
    .select('steward_user_id')
    .where('id', '=', enterpriseId)
    .executeTakeFirst()
  return row?.steward_user_id ?? null
}

/** Every event a person can send; payloads are placeholders that pass the payload guards. */
const EVENT_PROBES: { type: string; payload: Record<string, unknown> }[] = [
  { type: 'EDIT', payload: {} },
  { type: 'SUBMIT', payload: {} },
  { type: 'WITHDRAW', payload: {} },
  { type: 'ACCEPT', payload: { stewardId: null } },
  { type: 'RETURN', payload: { reason: 'x' } },
  { type: 'REJECT', payload: { reason: 'x' } },
  { type: 'ROUTE', payload: { toOrgId: 0 } },
  { type: 'ASSIGN_STEWARD', payload: { stewardId: -1 } },
  { type: 'REVISE', payload: { revision: 0 } },
  { type: 'PROPOSE', payload: { revision: 0 } },
  { type: 'COMMENT', payload: { comment: 'x' } },
]

export type NeedsListContextView = {
  returnReason?: string | null
  closeReason?: string | null
  stewardId?: number | null
  proposedRevision?: number | null
  approvedRevision?: number | null
}

/** Everything the detail page shows, with the events this principal may send now. */
export async function needsListView(db: Db, principal: Principal, id: number) {
  const { list, scope } = await loadScoped(db, id)
  requireRead(principal, scope)
  const [items, timeline, workflow] = await Promise.all([
    needItemsOf(db, id),
    workflowTimeline(db, ref(id)),
    findWorkflowInstance(db, ref(id)),
  ])
  if (!workflow) throw new NotFoundError('workflow', id)
  const context = ((workflow.snapshot as { context?: NeedsListContextView }).context ??
    {}) as NeedsListContextView
  const roles = [...new Set(principal.memberships.map((m) => m.role))].filter(
    (role) => membershipFor(principal, scope, [role]) !== undefined,
  )
  const probes = [
    ...EVENT_PROBES,
    // Approval must name the revision on offer.
    { type: 'APPROVE', payload: { revision: context.proposedRevision ?? -1 } },
  ]
  const candidates = roles.flatMap((role) =>
    probes.map((p) => ({ type: p.type, ...p.payload, actor: { userId: principal.userId, role } })),
  )
  const allowed = new Set(
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, candidates),
  )
  return {
    list,
    items,
    timeline,
    version: workflow.version,
    context,
    returnReason: context.returnReason ?? null,
    allowed: [...allowed].sort(),
    can: {
      edit: allowed.has('EDIT'),
      submit: allowed.has('SUBMIT'),
      withdraw: allowed.has('WITHDRAW'),
      accept: allowed.has('ACCEPT'),
      return: allowed.has('RETURN'),
      reject: allowed.has('REJECT'),
      route: allowed.has('ROUTE'),
      assignSteward: allowed.has('ASSIGN_STEWARD'),
      revise: allowed.has('REVISE'),
      propose: allowed.has('PROPOSE'),
      approve: allowed.has('APPROVE'),
      comment: allowed.has('COMMENT'),
    },
  }
}
