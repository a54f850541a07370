import { describe, expect, it } from 'vitest'
import { initialTransition, transition } from 'xstate'
import type { Actor } from '#workflows/actor.ts'
import { currentDeadline, needsListMachine } from '#workflows/machines/needs-list.machine.ts'

const contact: Actor = { userId: 1, role: 'enterprise_contact' }
const coordinator: Actor = { userId: 2, role: 'coordinator' }
const steward: Actor = { userId: 3, role: 'steward' }
const system: Actor = { userId: null, role: 'system' }

function submitted() {
  const [draft] = initialTransition(needsListMachine)
  return transition(needsListMachine, draft, { type: 'SUBMIT', actor: contact })
}

describe('needs-list machine', () => {
  it('starts as a draft with no effects', () => {
    const [draft, actions] = initialTransition(needsListMachine)
    expect(draft.value).toBe('draft')
    expect(actions.filter((a) => a.type === 'notify' || a.type === 'schedule')).toEqual([])
  })

  it('submission notifies coordinators and schedules the triage reminder and breach of stage entry 1', () => {
    const [state, actions] = submitted()
    expect(state.value).toBe('submitted')
    expect(state.context.round).toBe(1)
    expect(state.context.stageEntry).toBe(1)
    const effects = actions.filter((a) => a.type === 'notify' || a.type === 'schedule')
    const timer = (phase: 'remind' | 'breach') => ({
      event: 'DEADLINE',
      deadline: 'triage',
      phase,
      entry: 1,
      data: { stage: 'triage', phase, entry: 1 },
    })
    expect(effects.map((a) => [a.type, a.params])).toEqual([
      ['notify', { kind: 'needsList.submitted', audience: 'coordinators' }],
      ['schedule', timer('remind')],
      ['schedule', timer('breach')],
    ])
  })

  it('only an enterprise contact may submit, only a coordinator may triage', () => {
    const [draft] = initialTransition(needsListMachine)
    expect(draft.can({ type: 'SUBMIT', actor: coordinator })).toBe(false)
    expect(draft.can({ type: 'SUBMIT', actor: contact })).toBe(true)
    const [state] = submitted()
    expect(state.can({ type: 'ACCEPT', actor: contact, stewardId: null })).toBe(false)
    expect(state.can({ type: 'ACCEPT', actor: steward, stewardId: null })).toBe(false)
    expect(state.can({ type: 'ACCEPT', actor: coordinator, stewardId: null })).toBe(true)
    expect(
      state.can({
        type: 'ACCEPT',
        actor: { userId: 9, role: 'federation_admin' },
        stewardId: null,
      }),
    ).toBe(true)
  })

  it('accepting notifies the enterprise and ends triage', () => {
    const [state] = submitted()
    const [accepted, actions] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: null,
    })
    expect(accepted.value).toBe('awaiting_steward')
    expect(actions.find((a) => a.type === 'notify')?.params).toEqual({
      kind: 'needsList.accepted',
      audience: 'enterprise',
    })
    expect(accepted.can({ type: 'RETURN', actor: coordinator, reason: 'late' })).toBe(false)
  })

  it('returning needs a reason, which the enterprise is told', () => {
    const [state] = submitted()
    expect(state.can({ type: 'RETURN', actor: coordinator, reason: '   ' })).toBe(false)
    const [returned, actions] = transition(needsListMachine, state, {
      type: 'RETURN',
      actor: coordinator,
      reason: ' 请补充设备型号 ',
    })
    expect(returned.value).toBe('returned')
    expect(returned.context.returnReason).toBe('请补充设备型号')
    expect(actions.find((a) => a.type === 'notify')?.params).toEqual({
      kind: 'needsList.returned',
      audience: 'enterprise',
      data: { reason: '请补充设备型号' },
    })
  })

  it('resubmission starts round 2 and clears the reason', () => {
    const [state] = submitted()
    const [returned] = transition(needsListMachine, state, {
      type: 'RETURN',
      actor: coordinator,
      reason: '补充',
    })
    expect(returned.can({ type: 'EDIT', actor: contact })).toBe(true)
    expect(returned.can({ type: 'EDIT', actor: coordinator })).toBe(false)
    const [edited] = transition(needsListMachine, returned, { type: 'EDIT', actor: contact })
    expect(edited.value).toBe('returned')
    const [again, actions] = transition(needsListMachine, edited, {
      type: 'SUBMIT',
      actor: contact,
    })
    expect(again.value).toBe('submitted')
    expect(again.context).toMatchObject({
      round: 2,
      returnReason: null,
      edits: 1,
      stageEntry: 2,
      deadlinesFired: [],
    })
    expect(actions.find((a) => a.type === 'notify')?.params).toMatchObject({
      kind: 'needsList.resubmitted',
    })
  })

  it('a triage timer only counts for its own stage entry and only from the system', () => {
    const [state] = submitted()
    const remind1 = { type: 'DEADLINE', stage: 'triage', phase: 'remind', entry: 1 } as const
    expect(state.can({ ...remind1, actor: system })).toBe(true)
    expect(state.can({ ...remind1, actor: coordinator })).toBe(false)
    const [returned] = transition(needsListMachine, state, {
      type: 'RETURN',
      actor: coordinator,
      reason: '补充',
    })
    expect(returned.can({ ...remind1, actor: system })).toBe(false)
    const [again] = transition(needsListMachine, returned, { type: 'SUBMIT', actor: contact })
    expect(again.can({ ...remind1, actor: system })).toBe(false)
    expect(again.can({ ...remind1, entry: 2, actor: system })).toBe(true)
    const [after, actions] = transition(needsListMachine, again, {
      ...remind1,
      entry: 2,
      actor: system,
    })
    expect(after.value).toBe('submitted')
    expect(after.context.deadlinesFired).toEqual(['remind'])
    expect(actions.find((a) => a.type === 'notify')?.params).toEqual({
      kind: 'deadline.triage.remind',
      audience: 'coordinators',
      data: { stage: 'triage' },
    })
  })

  it('a persisted snapshot resolves back to the same state', () => {
    const [state] = submitted()
    const persisted = JSON.parse(JSON.stringify(needsListMachine.getPersistedSnapshot(state)))
    const restored = needsListMachine.resolveState({
      value: persisted.value,
      context: persisted.context,
    })
    expect(restored.value).toBe('submitted')
    expect(restored.can({ type: 'ACCEPT', actor: coordinator, stewardId: null })).toBe(true)
  })
})

