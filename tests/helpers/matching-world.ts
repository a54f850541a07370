import { sql } from 'kysely'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { makeExpert, makeServiceTeam, makeUser } from '#db/factories.ts'
import { skillIdsByCodes } from '#db/queries/skills.ts'
import type { Principal } from '#workflows/access.ts'
import { approveRevision, filedItems, proposeRevision } from '#workflows/commands/confirmation.ts'
import {
  type CommandOptions,
  createNeedsList,
  submitNeedsList,
  triageNeedsList,
} from '#workflows/commands/needs-lists.ts'
import { initialDraft } from '#workflows/confirmation.ts'
import { buildWorld, instanceOf, principalOf, TEST_PASSWORD, type World } from './world.ts'

/** Reference skills (db/reference/skills.ts) the matching tests use, by short name. */
export const SKILL_CODES = {
  boxes: 'power.equipment.distribution-box-diagnosis',
  leakage: 'power.equipment.leakage-protector-testing',
  harmonics: 'power.power-quality.harmonic-analysis',
  pv: 'energy.pv.rooftop-pv-design',
  bms: 'energy.storage.bms',
  gmaw: 'welding.arc.gmaw',
  cnc: 'machining.cnc.cnc-programming',
  plc: 'automation.plc.plc-programming',
  robot: 'automation.robotics.robot-programming',
  spc: 'quality.tools.spc',
  fmea: 'quality.tools.fmea',
  iso: 'quality.systems.iso-9001',
  lockout: 'safety.electrical.lockout-tagout',
  ppe: 'health.surveillance.ppe',
  kaizen: 'management.lean.kaizen',
  hazop: 'chemical.process-safety.hazop',
  cad: 'digital.industrial-software.cad',
  welder: 'training.certification.welder',
} as const
export type SkillName = keyof typeof SKILL_CODES

export async function skillIds(db: DbOrTrx): Promise<Record<SkillName, number>> {
  const ids = await skillIdsByCodes(db, Object.values(SKILL_CODES))
  return Object.fromEntries(
    Object.entries(SKILL_CODES).map(([name, code]) => {
      const id = ids.get(code)
      if (id === undefined) throw new Error(`reference skill ${code} is missing`)
      return [name, id]
    }),
  ) as Record<SkillName, number>
}

/**
 * The world of tests/helpers/world.ts, with the enterprise's dedicated steward
 * set (accepting a list hands it to them), the enterprise placed in a district
 * and park, and the reference skills by short name.
 */
export async function buildMatchingWorld(db: Db, label: string) {
  const world = await buildWorld(db, label)
  for (const e of [world.enterprise, world.otherEnterprise]) {
    await db
      .updateTable('enterprise')
      .set({ steward_user_id: world.users.steward.id, district: '思明区', park: '软件园' })
      .where('id', '=', e.id)
      .execute()
  }
  return { ...world, label, skills: await skillIds(db) }
}
export type MatchingWorld = Awaited<ReturnType<typeof buildMatchingWorld>>

let mobiles = 0
/** A unique mainland mobile per call (expert.mobile is unique). */
export function nextMobile(): string {
  mobiles++
  return `139${String(process.pid % 10_000).padStart(4, '0')}${String(mobiles).padStart(4, '0')}`
}

export interface ExpertSpec {
  name: string
  orgId?: number
  skills: [SkillName, number][]
  honours?: {
    type: string
    level: 'national' | 'provincial' | 'city' | 'district' | 'enterprise'
  }[]
  districts?: string[]
  parks?: string[]
  capacity?: number
  status?: 'active' | 'paused'
  /** Give the expert a sign-in (role expert). Default true. */
  signIn?: boolean
  blackouts?: { startsOn: string; endsOn: string }[]
  weekdays?: number[]
}

/** An expert of the pool (by default managed by the world's district), with a sign-in. */
export async function addExpert(db: Db, world: MatchingWorld, spec: ExpertSpec) {
  const orgId = spec.orgId ?? world.orgs.district.id
  const mobile = nextMobile()
  const user =
    spec.signIn === false
      ? null
      : await makeUser(db, {
          email: `${world.label}-expert-${mobile}@zhuqi.test`,
          name: spec.name,
          password: TEST_PASSWORD,
          role: 'expert',
          orgId,
        })
  const expert = await makeExpert(db, {
    orgId,
    userId: user?.id ?? null,
    name: spec.name,
    mobile,
    employer: `${spec.name} Works`,
    jobTitle: 'Senior electrician',
    districts: spec.districts ?? ['思明区'],
    parks: spec.parks ?? [],
    capacity: spec.capacity ?? 2,
    status: spec.status ?? 'active',
    weekdays: spec.weekdays,
    skills: spec.skills.map(([name, proficiency]) => ({
      skillId: world.skills[name],
      proficiency,
    })),
    honours: spec.honours ?? [],
    blackouts: spec.blackouts,
  })
  const principal: Principal | null = user ? await principalOf(db, user.id) : null
  return { expert, user, principal, key: `expert:${expert.id}` as const }
}

