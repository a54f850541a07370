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
  mobile: string | null
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
  /** GB/T 4754 section letter, A to T. */
  industry: string | null
  size: 'micro' | 'small' | 'medium' | 'large' | null
  tags: ColumnType<string[], string[] | undefined, string[]>
  address: string | null
  /** The name folded for similarity checks (width, case, company-form suffixes). */
  normalized_name: string | null
  /** The enterprise's dedicated steward (专属管家), kept across its cases. */
  steward_user_id: number | null
  created_by: number | null
  created_at: CreatedAt
}

export interface EnterpriseInvitationTable {
  id: Generated<number>
  enterprise_id: number
  email: string
  name: string
  mobile: string | null
  token_hash: string
  invited_by: number
  created_at: CreatedAt
  expires_at: Timestamp
  accepted_at: Timestamp | null
  accepted_user_id: number | null
}

export interface NeedCategoryTable {
  code: string
  name_zh: string
  name_en: string
  position: Generated<number>
  active: Generated<boolean>
}

export interface SkillTable {
  id: Generated<number>
  parent_id: number | null
  level: 'domain' | 'field' | 'skill'
  code: string
  name_zh: string
  name_en: string
  path: string
  position: Generated<number>
}

export interface NeedItemSkillTable {
  need_item_id: number
  skill_id: number
}

export interface AttachmentTable {
  id: Generated<number>
  needs_list_id: number
  filename: string
  content_type: string
  size_bytes: number
  storage_key: string
  uploaded_by: number
  created_at: CreatedAt
}

export interface StewardProfileTable {
  user_id: number
  org_id: number
  capacity: Generated<number>
  districts: ColumnType<string[], string[] | undefined, string[]>
  parks: ColumnType<string[], string[] | undefined, string[]>
  industries: ColumnType<string[], string[] | undefined, string[]>
  active: Generated<boolean>
}

export interface StewardAssignmentTable {
  id: Generated<number>
  enterprise_id: number
  steward_user_id: number
  assigned_by: number
  reason: string | null
  assigned_at: Generated<Date>
  ended_at: Timestamp | null
  ended_reason: string | null
}

export interface NeedsRevisionTable {
  id: Generated<number>
  needs_list_id: number
  revision: number
  kind: 'edit' | 'proposal' | 'comment' | 'approval'
  items: Json | null
  comment: string | null
  author_user_id: number
  author_role: string
  created_at: Generated<Date>
  /** For a proposal, comment or approval: the edit revision it is about. */
  subject_revision: ColumnType<number | null, number | null | undefined, number | null>
}

export interface ConfirmedItemTable {
  id: Generated<number>
  needs_list_id: number
  revision: number
  position: number
  category: string
  title: string
  description: string
  urgency: string
  headcount: number
  window_start: ColumnType<Date | null, string | Date | null | undefined, string | Date | null>
  window_end: ColumnType<Date | null, string | Date | null | undefined, string | Date | null>
  mode: string
  place: string | null
  expected_outcome: string | null
  skill_ids: ColumnType<number[], number[] | undefined, number[]>
  source_item_ids: ColumnType<number[], number[] | undefined, number[]>
}

