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

export const INVITATION_MACHINE_ID = 'invitation'
/** Bump when states or context change shape; stored with every snapshot. */
export const INVITATION_MACHINE_VERSION = 1

/** The SLA stage (workflows/sla.ts) of an unanswered invitation. */
export const INVITATION_DEADLINE_STAGE = 'invitation_answer'

export interface InvitationInput {
  /** The invitee's sign-in (the expert, or a team's leader); null when they have none. */
  inviteeUserId: number | null
  /** The case's steward, who may answer on the invitee's behalf (a phone call) or withdraw. */
  stewardId: number | null
}

export interface InvitationContext extends InvitationInput, DeadlineTracking {
  reason: string | null
}

export type InvitationEvent =
  | { type: 'ACCEPT'; actor: Actor }
  | { type: 'DECLINE'; actor: Actor; reason: string }
  | { type: 'WITHDRAW'; actor: Actor; reason?: string }
  | { type: 'DEADLINE'; actor: Actor; stage: string; phase: DeadlinePhase; entry: number }

export const INVITATION_STATES = ['pending', 'accepted', 'declined', 'lapsed', 'withdrawn'] as const
export type InvitationState = (typeof INVITATION_STATES)[number]

/** The deadline an invitation is under now (only while it waits for an answer). */
export function invitationDeadline(
  state: string,
  context: { stageEntry?: unknown },
): { stage: string; entry: number } | null {
  return state === 'pending'
    ? { stage: INVITATION_DEADLINE_STAGE, entry: Number(context.stageEntry ?? 0) }
    : null
}

const invitee = ({ context }: { context: InvitationContext }): NotifyParams => ({
  kind: '',
  audience: 'users',
  userIds: context.inviteeUserId === null ? [] : [context.inviteeUserId],
})
const steward = ({ context }: { context: InvitationContext }): NotifyParams => ({
  kind: '',
  audience: 'users',
  userIds: context.stewardId === null ? [] : [context.stewardId],
})
const tell = (kind: string, to: typeof invitee) => ({
  type: 'notify' as const,
  params: (args: { context: InvitationContext }): NotifyParams => ({ ...to(args), kind }),
})
const timer = (phase: DeadlinePhase) => deadlineTimer(INVITATION_DEADLINE_STAGE, phase)

const nonBlank = (s: unknown) => typeof s === 'string' && s.trim().length > 0

export const invitationMachine = setup({
  types: {
    context: {} as InvitationContext,
    events: {} as InvitationEvent,
    input: {} as InvitationInput,
  },
  actions: {
    ...effectActions,
    enterStage: assign(({ context }) => nextStageEntry(context)),
    markFired: assign({ deadlinesFired: ({ context, event }) => withFired(context, event) }),
    keepReason: assign({
      reason: ({ event }) =>
        (event.type === 'DECLINE' || event.type === 'WITHDRAW') && nonBlank(event.reason)
          ? (event.reason ?? '').trim()
          : null,
    }),
  },
  guards: {
    byInvitee: ({ context, event }) =>
      event.actor.role === 'expert' &&
      event.actor.userId !== null &&
      event.actor.userId === context.inviteeUserId,
    byCaseSteward: ({ context, event }) =>
      event.actor.role === 'steward' &&
      event.actor.userId !== null &&
      event.actor.userId === context.stewardId,
    hasReason: ({ event }) => 'reason' in event && nonBlank(event.reason),
    deadlineDue: ({ context, event }, params: { phase: DeadlinePhase }) =>
      isDeadlineDue(context, event, INVITATION_DEADLINE_STAGE, params.phase),
  },
}).createMachine({
  id: INVITATION_MACHINE_ID,
  initial: 'pending',
  context: ({ input }) => ({
    inviteeUserId: input.inviteeUserId,
    stewardId: input.stewardId,
    reason: null,
    stageEntry: 0,
    deadlinesFired: [],
  }),
  states: {
    pending: {
      entry: ['enterStage', tell('invitation.received', invitee), timer('remind'), timer('breach')],
      on: {
        ACCEPT: { guard: or(['byInvitee', 'byCaseSteward']), target: 'accepted' },
        DECLINE: {
          guard: and([or(['byInvitee', 'byCaseSteward']), 'hasReason']),
          target: 'declined',
          actions: 'keepReason',
        },
        WITHDRAW: { guard: 'byCaseSteward', target: 'withdrawn', actions: 'keepReason' },
        DEADLINE: [
          {
            guard: { type: 'deadlineDue', params: { phase: 'remind' } },
            actions: ['markFired', tell('invitation.remind', invitee)],
          },
          // Unanswered by the deadline: the invitation lapses and the next candidate is asked.
          {
            guard: { type: 'deadlineDue', params: { phase: 'breach' } },
            target: 'lapsed',
            actions: 'markFired',
          },
        ],
      },
    },
    accepted: {
      entry: tell('invitation.accepted', steward),
      on: {
        // Changing one's mind before the pairing is confirmed (the command checks the case).
        DECLINE: {
          guard: and([or(['byInvitee', 'byCaseSteward']), 'hasReason']),
          target: 'declined',
          actions: 'keepReason',
        },
        WITHDRAW: { guard: 'byCaseSteward', target: 'withdrawn', actions: 'keepReason' },
      },
    },
    declined: { type: 'final', entry: tell('invitation.declined', steward) },
    lapsed: {
      type: 'final',
      entry: [tell('invitation.lapsed', steward), tell('invitation.lapsedInvitee', invitee)],
    },
    withdrawn: { type: 'final', entry: tell('invitation.withdrawn', invitee) },
  },
})
