import { and, assign, setup } from 'xstate'
import type { Actor } from '../actor.ts'
import { effectActions } from '../effects.ts'

export const NEEDS_LIST_MACHINE_ID = 'needs-list'
/** Bump when states or context change shape; stored with every snapshot. */
export const NEEDS_LIST_MACHINE_VERSION = 3

export interface NeedsListContext {
  /** Submission round: 1 on first submission, +1 on each resubmission or routing. */
  round: number
  /** Why the union returned the list (shown to the enterprise until it resubmits). */
  returnReason: string | null
  /** Why the list was rejected or withdrawn. */
  closeReason: string | null
  /** Content edits so far; EDIT must change something for xstate to count it as allowed. */
  edits: number
  /** The last round whose triage timer fired: a redelivered timer job must not remind twice. */
  overdueRound: number
  /** The case's dedicated steward (专属管家). */
  stewardId: number | null
  /** The confirmed-needs revision last sent to the enterprise for approval. */
  proposedRevision: number | null
  /** The revision the enterprise approved. */
  approvedRevision: number | null
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
  | { type: 'TRIAGE_OVERDUE'; actor: Actor; round: number }

// Sent when a steward takes the case on, not when an enterprise comment sends it back.
const notifyStewardToConfirm = {
  type: 'notify',
  params: ({ context }: { context: NeedsListContext }) => ({
    kind: 'needsList.confirming',
    audience: 'users' as const,
    userIds: context.stewardId === null ? [] : [context.stewardId],
  }),
} as const

const nonBlank = (s: unknown) => typeof s === 'string' && s.trim().length > 0

export const needsListMachine = setup({
  types: {
    context: {} as NeedsListContext,
    events: {} as NeedsListEvent,
  },
  actions: {
    ...effectActions,
    countEdit: assign({ edits: ({ context }) => context.edits + 1 }),
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
    bySystemForThisRound: ({ context, event }) =>
      event.actor.role === 'system' &&
      event.type === 'TRIAGE_OVERDUE' &&
      event.round === context.round &&
      context.overdueRound !== event.round,
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
    overdueRound: 0,
    stewardId: null,
    proposedRevision: null,
    approvedRevision: null,
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
        {
          type: 'schedule',
          params: ({ context }) => ({
            event: 'TRIAGE_OVERDUE',
            deadline: 'triage',
            data: { round: context.round },
          }),
        },
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
        TRIAGE_OVERDUE: {
          guard: 'bySystemForThisRound',
          actions: [
            assign({ overdueRound: ({ context }) => context.round }),
            {
              type: 'notify',
              params: { kind: 'needsList.triageOverdue', audience: 'coordinators' },
            },
          ],
        },
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
      entry: { type: 'notify', params: { kind: 'needsList.accepted', audience: 'enterprise' } },
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
      },
    },
    confirming: {
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
      },
    },
    awaiting_approval: {
      entry: {
        type: 'notify',
        params: { kind: 'needsList.awaitingApproval', audience: 'enterprise' },
      },
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
      },
    },
    ready_for_matching: {
      entry: {
        type: 'notify',
        params: ({ context }) => ({
          kind: 'needsList.readyForMatching',
          audience: 'users' as const,
          userIds: context.stewardId === null ? [] : [context.stewardId],
        }),
      },
    },
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
] as const
export type NeedsListState = (typeof NEEDS_LIST_STATES)[number]
