import { and, assign, setup } from 'xstate'
import type { Actor } from '../actor.ts'
import { effectActions, type NotifyParams } from '../effects.ts'
import type { DeadlinePhase, SlaStage } from '../sla.ts'
import { deadlineTimer, isDeadlineDue, nextStageEntry, withFired } from './deadline-kit.ts'

export const NEEDS_LIST_MACHINE_ID = 'needs-list'
/** Bump when states or context change shape; stored with every snapshot. */
export const NEEDS_LIST_MACHINE_VERSION = 6

export interface NeedsListContext {
  /** Submission round: 1 on first submission, +1 on each resubmission or routing. */
  round: number
  /** Why the union returned the list (shown to the enterprise until it resubmits). */
  returnReason: string | null
  /** Why the list was rejected or withdrawn. */
  closeReason: string | null
  /** Content edits so far; EDIT must change something for xstate to count it as allowed. */
  edits: number
  /**
   * Entries into stages with a deadline so far. Every timer names the entry it
   * was scheduled for, so a timer of an earlier entry (of any stage) is stale.
   */
  stageEntry: number
  /** Deadline phases already fired in the current stage entry: a redelivered timer must not remind twice. */
  deadlinesFired: DeadlinePhase[]
  /** The case's dedicated steward (专属管家). */
  stewardId: number | null
  /** The confirmed-needs revision last sent to the enterprise for approval. */
  proposedRevision: number | null
  /** The revision the enterprise approved. */
  approvedRevision: number | null
  /** Matching runs so far (each one rebuilds the proposals of the resource list). */
  matchingRuns: number
  /** Sign-ins of the paired experts (team leaders for teams), fixed when the pairing is confirmed. */
  pairedUserIds: number[]
  /** The pairing service agreement, once generated. */
  agreementId: number | null
  /** Who confirmed the agreement: 'enterprise', 'steward', 'expert:<userId>'. */
  agreementConfirmedBy: string[]
  /** How the case closed: the enterprise rated it, or the feedback deadline passed. */
  closeKind: 'rated' | 'feedback_timeout' | null
}

export type NeedsListEvent =
  | { type: 'EDIT'; actor: Actor }
  | { type: 'SUBMIT'; actor: Actor }
  | { type: 'WITHDRAW'; actor: Actor; reason?: string }
  | { type: 'ACCEPT'; actor: Actor; stewardId: number | null }
  | { type: 'RETURN'; actor: Actor; reason: string }
  | { type: 'REJECT'; actor: Actor; reason: string }
  | { type: 'ROUTE'; actor: Actor; toOrgId: number; reason?: string }
  | { type: 'ASSIGN_STEWARD'; actor: Actor; stewardId: number; reason?: string }
  | { type: 'REVISE'; actor: Actor; revision: number }
  | { type: 'PROPOSE'; actor: Actor; revision: number }
  | { type: 'APPROVE'; actor: Actor; revision: number }
  | { type: 'COMMENT'; actor: Actor; comment: string }
  | { type: 'DEADLINE'; actor: Actor; stage: string; phase: DeadlinePhase; entry: number }
  | { type: 'MATCH'; actor: Actor; runId: number; proposals: number }
  | { type: 'SEND_INVITATIONS'; actor: Actor; invitations: number }
  | { type: 'SCHEDULE_MEETING'; actor: Actor; meetingId: number; accepted: number }
  | { type: 'CANCEL_MEETING'; actor: Actor; reason: string }
  | { type: 'CONFIRM_PAIRING'; actor: Actor; pairings: number; expertUserIds: number[] }
  | { type: 'GENERATE_AGREEMENT'; actor: Actor; agreementId: number }
  | { type: 'CONFIRM_AGREEMENT'; actor: Actor; agreementId: number }
  | { type: 'SCHEDULE_VISIT'; actor: Actor; visitId: number }
  | { type: 'RECORD_OUTCOME'; actor: Actor; itemId: number }
  /** `complete`: every confirmed item has an outcome and no visit awaits its report (the command checks). */
  | { type: 'REQUEST_FEEDBACK'; actor: Actor; complete: boolean }
  | { type: 'RATE'; actor: Actor; average: number }
  | { type: 'ARCHIVE'; actor: Actor }

