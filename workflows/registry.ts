import type { AnyStateMachine } from 'xstate'
import type { DbOrTrx } from '#db/client.server.ts'
import { findNeedsList, setNeedsListStatus } from '#db/queries/needs-lists.ts'
import {
  NEEDS_LIST_MACHINE_ID,
  NEEDS_LIST_MACHINE_VERSION,
  needsListMachine,
} from './machines/needs-list.machine.ts'

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
}

export interface StateChange {
  state: string
  /** False for transitions that stay in the same state. */
  changed: boolean
  context: Record<string, unknown>
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
    },
    onState: (db, id, next, now) =>
      setNeedsListStatus(db, id, {
        status: next.state,
        changed: next.changed,
        stewardId: (next.context.stewardId as number | null | undefined) ?? null,
        now,
      }),
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

export type SubjectType = keyof typeof workflows
