import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser } from '#db/factories.ts'
import { processTimeoutJob } from '#jobs/timeout.job.ts'
import type { Principal } from '#workflows/access.ts'
import {
  answerInvitation,
  myInvitation,
  myInvitations,
  withdrawInvitation,
} from '#workflows/commands/invitations.ts'
import {
  proposeReplacement,
  resourceListView,
  runMatching,
  sendInvitations,
} from '#workflows/commands/resource-list.ts'
import type { TimeoutJob } from '#workflows/effects.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import {
  addExpert,
  buildMatchingWorld,
  type ExpertSpec,
  invitationInstance,
  invitationsOf,
  invitationTimerJob,
  liveProposals,
  type MatchingWorld,
  readyList,
  runsOfList,
  type SkillName,
} from '../helpers/matching-world.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { instanceOf, principalOf, TEST_PASSWORD } from '../helpers/world.ts'

let tdb: TestDatabase
let world: MatchingWorld
let otherSteward: Principal

beforeAll(async () => {
  tdb = await createTestDatabase('invitations')
  world = await buildMatchingWorld(tdb.db, 'iv')
  const second = await makeUser(tdb.db, {
    email: 'iv-steward2@zhuqi.test',
    name: 'iv steward2',
    password: TEST_PASSWORD,
    role: 'steward',
    orgId: world.orgs.district.id,
  })
  otherSteward = await principalOf(tdb.db, second.id)
})

afterAll(async () => {
  await tdb?.drop()
})

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

/** Experts of one skill, best first (proficiency 5, 4, 3 …), and a list inviting the best `headcount`. */
async function invitedCase(
  label: string,
  skill: SkillName,
  names: string[],
  headcount = 1,
  extra: Partial<ExpertSpec> = {},
) {
  const experts = []
  for (const [n, name] of names.entries()) {
    experts.push(
      await addExpert(tdb.db, world, {
        name: `${label} ${name}`,
        skills: [[skill, 5 - n]],
        ...extra,
      }),
    )
  }
  const list = await readyList(tdb.db, world, label, [
    { title: `${label} item`, headcount, skills: [skill] },
  ])
  await runMatching(tdb.db, world.principals.steward, list.id)
  await sendInvitations(tdb.db, world.principals.steward, list.id)
  const invitations = await invitationsOf(tdb.db, list.id)
  return { list, experts, invitations, itemId: list.itemIds[0] as number }
}

function notifyJobs(kind: string, subjectId: number) {
  return tdb.db
    .selectFrom('outbox')
    .select('payload')
    .where('queue', '=', 'notify')
    .execute()
    .then((rows) =>
      rows
        .map(
          (r) =>
            r.payload as {
              kind: string
              subjectId: number
              subjectType: string
              userIds?: number[]
            },
        )
        .filter(
          (p) => p.kind === kind && p.subjectType === 'invitation' && p.subjectId === subjectId,
        ),
    )
}

