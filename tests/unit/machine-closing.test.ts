import { describe, expect, it } from 'vitest'
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate'
import type { Actor } from '#workflows/actor.ts'
import { needsListMachine } from '#workflows/machines/needs-list.machine.ts'

// The closing path of the needs-list machine: paired → in_service → outcomes
// → feedback → closed → archived, the feedback deadline, and the refusals.

const contact: Actor = { userId: 1, role: 'enterprise_contact' }
const coordinator: Actor = { userId: 2, role: 'coordinator' }
const steward: Actor = { userId: 3, role: 'steward' }
const otherSteward: Actor = { userId: 4, role: 'steward' }
const expert: Actor = { userId: 5, role: 'expert' }
const system: Actor = { userId: null, role: 'system' }

type Event = Parameters<typeof transition<typeof needsListMachine>>[2]
type Action = { type: string; params?: unknown }

function run(snapshot: AnyMachineSnapshot, ...events: Event[]) {
  let s = snapshot
  let actions: Action[] = []
  for (const e of events) {
    if (!s.can(e)) throw new Error(`${e.type} refused in ${String(s.value)}`)
    ;[s, actions] = transition(needsListMachine, s as never, e) as [AnyMachineSnapshot, Action[]]
  }
  return { s, actions }
}

const notified = (actions: Action[]) =>
  actions
    .filter((a) => a.type === 'notify')
    .map((a) => {
      const p = a.params as { kind: string; audience: string; userIds?: number[] }
      return `${p.kind}→${p.audience}${p.userIds ? `:${p.userIds.join(',')}` : ''}`
    })
const scheduled = (actions: Action[]) =>
  actions
    .filter((a) => a.type === 'schedule')
    .map((a) => {
      const p = a.params as { deadline: string; phase?: string }
      return `${p.deadline}.${p.phase ?? 'breach'}`
    })

function paired() {
  const [draft] = initialTransition(needsListMachine)
  return run(
    draft,
    { type: 'SUBMIT', actor: contact },
    { type: 'ACCEPT', actor: coordinator, stewardId: steward.userId },
    { type: 'PROPOSE', actor: steward, revision: 1 },
    { type: 'APPROVE', actor: contact, revision: 1 },
    { type: 'MATCH', actor: steward, runId: 1, proposals: 2 },
    { type: 'SEND_INVITATIONS', actor: steward, invitations: 2 },
    { type: 'SCHEDULE_MEETING', actor: steward, meetingId: 1, accepted: 1 },
    {
      type: 'CONFIRM_PAIRING',
      actor: steward,
      pairings: 1,
      expertUserIds: [expert.userId as number],
    },
  ).s
}

const record = (itemId: number, actor: Actor = steward): Event => ({
  type: 'RECORD_OUTCOME',
  actor,
  itemId,
})
const feedbackOf = (complete: boolean, actor: Actor = steward): Event => ({
  type: 'REQUEST_FEEDBACK',
  actor,
  complete,
})
const rate = (average: number, actor: Actor = contact): Event => ({ type: 'RATE', actor, average })
const deadline = (s: AnyMachineSnapshot, phase: 'remind' | 'breach', entry?: number): Event => ({
  type: 'DEADLINE',
  actor: system,
  stage: 'feedback',
  phase,
  entry: entry ?? (s.context.stageEntry as number),
})

function inFeedback() {
  return run(
    paired(),
    { type: 'SCHEDULE_VISIT', actor: steward, visitId: 1 },
    record(1),
    feedbackOf(true),
  )
}