export async function addTeam(
  db: Db,
  world: MatchingWorld,
  input: { name: string; leaderId: number; memberIds: number[]; capacity?: number; orgId?: number },
) {
  const team = await makeServiceTeam(db, {
    orgId: input.orgId ?? world.orgs.district.id,
    name: input.name,
    leaderId: input.leaderId,
    memberIds: input.memberIds,
    capacity: input.capacity,
  })
  return { team, key: `team:${team.id}` as const }
}

export interface ItemSpec {
  title: string
  headcount: number
  skills: SkillName[]
  windowStart?: string
  windowEnd?: string
}

/**
 * A list filed by the world's contact (or `contact`), accepted to the
 * enterprise's steward, confirmed as filed and approved: ready for matching
 * with one confirmed item per spec.
 */
export async function readyList(
  db: Db,
  world: MatchingWorld,
  title: string,
  items: ItemSpec[],
  options: CommandOptions & {
    contact?: Principal
    coordinator?: Principal
    steward?: Principal
  } = {},
): Promise<{ id: number; itemIds: number[]; version: number }> {
  const contact = options.contact ?? world.principals.contact
  const coordinator = options.coordinator ?? world.principals.coordinator
  const id = await createNeedsList(
    db,
    contact,
    {
      title,
      items: items.map((i) => ({
        category: 'equipment_diagnosis',
        title: i.title,
        description: `${i.title} for the workshop`,
        urgency: 'normal' as const,
        headcount: i.headcount,
        skillIds: i.skills.map((s) => world.skills[s]),
        windowStart: i.windowStart,
        windowEnd: i.windowEnd,
      })),
    },
    options,
  )
  await submitNeedsList(db, contact, id, 1, options)
  await triageNeedsList(db, coordinator, id, { type: 'ACCEPT' }, 2, options)
  const draft = initialDraft(await filedItems(db, id))
  const { version } = await instanceOf(db, id)
  const steward = options.steward ?? world.principals.steward
  const proposed = await proposeRevision(db, steward, id, version, draft, options)
  const approved = await approveRevision(
    db,
    contact,
    id,
    proposed.revision,
    proposed.version,
    options,
  )
  const confirmed = await db
    .selectFrom('confirmed_item')
    .select('id')
    .where('needs_list_id', '=', id)
    .orderBy('position')
    .execute()
  return { id, itemIds: confirmed.map((c) => c.id), version: approved.version }
}

export function proposalsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('resource_proposal')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('id')
    .execute()
}

/** The live proposals as 'status item candidate', sorted, for compact assertions. */
export async function liveProposals(db: DbOrTrx, listId: number) {
  const rows = await proposalsOf(db, listId)
  return rows
    .filter((r) => r.status !== 'superseded')
    .map((r) => ({
      itemId: r.confirmed_item_id,
      key: r.team_id !== null ? `team:${r.team_id}` : `expert:${r.expert_id}`,
      status: r.status,
      source: r.source,
    }))
    .sort((a, b) => a.itemId - b.itemId || a.key.localeCompare(b.key))
}

export function invitationsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('id')
    .execute()
}

export function invitationInstance(db: DbOrTrx, invitationId: number) {
  return db
    .selectFrom('workflow_instance')
    .selectAll()
    .where('subject_type', '=', 'invitation')
    .where('subject_id', '=', invitationId)
    .executeTakeFirstOrThrow()
}

export function runsOfList(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('matching_run')
    .selectAll()
    .where('needs_list_id', '=', listId)
    .orderBy('id')
    .execute()
}

/** The outbox row of an invitation's pending timer of a phase (the job the timeout worker runs). */
export async function invitationTimerJob(
  db: DbOrTrx,
  invitationId: number,
  phase: 'remind' | 'breach',
) {
  const row = await db
    .selectFrom('outbox')
    .select('payload')
    .where(sql<string>`payload->>'subjectType'`, '=', 'invitation')
    .where(sql<string>`payload->>'subjectId'`, '=', String(invitationId))
    .where(sql<string>`payload->'timer'->>'phase'`, '=', phase)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.payload
}

export { principalOf, type World }
