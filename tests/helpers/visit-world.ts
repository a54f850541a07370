import type { Db } from '#db/client.server.ts'
import { findTemplateByCode } from '#db/queries/checklist-templates.ts'
import { currentPlan, planItemsOf } from '#db/queries/inspection-plans.ts'
import { pairingsOf } from '#db/queries/pairing.ts'
import type { Principal } from '#workflows/access.ts'
import { answerInvitation } from '#workflows/commands/invitations.ts'
import { checkIn } from '#workflows/commands/onsite.ts'
import { confirmPairing, scheduleMeeting } from '#workflows/commands/pairing.ts'
import { runMatching, sendInvitations } from '#workflows/commands/resource-list.ts'
import { confirmVisit, type ScheduledVisit, scheduleVisit } from '#workflows/commands/visits.ts'
import { beijingLocalValue } from '#workflows/resource-list/schema.ts'
import {
  addExpert,
  buildMatchingWorld,
  invitationsOf,
  type MatchingWorld,
  readyList,
} from './matching-world.ts'

let cases = 0

/** The address the fixture enterprise has: the default place of its visits. */
export const CASE_ADDRESS = '厦门市思明区软件园二期 8 号'

/**
 * A case taken to `paired` through the real commands, in a world of its own
 * (tests/helpers/matching-world.ts: orgs, contacts, coordinator, steward):
 * two confirmed items (distribution boxes; harmonics), each paired with one
 * expert who has a sign-in (experts[0] on items[0], experts[1] on items[1]).
 */
export async function buildPairedCase(db: Db, options: { label?: string } = {}) {
  cases++
  const label = options.label ?? `vw${process.pid % 1000}-${cases}`
  const world = await buildMatchingWorld(db, label)
  await db
    .updateTable('enterprise')
    .set({ address: CASE_ADDRESS })
    .where('id', '=', world.enterprise.id)
    .execute()
  const boxes = await addExpert(db, world, {
    name: `${label} 王电工`,
    skills: [['boxes', 5]],
    honours: [{ type: 'national_model_worker', level: 'national' }],
  })
  const harmonics = await addExpert(db, world, {
    name: `${label} 李工匠`,
    skills: [['harmonics', 5]],
  })
  const list = await readyList(db, world, `${label} 配电设备诊断`, [
    { title: '配电箱健康诊断', headcount: 1, skills: ['boxes'] },
    { title: '谐波治理', headcount: 1, skills: ['harmonics'] },
  ])
  const steward = world.principals.steward
  await runMatching(db, steward, list.id)
  await sendInvitations(db, steward, list.id)
  const invitations = await invitationsOf(db, list.id)
  const experts = [boxes, harmonics]
  const chosen: { itemId: number; invitationIds: number[] }[] = []
  for (const [n, e] of experts.entries()) {
    const inv = invitations.find((i) => i.expert_id === e.expert.id)
    if (!inv || !e.principal) throw new Error(`visit-world: ${e.expert.name} was not invited`)
    await answerInvitation(db, e.principal, inv.id, { accept: true })
    chosen.push({ itemId: list.itemIds[n] as number, invitationIds: [inv.id] })
  }
  await scheduleMeeting(db, steward, list.id, {
    heldAt: '2026-03-10T14:30',
    place: '软件园工会会议室',
    attendees: [{ name: '企业负责人', role: '企业' }],
  })
  await confirmPairing(db, steward, list.id, { decisions: chosen })
  const pairings = await pairingsOf(db, list.id)
  const expertPrincipals = experts.map((e) => e.principal as Principal)
  return {
    ...world,
    listId: list.id,
    itemIds: list.itemIds,
    experts: experts.map((e) => ({
      expert: e.expert,
      user: e.user as NonNullable<typeof e.user>,
      principal: e.principal as Principal,
    })),
    pairings,
    principals: {
      ...world.principals,
      expert: expertPrincipals[0] as Principal,
      expert2: expertPrincipals[1] as Principal,
    },
  }
}

export type PairedCase = Awaited<ReturnType<typeof buildPairedCase>>

/** A Wednesday 09:30 Beijing time at least a week after `now` (the experts serve Mon–Fri). */
export function nextWorkingSlot(now = new Date()): Date {
  const day = new Date(now.getTime() + 7 * 86_400_000)
  const ymd = new Date(day.getTime() + 8 * 3_600_000)
  const weekday = ymd.getUTCDay() // 0 Sunday
  const add = (3 - weekday + 7) % 7
  const date = new Date(
    Date.UTC(ymd.getUTCFullYear(), ymd.getUTCMonth(), ymd.getUTCDate() + add, 9 - 8, 30),
  )
  return date
}

export interface TestVisitOptions {
  /** The enterprise confirms it (scheduled). */
  confirm?: boolean
  /** The steward checks in (on_site); implies confirm. */
  checkIn?: boolean
  /** Default: nextWorkingSlot(now). */
  startsAt?: Date
  now?: Date
  /** Default: both paired experts. */
  expertIds?: number[]
  /** Default: the electrical health diagnosis template. */
  templateCodes?: string[]
  kind?: 'inspection' | 'follow_up' | 'training'
}

/**
 * A visit of the case through the real scheduleVisit (all items served, both
 * experts on the team, the electrical template as its plan), optionally
 * confirmed by the enterprise and checked in by the steward.
 */
export async function scheduleTestVisit(
  db: Db,
  world: PairedCase,
  opts: TestVisitOptions = {},
): Promise<ScheduledVisit & { planItemIds: number[] }> {
  const now = opts.now ?? new Date()
  const startsAt = opts.startsAt ?? nextWorkingSlot(now)
  const templateIds: number[] = []
  for (const code of opts.templateCodes ?? ['electrical_health']) {
    const t = await findTemplateByCode(db, code)
    if (!t) throw new Error(`visit-world: template ${code} is missing`)
    templateIds.push(t.id)
  }
  // A start in the past (for on-site tests) is scheduled "an hour before it".
  const scheduleNow =
    startsAt.getTime() > now.getTime() ? now : new Date(startsAt.getTime() - 3_600_000)
  const visit = await scheduleVisit(
    db,
    world.principals.steward,
    world.listId,
    {
      kind: opts.kind ?? 'inspection',
      startsAt: beijingLocalValue(startsAt),
      durationMinutes: 120,
      expertIds: opts.expertIds ?? world.experts.map((e) => e.expert.id),
      templateIds,
      itemIds: world.itemIds,
      objectives: '排查配电设备隐患',
      acknowledgeConflicts: true,
    },
    { now: scheduleNow },
  )
  if (opts.confirm || opts.checkIn) {
    await confirmVisit(db, world.principals.contact, visit.visitId, { now: scheduleNow })
  }
  if (opts.checkIn) {
    await checkIn(db, world.principals.steward, visit.visitId, { now })
  }
  const plan = await currentPlan(db, visit.visitId)
  const items = plan ? await planItemsOf(db, plan.id) : []
  return { ...visit, planItemIds: items.map((i) => i.id) }
}

export type { MatchingWorld }