describe('answering an invitation', () => {
  it('the invitee accepts: the invitation and the proposal are accepted and the steward is told', async () => {
    const { experts, invitations, list } = await invitedCase('Accept', 'boxes', ['One'])
    const [inv] = invitations
    const [one] = experts
    if (!inv || !one?.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, one.principal, inv.id, { accept: true })
    expect((await invitationsOf(tdb.db, list.id))[0]).toMatchObject({ status: 'accepted' })
    expect((await invitationsOf(tdb.db, list.id))[0]?.responded_at).toBeInstanceOf(Date)
    expect(await liveProposals(tdb.db, list.id)).toEqual([
      expect.objectContaining({ key: one.key, status: 'accepted' }),
    ])
    expect((await invitationInstance(tdb.db, inv.id)).state).toBe('accepted')
    expect((await notifyJobs('invitation.accepted', inv.id))[0]?.userIds).toEqual([
      world.users.steward.id,
    ])
    // The pending timers are cancelled with the answer.
    const timers = await tdb.db
      .selectFrom('workflow_timer as t')
      .innerJoin('workflow_instance as w', 'w.id', 't.workflow_id')
      .select(['t.phase', 't.status'])
      .where('w.subject_type', '=', 'invitation')
      .where('w.subject_id', '=', inv.id)
      .orderBy('t.id')
      .execute()
    expect(timers.map((t) => [t.phase, t.status])).toEqual([
      ['remind', 'cancelled'],
      ['breach', 'cancelled'],
    ])
  })

  it('a decline proposes the next best candidate and invites them, in the same transaction', async () => {
    const { experts, invitations, list, itemId } = await invitedCase('Decline', 'leakage', [
      'Best',
      'Next',
      'Third',
    ])
    const [best, next] = experts
    const [inv] = invitations
    if (!inv || !best?.principal || !next) throw new Error('fixture')
    expect(inv.expert_id).toBe(best.expert.id)
    // A blank reason is refused and changes nothing.
    const blank = await refused(
      answerInvitation(tdb.db, best.principal, inv.id, { decline: true, reason: ' ' }),
    )
    expect(blank.details).toMatchObject({ messageKey: 'matching.errors.reasonRequired' })
    expect(await invitationsOf(tdb.db, list.id)).toHaveLength(1)

    await answerInvitation(tdb.db, best.principal, inv.id, {
      decline: true,
      reason: 'On a project abroad',
    })
    const after = await invitationsOf(tdb.db, list.id)
    expect(after.map((i) => [i.expert_id, i.status, i.reason])).toEqual([
      [best.expert.id, 'declined', 'On a project abroad'],
      [next.expert.id, 'pending', null],
    ])
    expect(await liveProposals(tdb.db, list.id)).toEqual(
      [
        { itemId, key: best.key, status: 'declined', source: 'engine' },
        { itemId, key: next.key, status: 'invited', source: 'replacement' },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    )
    const replacement = (await runsOfList(tdb.db, list.id)).at(-1)
    expect(replacement?.stats).toMatchObject({
      kind: 'replacement',
      replacesInvitationId: inv.id,
      itemIds: [itemId],
      proposals: 1,
    })
    expect(replacement?.created_by).toBeNull()
    // The new invitation's workflow runs for the next expert; the steward hears of the decline.
    const nextInv = after[1]
    const instance = await invitationInstance(tdb.db, nextInv?.id as number)
    expect(instance.snapshot).toMatchObject({
      context: { inviteeUserId: next.user?.id, stewardId: world.users.steward.id },
    })
    expect((await notifyJobs('invitation.received', nextInv?.id as number))[0]?.userIds).toEqual([
      next.user?.id,
    ])
    expect((await notifyJobs('invitation.declined', inv.id))[0]?.userIds).toEqual([
      world.users.steward.id,
    ])
    // Running the follow-up again changes nothing (idempotent).
    const again = await tdb.db.transaction().execute((trx) => proposeReplacement(trx, inv.id))
    expect(again).toBeNull()
    expect(await invitationsOf(tdb.db, list.id)).toHaveLength(2)
    // The case stays in inviting.
    const view = await resourceListView(tdb.db, world.principals.steward, list.id)
    expect(view.list.status).toBe('inviting')
    expect(view.items[0]?.coverage).toMatchObject({ invited: 1, covered: 1, full: true })
  })

  it('an unanswered invitation lapses through the timeout job and the next candidate is invited', async () => {
    const { experts, invitations, list, itemId } = await invitedCase('Lapse', 'harmonics', [
      'First',
      'Second',
    ])
    const [first, second] = experts
    const [inv] = invitations
    if (!inv || !first || !second) throw new Error('fixture')
    const job = (await invitationTimerJob(tdb.db, inv.id, 'breach')) as unknown as TimeoutJob
    expect(job).toMatchObject({
      subjectType: 'invitation',
      subjectId: inv.id,
      event: { type: 'DEADLINE', stage: 'invitation_answer', phase: 'breach' },
    })
    expect(await processTimeoutJob(tdb.db, job)).toBe('delivered')
    const after = await invitationsOf(tdb.db, list.id)
    expect(after.map((i) => [i.expert_id, i.status])).toEqual([
      [first.expert.id, 'lapsed'],
      [second.expert.id, 'pending'],
    ])
    expect(await liveProposals(tdb.db, list.id)).toEqual(
      [
        { itemId, key: first.key, status: 'lapsed', source: 'engine' },
        { itemId, key: second.key, status: 'invited', source: 'replacement' },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    )
    const workflowEvent = await tdb.db
      .selectFrom('workflow_event')
      .selectAll()
      .where('subject_type', '=', 'invitation')
      .where('subject_id', '=', inv.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(workflowEvent).toMatchObject({
      event_type: 'DEADLINE',
      actor_role: 'system',
      to_state: 'lapsed',
    })
    expect((await notifyJobs('invitation.lapsed', inv.id))[0]?.userIds).toEqual([
      world.users.steward.id,
    ])
    expect((await notifyJobs('invitation.lapsedInvitee', inv.id))[0]?.userIds).toEqual([
      first.user?.id,
    ])
    // The lapse is a missed deadline: its timer reads fired, not cancelled by the state it ended.
    const timer = await tdb.db
      .selectFrom('workflow_timer as t')
      .innerJoin('workflow_instance as w', 'w.id', 't.workflow_id')
      .select('t.status')
      .where('w.subject_type', '=', 'invitation')
      .where('w.subject_id', '=', inv.id)
      .where('t.phase', '=', 'breach')
      .executeTakeFirstOrThrow()
    expect(timer.status).toBe('fired')
    // The job delivered again (at-least-once) is dropped and proposes nobody else.
    expect(await processTimeoutJob(tdb.db, job)).toBe('stale')
    expect(await invitationsOf(tdb.db, list.id)).toHaveLength(2)
  })

  it('when nobody is left the item is recorded as unfilled with the reason', async () => {
    const { experts, invitations, list, itemId } = await invitedCase('Alone', 'bms', ['Only'])
    const [only] = experts
    const [inv] = invitations
    if (!inv || !only?.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, only.principal, inv.id, { decline: true, reason: 'Retired' })
    expect(await invitationsOf(tdb.db, list.id)).toHaveLength(1)
    const run = (await runsOfList(tdb.db, list.id)).at(-1)
    expect(run?.stats).toMatchObject({
      kind: 'replacement',
      replacesInvitationId: inv.id,
      proposals: 0,
    })
    expect(run?.unfilled).toEqual([
      expect.objectContaining({ itemId, missing: 1, reason: 'excluded' }),
    ])
    const view = await resourceListView(tdb.db, world.principals.steward, list.id)
    expect(view.items[0]?.unfilled).toMatchObject({ reason: 'excluded', missing: 1 })
    expect(view.items[0]?.coverage).toMatchObject({ covered: 0, full: false })
    expect(view.can).toMatchObject({ run: true, constrain: true, invite: false })

    // The pool grows: matching again while inviting finds them, and more invitations go out.
    const newcomer = await addExpert(tdb.db, world, {
      name: 'Alone Newcomer',
      skills: [['bms', 3]],
    })
    const rerun = await runMatching(tdb.db, world.principals.steward, list.id)
    expect(rerun).toMatchObject({ proposals: 1, state: 'inviting' })
    const { version } = await instanceOf(tdb.db, list.id)
    const more = await sendInvitations(tdb.db, world.principals.steward, list.id, version)
    expect(more).toEqual({ invitations: 1, version: version + 1 })
    expect((await instanceOf(tdb.db, list.id)).state).toBe('inviting')
    expect((await invitationsOf(tdb.db, list.id)).map((i) => [i.expert_id, i.status])).toEqual([
      [only.expert.id, 'declined'],
      [newcomer.expert.id, 'pending'],
    ])
    const refreshed = await resourceListView(tdb.db, world.principals.steward, list.id)
    expect(refreshed.items[0]?.unfilled).toBeNull()
  })

  it('the replacement honours capacity: someone already at capacity is skipped', async () => {
    // Busy is fully booked by another case before this one declines.
    const busy = await addExpert(tdb.db, world, {
      name: 'Cap Busy',
      skills: [['gmaw', 4]],
      capacity: 1,
    })
    const booked = await readyList(tdb.db, world, 'Cap other', [
      { title: 'Other welding', headcount: 1, skills: ['gmaw'] },
    ])
    await runMatching(tdb.db, world.principals.steward, booked.id)
    await sendInvitations(tdb.db, world.principals.steward, booked.id)
    expect((await invitationsOf(tdb.db, booked.id)).map((i) => i.expert_id)).toEqual([
      busy.expert.id,
    ])
    const best = await addExpert(tdb.db, world, {
      name: 'Cap Best',
      skills: [['gmaw', 5]],
      capacity: 3,
    })
    const free = await addExpert(tdb.db, world, {
      name: 'Cap Free',
      skills: [['gmaw', 2]],
      capacity: 3,
    })
    const list = await readyList(tdb.db, world, 'Cap', [
      { title: 'Welding', headcount: 1, skills: ['gmaw'] },
    ])
    await runMatching(tdb.db, world.principals.steward, list.id)
    await sendInvitations(tdb.db, world.principals.steward, list.id)
    const [inv] = await invitationsOf(tdb.db, list.id)
    expect(inv?.expert_id).toBe(best.expert.id)
    if (!best.principal) throw new Error('fixture')
    await answerInvitation(tdb.db, best.principal, inv?.id as number, {
      decline: true,
      reason: 'Busy month',
    })
    const after = await invitationsOf(tdb.db, list.id)
    expect(after.map((i) => i.expert_id)).toEqual([best.expert.id, free.expert.id])
  })
})

describe('who may answer', () => {
  it('only the invitee or the case steward answers; the steward may answer for them and withdraw', async () => {
    const { experts, invitations, list } = await invitedCase('Who', 'pv', ['Invitee', 'Other'], 2)
    const [invitee, other] = experts
    const [first, second] = invitations
    if (!invitee?.principal || !other?.principal || !first || !second) throw new Error('fixture')
    expect(first.expert_id).toBe(invitee.expert.id)
    for (const principal of [
      other.principal,
      otherSteward,
      world.principals.contact,
      world.principals.coordinator,
    ]) {
      await expect(
        answerInvitation(tdb.db, principal, first.id, { accept: true }),
      ).rejects.toBeInstanceOf(ForbiddenError)
    }
    await expect(
      withdrawInvitation(tdb.db, invitee.principal, first.id, undefined),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect((await invitationsOf(tdb.db, list.id)).map((i) => i.status)).toEqual([
      'pending',
      'pending',
    ])

    // The steward accepts for the invitee (a phone call), and withdraws the other invitation.
    await answerInvitation(tdb.db, world.principals.steward, first.id, { accept: true })
    await withdrawInvitation(tdb.db, world.principals.steward, second.id, 'Enterprise prefers one')
    const rows = await invitationsOf(tdb.db, list.id)
    expect(rows.map((i) => [i.status, i.reason])).toEqual([
      ['accepted', null],
      ['withdrawn', 'Enterprise prefers one'],
    ])
    // A withdrawal does not invite anybody else; the invitee is told.
    expect(rows).toHaveLength(2)
    expect((await notifyJobs('invitation.withdrawn', second.id))[0]?.userIds).toEqual([
      other.user?.id,
    ])
    const accepted = await tdb.db
      .selectFrom('workflow_event')
      .select(['actor_role', 'actor_user_id'])
      .where('subject_type', '=', 'invitation')
      .where('subject_id', '=', first.id)
      .where('event_type', '=', 'ACCEPT')
      .executeTakeFirstOrThrow()
    expect(accepted).toEqual({ actor_role: 'steward', actor_user_id: world.users.steward.id })
    // Answering a closed invitation is refused.
    const twice = await refused(
      answerInvitation(tdb.db, other.principal, second.id, { accept: true }),
    )
    expect(twice.code).toBe('transitionNotAllowed')
  })

  it('an expert sees only their own invitations', async () => {
    const { experts, invitations } = await invitedCase('Mine', 'cnc', ['Me', 'You'], 2)
    const [me, you] = experts
    const [mine, yours] = invitations
    if (!me?.principal || !you?.principal || !mine || !yours) throw new Error('fixture')
    expect((await myInvitations(tdb.db, me.principal)).map((i) => i.id)).toEqual([mine.id])
    expect((await myInvitations(tdb.db, you.principal)).map((i) => i.id)).toEqual([yours.id])
    const page = await myInvitation(tdb.db, me.principal, mine.id)
    expect(page.invitation).toMatchObject({
      id: mine.id,
      itemTitle: 'Mine item',
      enterpriseName: world.enterprise.name,
    })
    expect(page.can).toEqual({ accept: true, decline: true })
    expect(page.factors.map((f) => f.factor)).toContain('skill')
    await expect(myInvitation(tdb.db, me.principal, yours.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(myInvitation(tdb.db, world.principals.steward, mine.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(myInvitations(tdb.db, world.principals.contact)).rejects.toBeInstanceOf(
      ForbiddenError,
    )
  })
})