describe('needs-list machine: intake to confirmed needs', () => {
  const caseSteward: Actor = { userId: 30, role: 'steward' }
  const otherSteward: Actor = { userId: 31, role: 'steward' }

  function effectsOf(actions: { type: string; params?: unknown }[]) {
    return actions.filter((a) => a.type === 'notify').map((a) => a.params)
  }

  function confirming() {
    const [state] = submitted()
    return transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: 30,
    })
  }

  it('accepting goes straight to confirmation when the enterprise has a steward, who is told', () => {
    const [state, actions] = confirming()
    expect(state.value).toBe('confirming')
    expect(state.context.stewardId).toBe(30)
    expect(effectsOf(actions)).toEqual([
      { kind: 'needsList.confirming', audience: 'users', userIds: [30] },
    ])
  })

  it('without a steward the case waits for an assignment, then moves to confirmation', () => {
    const [state] = submitted()
    const [waiting, acceptActions] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: null,
    })
    expect(waiting.value).toBe('awaiting_steward')
    expect(effectsOf(acceptActions)).toEqual([
      { kind: 'needsList.accepted', audience: 'enterprise' },
    ])
    expect(waiting.can({ type: 'ASSIGN_STEWARD', actor: contact, stewardId: 30 })).toBe(false)
    const [assigned] = transition(needsListMachine, waiting, {
      type: 'ASSIGN_STEWARD',
      actor: coordinator,
      stewardId: 30,
    })
    expect(assigned.value).toBe('confirming')
    expect(assigned.context.stewardId).toBe(30)
  })

  it('rejecting needs a reason and ends the case; the enterprise is told why', () => {
    const [state] = submitted()
    expect(state.can({ type: 'REJECT', actor: coordinator, reason: '' })).toBe(false)
    expect(state.can({ type: 'REJECT', actor: contact, reason: '不属于服务范围' })).toBe(false)
    const [rejected, actions] = transition(needsListMachine, state, {
      type: 'REJECT',
      actor: coordinator,
      reason: '不属于服务范围',
    })
    expect(rejected.value).toBe('rejected')
    expect(rejected.status).toBe('done')
    expect(effectsOf(actions)).toEqual([
      { kind: 'needsList.rejected', audience: 'enterprise', data: { reason: '不属于服务范围' } },
    ])
  })

  it('routing to another org starts a new triage round there', () => {
    const [state] = submitted()
    const [routed, actions] = transition(needsListMachine, state, {
      type: 'ROUTE',
      actor: coordinator,
      toOrgId: 7,
    })
    expect(routed.value).toBe('submitted')
    expect(routed.context.round).toBe(2)
    // A new stage entry: fresh timers, the old entry's are stale.
    expect(routed.context.stageEntry).toBe(2)
    expect(actions.filter((a) => a.type === 'schedule').map((a) => a.params)).toMatchObject([
      { deadline: 'triage', phase: 'remind', entry: 2 },
      { deadline: 'triage', phase: 'breach', entry: 2 },
    ])
    expect(
      routed.can({ type: 'DEADLINE', actor: system, stage: 'triage', phase: 'breach', entry: 1 }),
    ).toBe(false)
    expect(effectsOf(actions)).toEqual([{ kind: 'needsList.routed', audience: 'coordinators' }])
  })

  it('the enterprise may withdraw until the needs are approved, with an optional reason', () => {
    const [draft] = initialTransition(needsListMachine)
    expect(draft.can({ type: 'WITHDRAW', actor: contact })).toBe(true)
    const [state] = confirming()
    expect(state.can({ type: 'WITHDRAW', actor: coordinator })).toBe(false)
    const [withdrawn] = transition(needsListMachine, state, {
      type: 'WITHDRAW',
      actor: contact,
      reason: ' 已自行解决 ',
    })
    expect(withdrawn.value).toBe('withdrawn')
    expect(withdrawn.context.closeReason).toBe('已自行解决')
  })

  it('only the case steward revises and proposes; the enterprise approves that exact revision', () => {
    const [state] = confirming()
    expect(state.can({ type: 'REVISE', actor: otherSteward, revision: 1 })).toBe(false)
    expect(state.can({ type: 'REVISE', actor: caseSteward, revision: 1 })).toBe(true)
    expect(state.can({ type: 'PROPOSE', actor: coordinator, revision: 1 })).toBe(false)
    const [proposed, actions] = transition(needsListMachine, state, {
      type: 'PROPOSE',
      actor: caseSteward,
      revision: 2,
    })
    expect(proposed.value).toBe('awaiting_approval')
    expect(effectsOf(actions)).toEqual([
      { kind: 'needsList.awaitingApproval', audience: 'enterprise' },
    ])
    expect(proposed.can({ type: 'APPROVE', actor: contact, revision: 1 })).toBe(false)
    expect(proposed.can({ type: 'APPROVE', actor: caseSteward, revision: 2 })).toBe(false)
    const [approved, approvalActions] = transition(needsListMachine, proposed, {
      type: 'APPROVE',
      actor: contact,
      revision: 2,
    })
    expect(approved.value).toBe('ready_for_matching')
    expect(approved.context.approvedRevision).toBe(2)
    expect(effectsOf(approvalActions)).toEqual([
      { kind: 'needsList.readyForMatching', audience: 'users', userIds: [30] },
    ])
  })

  it('a comment sends the needs back to the steward; a blank comment is refused', () => {
    const [state] = confirming()
    const [proposed] = transition(needsListMachine, state, {
      type: 'PROPOSE',
      actor: caseSteward,
      revision: 1,
    })
    expect(proposed.can({ type: 'COMMENT', actor: contact, comment: '  ' })).toBe(false)
    const [back, actions] = transition(needsListMachine, proposed, {
      type: 'COMMENT',
      actor: contact,
      comment: '第二项人数改为3人',
    })
    expect(back.value).toBe('confirming')
    expect(effectsOf(actions)).toContainEqual({
      kind: 'needsList.commented',
      audience: 'users',
      userIds: [30],
    })
  })

  it('reassigning the steward moves the case to the new steward and tells them', () => {
    const [state] = confirming()
    expect(state.can({ type: 'ASSIGN_STEWARD', actor: coordinator, stewardId: 30 })).toBe(false)
    const [moved, actions] = transition(needsListMachine, state, {
      type: 'ASSIGN_STEWARD',
      actor: coordinator,
      stewardId: 31,
      reason: '原管家调岗',
    })
    expect(moved.value).toBe('confirming')
    expect(moved.context.stewardId).toBe(31)
    expect(effectsOf(actions)).toEqual([
      { kind: 'needsList.stewardAssigned', audience: 'users', userIds: [31] },
    ])
    expect(moved.can({ type: 'PROPOSE', actor: caseSteward, revision: 1 })).toBe(false)
    expect(moved.can({ type: 'PROPOSE', actor: otherSteward, revision: 1 })).toBe(true)
  })
})

