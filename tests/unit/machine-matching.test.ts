import { describe, expect, it } from 'vitest'
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate'
import type { Actor } from '#workflows/actor.ts'
import { invitationMachine } from '#workflows/machines/invitation.machine.ts'
import { needsListMachine } from '#workflows/machines/needs-list.machine.ts'

const contact: Actor = { userId: 1, role: 'enterprise_contact' }
const coordinator: Actor = { userId: 2, role: 'coordinator' }
const steward: Actor = { userId: 3, role: 'steward' }
const otherSteward: Actor = { userId: 4, role: 'steward' }
const expert: Actor = { userId: 5, role: 'expert' }
const otherExpert: Actor = { userId: 6, role: 'expert' }
const system: Actor = { userId: null, role: 'system' }

type Event = Parameters<typeof transition<typeof needsListMachine>>[2]

/** Applies events in order, failing on the first the machine refuses. */
function run(snapshot: AnyMachineSnapshot, ...events: Event[]) {
  let s = snapshot
  let actions: { type: string; params?: unknown }[] = []
  for (const e of events) {
    if (!s.can(e)) throw new Error(`${e.type} refused in ${String(s.value)}`)
    ;[s, actions] = transition(needsListMachine, s as never, e) as [
      AnyMachineSnapshot,
      typeof actions,
    ]
  }
  return { s, actions }
}

const effects = (actions: { type: string; params?: unknown }[]) =>
  actions.filter((a) => a.type === 'notify').map((a) => a.params)

function readyForMatching() {
  const [draft] = initialTransition(needsListMachine)
  return run(
    draft,
    { type: 'SUBMIT', actor: contact },
    { type: 'ACCEPT', actor: coordinator, stewardId: steward.userId },
    { type: 'PROPOSE', actor: steward, revision: 1 },
    { type: 'APPROVE', actor: contact, revision: 1 },
  ).s
}

describe('needs-list machine: matching, invitations, pairing, agreement', () => {
  it('MATCH needs proposals to leave ready_for_matching, from the steward or a coordinator', () => {
    const ready = readyForMatching()
    expect(ready.value).toBe('ready_for_matching')
    expect(ready.can({ type: 'MATCH', actor: steward, runId: 1, proposals: 0 })).toBe(false)
    expect(ready.can({ type: 'MATCH', actor: otherSteward, runId: 1, proposals: 2 })).toBe(false)
    expect(ready.can({ type: 'MATCH', actor: contact, runId: 1, proposals: 2 })).toBe(false)
    expect(ready.can({ type: 'MATCH', actor: coordinator, runId: 1, proposals: 2 })).toBe(true)
    const { s } = run(ready, { type: 'MATCH', actor: steward, runId: 1, proposals: 2 })
    expect(s.value).toBe('matching')
    expect(s.context.matchingRuns).toBe(1)
    // Re-runs stay in matching and are counted, even when they find nobody.
    const again = run(s, { type: 'MATCH', actor: coordinator, runId: 2, proposals: 0 }).s
    expect(again.value).toBe('matching')
    expect(again.context.matchingRuns).toBe(2)
  })

  it('invitations go out from the case steward only, and more can follow in inviting and pairing', () => {
    const matching = run(readyForMatching(), {
      type: 'MATCH',
      actor: steward,
      runId: 1,
      proposals: 1,
    }).s
    expect(matching.can({ type: 'SEND_INVITATIONS', actor: steward, invitations: 0 })).toBe(false)
    expect(matching.can({ type: 'SEND_INVITATIONS', actor: coordinator, invitations: 1 })).toBe(
      false,
    )
    const sent = run(matching, { type: 'SEND_INVITATIONS', actor: steward, invitations: 1 })
    expect(sent.s.value).toBe('inviting')
    expect(effects(sent.actions)).toEqual([
      { kind: 'needsList.invitationsSent', audience: 'enterprise' },
    ])
    // Staying in inviting is an allowed transition (it notifies), as is re-matching.
    const more = run(sent.s, { type: 'SEND_INVITATIONS', actor: steward, invitations: 2 })
    expect(more.s.value).toBe('inviting')
    expect(effects(more.actions)).toEqual([
      { kind: 'needsList.invitationsSent', audience: 'enterprise' },
    ])
    expect(sent.s.can({ type: 'MATCH', actor: steward, runId: 3, proposals: 0 })).toBe(true)
  })

  it('the meeting needs an acceptance; it can be updated and cancelled with a reason', () => {
    const inviting = run(
      readyForMatching(),
      { type: 'MATCH', actor: steward, runId: 1, proposals: 1 },
      { type: 'SEND_INVITATIONS', actor: steward, invitations: 1 },
    ).s
    expect(
      inviting.can({ type: 'SCHEDULE_MEETING', actor: steward, meetingId: 1, accepted: 0 }),
    ).toBe(false)
    expect(
      inviting.can({ type: 'SCHEDULE_MEETING', actor: otherSteward, meetingId: 1, accepted: 1 }),
    ).toBe(false)
    const pairing = run(inviting, {
      type: 'SCHEDULE_MEETING',
      actor: steward,
      meetingId: 1,
      accepted: 1,
    })
    expect(pairing.s.value).toBe('pairing')
    expect(effects(pairing.actions)).toEqual([
      { kind: 'needsList.meetingScheduled', audience: 'enterprise' },
    ])
    const updated = run(pairing.s, {
      type: 'SCHEDULE_MEETING',
      actor: steward,
      meetingId: 1,
      accepted: 2,
    })
    expect(updated.s.value).toBe('pairing')
    expect(effects(updated.actions)).toEqual([
      { kind: 'needsList.meetingScheduled', audience: 'enterprise' },
    ])
    expect(pairing.s.can({ type: 'SEND_INVITATIONS', actor: steward, invitations: 1 })).toBe(true)
    expect(pairing.s.can({ type: 'CANCEL_MEETING', actor: steward, reason: ' ' })).toBe(false)
    expect(
      run(pairing.s, { type: 'CANCEL_MEETING', actor: steward, reason: 'Postponed' }).s.value,
    ).toBe('inviting')
  })

  it('the pairing fixes the paired sign-ins; each party confirms the current agreement once', () => {
    const pairing = run(
      readyForMatching(),
      { type: 'MATCH', actor: steward, runId: 1, proposals: 1 },
      { type: 'SEND_INVITATIONS', actor: steward, invitations: 1 },
      { type: 'SCHEDULE_MEETING', actor: steward, meetingId: 1, accepted: 1 },
    ).s
    expect(
      pairing.can({ type: 'CONFIRM_PAIRING', actor: steward, pairings: 0, expertUserIds: [] }),
    ).toBe(false)
    const paired = run(pairing, {
      type: 'CONFIRM_PAIRING',
      actor: steward,
      pairings: 2,
      expertUserIds: [5, 5],
    })
    expect(paired.s.value).toBe('paired')
    expect(paired.s.context.pairedUserIds).toEqual([5])
    expect(effects(paired.actions)).toEqual([
      { kind: 'needsList.paired', audience: 'enterprise' },
      { kind: 'needsList.paired', audience: 'users', userIds: [5] },
    ])
    expect(paired.s.can({ type: 'CONFIRM_AGREEMENT', actor: contact, agreementId: 9 })).toBe(false)
    const generated = run(paired.s, {
      type: 'GENERATE_AGREEMENT',
      actor: steward,
      agreementId: 9,
    }).s
    expect(generated.context.agreementId).toBe(9)
    expect(generated.can({ type: 'CONFIRM_AGREEMENT', actor: contact, agreementId: 8 })).toBe(false)
    expect(generated.can({ type: 'CONFIRM_AGREEMENT', actor: otherExpert, agreementId: 9 })).toBe(
      false,
    )
    expect(generated.can({ type: 'CONFIRM_AGREEMENT', actor: otherSteward, agreementId: 9 })).toBe(
      false,
    )
    const all = run(
      generated,
      { type: 'CONFIRM_AGREEMENT', actor: contact, agreementId: 9 },
      { type: 'CONFIRM_AGREEMENT', actor: expert, agreementId: 9 },
      { type: 'CONFIRM_AGREEMENT', actor: steward, agreementId: 9 },
    ).s
    expect(all.context.agreementConfirmedBy).toEqual(['enterprise', 'expert:5', 'steward'])
    expect(
      all.can({
        type: 'CONFIRM_AGREEMENT',
        actor: { userId: 99, role: 'enterprise_contact' },
        agreementId: 9,
      }),
    ).toBe(false)
    // Regenerating asks for the confirmations again.
    const again = run(all, { type: 'GENERATE_AGREEMENT', actor: steward, agreementId: 9 }).s
    expect(again.context.agreementConfirmedBy).toEqual([])
  })
})

