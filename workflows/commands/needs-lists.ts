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
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { NeedsListInput } from '../needs-list.schema.ts'

const SUBJECT = 'needs_list'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

export interface CommandOptions {
  now?: Date
  deadlines?: DeadlinePolicy
}

async function loadScoped(db: Db, id: number) {
  const list = await findNeedsList(db, id)
  if (!list) throw new NotFoundError('needs_list', id)
  return { list, scope: { orgPath: list.orgPath, enterpriseId: list.enterprise_id } }
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

export async function submitNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const { scope } = await loadScoped(db, id)
  requireMembership(principal, scope, ['enterprise_contact'])
  const items = await needItemsOf(db, id)
  if (items.length === 0) throw new ValidationError('items', 'errors.noItems')
  return dispatch(
    db,
    ref(id),
    { type: 'SUBMIT', actor: { userId: principal.userId, role: 'enterprise_contact' } },
    { ...options, expectedVersion },
  )
}

export async function triageNeedsList(
  db: Db,
  principal: Principal,
  id: number,
  decision: { type: 'ACCEPT' } | { type: 'RETURN'; reason: string },
  expectedVersion: number | undefined,
  options: CommandOptions = {},
) {
  const { scope } = await loadScoped(db, id)
  const m = requireMembership(principal, scope, ['coordinator', 'federation_admin'])
  return dispatch(
    db,
    ref(id),
    { ...decision, actor: { userId: principal.userId, role: m.role } },
    { ...options, expectedVersion },
  )
}

/** Everything the detail page shows, with the actions this principal may take now. */
export async function needsListView(db: Db, principal: Principal, id: number) {
  const { list, scope } = await loadScoped(db, id)
  requireRead(principal, scope)
  const [items, timeline, workflow] = await Promise.all([
    needItemsOf(db, id),
    workflowTimeline(db, ref(id)),
    findWorkflowInstance(db, ref(id)),
  ])
  if (!workflow) throw new NotFoundError('workflow', id)
  const candidates = principal.memberships
    .filter(
      (m) =>
        m.role === 'enterprise_contact' ||
        m.role === 'coordinator' ||
        m.role === 'federation_admin',
    )
    .filter((m) => membershipFor(principal, scope, [m.role]) !== undefined)
    .flatMap((m) => {
      const actor: Actor = { userId: principal.userId, role: m.role }
      return [
        { type: 'EDIT', actor },
        { type: 'SUBMIT', actor },
        { type: 'ACCEPT', actor },
        { type: 'RETURN', actor, reason: 'x' },
      ]
    })
  const allowed = new Set(
    allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, candidates),
  )
  const context = (workflow.snapshot as { context?: { returnReason?: string | null } }).context
  return {
    list,
    items,
    timeline,
    version: workflow.version,
    returnReason: context?.returnReason ?? null,
    can: {
      edit: allowed.has('EDIT'),
      submit: allowed.has('SUBMIT'),
      accept: allowed.has('ACCEPT'),
      return: allowed.has('RETURN'),
    },
  }
}