/** The states that carry a deadline, and which SLA stage (workflows/sla.ts) each one is. */
export const DEADLINE_STAGE_OF_STATE = {
  submitted: 'triage',
  awaiting_steward: 'steward_assignment',
  confirming: 'needs_confirmation',
  awaiting_approval: 'enterprise_approval',
  paired: 'visit_scheduling',
  feedback: 'feedback',
} as const satisfies Partial<Record<NeedsListState, SlaStage>>

type DeadlineStage = (typeof DEADLINE_STAGE_OF_STATE)[keyof typeof DEADLINE_STAGE_OF_STATE]

/** The deadline the case is under now (its stage and stage entry), or null. */
export function currentDeadline(
  state: string,
  context: { stageEntry?: unknown },
): { stage: SlaStage; entry: number } | null {
  const stage = (DEADLINE_STAGE_OF_STATE as Record<string, SlaStage | undefined>)[state]
  return stage ? { stage, entry: Number(context.stageEntry ?? 0) } : null
}

type Recipients = Pick<NotifyParams, 'audience' | 'userIds'>
const stewardOfCase = (context: NeedsListContext): Recipients => ({
  audience: 'users',
  userIds: context.stewardId === null ? [] : [context.stewardId],
})

/**
 * Who owns each deadline stage (reminded before the deadline and at breach)
 * and who is escalated to at breach: the next level up.
 */
export const DEADLINE_PARTIES: Record<
  DeadlineStage,
  { owner: (c: NeedsListContext) => Recipients; escalation: (c: NeedsListContext) => Recipients }
> = {
  triage: {
    owner: () => ({ audience: 'coordinators' }),
    escalation: () => ({ audience: 'admins' }),
  },
  steward_assignment: {
    owner: () => ({ audience: 'coordinators' }),
    escalation: () => ({ audience: 'admins' }),
  },
  needs_confirmation: { owner: stewardOfCase, escalation: () => ({ audience: 'coordinators' }) },
  enterprise_approval: { owner: () => ({ audience: 'enterprise' }), escalation: stewardOfCase },
  visit_scheduling: { owner: stewardOfCase, escalation: () => ({ audience: 'coordinators' }) },
  feedback: { owner: () => ({ audience: 'enterprise' }), escalation: stewardOfCase },
}

/** Entry actions of a deadline stage: a new stage entry, its reminder and its breach timer. */
function enterDeadlineStage(stage: DeadlineStage) {
  return [
    { type: 'enterStage' as const },
    deadlineTimer(stage, 'remind'),
    deadlineTimer(stage, 'breach'),
  ] as const
}

const notifyParty = (stage: DeadlineStage, party: 'owner' | 'escalation', kind: string) => ({
  type: 'notify' as const,
  params: ({ context }: { context: NeedsListContext }): NotifyParams => ({
    kind,
    ...DEADLINE_PARTIES[stage][party](context),
    data: { stage },
  }),
})

/**
 * A fired timer of the current stage entry: before the deadline the owner is
 * reminded; at breach the owner is reminded again and the next level is told.
 */
function deadlineTransitions(stage: DeadlineStage) {
  return [
    {
      guard: { type: 'deadlineDue' as const, params: { stage, phase: 'remind' as const } },
      actions: [
        { type: 'markDeadlineFired' as const },
        notifyParty(stage, 'owner', `deadline.${stage}.remind`),
      ],
    },
    {
      guard: { type: 'deadlineDue' as const, params: { stage, phase: 'breach' as const } },
      actions: [
        { type: 'markDeadlineFired' as const },
        notifyParty(stage, 'owner', `deadline.${stage}.breach`),
        notifyParty(stage, 'escalation', `deadline.${stage}.escalated`),
      ],
    },
  ]
}

// Sent when a steward takes the case on, not when an enterprise comment sends it back.
const notifyStewardToConfirm = {
  type: 'notify',
  params: ({ context }: { context: NeedsListContext }) => ({
    kind: 'needsList.confirming',
    audience: 'users' as const,
    userIds: context.stewardId === null ? [] : [context.stewardId],
  }),
} as const

/** The party an actor confirms the agreement as, or null when they are not one. */
export function agreementParty(
  context: Pick<NeedsListContext, 'stewardId' | 'pairedUserIds'>,
  actor: Actor,
): string | null {
  if (actor.role === 'enterprise_contact') return 'enterprise'
  if (actor.role === 'steward' && actor.userId !== null && actor.userId === context.stewardId) {
    return 'steward'
  }
  if (
    actor.role === 'expert' &&
    actor.userId !== null &&
    context.pairedUserIds.includes(actor.userId)
  ) {
    return `expert:${actor.userId}`
  }
  return null
}

