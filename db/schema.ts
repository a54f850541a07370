import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, never, never>
type Json<T = unknown> = ColumnType<T, string, string>

export const ROLES = [
  'enterprise_contact',
  'steward',
  'expert',
  'coordinator',
  'federation_admin',
] as const
export type Role = (typeof ROLES)[number]

export interface UnionOrgTable {
  id: Generated<number>
  parent_id: number | null
  name: string
  kind: string
  path: string
  depth: number
  created_at: CreatedAt
}

export interface AppUserTable {
  id: Generated<number>
  email: string
  name: string
  password_hash: string
  locale: Generated<string>
  created_at: CreatedAt
}

export interface MembershipTable {
  id: Generated<number>
  user_id: number
  org_id: number
  role: Role
  enterprise_id: number | null
  created_at: CreatedAt
}

export interface UserSessionTable {
  id: string
  user_id: number
  expires_at: Timestamp
  created_at: CreatedAt
}

export interface SignInAttemptTable {
  id: Generated<number>
  email: string
  ip: string
  succeeded: boolean
  at: Generated<Date>
}

export interface EnterpriseTable {
  id: Generated<number>
  org_id: number
  name: string
  credit_code: string | null
  district: string | null
  park: string | null
  created_at: CreatedAt
}

export interface NeedsListTable {
  id: Generated<number>
  enterprise_id: number
  org_id: number
  title: string
  status: string
  created_by: number
  submitted_at: Timestamp | null
  created_at: CreatedAt
  updated_at: Generated<Date>
}

export interface NeedItemTable {
  id: Generated<number>
  needs_list_id: number
  position: number
  category: string
  description: string
  urgency: string
  headcount: number
}

export interface WorkflowInstanceTable {
  id: Generated<number>
  subject_type: string
  subject_id: number
  machine_id: string
  machine_version: number
  state: string
  snapshot: Json
  version: number
  updated_at: Generated<Date>
}

export interface WorkflowEventTable {
  id: Generated<number>
  workflow_id: number
  subject_type: string
  subject_id: number
  event_type: string
  actor_user_id: number | null
  actor_role: string
  from_state: string | null
  to_state: string
  version: number
  payload: Json<Record<string, unknown>>
  at: Generated<Date>
}

export interface OutboxTable {
  id: Generated<number>
  queue: string
  job_name: string
  payload: Json<Record<string, unknown>>
  run_at: Timestamp
  created_at: CreatedAt
  relayed_at: Date | null
  attempts: Generated<number>
  last_error: string | null
}

export interface NotificationTable {
  id: Generated<number>
  user_id: number
  kind: string
  params: Json<Record<string, unknown>>
  link: string | null
  dedupe_key: string
  created_at: CreatedAt
  read_at: Date | null
}

export interface Database {
  union_org: UnionOrgTable
  app_user: AppUserTable
  membership: MembershipTable
  user_session: UserSessionTable
  sign_in_attempt: SignInAttemptTable
  enterprise: EnterpriseTable
  needs_list: NeedsListTable
  need_item: NeedItemTable
  workflow_instance: WorkflowInstanceTable
  workflow_event: WorkflowEventTable
  outbox: OutboxTable
  notification: NotificationTable
}

export type UnionOrg = Selectable<UnionOrgTable>
export type AppUser = Selectable<AppUserTable>
export type Membership = Selectable<MembershipTable>
export type Enterprise = Selectable<EnterpriseTable>
export type NeedsList = Selectable<NeedsListTable>
export type NeedItem = Selectable<NeedItemTable>
export type NewNeedItem = Insertable<NeedItemTable>
export type WorkflowInstance = Selectable<WorkflowInstanceTable>
export type WorkflowEvent = Selectable<WorkflowEventTable>
export type OutboxRow = Selectable<OutboxTable>
export type Notification = Selectable<NotificationTable>
