import type { AnyStateMachine } from 'xstate'
import type { DbOrTrx } from '#db/client.server.ts'
import { findInvitation, setInvitationStatus } from '#db/queries/invitations.ts'
import { findNeedsList, setNeedsListStatus } from '#db/queries/needs-lists.ts'
import { findVisit, setVisitStatus } from '#db/queries/visits.ts'
import {
  INVITATION_MACHINE_ID,
  INVITATION_MACHINE_VERSION,
  invitationDeadline,
  invitationMachine,
} from './machines/invitation.machine.ts'
import {
  currentDeadline,
  NEEDS_LIST_MACHINE_ID,
  NEEDS_LIST_MACHINE_VERSION,
  needsListMachine,
} from './machines/needs-list.machine.ts'
import {
  VISIT_MACHINE_ID,
  VISIT_MACHINE_VERSION,
  visitDeadline,
  visitMachine,
} from './machines/visit.machine.ts'

export interface SubjectSummary {
  title: string
  orgPath: string
  enterpriseId: number | null
  link: string
}

/** What dispatch needs to know about each kind of workflow subject. */
export interface WorkflowDefinition {
  machine: AnyStateMachine
  machineId: string
  machineVersion: number
  /** Upgrades a snapshot stored by an older machine version, one version at a time. */
  upgrade: Record<number, (persisted: PersistedSnapshot) => PersistedSnapshot>
  /** Mirrors the state (and what queues need of the context) onto the subject row, same transaction. */
  onState: (db: DbOrTrx, subjectId: number, next: StateChange, now: Date) => Promise<unknown>
  describe: (db: DbOrTrx, subjectId: number) => Promise<SubjectSummary | undefined>
  /**
   * The deadline (SLA stage and stage entry) a state is under, if any. When it
   * changes, dispatch cancels the workflow's pending timers.
   */
  deadlineOf?: (state: string, context: Record<string, unknown>) => DeadlineRef | null
  /**
   * Work that follows a transition in the same transaction, through the
   * commands (e.g. a declined or lapsed invitation asks the next candidate).
   */
  afterTransition?: (
    db: DbOrTrx,
    subjectId: number,
    change: Transitioned,
    now: Date,
  ) => Promise<void>
}

export interface Transitioned {
  fromState: string
  state: string
  eventType: string
  context: Record<string, unknown>
}

export interface DeadlineRef {
  stage: string
  entry: number
}

export interface StateChange {
  state: string
  /** False for transitions that stay in the same state. */
  changed: boolean
  context: Record<string, unknown>
  /**
   * The breach time of the deadline the case is now under (null: none) when
   * the deadline changed; undefined when it did not.
   */
  dueAt?: Date | null
}

export interface PersistedSnapshot {
  value: unknown
  context: Record<string, unknown>
  [key: string]: unknown
}

export const workflows: Record<string, WorkflowDefinition> = {
  needs_list: {
    machine: needsListMachine,
    machineId: NEEDS_LIST_MACHINE_ID,
    machineVersion: NEEDS_LIST_MACHINE_VERSION,
    upgrade: {
      // v2 remembers which round's triage timer already fired.
      1: (p) => ({ ...p, context: { overdueRound: 0, ...p.context } }),
      // v3: 'accepted' became 'awaiting_steward'; stewards, rejection and confirmation joined.
      2: (p) => ({
        ...p,
        value: p.value === 'accepted' ? 'awaiting_steward' : p.value,
        context: {
          closeReason: null,
          stewardId: null,
          proposedRevision: null,
          approvedRevision: null,
          ...p.context,
        },
      }),
      // v4: stage deadlines (reminder and breach per stage entry) replace the triage timer.
      // A snapshot in a deadline stage has no timers of the new kind; an old
      // TRIAGE_OVERDUE job is no longer an event of the machine and is dropped.
      3: (p) => {
        const { overdueRound: _old, ...context } = p.context
        return { ...p, context: { stageEntry: 0, deadlinesFired: [], ...context } }
      },
      // v6: visits, outcomes, feedback, closing and the archive.
      5: (p) => ({ ...p, context: { closeKind: null, ...p.context } }),
      // v5: matching, invitations, pairing and the agreement.
      4: (p) => ({
        ...p,
        context: {
          matchingRuns: 0,
          pairedUserIds: [],
          agreementId: null,
          agreementConfirmedBy: [],
          ...p.context,
        },
      }),
    },
    onState: (db, id, next, now) =>
      setNeedsListStatus(db, id, {
        status: next.state,
        changed: next.changed,
        stewardId: (next.context.stewardId as number | null | undefined) ?? null,
        dueAt: next.dueAt,
        now,
      }),
    deadlineOf: currentDeadline,
    // Imported on use: the commands import dispatch, which imports this registry.
    afterTransition: async (db, id, change, now) =>
      (await import('./commands/archive.ts')).afterNeedsListTransition(db, id, change, now),
    describe: async (db, id) => {
      const list = await findNeedsList(db, id)
      return (
        list && {
          title: list.title,
          orgPath: list.orgPath,
          enterpriseId: list.enterprise_id,
          link: `/needs-lists/${id}`,
        }
      )
    },
  },
}

workflows.invitation = {
  machine: invitationMachine,
  machineId: INVITATION_MACHINE_ID,
  machineVersion: INVITATION_MACHINE_VERSION,
  upgrade: {},
  onState: (db, id, next, now) =>
    setInvitationStatus(db, id, {
      status: next.state,
      changed: next.changed,
      reason: (next.context.reason as string | null | undefined) ?? null,
      dueAt: next.dueAt,
      now,
    }),
  deadlineOf: invitationDeadline,
  // Imported on use: the commands import dispatch, which imports this registry.
  afterTransition: async (db, id, change, now) =>
    (await import('./commands/invitations.ts')).afterInvitationTransition(db, id, change, now),
  describe: async (db, id) => {
    const inv = await findInvitation(db, id)
    return (
      inv && {
        title: `${inv.listTitle} · ${inv.itemTitle}`,
        orgPath: inv.orgPath,
        enterpriseId: inv.enterpriseId,
        link: `/my-invitations/${id}`,
      }
    )
  },
}

workflows.visit = {
  machine: visitMachine,
  machineId: VISIT_MACHINE_ID,
  machineVersion: VISIT_MACHINE_VERSION,
  upgrade: {},
  onState: (db, id, next, now) =>
    setVisitStatus(db, id, {
      status: next.state,
      cancelReason: (next.context.cancelReason as string | null | undefined) ?? null,
      counterStartsAt: (next.context.counterStartsAt as string | null | undefined) ?? null,
      dueAt: next.dueAt,
      now,
    }),
  deadlineOf: visitDeadline,
  describe: async (db, id) => {
    const visit = await findVisit(db, id)
    return (
      visit && {
        title: `${visit.listTitle} · #${visit.sequence}`,
        orgPath: visit.orgPath,
        enterpriseId: visit.enterpriseId,
        link: `/visits/${id}`,
      }
    )
  },
}

export type SubjectType = keyof typeof workflows