const stewardOnly = ({ context }: { context: NeedsListContext }) => ({
  audience: 'users' as const,
  userIds: context.stewardId === null ? [] : [context.stewardId],
})

/** The agreement can be generated and confirmed from the pairing until outcomes are in. */
const agreementTransitions = {
  GENERATE_AGREEMENT: {
    guard: 'byCaseSteward',
    actions: [
      'recordAgreement',
      { type: 'notify', params: { kind: 'needsList.agreementReady', audience: 'enterprise' } },
      {
        type: 'notify',
        params: ({ context }: { context: NeedsListContext }): NotifyParams => ({
          kind: 'needsList.agreementReady',
          audience: 'users',
          userIds: context.pairedUserIds,
        }),
      },
    ],
  },
  CONFIRM_AGREEMENT: { guard: 'canConfirmAgreement', actions: 'recordAgreementConfirmation' },
} as const

const nonBlank = (s: unknown) => typeof s === 'string' && s.trim().length > 0

// A transition that stays in its state must do something, or xstate's can()
// refuses it: more invitations, or a rescheduled meeting, tell the enterprise.
const notifyInvitationsSent = {
  type: 'notify',
  params: { kind: 'needsList.invitationsSent', audience: 'enterprise' },
} as const
const notifyMeetingScheduled = {
  type: 'notify',
  params: { kind: 'needsList.meetingScheduled', audience: 'enterprise' },
} as const

