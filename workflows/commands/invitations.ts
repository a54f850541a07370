import type { Db, DbOrTrx } from '#db/client.server.ts'
import { findInvitation, invitationDetail, invitationsOfUser } from '#db/queries/invitations.ts'
import { skillNames } from '#db/queries/resource-list.ts'
import { findWorkflowInstance } from '#db/queries/workflow.ts'
import { hasRole, type Principal } from '../access.ts'
import type { Actor } from '../actor.ts'
import { allowedEvents, dispatchInTransaction } from '../dispatch.ts'
import {
  ForbiddenError,
  NotFoundError,
  TransitionNotAllowedError,
  ValidationError,
} from '../errors.ts'
import type { Transitioned } from '../registry.ts'
import { parseFactors, skillIdsOf } from '../resource-list/explain.ts'
import { reasonSchema } from '../resource-list/schema.ts'
import type { CommandOptions } from './needs-lists.ts'
import { INVITING_STATES, proposeReplacement } from './resource-list.ts'

const SUBJECT = 'invitation'
const ref = (id: number) => ({ subjectType: SUBJECT, subjectId: id })

/** Invitation states that ask for the next candidate. */
const REPLACED_ON = ['declined', 'lapsed']

/**
 * Follow-up of an invitation's transition, in the same transaction: a decline
 * or a lapse (the DEADLINE breach from the timeout worker) proposes and
 * invites the next best candidate for the item (see proposeReplacement).
 */
export async function afterInvitationTransition(
  db: DbOrTrx,
  invitationId: number,
  change: Transitioned,
  now: Date,
): Promise<void> {
  if (change.fromState === change.state || !REPLACED_ON.includes(change.state)) return
  await proposeReplacement(db, invitationId, { now })
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitation>>>

/** Who answers: the invitee (the expert, or the team's leader) or the case steward for them. */
function answeringActor(principal: Principal, inv: InvitationRow): Actor {
  if (
    inv.expertUserId !== null &&
    inv.expertUserId === principal.userId &&
    hasRole(principal, 'expert')
  ) {
    return { userId: principal.userId, role: 'expert' }
  }
  if (
    inv.stewardUserId !== null &&
    inv.stewardUserId === principal.userId &&
    hasRole(principal, 'steward')
  ) {
    return { userId: principal.userId, role: 'steward' }
  }
  throw new ForbiddenError('only the invitee or the case steward answers an invitation')
}

async function loadInvitation(db: DbOrTrx, id: number) {
  const inv = await findInvitation(db, id)
  if (!inv) throw new NotFoundError('invitation', id)
  return inv
}

/** Answers are taken while the case is inviting or pairing (not once the pairing is confirmed). */
async function requireInvitingCase(db: DbOrTrx, inv: InvitationRow, eventType: string) {
  const list = await db
    .selectFrom('needs_list')
    .select('status')
    .where('id', '=', inv.needs_list_id)
    .executeTakeFirst()
  const state = list?.status ?? 'unknown'
  if (!(INVITING_STATES as readonly string[]).includes(state)) {
    throw new TransitionNotAllowedError(state, eventType)
  }
}

/** An invitation posted from a list's page must belong to that list. */
export async function requireInvitationOfList(db: DbOrTrx, listId: number, invitationId: number) {
  const inv = await findInvitation(db, invitationId)
  if (!inv || inv.needs_list_id !== listId) {
    throw new ValidationError('invitationId', 'errors.notFound')
  }
  return inv
}

export type InvitationAnswer = { accept: true } | { decline: true; reason: string }

/**
 * The invitee accepts or declines (with a reason); the case steward may answer
 * for them (a phone call). A decline proposes and invites the next candidate
 * in the same transaction.
 */
export async function answerInvitation(
  db: Db,
  principal: Principal,
  invitationId: number,
  answer: InvitationAnswer,
  options: CommandOptions = {},
) {
  const inv = await loadInvitation(db, invitationId)
  const actor = answeringActor(principal, inv)
  let event: { type: string; actor: Actor; reason?: string }
  if ('accept' in answer) {
    event = { type: 'ACCEPT', actor }
  } else {
    const reason = reasonSchema.safeParse(answer.reason)
    if (!reason.success) {
      throw new ValidationError('reason', reason.error.issues[0]?.message ?? 'errors.badRequest')
    }
    event = { type: 'DECLINE', actor, reason: reason.data }
  }
  await requireInvitingCase(db, inv, event.type)
  return db
    .transaction()
    .execute((trx) => dispatchInTransaction(trx, ref(invitationId), event, options))
}

/** The case steward withdraws an invitation (pending or accepted), with an optional reason. */
export async function withdrawInvitation(
  db: Db,
  principal: Principal,
  invitationId: number,
  reason: string | undefined,
  options: CommandOptions = {},
) {
  const inv = await loadInvitation(db, invitationId)
  if (
    inv.stewardUserId === null ||
    inv.stewardUserId !== principal.userId ||
    !hasRole(principal, 'steward')
  ) {
    throw new ForbiddenError('only the case steward withdraws an invitation')
  }
  await requireInvitingCase(db, inv, 'WITHDRAW')
  const actor: Actor = { userId: principal.userId, role: 'steward' }
  const trimmed = reason?.trim() || undefined
  return db
    .transaction()
    .execute((trx) =>
      dispatchInTransaction(
        trx,
        ref(invitationId),
        { type: 'WITHDRAW', actor, reason: trimmed },
        options,
      ),
    )
}

/** The invitations of the expert profile the principal signs in as. */
export async function myInvitations(db: Db, principal: Principal) {
  if (!hasRole(principal, 'expert')) throw new ForbiddenError('invitations are for experts')
  return invitationsOfUser(db, principal.userId)
}

/**
 * One invitation for its invitee: case, enterprise, item, why they were
 * chosen, deadline, and whether they may answer now. Nobody else sees it here
 * (the steward works from the resource list).
 */
export async function myInvitation(db: Db, principal: Principal, invitationId: number) {
  const inv = await invitationDetail(db, invitationId)
  if (!inv) throw new NotFoundError('invitation', invitationId)
  if (
    inv.expertUserId === null ||
    inv.expertUserId !== principal.userId ||
    !hasRole(principal, 'expert')
  ) {
    throw new ForbiddenError('not your invitation')
  }
  const workflow = await findWorkflowInstance(db, ref(invitationId))
  if (!workflow) throw new NotFoundError('workflow', invitationId)
  const actor: Actor = { userId: principal.userId, role: 'expert' }
  const inviting = (INVITING_STATES as readonly string[]).includes(inv.listStatus)
  const allowed = inviting
    ? new Set(
        allowedEvents(SUBJECT, workflow.snapshot, workflow.machine_version, [
          { type: 'ACCEPT', actor },
          { type: 'DECLINE', actor, reason: 'xx' },
        ]),
      )
    : new Set<string>()
  const factors = parseFactors(inv.factors)
  const skills = await skillNames(db, [...new Set([...inv.skillIds, ...skillIdsOf(factors)])])
  return {
    invitation: inv,
    factors,
    skills,
    can: { accept: allowed.has('ACCEPT'), decline: allowed.has('DECLINE') },
  }
}