describe('invitation machine', () => {
  const input = { inviteeUserId: expert.userId, stewardId: steward.userId }
  const start = () => initialTransition(invitationMachine, input)

  it('starts pending: the invitee is told and the answer deadline is scheduled', () => {
    const [s, actions] = start()
    expect(s.value).toBe('pending')
    expect(
      actions
        .filter((a) => a.type === 'notify' || a.type === 'schedule')
        .map((a) => [a.type, a.params]),
    ).toEqual([
      ['notify', { kind: 'invitation.received', audience: 'users', userIds: [5] }],
      [
        'schedule',
        expect.objectContaining({
          event: 'DEADLINE',
          deadline: 'invitation_answer',
          phase: 'remind',
          entry: 1,
        }),
      ],
      [
        'schedule',
        expect.objectContaining({
          event: 'DEADLINE',
          deadline: 'invitation_answer',
          phase: 'breach',
          entry: 1,
        }),
      ],
    ])
  })

  it('the invitee or the case steward answers; a decline needs a reason; the breach lapses it', () => {
    const [s] = start()
    expect(s.can({ type: 'ACCEPT', actor: otherExpert })).toBe(false)
    expect(s.can({ type: 'ACCEPT', actor: otherSteward })).toBe(false)
    expect(s.can({ type: 'ACCEPT', actor: steward })).toBe(true)
    expect(s.can({ type: 'DECLINE', actor: expert, reason: '' })).toBe(false)
    const [declined] = transition(invitationMachine, s, {
      type: 'DECLINE',
      actor: expert,
      reason: ' Busy ',
    })
    expect(declined.value).toBe('declined')
    expect(declined.context.reason).toBe('Busy')
    expect(s.can({ type: 'WITHDRAW', actor: expert })).toBe(false)
    const deadline = (phase: 'remind' | 'breach', actor = system) =>
      ({ type: 'DEADLINE', actor, stage: 'invitation_answer', phase, entry: 1 }) as const
    expect(s.can(deadline('breach', expert))).toBe(false)
    const [lapsed] = transition(invitationMachine, s, deadline('breach'))
    expect(lapsed.value).toBe('lapsed')
    const [reminded, remindActions] = transition(invitationMachine, s, deadline('remind'))
    expect(reminded.value).toBe('pending')
    expect(remindActions.filter((a) => a.type === 'notify').map((a) => a.params)).toEqual([
      { kind: 'invitation.remind', audience: 'users', userIds: [5] },
    ])
    expect(reminded.can(deadline('remind'))).toBe(false)
  })
})