describe('needs-list machine: outcomes, feedback, closing and archiving', () => {
  it('a visit takes a paired case into service; the first outcome into outcomes', () => {
    const p = paired()
    expect(p.value).toBe('paired')
    const service = run(p, { type: 'SCHEDULE_VISIT', actor: steward, visitId: 1 }).s
    expect(service.value).toBe('in_service')
    const outcomes = run(service, record(1)).s
    expect(outcomes.value).toBe('outcomes')
  })

  it('a remote-only case records its outcome straight from paired', () => {
    expect(run(paired(), record(1)).s.value).toBe('outcomes')
  })

  it('only the case steward records outcomes: not the enterprise, an expert, another steward', () => {
    const service = run(paired(), { type: 'SCHEDULE_VISIT', actor: steward, visitId: 1 }).s
    for (const s of [paired(), service]) {
      expect(s.can(record(1, contact))).toBe(false)
      expect(s.can(record(1, expert))).toBe(false)
      expect(s.can(record(1, otherSteward))).toBe(false)
      expect(s.can(record(1, coordinator))).toBe(false)
      expect(s.can(record(1))).toBe(true)
    }
  })

  it('more outcomes (and corrections) may follow in outcomes and in feedback', () => {
    const outcomes = run(paired(), record(1)).s
    // A further outcome stays in outcomes; the machine must accept it.
    expect(outcomes.can(record(2))).toBe(true)
    expect(run(outcomes, record(2)).s.value).toBe('outcomes')
    // Follow-up visits may still be scheduled.
    expect(outcomes.can({ type: 'SCHEDULE_VISIT', actor: steward, visitId: 2 })).toBe(true)
    const { s: feedback } = inFeedback()
    expect(feedback.can(record(1))).toBe(true)
    expect(feedback.can(record(1, contact))).toBe(false)
    // A correction while waiting for the rating neither restarts the deadline nor re-notifies.
    const corrected = run(feedback, record(1))
    expect(corrected.s.value).toBe('feedback')
    expect(corrected.s.context.stageEntry).toBe(feedback.context.stageEntry)
    expect(scheduled(corrected.actions)).toEqual([])
    expect(notified(corrected.actions)).toEqual([])
  })

  it('feedback is requested by the case steward, only when complete', () => {
    const outcomes = run(paired(), record(1)).s
    expect(outcomes.can(feedbackOf(false))).toBe(false)
    expect(outcomes.can(feedbackOf(true, otherSteward))).toBe(false)
    expect(outcomes.can(feedbackOf(true, contact))).toBe(false)
    // Not before any outcome is in.
    expect(paired().can(feedbackOf(true))).toBe(false)
    const { s, actions } = run(outcomes, feedbackOf(true))
    expect(s.value).toBe('feedback')
    expect(notified(actions)).toEqual(['needsList.feedbackRequested→enterprise'])
    // The feedback deadline: a reminder and a breach timer of the new stage entry.
    expect(scheduled(actions)).toEqual(['feedback.remind', 'feedback.breach'])
  })

  it('the enterprise rates 1–5 and closes the case; the steward cannot rate', () => {
    const { s: feedback } = inFeedback()
    expect(feedback.can(rate(4.5, steward))).toBe(false)
    expect(feedback.can(rate(4.5, expert))).toBe(false)
    expect(feedback.can(rate(4.5, coordinator))).toBe(false)
    for (const bad of [0, 0.99, 5.01, 6, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(feedback.can(rate(bad))).toBe(false)
    }
    expect(feedback.can(rate(1))).toBe(true)
    expect(feedback.can(rate(5))).toBe(true)
    const { s: closed, actions } = run(feedback, rate(4.25))
    expect(closed.value).toBe('closed')
    expect(closed.context.closeKind).toBe('rated')
    expect(notified(actions)).toEqual([
      'needsList.closed→enterprise',
      `needsList.closed→users:${steward.userId}`,
    ])
  })

  it('no rating before feedback is requested', () => {
    const outcomes = run(paired(), record(1)).s
    expect(outcomes.can(rate(5))).toBe(false)
    expect(paired().can(rate(5))).toBe(false)
  })

  it('a closed case is archived by the system only, and archived is final', () => {
    const { s: feedback } = inFeedback()
    const closed = run(feedback, rate(5)).s
    expect(closed.can({ type: 'ARCHIVE', actor: steward })).toBe(false)
    expect(closed.can({ type: 'ARCHIVE', actor: contact })).toBe(false)
    const archived = run(closed, { type: 'ARCHIVE', actor: system }).s
    expect(archived.value).toBe('archived')
    expect(archived.status).toBe('done')
    expect(archived.can(record(1))).toBe(false)
    expect(archived.can(rate(5))).toBe(false)
    expect(closed.can(record(1))).toBe(false)
    expect(closed.can(rate(5))).toBe(false)
  })

  it('the feedback deadline reminds the enterprise, then closes the case without a rating', () => {
    const { s: feedback } = inFeedback()
    const reminded = run(feedback, deadline(feedback, 'remind'))
    expect(reminded.s.value).toBe('feedback')
    expect(notified(reminded.actions)).toEqual(['deadline.feedback.remind→enterprise'])
    // A redelivered reminder does nothing.
    expect(reminded.s.can(deadline(reminded.s, 'remind'))).toBe(false)
    const closed = run(reminded.s, deadline(reminded.s, 'breach'))
    expect(closed.s.value).toBe('closed')
    expect(closed.s.context.closeKind).toBe('feedback_timeout')
    expect(notified(closed.actions)).toEqual([
      'needsList.closed→enterprise',
      `needsList.closed→users:${steward.userId}`,
    ])
  })

  it('only the system’s timer of the current stage entry counts', () => {
    const { s: feedback } = inFeedback()
    const entry = feedback.context.stageEntry as number
    expect(feedback.can(deadline(feedback, 'breach', entry - 1))).toBe(false)
    expect(feedback.can({ ...deadline(feedback, 'breach'), actor: steward } as Event)).toBe(false)
    expect(
      feedback.can({ ...deadline(feedback, 'breach'), stage: 'visit_scheduling' } as Event),
    ).toBe(false)
    expect(feedback.can(deadline(feedback, 'breach'))).toBe(true)
  })
})