describe('needs-list machine: stage deadlines', () => {
  const caseSteward: Actor = { userId: 30, role: 'steward' }
  const deadline = (stage: string, phase: 'remind' | 'breach', entry: number) =>
    ({ type: 'DEADLINE', actor: system, stage, phase, entry }) as const

  function schedulesOf(actions: { type: string; params?: unknown }[]) {
    return actions.filter((a) => a.type === 'schedule').map((a) => a.params)
  }
  function notesOf(actions: { type: string; params?: unknown }[]) {
    return actions.filter((a) => a.type === 'notify').map((a) => a.params)
  }

  it('every deadline stage schedules its reminder and breach on entry, each with a new entry number', () => {
    const [state] = submitted()
    const [waiting, a1] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: null,
    })
    expect(waiting.context.stageEntry).toBe(2)
    expect(schedulesOf(a1)).toMatchObject([
      { event: 'DEADLINE', deadline: 'steward_assignment', phase: 'remind', entry: 2 },
      { event: 'DEADLINE', deadline: 'steward_assignment', phase: 'breach', entry: 2 },
    ])
    const [confirming, a2] = transition(needsListMachine, waiting, {
      type: 'ASSIGN_STEWARD',
      actor: coordinator,
      stewardId: 30,
    })
    expect(schedulesOf(a2)).toMatchObject([
      { deadline: 'needs_confirmation', phase: 'remind', entry: 3 },
      { deadline: 'needs_confirmation', phase: 'breach', entry: 3 },
    ])
    const [proposed, a3] = transition(needsListMachine, confirming, {
      type: 'PROPOSE',
      actor: caseSteward,
      revision: 1,
    })
    expect(schedulesOf(a3)).toMatchObject([
      { deadline: 'enterprise_approval', phase: 'remind', entry: 4 },
      { deadline: 'enterprise_approval', phase: 'breach', entry: 4 },
    ])
    // The enterprise comments: confirming again, with a fresh deadline (entry 5).
    const [back, a4] = transition(needsListMachine, proposed, {
      type: 'COMMENT',
      actor: contact,
      comment: '请补充',
    })
    expect(back.value).toBe('confirming')
    expect(schedulesOf(a4)).toMatchObject([
      { deadline: 'needs_confirmation', entry: 5 },
      { deadline: 'needs_confirmation', entry: 5 },
    ])
    expect(back.can(deadline('needs_confirmation', 'breach', 3))).toBe(false)
    expect(back.can(deadline('needs_confirmation', 'breach', 5))).toBe(true)
    // Stages without a deadline schedule nothing.
    const [approvedAgain] = transition(needsListMachine, back, {
      type: 'PROPOSE',
      actor: caseSteward,
      revision: 2,
    })
    const [ready, a5] = transition(needsListMachine, approvedAgain, {
      type: 'APPROVE',
      actor: contact,
      revision: 2,
    })
    expect(ready.value).toBe('ready_for_matching')
    expect(schedulesOf(a5)).toEqual([])
    expect(ready.can(deadline('enterprise_approval', 'breach', 6))).toBe(false)
  })

  it('a timer must name the current stage, the current entry and a phase not fired yet', () => {
    const [state] = submitted()
    expect(state.can(deadline('triage', 'breach', 1))).toBe(true)
    expect(state.can(deadline('steward_assignment', 'breach', 1))).toBe(false)
    expect(state.can(deadline('triage', 'breach', 2))).toBe(false)
    expect(state.can(deadline('triage', 'breach', 0))).toBe(false)
    expect(state.can({ ...deadline('triage', 'breach', 1), actor: coordinator })).toBe(false)
    const [reminded] = transition(needsListMachine, state, deadline('triage', 'remind', 1))
    expect(reminded.can(deadline('triage', 'remind', 1))).toBe(false)
    expect(reminded.can(deadline('triage', 'breach', 1))).toBe(true)
    const [breached] = transition(needsListMachine, reminded, deadline('triage', 'breach', 1))
    expect(breached.context.deadlinesFired).toEqual(['remind', 'breach'])
    expect(breached.can(deadline('triage', 'breach', 1))).toBe(false)
    // Firing changes nothing else: triage goes on.
    expect(breached.value).toBe('submitted')
    expect(breached.context.stageEntry).toBe(1)
    expect(breached.can({ type: 'ACCEPT', actor: coordinator, stewardId: null })).toBe(true)

    // Jobs held up by an outage may arrive out of order: a reminder after the breach is dropped.
    const [breachedFirst] = transition(needsListMachine, state, deadline('triage', 'breach', 1))
    expect(breachedFirst.can(deadline('triage', 'remind', 1))).toBe(false)
  })

  it('reminders go to the stage owner; at breach the owner again and the next level', () => {
    const [state] = submitted()
    const [, remind] = transition(needsListMachine, state, deadline('triage', 'remind', 1))
    expect(notesOf(remind)).toEqual([
      { kind: 'deadline.triage.remind', audience: 'coordinators', data: { stage: 'triage' } },
    ])
    const [, breach] = transition(needsListMachine, state, deadline('triage', 'breach', 1))
    expect(notesOf(breach)).toEqual([
      { kind: 'deadline.triage.breach', audience: 'coordinators', data: { stage: 'triage' } },
      { kind: 'deadline.triage.escalated', audience: 'admins', data: { stage: 'triage' } },
    ])

    const [waiting] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: null,
    })
    const [, stewardBreach] = transition(
      needsListMachine,
      waiting,
      deadline('steward_assignment', 'breach', 2),
    )
    expect(notesOf(stewardBreach).map((n) => (n as { audience: string }).audience)).toEqual([
      'coordinators',
      'admins',
    ])

    const [confirming] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
      stewardId: 30,
    })
    const [, confirmBreach] = transition(
      needsListMachine,
      confirming,
      deadline('needs_confirmation', 'breach', 2),
    )
    expect(notesOf(confirmBreach)).toEqual([
      {
        kind: 'deadline.needs_confirmation.breach',
        audience: 'users',
        userIds: [30],
        data: { stage: 'needs_confirmation' },
      },
      {
        kind: 'deadline.needs_confirmation.escalated',
        audience: 'coordinators',
        data: { stage: 'needs_confirmation' },
      },
    ])

    const [proposed] = transition(needsListMachine, confirming, {
      type: 'PROPOSE',
      actor: caseSteward,
      revision: 1,
    })
    const [, approvalRemind] = transition(
      needsListMachine,
      proposed,
      deadline('enterprise_approval', 'remind', 3),
    )
    expect(notesOf(approvalRemind)).toEqual([
      {
        kind: 'deadline.enterprise_approval.remind',
        audience: 'enterprise',
        data: { stage: 'enterprise_approval' },
      },
    ])
    const [, approvalBreach] = transition(
      needsListMachine,
      proposed,
      deadline('enterprise_approval', 'breach', 3),
    )
    expect(notesOf(approvalBreach)).toEqual([
      {
        kind: 'deadline.enterprise_approval.breach',
        audience: 'enterprise',
        data: { stage: 'enterprise_approval' },
      },
      {
        kind: 'deadline.enterprise_approval.escalated',
        audience: 'users',
        userIds: [30],
        data: { stage: 'enterprise_approval' },
      },
    ])
  })

  it('an old triage timer event (machine v3) is no longer accepted', () => {
    const [state] = submitted()
    expect(
      state.can({ type: 'TRIAGE_OVERDUE', actor: system, round: 1 } as unknown as Parameters<
        typeof state.can
      >[0]),
    ).toBe(false)
  })

  it('currentDeadline names the stage and entry of deadline states only', () => {
    const [state] = submitted()
    expect(currentDeadline('submitted', state.context)).toEqual({ stage: 'triage', entry: 1 })
    expect(currentDeadline('confirming', { stageEntry: 4 })).toEqual({
      stage: 'needs_confirmation',
      entry: 4,
    })
    expect(currentDeadline('returned', state.context)).toBeNull()
    expect(currentDeadline('ready_for_matching', state.context)).toBeNull()
  })
})