export const needsListMachine = setup({
  types: {
    context: {} as NeedsListContext,
    events: {} as NeedsListEvent,
  },
  actions: {
    ...effectActions,
    countEdit: assign({ edits: ({ context }) => context.edits + 1 }),
    enterStage: assign(({ context }) => nextStageEntry(context)),
    recordAgreement: assign({
      agreementId: ({ context, event }) =>
        event.type === 'GENERATE_AGREEMENT' ? event.agreementId : context.agreementId,
      agreementConfirmedBy: () => [],
    }),
    recordAgreementConfirmation: assign({
      agreementConfirmedBy: ({ context, event }) => {
        const party = agreementParty(context, event.actor)
        return party ? [...context.agreementConfirmedBy, party] : context.agreementConfirmedBy
      },
    }),
    countMatchingRun: assign({ matchingRuns: ({ context }) => context.matchingRuns + 1 }),
    markDeadlineFired: assign({
      deadlinesFired: ({ context, event }) => withFired(context, event),
    }),
  },
  guards: {
    byEnterprise: ({ event }) => event.actor.role === 'enterprise_contact',
    byCoordinator: ({ event }) =>
      event.actor.role === 'coordinator' || event.actor.role === 'federation_admin',
    /** Only the case's own steward works on its needs confirmation. */
    byCaseSteward: ({ context, event }) =>
      event.actor.role === 'steward' &&
      event.actor.userId !== null &&
      event.actor.userId === context.stewardId,
    deadlineDue: ({ context, event }, params: { stage: DeadlineStage; phase: DeadlinePhase }) =>
      isDeadlineDue(context, event, params.stage, params.phase),
    /** The steward, or a coordinator batch-matching every list of their subtree. */
    byStewardOrCoordinator: ({ context, event }) =>
      (event.actor.role === 'steward' && event.actor.userId === context.stewardId) ||
      event.actor.role === 'coordinator' ||
      event.actor.role === 'federation_admin',
    hasProposals: ({ event }) => event.type === 'MATCH' && event.proposals > 0,
    hasInvitations: ({ event }) => event.type === 'SEND_INVITATIONS' && event.invitations > 0,
    hasAcceptance: ({ event }) => event.type === 'SCHEDULE_MEETING' && event.accepted > 0,
    hasPairings: ({ event }) => event.type === 'CONFIRM_PAIRING' && event.pairings > 0,
    /** Enterprise, case steward or a paired expert, each confirming the current agreement once. */
    canConfirmAgreement: ({ context, event }) => {
      if (event.type !== 'CONFIRM_AGREEMENT' || event.agreementId !== context.agreementId) {
        return false
      }
      const party = agreementParty(context, event.actor)
      return party !== null && !context.agreementConfirmedBy.includes(party)
    },
    isComplete: ({ event }) => event.type === 'REQUEST_FEEDBACK' && event.complete,
    validRating: ({ event }) =>
      event.type === 'RATE' &&
      Number.isFinite(event.average) &&
      event.average >= 1 &&
      event.average <= 5,
    bySystem: ({ event }) => event.actor.role === 'system',
    hasReason: ({ event }) => 'reason' in event && nonBlank(event.reason),
    hasComment: ({ event }) => event.type === 'COMMENT' && nonBlank(event.comment),
    withSteward: ({ event }) => event.type === 'ACCEPT' && typeof event.stewardId === 'number',
    isNewSteward: ({ context, event }) =>
      event.type === 'ASSIGN_STEWARD' && event.stewardId !== context.stewardId,
    isProposedRevision: ({ context, event }) =>
      event.type === 'APPROVE' && event.revision === context.proposedRevision,
  },
}).createMachine({
  id: NEEDS_LIST_MACHINE_ID,
  initial: 'draft',
  context: {
    round: 0,
    returnReason: null,
    closeReason: null,
    edits: 0,
    stageEntry: 0,
    deadlinesFired: [],
    stewardId: null,
    proposedRevision: null,
    approvedRevision: null,
    matchingRuns: 0,
    pairedUserIds: [],
    agreementId: null,
    agreementConfirmedBy: [],
    closeKind: null,
  },
  states: {
    draft: {
      on: {
        EDIT: { guard: 'byEnterprise', actions: 'countEdit' },
        SUBMIT: { guard: 'byEnterprise', target: 'submitted' },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    submitted: {
      entry: [
        assign({ round: ({ context }) => context.round + 1, returnReason: null }),
        {
          type: 'notify',
          params: ({ context, event }) => ({
            kind:
              event.type === 'ROUTE'
                ? 'needsList.routed'
                : context.round > 1
                  ? 'needsList.resubmitted'
                  : 'needsList.submitted',
            audience: 'coordinators' as const,
          }),
        },
        ...enterDeadlineStage('triage'),
      ],
      on: {
        ACCEPT: [
          {
            guard: and(['byCoordinator', 'withSteward']),
            target: 'confirming',
            actions: [
              assign({
                stewardId: ({ event }) => (event.type === 'ACCEPT' ? event.stewardId : null),
              }),
              notifyStewardToConfirm,
            ],
          },
          { guard: 'byCoordinator', target: 'awaiting_steward' },
        ],
        RETURN: {
          guard: and(['byCoordinator', 'hasReason']),
          target: 'returned',
          actions: assign({
            returnReason: ({ event }) => (event.type === 'RETURN' ? event.reason.trim() : null),
          }),
        },
        REJECT: {
          guard: and(['byCoordinator', 'hasReason']),
          target: 'rejected',
          actions: assign({
            closeReason: ({ event }) => (event.type === 'REJECT' ? event.reason.trim() : null),
          }),
        },
        // Routed to another org's intake desk: a new triage round there.
        ROUTE: { guard: 'byCoordinator', target: 'submitted', reenter: true },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
        DEADLINE: deadlineTransitions('triage'),
      },
    },
    returned: {
      entry: {
        type: 'notify',
        params: ({ context }) => ({
          kind: 'needsList.returned',
          audience: 'enterprise' as const,
          data: { reason: context.returnReason },
        }),
      },
      on: {
        EDIT: { guard: 'byEnterprise', actions: 'countEdit' },
        SUBMIT: { guard: 'byEnterprise', target: 'submitted' },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    rejected: {
      type: 'final',
      entry: {
        type: 'notify',
        params: ({ context }) => ({
          kind: 'needsList.rejected',
          audience: 'enterprise' as const,
          data: { reason: context.closeReason },
        }),
      },
    },
    withdrawn: {
      type: 'final',
      entry: [
        assign({
          closeReason: ({ event }) =>
            event.type === 'WITHDRAW' && nonBlank(event.reason)
              ? (event.reason ?? '').trim()
              : null,
        }),
      ],
    },
    awaiting_steward: {
      entry: [
        { type: 'notify', params: { kind: 'needsList.accepted', audience: 'enterprise' } },
        ...enterDeadlineStage('steward_assignment'),
      ],
      on: {
        ASSIGN_STEWARD: {
          guard: 'byCoordinator',
          target: 'confirming',
          actions: [
            assign({
              stewardId: ({ event }) => (event.type === 'ASSIGN_STEWARD' ? event.stewardId : null),
            }),
            notifyStewardToConfirm,
          ],
        },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
        DEADLINE: deadlineTransitions('steward_assignment'),
      },
    },
    confirming: {
      // Also entered again when the enterprise comments: a fresh deadline then.
      entry: [...enterDeadlineStage('needs_confirmation')],
      on: {
        REVISE: { guard: 'byCaseSteward', actions: 'countEdit' },
        PROPOSE: {
          guard: 'byCaseSteward',
          target: 'awaiting_approval',
          actions: assign({
            proposedRevision: ({ event }) => (event.type === 'PROPOSE' ? event.revision : null),
          }),
        },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
        DEADLINE: deadlineTransitions('needs_confirmation'),
      },
    },
    awaiting_approval: {
      entry: [
        { type: 'notify', params: { kind: 'needsList.awaitingApproval', audience: 'enterprise' } },
        ...enterDeadlineStage('enterprise_approval'),
      ],
      on: {
        APPROVE: {
          guard: and(['byEnterprise', 'isProposedRevision']),
          target: 'ready_for_matching',
          actions: assign({
            approvedRevision: ({ event }) => (event.type === 'APPROVE' ? event.revision : null),
          }),
        },
        COMMENT: {
          guard: and(['byEnterprise', 'hasComment']),
          target: 'confirming',
          actions: {
            type: 'notify',
            params: ({ context }) => ({
              kind: 'needsList.commented',
              audience: 'users' as const,
              userIds: context.stewardId === null ? [] : [context.stewardId],
            }),
          },
        },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
        DEADLINE: deadlineTransitions('enterprise_approval'),
      },
    },
    ready_for_matching: {
      entry: {
        type: 'notify',
        params: ({ context }) => ({
          kind: 'needsList.readyForMatching',
          ...stewardOnly({ context }),
        }),
      },
      on: {
        MATCH: {
          guard: and(['byStewardOrCoordinator', 'hasProposals']),
          target: 'matching',
          actions: 'countMatchingRun',
        },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    // The resource list is drafted: the steward reviews, pins, excludes and re-runs.
    matching: {
      on: {
        MATCH: { guard: 'byStewardOrCoordinator', actions: 'countMatchingRun' },
        SEND_INVITATIONS: { guard: and(['byCaseSteward', 'hasInvitations']), target: 'inviting' },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    // Invitations are out; answers arrive on the invitations' own workflows.
    inviting: {
      entry: {
        type: 'notify',
        params: { kind: 'needsList.invitationsSent', audience: 'enterprise' },
      },
      on: {
        MATCH: { guard: 'byStewardOrCoordinator', actions: 'countMatchingRun' },
        SEND_INVITATIONS: {
          guard: and(['byCaseSteward', 'hasInvitations']),
          actions: notifyInvitationsSent,
        },
        SCHEDULE_MEETING: { guard: and(['byCaseSteward', 'hasAcceptance']), target: 'pairing' },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    // The pairing meeting (专项会议) is scheduled; the pairing is confirmed there.
    pairing: {
      entry: {
        type: 'notify',
        params: { kind: 'needsList.meetingScheduled', audience: 'enterprise' },
      },
      on: {
        SCHEDULE_MEETING: {
          guard: and(['byCaseSteward', 'hasAcceptance']),
          actions: notifyMeetingScheduled,
        },
        SEND_INVITATIONS: {
          guard: and(['byCaseSteward', 'hasInvitations']),
          actions: notifyInvitationsSent,
        },
        CANCEL_MEETING: { guard: and(['byCaseSteward', 'hasReason']), target: 'inviting' },
        MATCH: { guard: 'byStewardOrCoordinator', actions: 'countMatchingRun' },
        CONFIRM_PAIRING: {
          guard: and(['byCaseSteward', 'hasPairings']),
          target: 'paired',
          actions: assign({
            pairedUserIds: ({ event }) =>
              event.type === 'CONFIRM_PAIRING' ? [...new Set(event.expertUserIds)] : [],
          }),
        },
        WITHDRAW: { guard: 'byEnterprise', target: 'withdrawn' },
      },
    },
    // One-to-one pairing (一一配对) confirmed; the agreement is generated and
    // confirmed, and the first visit is due to be scheduled.
    paired: {
      entry: [
        { type: 'notify', params: { kind: 'needsList.paired', audience: 'enterprise' } },
        {
          type: 'notify',
          params: ({ context }) => ({
            kind: 'needsList.paired',
            audience: 'users' as const,
            userIds: context.pairedUserIds,
          }),
        },
        ...enterDeadlineStage('visit_scheduling'),
      ],
      on: {
        ...agreementTransitions,
        SCHEDULE_VISIT: { guard: 'byCaseSteward', target: 'in_service' },
        // A remote-only item may be solved without a visit.
        RECORD_OUTCOME: { guard: 'byCaseSteward', target: 'outcomes' },
        DEADLINE: deadlineTransitions('visit_scheduling'),
      },
    },
    // Visits (inspections, follow-ups, training) go on, each on its own workflow.
    in_service: {
      on: {
        ...agreementTransitions,
        // Targets of their own state: xstate's can() refuses a transition that does nothing.
        SCHEDULE_VISIT: { guard: 'byCaseSteward', target: 'in_service' },
        RECORD_OUTCOME: { guard: 'byCaseSteward', target: 'outcomes' },
      },
    },
    // Outcomes per need item are being recorded; follow-up visits may still come.
    outcomes: {
      on: {
        ...agreementTransitions,
        SCHEDULE_VISIT: { guard: 'byCaseSteward', target: 'outcomes' },
        RECORD_OUTCOME: { guard: 'byCaseSteward', target: 'outcomes' },
        REQUEST_FEEDBACK: { guard: and(['byCaseSteward', 'isComplete']), target: 'feedback' },
      },
    },
    // The enterprise rates the service; without a rating the case closes at the deadline.
    feedback: {
      entry: [
        { type: 'notify', params: { kind: 'needsList.feedbackRequested', audience: 'enterprise' } },
        ...enterDeadlineStage('feedback'),
      ],
      on: {
        RECORD_OUTCOME: { guard: 'byCaseSteward', target: 'feedback' },
        RATE: {
          guard: and(['byEnterprise', 'validRating']),
          target: 'closed',
          actions: assign({ closeKind: () => 'rated' as const }),
        },
        DEADLINE: [
          {
            guard: { type: 'deadlineDue', params: { stage: 'feedback', phase: 'remind' } },
            actions: [
              { type: 'markDeadlineFired' },
              notifyParty('feedback', 'owner', 'deadline.feedback.remind'),
            ],
          },
          {
            guard: { type: 'deadlineDue', params: { stage: 'feedback', phase: 'breach' } },
            target: 'closed',
            actions: [
              { type: 'markDeadlineFired' },
              assign({ closeKind: () => 'feedback_timeout' as const }),
            ],
          },
        ],
      },
    },
    // Closed: the archive is written in the same transaction (ARCHIVE from the system).
    closed: {
      entry: [
        {
          type: 'notify',
          params: ({ context }) => ({
            kind: 'needsList.closed',
            audience: 'enterprise' as const,
            data: { closeKind: context.closeKind },
          }),
        },
        {
          type: 'notify',
          params: ({ context }) => ({
            kind: 'needsList.closed',
            ...stewardOnly({ context }),
            data: { closeKind: context.closeKind },
          }),
        },
      ],
      on: { ARCHIVE: { guard: 'bySystem', target: 'archived' } },
    },
    archived: { type: 'final' },
  },
  // Reassigning the enterprise's steward follows every open case to the new one.
  on: {
    ASSIGN_STEWARD: {
      guard: and(['byCoordinator', 'isNewSteward']),
      actions: [
        assign({
          stewardId: ({ event }) => (event.type === 'ASSIGN_STEWARD' ? event.stewardId : null),
        }),
        {
          type: 'notify',
          params: ({ event }) => ({
            kind: 'needsList.stewardAssigned',
            audience: 'users' as const,
            userIds: event.type === 'ASSIGN_STEWARD' ? [event.stewardId] : [],
          }),
        },
      ],
    },
  },
})

export const NEEDS_LIST_STATES = [
  'draft',
  'submitted',
  'returned',
  'rejected',
  'withdrawn',
  'awaiting_steward',
  'confirming',
  'awaiting_approval',
  'ready_for_matching',
  'matching',
  'inviting',
  'pairing',
  'paired',
  'in_service',
  'outcomes',
  'feedback',
  'closed',
  'archived',
] as const
export type NeedsListState = (typeof NEEDS_LIST_STATES)[number]
