import { and, assign, or, setup } from 'xstate'
import type { Actor } from '../actor.ts'
import { effectActions, type NotifyParams } from '../effects.ts'
import type { DeadlinePhase } from '../sla.ts'
import {
  type DeadlineTracking,
  deadlineTimer,
  isDeadlineDue,
  nextStageEntry,
  withFired,
} from './deadline-kit.ts'

export const VISIT_MACHINE_ID = 'visit'
/** Bump when states or context change shape; stored with every snapshot. */
export const VISIT_MACHINE_VERSION = 1

export interface VisitInput {
  stewardId: number | null
  /** Sign-ins of the team (experts, steward, cadre…) who may check in and record. */
  memberUserIds: number[]
  /** ISO start time, for the reminder the day before. */
  startsAt: string
}

export interface VisitContext extends VisitInput, DeadlineTracking {
  cancelReason: string | null
  /** The enterprise's proposed other time (ISO) while it waits for the steward. */
  counterStartsAt: string | null
}

export type VisitEvent =
  | { type: 'CONFIRM'; actor: Actor }
  | { type: 'COUNTER_PROPOSE'; actor: Actor; startsAt: string; note?: string }
  | { type: 'RESCHEDULE'; actor: Actor; startsAt: string; reason: string }
  | { type: 'UPDATE_TEAM'; actor: Actor; memberUserIds: number[] }
  | { type: 'CANCEL'; actor: Actor; reason: string }
  | { type: 'CHECK_IN'; actor: Actor }
  | { type: 'SUBMIT_REPORT'; actor: Actor }
  | { type: 'CONFIRM_REPORT'; actor: Actor }
  | { type: 'REMIND'; actor: Actor; entry: number }
  | { type: 'DEADLINE'; actor: Actor; stage: string; phase: DeadlinePhase; entry: number }

export const VISIT_STATES = [
  'proposed',
  'scheduled',
  'on_site',
  'reported',
  'report_confirmed',
  'cancelled',
] as const
export type VisitState = (typeof VISIT_STATES)[number]

/** States whose visit still lies ahead (conflict checks, calendars). */
export const UPCOMING_VISIT_STATES: readonly VisitState[] = ['proposed', 'scheduled']

/** The SLA stage (workflows/sla.ts) each state with a deadline is under. */
const DEADLINE_STAGE_OF_STATE: Partial<Record<VisitState, 'report' | 'report_confirmation'>> = {
  on_site: 'report',
  reported: 'report_confirmation',
}
export const VISIT_DEADLINE_STAGES = Object.values(DEADLINE_STAGE_OF_STATE)

export function visitDeadline(
  state: string,
  context: { stageEntry?: unknown },
): { stage: string; entry: number } | null {
  const stage = DEADLINE_STAGE_OF_STATE[state as VisitState]
  return stage ? { stage, entry: Number(context.stageEntry ?? 0) } : null
}

type Recipients = Pick<NotifyParams, 'audience' | 'userIds'>
const team = (c: VisitContext): Recipients => ({ audience: 'users', userIds: c.memberUserIds })
const steward = (c: VisitContext): Recipients => ({
  audience: 'users',
  userIds: c.stewardId === null ? [] : [c.stewardId],
})
const enterprise = (): Recipients => ({ audience: 'enterprise' })

const nobody: Recipients = { audience: 'users', userIds: [] }

const tell = (kind: string, to: (c: VisitContext) => Recipients) => ({
  type: 'notify' as const,
  params: ({ context, event }: { context: VisitContext; event: VisitEvent }): NotifyParams => ({
    kind,
    // Back in 'proposed' because the enterprise asked for another time: it needs
    // no request to confirm its own proposal; the steward is told instead.
    ...(event.type === 'COUNTER_PROPOSE' && kind.startsWith('visit.proposed')
      ? nobody
      : to(context)),
    data: { startsAt: context.startsAt },
  }),
})

/** Owner reminded before the deadline; at breach the owner again and the next level. */
function deadlineTransitions(
  stage: 'report' | 'report_confirmation',
  owner: (c: VisitContext) => Recipients,
  escalation: (c: VisitContext) => Recipients,
) {
  return [
    {
      guard: { type: 'deadlineDue' as const, params: { stage, phase: 'remind' as const } },
      actions: ['markFired' as const, tell(`deadline.${stage}.remind`, owner)],
    },
    {
      guard: { type: 'deadlineDue' as const, params: { stage, phase: 'breach' as const } },
      actions: [
        'markFired' as const,
        tell(`deadline.${stage}.breach`, owner),
        tell(`deadline.${stage}.escalated`, escalation),
      ],
    },
  ]
}

const DAY_MS = 86_400_000
const nonBlank = (s: unknown) => typeof s === 'string' && s.trim().length > 0

