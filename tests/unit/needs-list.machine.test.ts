import { describe, expect, it } from 'vitest'
import { initialTransition, transition } from 'xstate'
import type { Actor } from '#workflows/actor.ts'
import { needsListMachine } from '#workflows/machines/needs-list.machine.ts'

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

  it('submission notifies coordinators and schedules the triage deadline for round 1', () => {
    const [state, actions] = submitted()
    expect(state.value).toBe('submitted')
    expect(state.context.round).toBe(1)
    const effects = actions.filter((a) => a.type === 'notify' || a.type === 'schedule')
    expect(effects.map((a) => [a.type, a.params])).toEqual([
      ['notify', { kind: 'needsList.submitted', audience: 'coordinators' }],
      ['schedule', { event: 'TRIAGE_OVERDUE', deadline: 'triage', data: { round: 1 } }],
    ])
  })

  it('only an enterprise contact may submit, only a coordinator may triage', () => {
    const [draft] = initialTransition(needsListMachine)
    expect(draft.can({ type: 'SUBMIT', actor: coordinator })).toBe(false)
    expect(draft.can({ type: 'SUBMIT', actor: contact })).toBe(true)
    const [state] = submitted()
    expect(state.can({ type: 'ACCEPT', actor: contact })).toBe(false)
    expect(state.can({ type: 'ACCEPT', actor: steward })).toBe(false)
    expect(state.can({ type: 'ACCEPT', actor: coordinator })).toBe(true)
    expect(state.can({ type: 'ACCEPT', actor: { userId: 9, role: 'federation_admin' } })).toBe(true)
  })

  it('accepting notifies the enterprise and ends triage', () => {
    const [state] = submitted()
    const [accepted, actions] = transition(needsListMachine, state, {
      type: 'ACCEPT',
      actor: coordinator,
    })
    expect(accepted.value).toBe('accepted')
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
    expect(again.context).toEqual({ round: 2, returnReason: null, edits: 1, overdueRound: 0 })
    expect(actions.find((a) => a.type === 'notify')?.params).toMatchObject({
      kind: 'needsList.resubmitted',
    })
  })

  it('a triage timer only counts for its own round and only from the system', () => {
    const [state] = submitted()
    expect(state.can({ type: 'TRIAGE_OVERDUE', actor: system, round: 1 })).toBe(true)
    expect(state.can({ type: 'TRIAGE_OVERDUE', actor: coordinator, round: 1 })).toBe(false)
    const [returned] = transition(needsListMachine, state, {
      type: 'RETURN',
      actor: coordinator,
      reason: '补充',
    })
    const [again] = transition(needsListMachine, returned, { type: 'SUBMIT', actor: contact })
    expect(again.can({ type: 'TRIAGE_OVERDUE', actor: system, round: 1 })).toBe(false)
    expect(again.can({ type: 'TRIAGE_OVERDUE', actor: system, round: 2 })).toBe(true)
    const [after, actions] = transition(needsListMachine, again, {
      type: 'TRIAGE_OVERDUE',
      actor: system,
      round: 2,
    })
    expect(after.value).toBe('submitted')
    expect(actions.find((a) => a.type === 'notify')?.params).toMatchObject({
      kind: 'needsList.triageOverdue',
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
    expect(restored.can({ type: 'ACCEPT', actor: coordinator })).toBe(true)
  })
})
