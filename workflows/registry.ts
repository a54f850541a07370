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
  /** Mirrors the new state onto the subject row (same transaction). */
  onState: (db: DbOrTrx, subjectId: number, state: string, now: Date) => Promise<unknown>
  describe: (db: DbOrTrx, subjectId: number) => Promise<SubjectSummary | undefined>
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
    },
    onState: (db, id, state, now) => setNeedsListStatus(db, id, state, now),
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