export const visitMachine = setup({
  types: {
    context: {} as VisitContext,
    events: {} as VisitEvent,
    input: {} as VisitInput,
  },
  actions: {
    ...effectActions,
    enterStage: assign(({ context }) => nextStageEntry(context)),
    markFired: assign({ deadlinesFired: ({ context, event }) => withFired(context, event) }),
    keepCounter: assign({
      counterStartsAt: ({ event }) => (event.type === 'COUNTER_PROPOSE' ? event.startsAt : null),
    }),
    moveTo: assign({
      startsAt: ({ context, event }) =>
        event.type === 'RESCHEDULE' ? event.startsAt : context.startsAt,
      counterStartsAt: () => null,
    }),
    setTeam: assign({
      memberUserIds: ({ context, event }) =>
        event.type === 'UPDATE_TEAM' ? [...new Set(event.memberUserIds)] : context.memberUserIds,
    }),
    keepCancelReason: assign({
      cancelReason: ({ event }) => (event.type === 'CANCEL' ? event.reason.trim() : null),
    }),
  },
  guards: {
    // The command checks the contact belongs to the case's enterprise.
    byEnterprise: ({ event }) => event.actor.role === 'enterprise_contact',
    byCaseSteward: ({ context, event }) =>
      event.actor.role === 'steward' &&
      event.actor.userId !== null &&
      event.actor.userId === context.stewardId,
    byTeamMember: ({ context, event }) =>
      event.actor.userId !== null &&
      event.actor.role !== 'enterprise_contact' &&
      context.memberUserIds.includes(event.actor.userId),
    hasReason: ({ event }) => 'reason' in event && nonBlank(event.reason),
    hasTime: ({ event }) =>
      'startsAt' in event &&
      typeof event.startsAt === 'string' &&
      !Number.isNaN(Date.parse(event.startsAt)),
    reminderDue: ({ context, event }) =>
      event.type === 'REMIND' &&
      event.actor.role === 'system' &&
      event.entry === context.stageEntry,
    deadlineDue: ({ context, event }, params: { stage: string; phase: DeadlinePhase }) =>
      isDeadlineDue(context, event, params.stage, params.phase),
  },
}).createMachine({
  id: VISIT_MACHINE_ID,
  initial: 'proposed',
  context: ({ input }) => ({
    stewardId: input.stewardId,
    memberUserIds: [...new Set(input.memberUserIds)],
    startsAt: input.startsAt,
    cancelReason: null,
    counterStartsAt: null,
    stageEntry: 0,
    deadlinesFired: [],
  }),
  states: {
    // Scheduled by the steward; the enterprise confirms or proposes another time.
    proposed: {
      entry: [tell('visit.proposed', enterprise), tell('visit.proposedTeam', team)],
      on: {
        CONFIRM: { guard: 'byEnterprise', target: 'scheduled' },
        COUNTER_PROPOSE: {
          guard: and(['byEnterprise', 'hasTime']),
          actions: ['keepCounter', tell('visit.counterProposed', steward)],
        },
        RESCHEDULE: {
          guard: and(['byCaseSteward', 'hasTime', 'hasReason']),
          target: 'proposed',
          reenter: true,
          actions: 'moveTo',
        },
        UPDATE_TEAM: { guard: 'byCaseSteward', actions: 'setTeam' },
        CANCEL: {
          guard: and(['byCaseSteward', 'hasReason']),
          target: 'cancelled',
          actions: 'keepCancelReason',
        },
      },
    },
    // Confirmed by both sides; the team is reminded the day before.
    scheduled: {
      entry: [
        'enterStage',
        tell('visit.confirmed', team),
        tell('visit.confirmed', steward),
        {
          type: 'schedule',
          params: ({ context }) => ({
            event: 'REMIND',
            deadline: 'visit_day',
            at: new Date(Date.parse(context.startsAt) - DAY_MS).toISOString(),
            data: { entry: context.stageEntry },
          }),
        },
      ],
      on: {
        REMIND: { guard: 'reminderDue', actions: tell('visit.dayBefore', team) },
        CHECK_IN: { guard: or(['byTeamMember', 'byCaseSteward']), target: 'on_site' },
        // The enterprise may still ask for another time; the steward then reschedules.
        COUNTER_PROPOSE: {
          guard: and(['byEnterprise', 'hasTime']),
          target: 'proposed',
          actions: ['keepCounter', tell('visit.counterProposed', steward)],
        },
        RESCHEDULE: {
          guard: and(['byCaseSteward', 'hasTime', 'hasReason']),
          target: 'proposed',
          actions: ['moveTo', tell('visit.rescheduled', team)],
        },
        UPDATE_TEAM: { guard: 'byCaseSteward', actions: 'setTeam' },
        CANCEL: {
          guard: and(['byCaseSteward', 'hasReason']),
          target: 'cancelled',
          actions: 'keepCancelReason',
        },
      },
    },
    // Checked in: findings and measurements are recorded; the report is due.
    on_site: {
      entry: ['enterStage', deadlineTimer('report', 'remind'), deadlineTimer('report', 'breach')],
      on: {
        SUBMIT_REPORT: { guard: 'byCaseSteward', target: 'reported' },
        DEADLINE: deadlineTransitions('report', steward, () => ({ audience: 'coordinators' })),
      },
    },
    // The report waits for the enterprise's confirmation.
    reported: {
      entry: [
        'enterStage',
        tell('visit.reported', enterprise),
        deadlineTimer('report_confirmation', 'remind'),
        deadlineTimer('report_confirmation', 'breach'),
      ],
      on: {
        // A corrected report is sent again: a fresh confirmation deadline.
        SUBMIT_REPORT: { guard: 'byCaseSteward', target: 'reported', reenter: true },
        CONFIRM_REPORT: { guard: 'byEnterprise', target: 'report_confirmed' },
        DEADLINE: deadlineTransitions('report_confirmation', () => enterprise(), steward),
      },
    },
    report_confirmed: {
      type: 'final',
      entry: [tell('visit.reportConfirmed', steward), tell('visit.reportConfirmed', team)],
    },
    cancelled: {
      type: 'final',
      entry: [tell('visit.cancelled', team), tell('visit.cancelled', enterprise)],
    },
  },
})
