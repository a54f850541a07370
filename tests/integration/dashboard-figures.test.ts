import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client.server.ts'
import { makeEnterprise, makeExpert, makeOrg, makeUser } from '#db/factories.ts'
import { refreshDashboard } from '#db/queries/dashboard/refresh.ts'
import type { Principal } from '#workflows/access.ts'
import { OPEN_CASE_STATES } from '#workflows/case-states.ts'
import {
  dashboardScopes,
  loadExperts,
  loadOverview,
  loadStewards,
  loadTargets,
  saveTargets,
} from '#workflows/commands/dashboard.ts'
import { parsePeriod } from '#workflows/dashboard/period.ts'
import type { ChildRow, DashboardOverview, OutcomeFigures } from '#workflows/dashboard/types.ts'
import { DomainError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { principalOf, TEST_PASSWORD } from '../helpers/world.ts'

// A known dataset written straight into the real tables, then read back
// through the dashboard. Every expected figure below is worked out by hand
// from the dataset (see the comments next to each case).

let tdb: TestDatabase
let db: Db

/** Beijing noon on 2026-12-20. */
const NOW = new Date('2026-12-20T04:00:00Z')
function period(key: string) {
  const p = parsePeriod(key)
  if (!p) throw new Error(`bad period ${key}`)
  return p
}
const Q4 = period('2026-Q4')
const H = 3600_000
const at = (iso: string) => new Date(iso)
const plusHours = (d: Date, h: number) => new Date(d.getTime() + h * H)

async function refusal(p: Promise<unknown>) {
  try {
    await p
  } catch (err) {
    if (err instanceof DomainError) {
      return { code: err.code, key: (err.details.messageKey as string | undefined) ?? null }
    }
    throw err
  }
  throw new Error('expected a refusal')
}

// ─── Builders over the real tables ─────────────────────────────────────────

let creatorId = 0
let outboxSeq = 1

interface CaseSpec {
  enterpriseId: number
  orgId: number
  title: string
  stewardId: number | null
  submittedAt: Date
  /** Stays in order: [state, hours in it]; the last one with null hours is the current state. */
  chain: [string, number | null][]
  dueAt?: Date | null
}

/** A needs list with its workflow instance and the audit trail of its states. */
async function makeCase(spec: CaseSpec) {
  const finalState = spec.chain[spec.chain.length - 1]?.[0] as string
  // Timestamps of each entry into a state.
  const entries: { state: string; at: Date }[] = []
  let t = spec.submittedAt
  for (const [state, hours] of spec.chain) {
    entries.push({ state, at: t })
    if (hours !== null) t = plusHours(t, hours)
  }
  const closedEntry = entries.find((e) => e.state === 'closed')
  const list = await db
    .insertInto('needs_list')
    .values({
      enterprise_id: spec.enterpriseId,
      org_id: spec.orgId,
      title: spec.title,
      status: finalState,
      created_by: creatorId,
      submitted_at: spec.submittedAt,
      steward_user_id: spec.stewardId,
      due_at: spec.dueAt ?? null,
      closed_at: closedEntry?.at ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const wf = await db
    .insertInto('workflow_instance')
    .values({
      subject_type: 'needs_list',
      subject_id: list.id,
      machine_id: 'needsList',
      machine_version: 1,
      state: finalState,
      snapshot: '{}',
      version: entries.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  let from: string | null = null
  let version = 1
  for (const e of entries) {
    await db
      .insertInto('workflow_event')
      .values({
        workflow_id: wf.id,
        subject_type: 'needs_list',
        subject_id: list.id,
        event_type: `TO_${e.state.toUpperCase()}`,
        actor_role: 'system',
        from_state: from,
        to_state: e.state,
        version: version++,
        payload: '{}',
        at: e.at,
      })
      .execute()
    from = e.state
  }
  return { id: list.id, workflowId: wf.id, entries }
}

async function workflowOf(subjectType: 'invitation' | 'visit', subjectId: number) {
  const wf = await db
    .insertInto('workflow_instance')
    .values({
      subject_type: subjectType,
      subject_id: subjectId,
      machine_id: subjectType,
      machine_version: 1,
      state: 'x',
      snapshot: '{}',
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return wf.id
}

let timerEntry = 0
/** A deadline timer; `updatedAt` is when it fired or was cancelled. */
async function timer(
  workflowId: number,
  input: {
    stage: string
    phase?: 'remind' | 'breach'
    status: 'pending' | 'fired' | 'cancelled'
    dueAt: Date
    updatedAt: Date
  },
) {
  await db
    .insertInto('workflow_timer')
    .values({
      workflow_id: workflowId,
      stage: input.stage,
      entry: timerEntry++,
      phase: input.phase ?? 'breach',
      due_at: input.dueAt,
      outbox_id: outboxSeq++,
      status: input.status,
      updated_at: input.updatedAt,
    })
    .execute()
}

async function item(
  listId: number,
  position: number,
  category: string,
  outcome?: {
    result: 'solved' | 'partly_solved' | 'not_feasible' | 'transferred'
    workers: number
    benefit: string | null
    status: 'estimated' | 'confirmed' | null
  },
) {
  const ci = await db
    .insertInto('confirmed_item')
    .values({
      needs_list_id: listId,
      revision: 1,
      position,
      category,
      title: `item ${position}`,
      description: 'an invented need',
      urgency: 'normal',
      headcount: 1,
      mode: 'onsite',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (outcome) {
    await db
      .insertInto('item_outcome')
      .values({
        needs_list_id: listId,
        confirmed_item_id: ci.id,
        result: outcome.result,
        description: 'done',
        benefit_yuan: outcome.benefit,
        benefit_status: outcome.status,
        workers_trained: outcome.workers,
      })
      .execute()
  }
  return ci.id
}

async function invitation(
  listId: number,
  itemId: number,
  expertId: number,
  input: { status: string; dueAt?: Date | null; createdAt?: Date },
) {
  const proposal = await db
    .insertInto('resource_proposal')
    .values({
      needs_list_id: listId,
      confirmed_item_id: itemId,
      expert_id: expertId,
      score: 1,
      factors: '[]',
      source: 'manual',
      status: 'invited',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const inv = await db
    .insertInto('invitation')
    .values({
      proposal_id: proposal.id,
      needs_list_id: listId,
      confirmed_item_id: itemId,
      expert_id: expertId,
      status: input.status,
      due_at: input.dueAt ?? null,
      ...(input.createdAt ? { created_at: input.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return inv.id
}

async function pairing(listId: number, itemId: number, expertId: number, createdAt: Date) {
  const invId = await invitation(listId, itemId, expertId, { status: 'accepted', createdAt })
  await db
    .insertInto('pairing')
    .values({
      needs_list_id: listId,
      confirmed_item_id: itemId,
      invitation_id: invId,
      expert_id: expertId,
      decision: 'accepted',
      created_at: createdAt,
    })
    .execute()
}

let visitSeq = 1
async function visit(
  listId: number,
  input: {
    status: string
    checkedInAt: Date | null
    minutes: number
    experts: { id: number; name: string }[]
    dueAt?: Date | null
  },
) {
  const v = await db
    .insertInto('visit')
    .values({
      needs_list_id: listId,
      sequence: visitSeq++,
      kind: 'inspection',
      starts_at: input.checkedInAt ?? NOW,
      duration_minutes: input.minutes,
      place: 'workshop',
      status: input.status,
      checked_in_at: input.checkedInAt,
      due_at: input.dueAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const e of input.experts) {
    await db
      .insertInto('visit_member')
      .values({ visit_id: v.id, role: 'expert', expert_id: e.id, name: e.name })
      .execute()
  }
  return v.id
}

async function rating(listId: number, enterpriseId: number, average: string) {
  await db
    .insertInto('service_rating')
    .values({ needs_list_id: listId, enterprise_id: enterpriseId, scores: '{}', average })
    .execute()
}

async function stewardProfile(userId: number, orgId: number, capacity = 10) {
  await db
    .insertInto('steward_profile')
    .values({ user_id: userId, org_id: orgId, capacity })
    .execute()
}

// ─── The dataset ───────────────────────────────────────────────────────────

const w = {} as {
  orgs: Record<'root' | 'a' | 'a1' | 'a2' | 'b' | 'other', { id: number; path: string }>
  admin: Principal
  adminA: Principal
  coordA: Principal
  steward: Principal
  stewards: Record<'s1' | 's2' | 's3' | 's4', { id: number; name: string }>
  experts: Record<'x1' | 'x2' | 'x3' | 'x4' | 'x5' | 'x6' | 'x7', { id: number; name: string }>
  cases: Record<string, number>
}

beforeAll(async () => {
  tdb = await createTestDatabase('dashfig')
  db = tdb.db

  // root ─┬─ A ─┬─ A1
  //       │     └─ A2
  //       └─ B
  // other (another tree; never counts)
  const root = await makeOrg(db, '根 市总工会', 'city_federation')
  const a = await makeOrg(db, 'A 产业工会', 'industry_union', root.id)
  const a1 = await makeOrg(db, 'A1 园区工会', 'park_union', a.id)
  const a2 = await makeOrg(db, 'A2 园区工会', 'park_union', a.id)
  const b = await makeOrg(db, 'B 区总工会', 'district_union', root.id)
  const other = await makeOrg(db, '外市总工会', 'city_federation')
  w.orgs = { root, a, a1, a2, b, other }

  const user = (
    name: string,
    role: 'federation_admin' | 'coordinator' | 'steward',
    orgId: number,
  ) =>
    makeUser(db, {
      email: `${name}@dash.zhuqi.test`,
      name,
      password: TEST_PASSWORD,
      role,
      orgId,
    })
  const admin = await user('admin-root', 'federation_admin', root.id)
  creatorId = admin.id
  const adminA = await user('admin-a', 'federation_admin', a.id)
  const coordA = await user('coord-a', 'coordinator', a.id)
  const s1 = await user('管家甲', 'steward', a1.id)
  const s2 = await user('管家乙', 'steward', a2.id)
  const s3 = await user('管家丙', 'steward', b.id)
  const s4 = await user('管家丁', 'steward', a.id)
  await stewardProfile(s1.id, a1.id, 5)
  await stewardProfile(s2.id, a2.id)
  await stewardProfile(s3.id, b.id)
  await stewardProfile(s4.id, a.id)
  w.admin = await principalOf(db, admin.id)
  w.adminA = await principalOf(db, adminA.id)
  w.coordA = await principalOf(db, coordA.id)
  w.steward = await principalOf(db, s1.id)
  w.stewards = {
    s1: { id: s1.id, name: s1.name },
    s2: { id: s2.id, name: s2.name },
    s3: { id: s3.id, name: s3.name },
    s4: { id: s4.id, name: s4.name },
  }

  const expert = async (
    key: string,
    name: string,
    orgId: number,
    status: 'active' | 'paused' = 'active',
  ) => {
    const e = await makeExpert(db, { orgId, name, mobile: `1390000000${key}`, status })
    return { id: e.id, name: e.name }
  }
  w.experts = {
    x1: await expert('1', '专家一', root.id),
    x2: await expert('2', '专家二', a.id),
    x3: await expert('3', '专家三', b.id),
    x4: await expert('4', '专家四', a1.id),
    x5: await expert('5', '专家五', a.id, 'paused'),
    x6: await expert('6', '专家六', a2.id),
    x7: await expert('7', '专家七', other.id),
  }
  const { x1, x2, x3, x4, x7 } = w.experts

  // Enterprises: industry / district / park / tags.
  const e1 = await makeEnterprise(db, {
    orgId: a1.id,
    name: '甲精密',
    industry: 'C',
    district: 'Huli',
    park: 'P1',
    tags: ['hi-tech', 'srdi'],
    stewardUserId: s1.id,
  })
  const e2 = await makeEnterprise(db, {
    orgId: a2.id,
    name: '乙能源',
    industry: 'C',
    district: 'Siming',
    tags: ['hi-tech'],
    stewardUserId: s2.id,
  })
  // Sits directly at the child level (A), not in a grandchild.
  const e3 = await makeEnterprise(db, {
    orgId: a.id,
    name: '丙软件',
    industry: 'I',
    district: 'Huli',
    park: 'P1',
    stewardUserId: s1.id,
  })
  const e4 = await makeEnterprise(db, {
    orgId: b.id,
    name: '丁数据',
    industry: 'I',
    district: 'Jimei',
    tags: ['srdi'],
    stewardUserId: s3.id,
  })
  const e5 = await makeEnterprise(db, { orgId: other.id, name: '戊外市', industry: 'C' })

  // C1 (A1, E1, S1): filed in September (Q3), agreement in September, closed in October.
  // Stays: submitted 10h, awaiting_steward 5h, confirming 24h (all left in Sep), paired 700h
  // (left 10-28T23:00Z = Beijing 10-29), then closed → archived at once (no stay).
  const c1 = await makeCase({
    enterpriseId: e1.id,
    orgId: a1.id,
    title: 'C1 甲精密 工艺改进',
    stewardId: s1.id,
    submittedAt: at('2026-09-28T04:00:00Z'),
    chain: [
      ['submitted', 10],
      ['awaiting_steward', 5],
      ['confirming', 24],
      ['paired', 700],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c1i1 = await item(c1.id, 1, 'tech', {
    result: 'solved',
    workers: 10,
    benefit: '1000.50',
    status: 'estimated',
  })
  const c1i2 = await item(c1.id, 2, 'safety', {
    result: 'partly_solved',
    workers: 5,
    benefit: '200.00',
    status: 'confirmed',
  })
  const c1Paired = at('2026-09-29T19:00:00Z')
  await pairing(c1.id, c1i1, x1.id, c1Paired)
  await pairing(c1.id, c1i2, x2.id, c1Paired)
  // Held: X1 and X2 → 2 participations. The cancelled visit counts for nothing.
  await visit(c1.id, {
    status: 'report_confirmed',
    checkedInAt: at('2026-10-15T02:00:00Z'),
    minutes: 90,
    experts: [x1, x2],
  })
  await visit(c1.id, { status: 'cancelled', checkedInAt: null, minutes: 60, experts: [x1] })
  await rating(c1.id, e1.id, '4.50')
  // Triage met and confirmation missed in September (Q3); visit scheduling missed in October.
  await timer(c1.workflowId, {
    stage: 'triage',
    status: 'cancelled',
    dueAt: at('2026-10-01T04:00:00Z'),
    updatedAt: at('2026-09-28T14:00:00Z'),
  })
  await timer(c1.workflowId, {
    stage: 'triage',
    phase: 'remind',
    status: 'cancelled',
    dueAt: at('2026-09-30T04:00:00Z'),
    updatedAt: at('2026-09-28T14:00:00Z'),
  })
  await timer(c1.workflowId, {
    stage: 'needs_confirmation',
    status: 'fired',
    dueAt: at('2026-09-29T10:00:00Z'),
    updatedAt: at('2026-09-29T10:00:00Z'),
  })
  await timer(c1.workflowId, {
    stage: 'visit_scheduling',
    status: 'fired',
    dueAt: at('2026-10-08T04:00:00Z'),
    updatedAt: at('2026-10-08T04:00:00Z'),
  })

  // C2 (A2, E2, S2): filed and closed in November. Stays: submitted 1.5h (→ 2), awaiting 3h,
  // confirming 12h, paired 200h (left 11-11T04:30Z).
  const c2 = await makeCase({
    enterpriseId: e2.id,
    orgId: a2.id,
    title: 'C2 乙能源 能耗诊断',
    stewardId: s2.id,
    submittedAt: at('2026-11-02T04:00:00Z'),
    chain: [
      ['submitted', 1.5],
      ['awaiting_steward', 3],
      ['confirming', 12],
      ['paired', 200],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c2i3 = await item(c2.id, 1, 'tech', {
    result: 'solved',
    workers: 20,
    benefit: '3000.00',
    status: 'confirmed',
  })
  await item(c2.id, 2, 'tech', { result: 'not_feasible', workers: 0, benefit: null, status: null })
  await item(c2.id, 3, 'quality', {
    result: 'solved',
    workers: 0,
    benefit: '500.25',
    status: 'estimated',
  })
  // Remote only: X3 paired, no visit → 1 participation.
  await pairing(c2.id, c2i3, x3.id, at('2026-11-02T20:30:00Z'))
  await rating(c2.id, e2.id, '3.00')
  await timer(c2.workflowId, {
    stage: 'triage',
    status: 'cancelled',
    dueAt: at('2026-11-05T04:00:00Z'),
    updatedAt: at('2026-11-02T05:30:00Z'),
  })
  // An invitation whose answer came late: its breach fired (missed, November).
  const lateInv = await invitation(c2.id, c2i3, x4.id, { status: 'lapsed' })
  await timer(await workflowOf('invitation', lateInv), {
    stage: 'invitation_answer',
    status: 'fired',
    dueAt: at('2026-11-02T12:00:00Z'),
    updatedAt: at('2026-11-02T12:00:00Z'),
  })

  // C3 (A itself, E3, S1): filed and closed in December. Stays: submitted 30h, awaiting 1h,
  // confirming 5h, paired 100h.
  const c3 = await makeCase({
    enterpriseId: e3.id,
    orgId: a.id,
    title: 'C3 丙软件 安全评估',
    stewardId: s1.id,
    submittedAt: at('2026-12-01T04:00:00Z'),
    chain: [
      ['submitted', 30],
      ['awaiting_steward', 1],
      ['confirming', 5],
      ['paired', 100],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c3i6 = await item(c3.id, 1, 'safety', {
    result: 'solved',
    workers: 7,
    benefit: null,
    status: null,
  })
  await pairing(c3.id, c3i6, x1.id, at('2026-12-02T16:00:00Z'))
  // X1 and X4 on V3, X1 on V4: 3 participations; X1 paired but on visits (no extra).
  const v3 = await visit(c3.id, {
    status: 'reported',
    checkedInAt: at('2026-12-03T02:00:00Z'),
    minutes: 120,
    experts: [x1, x4],
  })
  // On site past its report deadline, but the case is closed: not in the live pipeline.
  await visit(c3.id, {
    status: 'on_site',
    checkedInAt: at('2026-12-05T02:00:00Z'),
    minutes: 60,
    experts: [x1],
    dueAt: at('2026-12-06T04:00:00Z'),
  })
  await timer(await workflowOf('visit', v3), {
    stage: 'report',
    status: 'cancelled',
    dueAt: at('2026-12-04T04:00:00Z'),
    updatedAt: at('2026-12-03T10:00:00Z'),
  })

  // C4 (A1, E1 again, S1): filed October, agreement October, closed November
  // (11-02T02:00Z). Stays: submitted 5h, awaiting 2h, confirming 3h (Oct), paired 310-10=300h.
  const c4 = await makeCase({
    enterpriseId: e1.id,
    orgId: a1.id,
    title: 'C4 甲精密 人才培训',
    stewardId: s1.id,
    submittedAt: at('2026-10-20T04:00:00Z'),
    chain: [
      ['submitted', 5],
      ['awaiting_steward', 2],
      ['confirming', 3],
      ['paired', 300],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c4i7 = await item(c4.id, 1, 'tech', {
    result: 'transferred',
    workers: 3,
    benefit: '100.00',
    status: 'estimated',
  })
  await pairing(c4.id, c4i7, x2.id, at('2026-10-20T14:00:00Z'))
  await rating(c4.id, e1.id, '5.00')

  // C5 (A2, E2, S2): still open (confirming), filed December, past its deadline.
  const c5 = await makeCase({
    enterpriseId: e2.id,
    orgId: a2.id,
    title: 'C5 乙能源 设备维修',
    stewardId: s2.id,
    submittedAt: at('2026-12-10T04:00:00Z'),
    chain: [
      ['submitted', 4],
      ['awaiting_steward', 2],
      ['confirming', null],
    ],
    dueAt: at('2026-12-15T04:00:00Z'),
  })
  const c5i8 = await item(c5.id, 1, 'tech')
  // Pending past its answer deadline (owner: the expert); an answered one is not overdue.
  await invitation(c5.id, c5i8, x4.id, { status: 'pending', dueAt: at('2026-12-18T04:00:00Z') })
  await invitation(c5.id, c5i8, x2.id, { status: 'accepted', dueAt: at('2026-12-11T04:00:00Z') })
  // On site, report overdue (owner: the case's steward).
  await visit(c5.id, {
    status: 'on_site',
    checkedInAt: at('2026-12-16T02:00:00Z'),
    minutes: 60,
    experts: [],
    dueAt: at('2026-12-17T04:00:00Z'),
  })
  // A pending deadline is not over: not in the SLA figures.
  await timer(c5.workflowId, {
    stage: 'needs_confirmation',
    status: 'pending',
    dueAt: at('2026-12-15T04:00:00Z'),
    updatedAt: at('2026-12-10T10:00:00Z'),
  })

  // C6 (A1, E1): open, no steward yet, past its assignment deadline (owner: coordinators).
  const c6 = await makeCase({
    enterpriseId: e1.id,
    orgId: a1.id,
    title: 'C6 甲精密 新需求',
    stewardId: null,
    submittedAt: at('2026-12-18T04:00:00Z'),
    chain: [
      ['submitted', 6],
      ['awaiting_steward', null],
    ],
    dueAt: at('2026-12-19T04:00:00Z'),
  })

  // C7 (B, E4, S3): filed and closed in November. Stays: submitted 8h, awaiting 4h,
  // confirming 10h, paired 50h. Triage left late: missed.
  const c7 = await makeCase({
    enterpriseId: e4.id,
    orgId: b.id,
    title: 'C7 丁数据 质量提升',
    stewardId: s3.id,
    submittedAt: at('2026-11-10T04:00:00Z'),
    chain: [
      ['submitted', 8],
      ['awaiting_steward', 4],
      ['confirming', 10],
      ['paired', 50],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c7i9 = await item(c7.id, 1, 'quality', {
    result: 'solved',
    workers: 4,
    benefit: '50.00',
    status: 'confirmed',
  })
  await pairing(c7.id, c7i9, x3.id, at('2026-11-11T02:00:00Z'))
  await visit(c7.id, {
    status: 'report_confirmed',
    checkedInAt: at('2026-11-12T02:00:00Z'),
    minutes: 30,
    experts: [x3],
  })
  await rating(c7.id, e4.id, '4.00')
  await timer(c7.workflowId, {
    stage: 'triage',
    status: 'cancelled',
    dueAt: at('2026-11-10T06:00:00Z'),
    updatedAt: at('2026-11-10T12:00:00Z'),
  })

  // C8 (A2, E2, S2): entirely in Q3 (the previous period): filed Aug, closed Aug.
  const c8 = await makeCase({
    enterpriseId: e2.id,
    orgId: a2.id,
    title: 'C8 乙能源 旧案',
    stewardId: s2.id,
    submittedAt: at('2026-08-01T04:00:00Z'),
    chain: [
      ['submitted', 20],
      ['awaiting_steward', 4],
      ['confirming', 4],
      ['paired', 400],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c8i = await item(c8.id, 1, 'tech', {
    result: 'solved',
    workers: 6,
    benefit: '600.00',
    status: 'estimated',
  })
  await pairing(c8.id, c8i, x2.id, at('2026-08-02T08:00:00Z'))
  await rating(c8.id, e2.id, '2.00')

  // C9, C10: another tree, closed in November and open overdue: never counted.
  const c9 = await makeCase({
    enterpriseId: e5.id,
    orgId: other.id,
    title: 'C9 外市',
    stewardId: null,
    submittedAt: at('2026-11-03T04:00:00Z'),
    chain: [
      ['submitted', 3],
      ['paired', 20],
      ['closed', 0],
      ['archived', null],
    ],
  })
  const c9i = await item(c9.id, 1, 'tech', {
    result: 'solved',
    workers: 99,
    benefit: '9999.00',
    status: 'confirmed',
  })
  await pairing(c9.id, c9i, x7.id, at('2026-11-03T07:00:00Z'))
  await rating(c9.id, e5.id, '1.00')
  const c10 = await makeCase({
    enterpriseId: e5.id,
    orgId: other.id,
    title: 'C10 外市 未结',
    stewardId: null,
    submittedAt: at('2026-11-20T04:00:00Z'),
    chain: [
      ['submitted', 3],
      ['matching', null],
    ],
    dueAt: at('2026-12-01T04:00:00Z'),
  })

  // Expert ratings: X1 twice in Q4, X2 only in Q3, X3 once in Q4.
  await db
    .insertInto('expert_rating')
    .values([
      { expert_id: x1.id, enterprise_id: e1.id, score: 5, rated_at: at('2026-11-01T04:00:00Z') },
      { expert_id: x1.id, enterprise_id: e3.id, score: 4, rated_at: at('2026-12-10T04:00:00Z') },
      { expert_id: x2.id, enterprise_id: e1.id, score: 3, rated_at: at('2026-09-10T04:00:00Z') },
      { expert_id: x3.id, enterprise_id: e2.id, score: 4, rated_at: at('2026-11-20T04:00:00Z') },
    ])
    .execute()

  w.cases = {
    c1: c1.id,
    c2: c2.id,
    c3: c3.id,
    c4: c4.id,
    c5: c5.id,
    c6: c6.id,
    c7: c7.id,
    c10: c10.id,
  }
  await refreshDashboard(db, NOW)
}, 120_000)

afterAll(async () => {
  await tdb?.drop()
})

// ─── Expected figures (worked out by hand) ────────────────────────────────

const figures = (f: Partial<OutcomeFigures>): OutcomeFigures => ({
  casesFiled: 0,
  casesClosed: 0,
  enterprisesServed: 0,
  itemsClosed: 0,
  problemsSolved: 0,
  partlySolved: 0,
  expertParticipations: 0,
  workersTrained: 0,
  benefitEstimated: '0.00',
  benefitConfirmed: '0.00',
  benefitTotal: '0.00',
  agreementsSigned: 0,
  averageRating: null,
  ratingCount: 0,
  ...f,
})
const noServed = (f: OutcomeFigures) => {
  const { enterprisesServed: _e, ...rest } = f
  return rest
}

// Root, Q4: filed C2 C3 C4 C5 C6 C7; closed C1 C2 C3 C4 C7.
const ROOT_Q4 = figures({
  casesFiled: 6,
  casesClosed: 5,
  enterprisesServed: 4, // E1 (twice), E2, E3, E4
  itemsClosed: 8, // 2 + 3 + 1 + 1 + 1
  problemsSolved: 5, // C1 1, C2 2, C3 1, C4 0 (transferred), C7 1
  partlySolved: 1,
  expertParticipations: 8, // C1 2, C2 1, C3 3, C4 1, C7 1
  workersTrained: 49, // 15 + 20 + 7 + 3 + 4
  benefitEstimated: '1600.75', // 1000.50 + 500.25 + 100.00
  benefitConfirmed: '3250.00', // 200 + 3000 + 50
  benefitTotal: '4850.75',
  agreementsSigned: 4, // C2 C3 C4 C7 (C1 signed in September)
  averageRating: '4.13', // (4.5 + 3 + 5 + 4) / 4 = 4.125
  ratingCount: 4,
})
// Root, Q3: C1 filed and signed, C8 filed, signed and closed.
const ROOT_Q3 = figures({
  casesFiled: 2,
  casesClosed: 1,
  enterprisesServed: 1,
  itemsClosed: 1,
  problemsSolved: 1,
  expertParticipations: 1,
  workersTrained: 6,
  benefitEstimated: '600.00',
  benefitTotal: '600.00',
  agreementsSigned: 2,
  averageRating: '2.00',
  ratingCount: 1,
})
// A (C1 C2 C3 C4 C5 C6), B (C7).
const A_Q4 = figures({
  casesFiled: 5,
  casesClosed: 4,
  enterprisesServed: 3,
  itemsClosed: 7,
  problemsSolved: 4,
  partlySolved: 1,
  expertParticipations: 7,
  workersTrained: 45,
  benefitEstimated: '1600.75',
  benefitConfirmed: '3200.00',
  benefitTotal: '4800.75',
  agreementsSigned: 3,
  averageRating: '4.17', // 12.5 / 3
  ratingCount: 3,
})
const B_Q4 = figures({
  casesFiled: 1,
  casesClosed: 1,
  enterprisesServed: 1,
  itemsClosed: 1,
  problemsSolved: 1,
  expertParticipations: 1,
  workersTrained: 4,
  benefitConfirmed: '50.00',
  benefitTotal: '50.00',
  agreementsSigned: 1,
  averageRating: '4.00',
  ratingCount: 1,
})
// A1 (C1 C4 C6), A2 (C2 C5); C3 sits at A itself.
const A1_Q4 = figures({
  casesFiled: 2,
  casesClosed: 2,
  enterprisesServed: 1,
  itemsClosed: 3,
  problemsSolved: 1,
  partlySolved: 1,
  expertParticipations: 3,
  workersTrained: 18,
  benefitEstimated: '1100.50',
  benefitConfirmed: '200.00',
  benefitTotal: '1300.50',
  agreementsSigned: 1,
  averageRating: '4.75',
  ratingCount: 2,
})
const A2_Q4 = figures({
  casesFiled: 2,
  casesClosed: 1,
  enterprisesServed: 1,
  itemsClosed: 3,
  problemsSolved: 2,
  expertParticipations: 1,
  workersTrained: 20,
  benefitEstimated: '500.25',
  benefitConfirmed: '3000.00',
  benefitTotal: '3500.25',
  agreementsSigned: 1,
  averageRating: '3.00',
  ratingCount: 1,
})
// C3 alone (directly at A).
const C3_ONLY = figures({
  casesFiled: 1,
  casesClosed: 1,
  enterprisesServed: 1,
  itemsClosed: 1,
  problemsSolved: 1,
  expertParticipations: 3,
  workersTrained: 7,
  agreementsSigned: 1,
})

const INDUSTRY_C = noServed(
  figures({
    casesFiled: 4, // C2 C4 C5 C6
    casesClosed: 3, // C1 C2 C4
    itemsClosed: 6,
    problemsSolved: 3,
    partlySolved: 1,
    expertParticipations: 4,
    workersTrained: 38,
    benefitEstimated: '1600.75',
    benefitConfirmed: '3200.00',
    benefitTotal: '4800.75',
    agreementsSigned: 2,
    averageRating: '4.17',
    ratingCount: 3,
  }),
)
const INDUSTRY_I = noServed(
  figures({
    casesFiled: 2, // C3 C7
    casesClosed: 2,
    itemsClosed: 2,
    problemsSolved: 2,
    expertParticipations: 4,
    workersTrained: 11,
    benefitConfirmed: '50.00',
    benefitTotal: '50.00',
    agreementsSigned: 2,
    averageRating: '4.00',
    ratingCount: 1,
  }),
)
// Huli = P1 = E1 + E3 (C1 C3 C4 C6).
const HULI = noServed(
  figures({
    casesFiled: 3,
    casesClosed: 3,
    itemsClosed: 4,
    problemsSolved: 2,
    partlySolved: 1,
    expertParticipations: 6,
    workersTrained: 25,
    benefitEstimated: '1100.50',
    benefitConfirmed: '200.00',
    benefitTotal: '1300.50',
    agreementsSigned: 2,
    averageRating: '4.75',
    ratingCount: 2,
  }),
)
const SIMING = noServed(
  figures({
    casesFiled: 2,
    casesClosed: 1,
    itemsClosed: 3,
    problemsSolved: 2,
    expertParticipations: 1,
    workersTrained: 20,
    benefitEstimated: '500.25',
    benefitConfirmed: '3000.00',
    benefitTotal: '3500.25',
    agreementsSigned: 1,
    averageRating: '3.00',
    ratingCount: 1,
  }),
)
const JIMEI = noServed(B_Q4)
// No park: E2 + E4 (C2 C5 C7).
const NO_PARK = noServed(
  figures({
    casesFiled: 3,
    casesClosed: 2,
    itemsClosed: 4,
    problemsSolved: 3,
    expertParticipations: 2,
    workersTrained: 24,
    benefitEstimated: '500.25',
    benefitConfirmed: '3050.00',
    benefitTotal: '3550.25',
    agreementsSigned: 2,
    averageRating: '3.50',
    ratingCount: 2,
  }),
)
// srdi = E1 + E4 (C1 C4 C6 C7).
const SRDI = noServed(
  figures({
    casesFiled: 3,
    casesClosed: 3,
    itemsClosed: 4,
    problemsSolved: 2,
    partlySolved: 1,
    expertParticipations: 4,
    workersTrained: 22,
    benefitEstimated: '1100.50',
    benefitConfirmed: '250.00',
    benefitTotal: '1350.50',
    agreementsSigned: 2,
    averageRating: '4.50',
    ratingCount: 3,
  }),
)
// Categories: the case once per category; item figures of that category only;
// participations, agreements and ratings are not attributable (0).
const CAT_TECH = noServed(
  figures({
    casesFiled: 3, // C2 C4 C5
    casesClosed: 3, // C1 C2 C4
    itemsClosed: 4, // I1 I3 I4 I7
    problemsSolved: 2,
    workersTrained: 33,
    benefitEstimated: '1100.50',
    benefitConfirmed: '3000.00',
    benefitTotal: '4100.50',
  }),
)
const CAT_SAFETY = noServed(
  figures({
    casesFiled: 1, // C3
    casesClosed: 2, // C1 C3
    itemsClosed: 2,
    problemsSolved: 1,
    partlySolved: 1,
    workersTrained: 12,
    benefitConfirmed: '200.00',
    benefitTotal: '200.00',
  }),
)
const CAT_QUALITY = noServed(
  figures({
    casesFiled: 2, // C2 C7
    casesClosed: 2,
    itemsClosed: 2,
    problemsSolved: 2,
    workersTrained: 4,
    benefitEstimated: '500.25',
    benefitConfirmed: '50.00',
    benefitTotal: '550.25',
  }),
)

const additive: (keyof OutcomeFigures)[] = [
  'casesFiled',
  'casesClosed',
  'itemsClosed',
  'problemsSolved',
  'partlySolved',
  'expertParticipations',
  'workersTrained',
  'agreementsSigned',
  'ratingCount',
]
const fen = (s: string) => Math.round(Number(s) * 100)

describe('the overview of a three-level tree', () => {
  let root: DashboardOverview
  beforeAll(async () => {
    root = await loadOverview(db, w.admin, { orgId: null, period: Q4, now: NOW })
  })

  it('defaults to the viewer scope and shows the period with its trail', () => {
    expect(root.org.id).toBe(w.orgs.root.id)
    expect(root.trail.map((o) => o.id)).toEqual([w.orgs.root.id])
    expect(root.period.key).toBe('2026-Q4')
    expect(root.asOf.getTime()).toBe(NOW.getTime())
  })

  it('headline and previous-period figures', () => {
    expect(root.figures).toEqual(ROOT_Q4)
    expect(root.previous).toEqual(ROOT_Q3)
  })

  it('child rows, with enterprises served and open cases, add up to the parent', () => {
    expect(root.children.map((c) => c.org.id)).toEqual([w.orgs.a.id, w.orgs.b.id])
    const [a, b] = root.children
    expect(a).toEqual({ org: expect.objectContaining({ id: w.orgs.a.id }), ...A_Q4, openCases: 2 })
    expect(b).toEqual({ org: expect.objectContaining({ id: w.orgs.b.id }), ...B_Q4, openCases: 0 })
    for (const k of additive) {
      expect(
        root.children.reduce((n, c) => n + (c[k] as number), 0),
        k,
      ).toBe(root.figures[k])
    }
    for (const k of ['benefitEstimated', 'benefitConfirmed', 'benefitTotal'] as const) {
      expect(
        root.children.reduce((n, c) => n + fen(c[k]), 0),
        k,
      ).toBe(fen(root.figures[k]))
    }
    expect(root.children.reduce((n, c) => n + c.openCases, 0)).toBe(root.pipeline.open)
  })

  it('every breakdown dimension', () => {
    const dim = (d: keyof typeof root.breakdowns) =>
      Object.fromEntries(root.breakdowns[d].map(({ key, ...rest }) => [key, rest]))
    const row = (f: ReturnType<typeof noServed>) => ({ ...f, enterprisesServed: null })
    expect(dim('industry')).toEqual({ C: row(INDUSTRY_C), I: row(INDUSTRY_I) })
    expect(root.breakdowns.industry.map((r) => r.key)).toEqual(['C', 'I'])
    expect(dim('district')).toEqual({ Huli: row(HULI), Siming: row(SIMING), Jimei: row(JIMEI) })
    expect(dim('park')).toEqual({ P1: row(HULI), '': row(NO_PARK) })
    expect(dim('tag')).toEqual({ 'hi-tech': row(INDUSTRY_C), srdi: row(SRDI) })
    expect(dim('category')).toEqual({
      tech: row(CAT_TECH),
      safety: row(CAT_SAFETY),
      quality: row(CAT_QUALITY),
    })
  })

  it('months of the period', () => {
    expect(root.months).toEqual([
      {
        month: '2026-10',
        ...noServed(
          figures({
            casesFiled: 1,
            casesClosed: 1,
            itemsClosed: 2,
            problemsSolved: 1,
            partlySolved: 1,
            expertParticipations: 2,
            workersTrained: 15,
            benefitEstimated: '1000.50',
            benefitConfirmed: '200.00',
            benefitTotal: '1200.50',
            agreementsSigned: 1,
            averageRating: '4.50',
            ratingCount: 1,
          }),
        ),
      },
      {
        month: '2026-11',
        ...noServed(
          figures({
            casesFiled: 2,
            casesClosed: 3,
            itemsClosed: 5,
            problemsSolved: 3,
            expertParticipations: 3,
            workersTrained: 27,
            benefitEstimated: '600.25',
            benefitConfirmed: '3050.00',
            benefitTotal: '3650.25',
            agreementsSigned: 2,
            averageRating: '4.00',
            ratingCount: 3,
          }),
        ),
      },
      {
        month: '2026-12',
        ...noServed(
          figures({
            casesFiled: 3,
            casesClosed: 1,
            itemsClosed: 1,
            problemsSolved: 1,
            expertParticipations: 3,
            workersTrained: 7,
            agreementsSigned: 1,
          }),
        ),
      },
    ])
  })

  it('stage times: median and p90 to the hour up to three days, to the day beyond', () => {
    expect(root.stageTimes).toEqual([
      // 2 (1.5h rounded up), 4, 5, 6, 8, 30
      { stage: 'submitted', spans: 6, medianHours: 5, p90Hours: 30 },
      // 1, 2, 2, 3, 4
      { stage: 'awaiting_steward', spans: 5, medianHours: 2, p90Hours: 4 },
      // 3, 5, 10, 12
      { stage: 'confirming', spans: 4, medianHours: 5, p90Hours: 12 },
      // 50, 100, 200, 300, 700 hours: beyond 72 h counted in whole days (rounded up),
      // so 200 h is 9 days (216 h) and 700 h is 30 days (720 h).
      { stage: 'paired', spans: 5, medianHours: 216, p90Hours: 720 },
    ])
  })

  it('SLA by stage: met when left in time, missed when fired or left late', () => {
    expect(root.sla).toEqual([
      { stage: 'triage', resolved: 2, met: 1, rate: 0.5 },
      { stage: 'invitation_answer', resolved: 1, met: 0, rate: 0 },
      { stage: 'visit_scheduling', resolved: 1, met: 0, rate: 0 },
      { stage: 'report', resolved: 1, met: 1, rate: 1 },
    ])
  })

  it('the live pipeline and what is overdue now, with owners', () => {
    const open = Object.fromEntries(OPEN_CASE_STATES.map((s) => [s, 0]))
    open.awaiting_steward = 1
    open.confirming = 1
    expect(root.pipeline).toEqual({
      byStage: OPEN_CASE_STATES.map((stage) => ({ stage, cases: open[stage] })),
      open: 2,
      overdue: 4,
    })
    expect(root.overdueByStage).toEqual([
      { stage: 'invitation_answer', count: 1 },
      { stage: 'needs_confirmation', count: 1 },
      { stage: 'report', count: 1 },
      { stage: 'steward_assignment', count: 1 },
    ])
    expect(root.overdue).toEqual([
      {
        kind: 'case',
        needsListId: w.cases.c5,
        title: 'C5 乙能源 设备维修',
        stage: 'needs_confirmation',
        dueAt: at('2026-12-15T04:00:00Z'),
        ownerName: '管家乙',
        orgName: 'A2 园区工会',
      },
      {
        kind: 'visit',
        needsListId: w.cases.c5,
        title: 'C5 乙能源 设备维修',
        stage: 'report',
        dueAt: at('2026-12-17T04:00:00Z'),
        ownerName: '管家乙',
        orgName: 'A2 园区工会',
      },
      {
        kind: 'invitation',
        needsListId: w.cases.c5,
        title: 'C5 乙能源 设备维修',
        stage: 'invitation_answer',
        dueAt: at('2026-12-18T04:00:00Z'),
        ownerName: '专家四',
        orgName: 'A2 园区工会',
      },
      {
        kind: 'case',
        needsListId: w.cases.c6,
        title: 'C6 甲精密 新需求',
        stage: 'steward_assignment',
        dueAt: at('2026-12-19T04:00:00Z'),
        ownerName: null,
        orgName: 'A1 园区工会',
      },
    ])
  })

  it('idle experts of the subtree', async () => {
    // X6 only: X5 is paused, X7 belongs to another tree.
    const experts = await loadExperts(db, w.admin, { orgId: null, period: Q4, now: NOW })
    expect(experts.idleCount).toBe(1)
  })

  it('a mid-level org: its grandchildren plus a case sitting at the org itself', async () => {
    const a = await loadOverview(db, w.admin, { orgId: w.orgs.a.id, period: Q4, now: NOW })
    expect(a.trail.map((o) => o.id)).toEqual([w.orgs.root.id, w.orgs.a.id])
    expect(a.figures).toEqual(A_Q4)
    expect(a.children.map((c) => c.org.id)).toEqual([w.orgs.a1.id, w.orgs.a2.id])
    const [a1, a2] = a.children as [ChildRow, ChildRow]
    expect(a1).toEqual({
      org: expect.objectContaining({ id: w.orgs.a1.id }),
      ...A1_Q4,
      openCases: 1,
    })
    expect(a2).toEqual({
      org: expect.objectContaining({ id: w.orgs.a2.id }),
      ...A2_Q4,
      openCases: 1,
    })
    // Children plus the case at A itself make A.
    for (const k of additive) {
      expect((a1[k] as number) + (a2[k] as number) + (C3_ONLY[k] as number), k).toBe(a.figures[k])
    }
    expect(fen(a1.benefitTotal) + fen(a2.benefitTotal)).toBe(fen(a.figures.benefitTotal))
    expect(a.pipeline.open).toBe(2)
    expect(a.overdue).toHaveLength(4)
    const b = await loadOverview(db, w.admin, { orgId: w.orgs.b.id, period: Q4, now: NOW })
    expect(b.figures).toEqual(B_Q4)
    expect(b.children).toEqual([])
    expect(b.overdue).toEqual([])
    expect(b.pipeline.open).toBe(0)
  })
})

describe('scopes', () => {
  it('a coordinator of a child org sees only its subtree', async () => {
    expect(dashboardScopes(w.coordA).map((s) => s.orgId)).toEqual([w.orgs.a.id])
    const own = await loadOverview(db, w.coordA, { orgId: null, period: Q4, now: NOW })
    expect(own.org.id).toBe(w.orgs.a.id)
    expect(own.trail.map((o) => o.id)).toEqual([w.orgs.a.id])
    expect(own.figures).toEqual(A_Q4)
    const a1 = await loadOverview(db, w.coordA, { orgId: w.orgs.a1.id, period: Q4, now: NOW })
    expect(a1.trail.map((o) => o.id)).toEqual([w.orgs.a.id, w.orgs.a1.id])
    for (const orgId of [w.orgs.root.id, w.orgs.b.id, w.orgs.other.id]) {
      expect(await refusal(loadOverview(db, w.coordA, { orgId, period: Q4, now: NOW }))).toEqual({
        code: 'forbidden',
        key: null,
      })
    }
    expect(
      await refusal(loadStewards(db, w.coordA, { orgId: w.orgs.root.id, period: Q4, now: NOW })),
    ).toMatchObject({ code: 'forbidden' })
  })

  it('stewards are not union readers; unknown orgs are not found', async () => {
    expect(await refusal(loadOverview(db, w.steward, { period: Q4, now: NOW }))).toMatchObject({
      code: 'forbidden',
    })
    expect(
      await refusal(loadOverview(db, w.admin, { orgId: 987654, period: Q4, now: NOW })),
    ).toMatchObject({ code: 'notFound' })
  })
})

describe('targets', () => {
  it('validation errors change nothing', async () => {
    const before = await db.selectFrom('org_target').selectAll().execute()
    const save = (values: Record<string, string | null>, year = 2026) =>
      refusal(saveTargets(db, w.admin, { orgId: w.orgs.root.id, year, values, now: NOW }))
    expect(await save({ enterprises_served: '99', problems_solved: '1.5' })).toEqual({
      code: 'validation',
      key: 'dashboard.errors.targetCount',
    })
    expect(await save({ workers_trained: '-5' })).toEqual({
      code: 'validation',
      key: 'dashboard.errors.targetCount',
    })
    expect(await save({ benefit_yuan: '1.234' })).toEqual({
      code: 'validation',
      key: 'dashboard.errors.targetYuan',
    })
    expect(await save({ benefit_yuan: 'abc' })).toEqual({
      code: 'validation',
      key: 'dashboard.errors.targetYuan',
    })
    expect(await save({ enterprises_served: '9' }, 1900)).toEqual({
      code: 'validation',
      key: 'dashboard.errors.targetYear',
    })
    expect(await db.selectFrom('org_target').selectAll().execute()).toEqual(before)
  })

  it('only federation admins of the org or above set targets', async () => {
    const values = { enterprises_served: '1' }
    expect(
      await refusal(
        saveTargets(db, w.coordA, { orgId: w.orgs.a.id, year: 2026, values, now: NOW }),
      ),
    ).toMatchObject({ code: 'forbidden' })
    expect(
      await refusal(
        saveTargets(db, w.adminA, { orgId: w.orgs.root.id, year: 2026, values, now: NOW }),
      ),
    ).toMatchObject({ code: 'forbidden' })
    expect(await db.selectFrom('org_target').selectAll().execute()).toEqual([])
  })

  it('progress against the whole year, and the children roll-up', async () => {
    await saveTargets(db, w.admin, {
      orgId: w.orgs.root.id,
      year: 2026,
      values: { enterprises_served: '10', benefit_yuan: '10000.5', workers_trained: '' },
      now: NOW,
    })
    await saveTargets(db, w.adminA, {
      orgId: w.orgs.a.id,
      year: 2026,
      values: { enterprises_served: '4', problems_solved: '3' },
      now: NOW,
    })
    await saveTargets(db, w.admin, {
      orgId: w.orgs.b.id,
      year: 2026,
      values: { enterprises_served: '2', agreements_signed: '7' },
      now: NOW,
    })
    // A blank value deletes.
    await saveTargets(db, w.admin, {
      orgId: w.orgs.b.id,
      year: 2026,
      values: { agreements_signed: ' ' },
      now: NOW,
    })
    const rows = await db
      .selectFrom('org_target')
      .select(['org_id', 'metric', 'updated_by'])
      .orderBy('org_id')
      .orderBy('metric')
      .execute()
    expect(rows).toHaveLength(5)
    expect(rows.find((r) => r.org_id === w.orgs.a.id)?.updated_by).toBe(w.adminA.userId)

    // A month period: targets still compare the whole year's figures.
    const nov = await loadOverview(db, w.admin, {
      orgId: w.orgs.root.id,
      period: period('2026-11'),
      now: NOW,
    })
    const byMetric = Object.fromEntries(nov.targets.map((t) => [t.metric, t]))
    // Year 2026: closed C1 C2 C3 C4 C7 C8; agreements C1 C2 C3 C4 C7 C8.
    expect(byMetric.enterprises_served).toEqual({
      metric: 'enterprises_served',
      target: '10',
      childrenTarget: '6',
      actual: '4',
      progress: 0.4,
    })
    expect(byMetric.problems_solved).toEqual({
      metric: 'problems_solved',
      target: null,
      childrenTarget: '3',
      actual: '6',
      progress: null,
    })
    expect(byMetric.expert_participations).toMatchObject({ actual: '9', target: null })
    expect(byMetric.workers_trained).toMatchObject({ actual: '55', target: null })
    expect(byMetric.agreements_signed).toMatchObject({
      actual: '6',
      target: null,
      childrenTarget: null,
    })
    expect(byMetric.benefit_yuan).toMatchObject({
      target: '10000.50',
      childrenTarget: null,
      actual: '5450.75',
    })
    expect(byMetric.benefit_yuan?.progress).toBeCloseTo(5450.75 / 10000.5, 10)

    const view = await loadTargets(db, w.admin, { orgId: w.orgs.root.id, year: 2026 })
    expect(view.canEdit).toBe(true)
    expect(view.rows.find((r) => r.metric === 'enterprises_served')).toEqual({
      metric: 'enterprises_served',
      target: '10',
      childrenTarget: '6',
    })
    expect(view.children.map((c) => [c.org.id, c.targets.enterprises_served])).toEqual([
      [w.orgs.a.id, '4'],
      [w.orgs.b.id, '2'],
    ])
    const coordView = await loadTargets(db, w.coordA, { year: 2026 })
    expect(coordView.canEdit).toBe(false)
    expect(coordView.rows.find((r) => r.metric === 'problems_solved')?.target).toBe('3')
  })
})

describe('stewards and experts', () => {
  it('stewards of the subtree, ranked for 选树优秀管家', async () => {
    const res = await loadStewards(db, w.admin, { period: Q4, now: NOW, page: 1, sort: 'rank' })
    expect(res.total).toBe(4)
    expect(res.pageSize).toBe(50)
    const { s1, s2, s3, s4 } = w.stewards
    expect(res.rows.map((r) => [r.name, r.rank])).toEqual([
      [s1.name, 1], // 4.75 (C1 4.50, C4 5.00)
      [s3.name, 2], // 4.00
      [s2.name, 3], // 3.00
      [s4.name, null], // nothing rated
    ])
    expect(res.rows[0]).toEqual({
      userId: s1.id,
      name: s1.name,
      orgName: 'A1 园区工会',
      load: 1, // E1 has the open C6; E3 has no open case
      capacity: 5,
      openCases: 0,
      byStage: [],
      closedInPeriod: 3, // C1 C3 C4
      deadlinesResolved: 2, // C1 visit scheduling (missed), C3 report (met)
      deadlinesMet: 1,
      onTimeRate: 0.5,
      averageRating: '4.75',
      ratingCount: 2,
      rank: 1,
    })
    expect(res.rows[2]).toMatchObject({
      userId: s2.id,
      load: 1,
      openCases: 1,
      byStage: [{ stage: 'confirming', cases: 1 }],
      closedInPeriod: 1,
      deadlinesResolved: 2,
      deadlinesMet: 1,
      averageRating: '3.00',
    })
    expect(res.rows[1]).toMatchObject({ deadlinesResolved: 1, deadlinesMet: 0, onTimeRate: 0 })
    expect(res.rows[3]).toMatchObject({ closedInPeriod: 0, onTimeRate: null, averageRating: null })

    const byName = await loadStewards(db, w.admin, { period: Q4, now: NOW, sort: 'closed' })
    expect(byName.rows.map((r) => r.userId)).toEqual(
      [s1.id, s2.id, s3.id, s4.id].sort((x, y) => {
        const closed: Record<number, number> = { [s1.id]: 3, [s2.id]: 1, [s3.id]: 1, [s4.id]: 0 }
        const names: Record<number, string> = {
          [s1.id]: s1.name,
          [s2.id]: s2.name,
          [s3.id]: s3.name,
          [s4.id]: s4.name,
        }
        return (closed[y] ?? 0) - (closed[x] ?? 0) || (names[x] ?? '').localeCompare(names[y] ?? '')
      }),
    )
    const bogus = await loadStewards(db, w.admin, {
      period: Q4,
      now: NOW,
      sort: 'nonsense',
      page: 9,
    })
    expect(bogus.sort).toBe('rank')
    expect(bogus.rows).toEqual([])
    expect(bogus.total).toBe(4)

    const coord = await loadStewards(db, w.coordA, { period: Q4, now: NOW })
    expect(coord.rows.map((r) => r.userId).sort()).toEqual([s1.id, s2.id, s4.id].sort())
  })

  it('experts of the subtree: engagements, visits held and hours, ratings, idle', async () => {
    const res = await loadExperts(db, w.admin, { period: Q4, now: NOW, page: 1, sort: 'hours' })
    const { x1, x2, x3, x4, x5, x6 } = w.experts
    expect(res.total).toBe(6)
    expect(res.idleCount).toBe(1)
    const rows = Object.fromEntries(res.rows.map((r) => [r.expertId, r]))
    expect(rows[x1.id]).toEqual({
      expertId: x1.id,
      name: x1.name,
      orgName: '根 市总工会',
      status: 'active',
      engagements: 1, // C3 (C1's pairing was in September)
      visitsHeld: 3, // V1 90 + V3 120 + V4 60 minutes
      hours: 4.5,
      averageRating: '4.50',
      ratingCount: 2,
      idle: false,
    })
    expect(rows[x2.id]).toMatchObject({
      engagements: 1,
      visitsHeld: 1,
      hours: 1.5,
      averageRating: null,
      ratingCount: 0,
    })
    expect(rows[x3.id]).toMatchObject({
      engagements: 2,
      visitsHeld: 1,
      hours: 0.5,
      averageRating: '4.00',
    })
    expect(rows[x4.id]).toMatchObject({ engagements: 0, visitsHeld: 1, hours: 2, idle: false })
    expect(rows[x5.id]).toMatchObject({ status: 'paused', idle: false, engagements: 0 })
    expect(rows[x6.id]).toMatchObject({ idle: true, engagements: 0, visitsHeld: 0, hours: 0 })
    expect(res.rows.map((r) => r.expertId).slice(0, 4)).toEqual([x1.id, x4.id, x2.id, x3.id])

    const idle = await loadExperts(db, w.admin, { period: Q4, now: NOW, idleOnly: true })
    expect(idle.rows.map((r) => r.expertId)).toEqual([x6.id])
    expect(idle.total).toBe(1)

    const a1 = await loadExperts(db, w.coordA, { orgId: w.orgs.a1.id, period: Q4, now: NOW })
    expect(a1.rows.map((r) => r.expertId)).toEqual([x4.id])
  })
})
