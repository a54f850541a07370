import { and, assign, setup } from 'xstate'
import type { Actor } from '../actor.ts'
import { effectActions } from '../effects.ts'

export const NEEDS_LIST_MACHINE_ID = 'needs-list'
/** Bump when states or context change shape; stored with every snapshot. */
export const NEEDS_LIST_MACHINE_VERSION = 2

export interface NeedsListContext {
  /** Submission round: 1 on first submission, +1 on each resubmission. */
  round: number
  returnReason: string | null
  /** Content edits so far; EDIT must change something for xstate to count it as allowed. */
  edits: number
  /** The last round whose triage timer fired: a redelivered timer job must not remind twice. */
  overdueRound: number
}

export type NeedsListEvent =
  | { type: 'EDIT'; actor: Actor }
  | { type: 'SUBMIT'; actor: Actor }
  | { type: 'ACCEPT'; actor: Actor }
  | { type: 'RETURN'; actor: Actor; reason: string }
  | { type: 'TRIAGE_OVERDUE'; actor: Actor; round: number }

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
    bySystemForThisRound: ({ context, event }) =>
      event.actor.role === 'system' &&
      event.type === 'TRIAGE_OVERDUE' &&
      event.round === context.round &&
      context.overdueRound !== event.round,
    hasReason: ({ event }) => event.type === 'RETURN' && event.reason.trim().length > 0,
  },
}).createMachine({
  id: NEEDS_LIST_MACHINE_ID,
  initial: 'draft',
  context: { round: 0, returnReason: null, edits: 0, overdueRound: 0 },
  states: {
    draft: {
      on: {
        EDIT: { guard: 'byEnterprise', actions: 'countEdit' },
        SUBMIT: { guard: 'byEnterprise', target: 'submitted' },
      },
    },
    submitted: {
      entry: [
        assign({ round: ({ context }) => context.round + 1, returnReason: null }),
        {
          type: 'notify',
          params: ({ context }) => ({
            kind: context.round > 1 ? 'needsList.resubmitted' : 'needsList.submitted',
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
        ACCEPT: { guard: 'byCoordinator', target: 'accepted' },
        RETURN: {
          guard: and(['byCoordinator', 'hasReason']),
          target: 'returned',
          actions: assign({
            returnReason: ({ event }) => (event.type === 'RETURN' ? event.reason.trim() : null),
          }),
        },
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
      },
    },
    accepted: {
      entry: { type: 'notify', params: { kind: 'needsList.accepted', audience: 'enterprise' } },
    },
  },
})

export type NeedsListState = 'draft' | 'submitted' | 'returned' | 'accepted'
