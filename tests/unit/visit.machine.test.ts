import { describe, expect, it } from 'vitest'
import { initialTransition, transition } from 'xstate'
import type { Actor } from '#workflows/actor.ts'
import { needsListMachine } from '#workflows/machines/needs-list.machine.ts'
import { visitDeadline, visitMachine } from '#workflows/machines/visit.machine.ts'

const contact: Actor = { userId: 1, role: 'enterprise_contact' }
const steward: Actor = { userId: 3, role: 'steward' }
const expert: Actor = { userId: 7, role: 'expert' }
const stranger: Actor = { userId: 9, role: 'expert' }
const system: Actor = { userId: null, role: 'system' }

const startsAt = '2026-12-10T01:30:00.000Z'
const notifications = (actions: { type: string; params?: unknown }[]) =>
  actions
    .filter((a) => a.type === 'notify')
    .map((a) => a.params as { kind: string; audience: string; userIds?: number[] })

function proposed() {
  return initialTransition(visitMachine, { stewardId: 3, memberUserIds: [3, 7], startsAt })
}

describe('visit machine', () => {
  it('asks the enterprise to confirm, then reminds the team the day before', () => {
    const [visit, created] = proposed()
    expect(visit.value).toBe('proposed')
    expect(notifications(created).map((n) => n.kind)).toEqual([
      'visit.proposed',
      'visit.proposedTeam',
    ])
    const [scheduled, actions] = transition(visitMachine, visit, {
      type: 'CONFIRM',
      actor: contact,
    })
    expect(scheduled.value).toBe('scheduled')
    const reminder = actions.find((a) => a.type === 'schedule')?.params as { at: string }
    expect(reminder.at).toBe('2026-12-09T01:30:00.000Z')
    const [, reminded] = transition(visitMachine, scheduled, {
      type: 'REMIND',
      actor: system,
      entry: scheduled.context.stageEntry,
    })
    expect(notifications(reminded)).toMatchObject([{ kind: 'visit.dayBefore', userIds: [3, 7] }])
    // A reminder of an earlier scheduling is stale.
    expect(scheduled.can({ type: 'REMIND', actor: system, entry: 0 } as never)).toBe(false)
  })

  it('a counter-proposal after confirming tells the steward, not the enterprise itself', () => {
    const [visit] = proposed()
    const [scheduled] = transition(visitMachine, visit, { type: 'CONFIRM', actor: contact })
    const [back, actions] = transition(visitMachine, scheduled, {
      type: 'COUNTER_PROPOSE',
      actor: contact,
      startsAt: '2026-12-11T01:30:00.000Z',
    })
    expect(back.value).toBe('proposed')
    expect(back.context.counterStartsAt).toBe('2026-12-11T01:30:00.000Z')
    const told = notifications(actions).filter(
      (n) => (n.userIds ?? []).length > 0 || n.audience !== 'users',
    )
    expect(told.map((n) => n.kind)).toEqual(['visit.counterProposed'])
  })

  it('only the team or the steward checks in; the report is due on site, then its confirmation', () => {
    const [visit] = proposed()
    const [scheduled] = transition(visitMachine, visit, { type: 'CONFIRM', actor: contact })
    expect(scheduled.can({ type: 'CHECK_IN', actor: stranger })).toBe(false)
    expect(scheduled.can({ type: 'CHECK_IN', actor: contact })).toBe(false)
    const [onSite] = transition(visitMachine, scheduled, { type: 'CHECK_IN', actor: expert })
    expect(onSite.value).toBe('on_site')
    expect(visitDeadline('on_site', onSite.context)).toEqual({
      stage: 'report',
      entry: onSite.context.stageEntry,
    })
    expect(onSite.can({ type: 'SUBMIT_REPORT', actor: expert })).toBe(false)
    const [reported] = transition(visitMachine, onSite, { type: 'SUBMIT_REPORT', actor: steward })
    expect(visitDeadline('reported', reported.context)?.stage).toBe('report_confirmation')
    const [done] = transition(visitMachine, reported, { type: 'CONFIRM_REPORT', actor: contact })
    expect(done.value).toBe('report_confirmed')
    expect(done.status).toBe('done')
  })

  it('cancelling needs a reason', () => {
    const [visit] = proposed()
    expect(visit.can({ type: 'CANCEL', actor: steward, reason: ' ' })).toBe(false)
    const [cancelled] = transition(visitMachine, visit, {
      type: 'CANCEL',
      actor: steward,
      reason: '企业停产检修',
    })
    expect(cancelled.value).toBe('cancelled')
  })
})

describe('needs-list machine after pairing', () => {
  it('accepts a second visit and further outcomes (transitions that stay in their state)', () => {
    const paired = needsListMachine.resolveState({
      value: 'paired',
      context: { ...initialTransition(needsListMachine)[0].context, stewardId: 3 },
    })
    const [inService] = transition(needsListMachine, paired, {
      type: 'SCHEDULE_VISIT',
      actor: steward,
      visitId: 1,
    })
    expect(inService.value).toBe('in_service')
    expect(inService.can({ type: 'SCHEDULE_VISIT', actor: steward, visitId: 2 })).toBe(true)
    const [outcomes] = transition(needsListMachine, inService, {
      type: 'RECORD_OUTCOME',
      actor: steward,
      itemId: 1,
    })
    expect(outcomes.value).toBe('outcomes')
    expect(outcomes.can({ type: 'RECORD_OUTCOME', actor: steward, itemId: 2 })).toBe(true)
    expect(outcomes.can({ type: 'SCHEDULE_VISIT', actor: steward, visitId: 3 })).toBe(true)
    expect(outcomes.can({ type: 'RECORD_OUTCOME', actor: contact, itemId: 2 })).toBe(false)
  })
})