export interface NeedsListTable {
  id: Generated<number>
  enterprise_id: number
  org_id: number
  title: string
  status: string
  created_by: number
  submitted_at: Timestamp | null
  /** Mirror of the workflow's steward, for the steward's workspace. */
  steward_user_id: number | null
  /** When the current status began (age filters, time in stage). */
  stage_entered_at: Generated<Date>
  /** The current stage's deadline (SLA breach time), null in stages without one. */
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  archived_at: ColumnType<Date | null, Date | null | undefined, Date | null>
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
  title: Generated<string>
  window_start: ColumnType<Date | null, string | Date | null | undefined, string | Date | null>
  window_end: ColumnType<Date | null, string | Date | null | undefined, string | Date | null>
  mode: Generated<'onsite' | 'remote' | 'either'>
  place: string | null
  expected_outcome: string | null
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

export interface NotificationPreferenceTable {
  user_id: number
  email: Generated<boolean>
  sms: Generated<boolean>
  /** Minutes after midnight, Asia/Shanghai; start = end means no quiet hours. */
  quiet_start: Generated<number>
  quiet_end: Generated<number>
  quiet_on_non_working_days: Generated<boolean>
  digest: Generated<boolean>
  updated_at: Generated<Date>
}

export const DELIVERY_CHANNELS = ['email', 'sms'] as const
export type DeliveryChannelName = (typeof DELIVERY_CHANNELS)[number]
/** held: waits for the daily digest; digested: went out in one. */
export type DeliveryStatus = 'held' | 'pending' | 'sending' | 'sent' | 'failed' | 'digested'

export interface DeliveryTable {
  id: Generated<number>
  notification_id: number
  user_id: number
  channel: DeliveryChannelName
  idempotency_key: string
  status: DeliveryStatus
  not_before: Timestamp
  attempts: Generated<number>
  claim_token: string | null
  claimed_at: Timestamp | null
  sent_at: Timestamp | null
  message_id: string | null
  last_error: string | null
  digest_id: number | null
  created_at: Generated<Date>
}

export interface DigestTable {
  id: Generated<number>
  user_id: number
  /** 'YYYY-MM-DD', the Shanghai calendar day it covers. */
  digest_date: ColumnType<string, string, string>
  idempotency_key: string
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>
  item_count: number
  not_before: Timestamp
  attempts: Generated<number>
  claim_token: string | null
  claimed_at: Timestamp | null
  sent_at: Timestamp | null
  message_id: string | null
  last_error: string | null
  created_at: Generated<Date>
}

export interface RateLimitEventTable {
  id: Generated<number>
  bucket: string
  key: string
  at: Timestamp
}

export interface CalendarOverrideTable {
  /** 'YYYY-MM-DD' of the Shanghai calendar. */
  date: string
  kind: 'workday' | 'holiday'
  note: string | null
  updated_by: number | null
  updated_at: Generated<Date>
}

export interface SlaPolicyTable {
  org_id: number
  /** One of SLA_STAGES (workflows/sla.ts). */
  stage: string
  working_days: number
  remind_before_working_days: number
  updated_by: number | null
  updated_at: Generated<Date>
}

export type TimerPhase = 'remind' | 'breach'
export type TimerStatus = 'pending' | 'fired' | 'cancelled'

export interface WorkflowTimerTable {
  id: Generated<number>
  workflow_id: number
  stage: string
  entry: number
  phase: TimerPhase
  due_at: Timestamp
  outbox_id: number
  status: Generated<TimerStatus>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

type TextArray = ColumnType<string[], string[] | undefined, string[]>
type IntArray = ColumnType<number[], number[] | undefined, number[]>

export const HONOUR_LEVELS = ['national', 'provincial', 'city', 'district', 'enterprise'] as const
export type HonourLevel = (typeof HONOUR_LEVELS)[number]
export type ExpertStatus = 'active' | 'paused'

export interface ExpertTable {
  id: Generated<number>
  org_id: number
  user_id: number | null
  name: string
  gender: 'male' | 'female' | null
  mobile: string
  email: string | null
  employer: string | null
  job_title: string | null
  /** One of TECHNICAL_GRADES (workflows/talent). */
  grade: string | null
  districts: TextArray
  parks: TextArray
  /** ISO weekdays (1 = Monday) the expert can usually serve. */
  weekdays: IntArray
  capacity: Generated<number>
  status: Generated<ExpertStatus>
  bio: string | null
  created_at: CreatedAt
  updated_at: Generated<Date>
}

export interface ExpertHonourTable {
  id: Generated<number>
  expert_id: number
  type: string
  level: HonourLevel
  year: number | null
}

export interface ExpertSkillTable {
  expert_id: number
  skill_id: number
  /** 1 (basic) to 5 (master). */
  proficiency: number
}

export interface ExpertBlackoutTable {
  id: Generated<number>
  expert_id: number
  /** 'YYYY-MM-DD', inclusive. */
  starts_on: string
  ends_on: string
  note: string | null
}

export interface ServiceTeamTable {
  id: Generated<number>
  org_id: number
  name: string
  leader_expert_id: number
  capacity: Generated<number>
  status: Generated<ExpertStatus>
  bio: string | null
  created_at: CreatedAt
}

export interface ServiceTeamMemberTable {
  team_id: number
  expert_id: number
}

export interface ExpertRatingTable {
  id: Generated<number>
  expert_id: number
  enterprise_id: number
  needs_list_id: number | null
  /** numeric(3,2): pg returns it as a string. */
  score: ColumnType<string, number | string, number | string>
  rated_at: Generated<Date>
}

export interface MatchingWeightsTable {
  org_id: number
  weights: Json<Record<string, number>>
  updated_by: number | null
  updated_at: Generated<Date>
}

export interface MatchingRunTable {
  id: Generated<number>
  needs_list_id: number
  total_score: number
  unfilled: Json<unknown[]>
  stats: Json<Record<string, unknown>>
  created_by: number | null
  created_at: Generated<Date>
}

export type ProposalSource = 'engine' | 'pinned' | 'replacement' | 'volunteer' | 'manual'
export type ProposalStatus =
  | 'proposed'
  | 'invited'
  | 'accepted'
  | 'declined'
  | 'lapsed'
  | 'withdrawn'
  | 'superseded'

export interface ResourceProposalTable {
  id: Generated<number>
  needs_list_id: number
  confirmed_item_id: number
  expert_id: number | null
  team_id: number | null
  run_id: number | null
  score: number
  factors: Json<unknown[]>
  source: ProposalSource
  status: Generated<ProposalStatus>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface MatchConstraintTable {
  id: Generated<number>
  needs_list_id: number
  confirmed_item_id: number
  expert_id: number | null
  team_id: number | null
  kind: 'pin' | 'exclude'
  reason: string | null
  created_by: number | null
  created_at: Generated<Date>
}

export interface InvitationTable {
  id: Generated<number>
  proposal_id: number
  needs_list_id: number
  confirmed_item_id: number
  expert_id: number
  team_id: number | null
  /** Mirror of the invitation workflow's state. */
  status: Generated<string>
  reason: string | null
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  responded_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface PairingMeetingTable {
  id: Generated<number>
  needs_list_id: number
  held_at: Timestamp
  place: string
  attendees: Json<{ name: string; role: string }[]>
  notes: string | null
  recorded_by: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface PairingTable {
  id: Generated<number>
  needs_list_id: number
  confirmed_item_id: number
  invitation_id: number
  expert_id: number
  team_id: number | null
  decision: string | null
  created_at: Generated<Date>
}

export interface AgreementTable {
  id: Generated<number>
  needs_list_id: number
  number: string
  /** 'YYYY-MM-DD'. */
  term_start: string
  term_end: string
  content: Json<Record<string, unknown>>
  generated_by: number | null
  created_at: Generated<Date>
}

export interface AgreementConfirmationTable {
  id: Generated<number>
  agreement_id: number
  party: 'enterprise' | 'expert' | 'steward'
  user_id: number
  expert_id: number | null
  confirmed_at: Generated<Date>
}

export interface OpenChallengeTable {
  id: Generated<number>
  confirmed_item_id: number
  needs_list_id: number
  org_id: number
  note: string | null
  /** 'YYYY-MM-DD' or null (open until closed). */
  closes_on: string | null
  status: Generated<'open' | 'closed'>
  published_by: number | null
  published_at: Generated<Date>
}

export interface ChallengeVolunteerTable {
  challenge_id: number
  expert_id: number
  note: string | null
  created_at: Generated<Date>
}

export type ChecklistItemKind = 'check' | 'measurement' | 'count' | 'text'

export interface ChecklistTemplateTable {
  id: Generated<number>
  code: string
  name_zh: string
  name_en: string
  description_zh: string | null
  description_en: string | null
  category: string | null
  active: Generated<boolean>
  updated_by: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface ChecklistTemplateItemTable {
  id: Generated<number>
  template_id: number
  position: number
  section_zh: string | null
  section_en: string | null
  label_zh: string
  label_en: string
  kind: ChecklistItemKind
  unit: string | null
  min_value: number | null
  max_value: number | null
  guidance_zh: string | null
  guidance_en: string | null
}

export type VisitKind = 'inspection' | 'follow_up' | 'training'

export interface VisitTable {
  id: Generated<number>
  needs_list_id: number
  sequence: number
  kind: VisitKind
  starts_at: Timestamp
  duration_minutes: number
  place: string
  /** Mirror of the visit workflow's state. */
  status: Generated<string>
  counter_starts_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  counter_note: string | null
  cancel_reason: string | null
  checked_in_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  checked_in_by: number | null
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  created_by: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface VisitMemberTable {
  id: Generated<number>
  visit_id: number
  role: 'expert' | 'steward' | 'cadre' | 'other'
  user_id: number | null
  expert_id: number | null
  name: string
}

export interface InspectionPlanTable {
  id: Generated<number>
  visit_id: number
  version: number
  objectives: string | null
  notes: string | null
  item_ids: IntArray
  template_ids: IntArray
  created_by: number | null
  created_at: Generated<Date>
}

export interface PlanItemTable {
  id: Generated<number>
  plan_id: number
  position: number
  template_item_id: number | null
  section_zh: string | null
  section_en: string | null
  label_zh: string
  label_en: string
  kind: ChecklistItemKind
  unit: string | null
  min_value: number | null
  max_value: number | null
  guidance_zh: string | null
  guidance_en: string | null
}

export interface VisitRecordTable {
  id: Generated<number>
  visit_id: number
  plan_item_id: number
  value_number: number | null
  value_text: string | null
  passed: boolean | null
  flagged: Generated<boolean>
  note: string | null
  recorded_by: number | null
  recorded_at: Generated<Date>
}

export type FindingSeverity = 'low' | 'medium' | 'high' | 'critical'

export interface FindingTable {
  id: Generated<number>
  visit_id: number
  client_key: string
  severity: FindingSeverity
  title: string
  description: string | null
  recommendation: string | null
  plan_item_id: number | null
  created_by: number | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface VisitPhotoTable {
  id: Generated<number>
  visit_id: number
  finding_id: number | null
  filename: string
  content_type: string
  size_bytes: number
  storage_key: string
  caption: string | null
  uploaded_by: number | null
  created_at: Generated<Date>
}

export interface FollowUpActionTable {
  id: Generated<number>
  visit_id: number
  client_key: string
  description: string
  owner: string
  /** 'YYYY-MM-DD'. */
  due_on: string | null
  status: Generated<'open' | 'done'>
  created_by: number | null
  created_at: Generated<Date>
}

export interface VisitReportTable {
  visit_id: number
  summary: string
  recommendations: string | null
  submitted_by: number | null
  submitted_at: Generated<Date>
  confirmed_by: number | null
  confirmed_name: string | null
  confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  enterprise_remarks: string | null
}

export type OutcomeResult = 'solved' | 'partly_solved' | 'not_feasible' | 'transferred'

export interface ItemOutcomeTable {
  id: Generated<number>
  needs_list_id: number
  confirmed_item_id: number
  result: OutcomeResult
  description: string
  /** numeric(14,2): pg returns it as a string. */
  benefit_yuan: ColumnType<
    string | null,
    number | string | null | undefined,
    number | string | null
  >
  benefit_status: 'estimated' | 'confirmed' | null
  benefit_basis: string | null
  workers_trained: Generated<number>
  person_times: Generated<number>
  patents: Generated<number>
  innovations: Generated<number>
  follow_up_needed: Generated<boolean>
  follow_up_note: string | null
  recorded_by: number | null
  recorded_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface ServiceRatingTable {
  needs_list_id: number
  enterprise_id: number
  scores: Json<Record<string, number>>
  /** numeric(3,2): pg returns it as a string. */
  average: ColumnType<string, number | string, number | string>
  comment: string | null
  rated_by: number | null
  rated_at: Generated<Date>
}

type Money = ColumnType<string, number | string | undefined, number | string>

/** Facts of one case, derived from the real tables (see migration T12). */
export interface CaseFactTable {
  needs_list_id: number
  org_id: number
  ancestor_ids: IntArray
  enterprise_id: number
  steward_user_id: number | null
  status: string
  industry: string | null
  district: string | null
  park: string | null
  tags: TextArray
  categories: TextArray
  filed_at: Date | null
  closed_at: Date | null
  agreement_signed_at: Date | null
  items: number
  problems_solved: number
  partly_solved: number
  expert_participations: number
  workers_trained: number
  benefit_estimated: Money
  benefit_confirmed: Money
  rating: ColumnType<string | null, number | string | null, number | string | null>
}

export interface CaseItemFactTable {
  confirmed_item_id: number
  needs_list_id: number
  category: string
  result: string | null
  workers_trained: number
  benefit_estimated: Money
  benefit_confirmed: Money
}

export interface CaseStageSpanTable {
  id: Generated<number>
  needs_list_id: number
  stage: string
  entered_at: Date
  left_at: Date | null
  hours: number | null
}

export interface CaseDeadlineFactTable {
  timer_id: number
  needs_list_id: number
  stage: string
  due_at: Date
  resolved_at: Date
  met: boolean
}

export interface DashboardDirtyTable {
  needs_list_id: number
  marked_at: Generated<Date>
}

export const FIGURE_DIMS = ['all', 'category', 'industry', 'district', 'park', 'tag'] as const
export type FigureDim = (typeof FIGURE_DIMS)[number]

/** 'YYYY-MM', a Beijing calendar month. */
type MonthDate = string

/** A reporting period: '2026' (year), '2026-Q4' (quarter) or '2026-11' (month). */
type PeriodKey = string

export interface OrgPeriodFiguresTable {
  org_id: number
  period: PeriodKey
  dim: FigureDim
  key: string
  cases_filed: number
  cases_closed: number
  items_closed: number
  problems_solved: number
  partly_solved: number
  expert_participations: number
  workers_trained: number
  benefit_estimated: Money
  benefit_confirmed: Money
  agreements_signed: number
  rating_sum: Money
  rating_count: number
}

export interface OrgPeriodStageHoursTable {
  org_id: number
  period: PeriodKey
  stage: string
  hours: number
  spans: number
}

export interface OrgPeriodSlaTable {
  org_id: number
  period: PeriodKey
  stage: string
  resolved: number
  met: number
}

export interface OrgPeriodEnterpriseTable {
  org_id: number
  period: PeriodKey
  enterprise_id: number
  cases: number
}

export interface StewardPeriodFiguresTable {
  steward_user_id: number
  period: PeriodKey
  cases_closed: number
  rating_sum: Money
  rating_count: number
  deadlines_resolved: number
  deadlines_met: number
}

export interface DashboardRefreshTable {
  month: MonthDate
  refreshed_at: Date
}

export interface OrgTargetTable {
  org_id: number
  year: number
  /** One of TARGET_METRICS (workflows/dashboard/metrics.ts). */
  metric: string
  value: Money
  updated_by: number | null
  updated_at: Generated<Date>
}

export interface Database {
  rate_limit_event: RateLimitEventTable
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
  need_category: NeedCategoryTable
  skill: SkillTable
  enterprise_invitation: EnterpriseInvitationTable
  need_item_skill: NeedItemSkillTable
  attachment: AttachmentTable
  steward_profile: StewardProfileTable
  steward_assignment: StewardAssignmentTable
  needs_revision: NeedsRevisionTable
  confirmed_item: ConfirmedItemTable
  notification_preference: NotificationPreferenceTable
  delivery: DeliveryTable
  digest: DigestTable
  calendar_override: CalendarOverrideTable
  sla_policy: SlaPolicyTable
  workflow_timer: WorkflowTimerTable
  expert: ExpertTable
  expert_honour: ExpertHonourTable
  expert_skill: ExpertSkillTable
  expert_blackout: ExpertBlackoutTable
  service_team: ServiceTeamTable
  service_team_member: ServiceTeamMemberTable
  expert_rating: ExpertRatingTable
  matching_weights: MatchingWeightsTable
  matching_run: MatchingRunTable
  resource_proposal: ResourceProposalTable
  match_constraint: MatchConstraintTable
  invitation: InvitationTable
  pairing_meeting: PairingMeetingTable
  pairing: PairingTable
  agreement: AgreementTable
  agreement_confirmation: AgreementConfirmationTable
  open_challenge: OpenChallengeTable
  challenge_volunteer: ChallengeVolunteerTable
  checklist_template: ChecklistTemplateTable
  checklist_template_item: ChecklistTemplateItemTable
  visit: VisitTable
  visit_member: VisitMemberTable
  inspection_plan: InspectionPlanTable
  plan_item: PlanItemTable
  visit_record: VisitRecordTable
  finding: FindingTable
  visit_photo: VisitPhotoTable
  follow_up_action: FollowUpActionTable
  visit_report: VisitReportTable
  item_outcome: ItemOutcomeTable
  service_rating: ServiceRatingTable
  case_fact: CaseFactTable
  case_item_fact: CaseItemFactTable
  case_stage_span: CaseStageSpanTable
  case_deadline_fact: CaseDeadlineFactTable
  dashboard_dirty: DashboardDirtyTable
  org_period_figures: OrgPeriodFiguresTable
  org_period_stage_hours: OrgPeriodStageHoursTable
  org_period_sla: OrgPeriodSlaTable
  org_period_enterprise: OrgPeriodEnterpriseTable
  steward_period_figures: StewardPeriodFiguresTable
  dashboard_refresh: DashboardRefreshTable
  org_target: OrgTargetTable
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
export type NotificationPreference = Selectable<NotificationPreferenceTable>
export type Delivery = Selectable<DeliveryTable>
export type Digest = Selectable<DigestTable>
export type CalendarOverride = Selectable<CalendarOverrideTable>
export type SlaPolicy = Selectable<SlaPolicyTable>
export type WorkflowTimer = Selectable<WorkflowTimerTable>
export type Expert = Selectable<ExpertTable>
export type ServiceTeam = Selectable<ServiceTeamTable>
export type ResourceProposal = Selectable<ResourceProposalTable>
export type Invitation = Selectable<InvitationTable>
export type Agreement = Selectable<AgreementTable>
export type Visit = Selectable<VisitTable>
export type PlanItem = Selectable<PlanItemTable>
export type ItemOutcome = Selectable<ItemOutcomeTable>
