import { sql } from 'kysely'
import {
  type CandidateHonour,
  type CandidateKey,
  type CandidateKind,
  type CandidateSkill,
  candidateKey,
  type MatchCandidate,
  type MatchInput,
  type MatchItem,
  type MatchWeights,
  type Pin,
  type TaxonomyIndex,
} from '#workflows/matching/types.ts'
import type { DbOrTrx } from '../client.server.ts'
import type { HonourLevel } from '../schema.ts'
import { volunteersByItem } from './challenges.ts'
import { engagementLoads } from './expert-load.ts'
import { orgIdsOfPath } from './sla.ts'

/**
 * Builds the matching engine's input (workflows/matching/types.ts) from the
 * database: the confirmed items of some needs lists and the pool of experts
 * and service teams who may serve them.
 *
 * The pool:
 * - an expert (or team) serves the subtree of the union that manages them, so
 *   for a case only active experts of the case's org or of one of its
 *   ancestors are candidates (expert.org path is a prefix of the case's);
 * - only candidates with at least one skill in the taxonomy domains of the
 *   items' skills are loaded, plus the volunteers and pins of the items: a
 *   candidate without a skill in those domains has skill fit 'none' with every
 *   item and could never be proposed, so a national pool stays small here;
 * - a service team is one candidate: its skills are its active members'
 *   (best proficiency per skill), its honours, districts, parks and usual
 *   weekdays the union of its members', its ratings and past enterprises its
 *   members' together; it is away when its leader is (the leader's blackouts:
 *   the leader answers for the team and organises who goes); its capacity and
 *   load are the team's own. Teams do not volunteer (experts do).
 *
 * Constraints: the steward's pins and exclusions (match_constraint), plus
 * - candidates already invited or accepted for an item are kept: the item
 *   needs that many fewer, and they are not proposed for it again;
 * - candidates who declined, lapsed or were withdrawn for an item are not
 *   proposed for it again;
 * - for a replacement (one slot after a decline or lapse) everybody already on
 *   the item's list in any status but 'superseded' is left out.
 * In a batch over lists of different orgs, the pairs of a candidate and an
 * item outside the candidate's subtree are excluded as well (only where the
 * candidate shares a skill domain with the item: other pairs cannot match). A
 * volunteer of an open challenge may come from any org: they are a candidate
 * for the item they volunteered for, and otherwise only within their subtree.
 */

export type LoadMode =
  /** A (re-)run of the resource list: every item's open places. */
  | 'run'
  /** One more candidate for an item after a decline or a lapse. */
  | 'replacement'

export interface LoadOptions {
  listIds: number[]
  weights: MatchWeights
  /** Only these items (of the lists). */
  itemIds?: number[]
  mode?: LoadMode
}

export interface LoadedItem {
  id: number
  listId: number
  title: string
  headcount: number
  /** Places the engine is asked to fill (0: the item is already staffed and left out). */
  open: number
}

export interface LoadedInput {
  input: MatchInput
  items: LoadedItem[]
  /** Which list each item belongs to. */
  listOf: Map<number, number>
  /** Pairs excluded because the candidate does not serve the item's org (batch only). */
  outOfScope: number
}

interface ListRow {
  id: number
  orgPath: string
}

const STAFFED = ['invited', 'accepted'] as const
/** Answers that rule a candidate out for the item. */
const RULED_OUT = ['declined', 'lapsed', 'withdrawn'] as const

export async function loadMatchInput(db: DbOrTrx, options: LoadOptions): Promise<LoadedInput> {
  const mode = options.mode ?? 'run'
  const empty: LoadedInput = {
    input: {
      items: [],
      candidates: [],
      taxonomy: { parentOf: new Map() },
      weights: options.weights,
      constraints: { pinned: [], excluded: [] },
    },
    items: [],
    listOf: new Map(),
    outOfScope: 0,
  }
  if (options.listIds.length === 0) return empty

  const itemRows = await db
    .selectFrom('confirmed_item as c')
    .innerJoin('needs_list as l', 'l.id', 'c.needs_list_id')
    .innerJoin('enterprise as e', 'e.id', 'l.enterprise_id')
    .innerJoin('union_org as o', 'o.id', 'l.org_id')
    .select([
      'c.id',
      'c.needs_list_id as listId',
      'c.title',
      'c.headcount',
      'c.skill_ids as skillIds',
      sql<string | null>`to_char(c.window_start, 'YYYY-MM-DD')`.as('windowStart'),
      sql<string | null>`to_char(c.window_end, 'YYYY-MM-DD')`.as('windowEnd'),
      'e.id as enterpriseId',
      'e.district',
      'e.park',
      'o.path as orgPath',
    ])
    .where('c.needs_list_id', 'in', options.listIds)
    .$if(options.itemIds !== undefined, (q) =>
      q.where('c.id', 'in', options.itemIds?.length ? options.itemIds : [-1]),
    )
    .orderBy('c.needs_list_id')
    .orderBy('c.position')
    .execute()
  if (itemRows.length === 0) return empty
  const itemIds = itemRows.map((i) => i.id)
  const lists = new Map<number, ListRow>()
  for (const i of itemRows) lists.set(i.listId, { id: i.listId, orgPath: i.orgPath })

  const [proposals, constraints, skills, volunteers] = await Promise.all([
    db
      .selectFrom('resource_proposal')
      .select(['confirmed_item_id as itemId', 'expert_id', 'team_id', 'status'])
      .where('confirmed_item_id', 'in', itemIds)
      .where('status', '!=', 'superseded')
      .execute(),
    db
      .selectFrom('match_constraint')
      .select(['confirmed_item_id as itemId', 'expert_id', 'team_id', 'kind'])
      .where('confirmed_item_id', 'in', itemIds)
      .orderBy('id')
      .execute(),
    db.selectFrom('skill').select(['id', 'parent_id']).execute(),
    volunteersByItem(db, itemIds),
  ])

  // --- Places to fill and the pairs ruled out, per item.
  const keyOf = (r: { expert_id: number | null; team_id: number | null }): CandidateKey =>
    r.team_id !== null ? candidateKey('team', r.team_id) : candidateKey('expert', r.expert_id ?? 0)
  const excluded = new Map<number, Set<CandidateKey>>(itemIds.map((id) => [id, new Set()]))
  const staffed = new Map<number, number>()
  const drafted = new Map<number, number>()
  for (const p of proposals) {
    const key = keyOf(p)
    if ((STAFFED as readonly string[]).includes(p.status)) {
      staffed.set(p.itemId, (staffed.get(p.itemId) ?? 0) + 1)
    }
    if (p.status === 'proposed') drafted.set(p.itemId, (drafted.get(p.itemId) ?? 0) + 1)
    const ruledOut =
      mode === 'replacement' ||
      (STAFFED as readonly string[]).includes(p.status) ||
      (RULED_OUT as readonly string[]).includes(p.status)
    if (ruledOut) excluded.get(p.itemId)?.add(key)
  }
  const pinsOf = new Map<number, CandidateKey[]>()
  for (const c of constraints) {
    const key = keyOf(c)
    if (c.kind === 'exclude') excluded.get(c.itemId)?.add(key)
    else if (mode === 'run') pinsOf.set(c.itemId, [...(pinsOf.get(c.itemId) ?? []), key])
  }

  const items: LoadedItem[] = itemRows.map((i) => {
    const taken = staffed.get(i.id) ?? 0
    const open =
      mode === 'replacement'
        ? Math.min(1, i.headcount - taken - (drafted.get(i.id) ?? 0))
        : i.headcount - taken
    return {
      id: i.id,
      listId: i.listId,
      title: i.title,
      headcount: i.headcount,
      open: Math.max(0, open),
    }
  })
  const openItems = itemRows.filter((_, n) => (items[n]?.open ?? 0) > 0)
  const openOf = new Map(items.map((i) => [i.id, i.open]))

  // --- The taxonomy, and the skills in the items' domains.
  const parentOf = new Map<number, number | null>(skills.map((s) => [s.id, s.parent_id]))
  const domainOf = (id: number): number => {
    let node = id
    for (let guard = 0; guard < 16; guard++) {
      const parent = parentOf.get(node)
      if (parent === null || parent === undefined) return node
      node = parent
    }
    return node
  }
  const itemDomains = new Map(
    openItems.map((i) => [i.id, new Set(i.skillIds.filter((s) => parentOf.has(s)).map(domainOf))]),
  )
  const domains = new Set([...itemDomains.values()].flatMap((d) => [...d]))
  const relevantSkills = skills.filter((s) => domains.has(domainOf(s.id))).map((s) => s.id)

  // Pins: not for items already staffed, nor for candidates ruled out there.
  const pinned: Pin[] = []
  for (const i of openItems) {
    let room = openOf.get(i.id) ?? 0
    for (const key of pinsOf.get(i.id) ?? []) {
      if (room <= 0 || excluded.get(i.id)?.has(key)) continue
      pinned.push({ itemId: i.id, key })
      room--
    }
  }
  const volunteerIds = [...new Set(openItems.flatMap((i) => volunteers.get(i.id) ?? []))]
  const pinnedIds = (kind: CandidateKind) =>
    pinned.filter((p) => p.key.startsWith(`${kind}:`)).map((p) => Number(p.key.split(':')[1]))
  const eligibleOrgIds = [...new Set([...lists.values()].flatMap((l) => orgIdsOfPath(l.orgPath)))]

  // --- Candidates: experts, then teams (with their active members).
  const forcedExperts = [...new Set([...volunteerIds, ...pinnedIds('expert')])]
  const expertRows =
    relevantSkills.length === 0 && forcedExperts.length === 0
      ? []
      : await db
          .selectFrom('expert as x')
          .innerJoin('union_org as o', 'o.id', 'x.org_id')
          .select([
            'x.id',
            'x.org_id',
            'x.name',
            'x.districts',
            'x.parks',
            'x.weekdays',
            'x.capacity',
          ])
          .where('x.status', '=', 'active')
          .where((eb) =>
            eb.or([
              ...(relevantSkills.length > 0 && eligibleOrgIds.length > 0
                ? [
                    eb.and([
                      eb('x.org_id', 'in', eligibleOrgIds),
                      eb.exists(
                        eb
                          .selectFrom('expert_skill as s')
                          .select(sql`1`.as('one'))
                          .whereRef('s.expert_id', '=', 'x.id')
                          .where('s.skill_id', 'in', relevantSkills),
                      ),
                    ]),
                  ]
                : []),
              ...(forcedExperts.length > 0 ? [eb('x.id', 'in', forcedExperts)] : []),
            ]),
          )
          .orderBy('x.id')
          .execute()

  const forcedTeams = pinnedIds('team')
  const teamRows =
    (relevantSkills.length === 0 || eligibleOrgIds.length === 0) && forcedTeams.length === 0
      ? []
      : await db
          .selectFrom('service_team as t')
          .innerJoin('expert as lx', 'lx.id', 't.leader_expert_id')
          .select(['t.id', 't.org_id', 't.name', 't.capacity', 't.leader_expert_id'])
          .where('t.status', '=', 'active')
          .where('lx.status', '=', 'active')
          .where((eb) =>
            eb.or([
              ...(relevantSkills.length > 0 && eligibleOrgIds.length > 0
                ? [
                    eb.and([
                      eb('t.org_id', 'in', eligibleOrgIds),
                      eb.exists(
                        eb
                          .selectFrom('service_team_member as m')
                          .innerJoin('expert as mx', 'mx.id', 'm.expert_id')
                          .innerJoin('expert_skill as s', 's.expert_id', 'm.expert_id')
                          .select(sql`1`.as('one'))
                          .whereRef('m.team_id', '=', 't.id')
                          .where('mx.status', '=', 'active')
                          .where('s.skill_id', 'in', relevantSkills),
                      ),
                    ]),
                  ]
                : []),
              ...(forcedTeams.length > 0 ? [eb('t.id', 'in', forcedTeams)] : []),
            ]),
          )
          .orderBy('t.id')
          .execute()
  const teamIds = teamRows.map((t) => t.id)
  const members =
    teamIds.length === 0
      ? []
      : await db
          .selectFrom('service_team_member as m')
          .innerJoin('expert as x', 'x.id', 'm.expert_id')
          .select(['m.team_id', 'x.id', 'x.districts', 'x.parks', 'x.weekdays'])
          .where('m.team_id', 'in', teamIds)
          .where('x.status', '=', 'active')
          .execute()

  const personIds = [...new Set([...expertRows.map((x) => x.id), ...members.map((m) => m.id)])]
  const [skillRows, honourRows, blackoutRows, ratingRows, pastRows, expertLoads, teamLoads] =
    await Promise.all([
      personIds.length === 0
        ? []
        : db
            .selectFrom('expert_skill')
            .select(['expert_id', 'skill_id', 'proficiency'])
            .where('expert_id', 'in', personIds)
            .execute(),
      personIds.length === 0
        ? []
        : db
            .selectFrom('expert_honour')
            .select(['expert_id', 'type', 'level', 'year'])
            .where('expert_id', 'in', personIds)
            .execute(),
      personIds.length === 0
        ? []
        : db
            .selectFrom('expert_blackout')
            .select(['expert_id', 'starts_on', 'ends_on'])
            .where('expert_id', 'in', personIds)
            .execute(),
      personIds.length === 0
        ? []
        : db
            .selectFrom('expert_rating')
            .select([
              'expert_id',
              sql<number>`sum(score)::float8`.as('total'),
              sql<number>`count(*)::int`.as('n'),
            ])
            .where('expert_id', 'in', personIds)
            .groupBy('expert_id')
            .execute(),
      pastEnterprises(db, personIds, teamIds),
      engagementLoads(
        db,
        'expert',
        expertRows.map((x) => x.id),
      ),
      engagementLoads(db, 'team', teamIds),
    ])

  const byExpert = <T extends { expert_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>()
    for (const r of rows) m.set(r.expert_id, [...(m.get(r.expert_id) ?? []), r])
    return m
  }
  const skillsOf = byExpert(skillRows)
  const honoursOf = byExpert(honourRows)
  const blackoutsOf = byExpert(blackoutRows)
  const ratingOf = new Map(ratingRows.map((r) => [r.expert_id, { total: Number(r.total), n: r.n }]))
  const volunteered = new Map<number, number[]>()
  for (const [itemId, ids] of volunteers) {
    if (!openOf.get(itemId)) continue
    for (const id of ids) volunteered.set(id, [...(volunteered.get(id) ?? []), itemId])
  }

  const honours = (ids: number[]): CandidateHonour[] => {
    const seen = new Set<string>()
    const out: CandidateHonour[] = []
    for (const id of ids) {
      for (const h of honoursOf.get(id) ?? []) {
        const k = `${h.type}|${h.level}|${h.year ?? ''}`
        if (seen.has(k)) continue
        seen.add(k)
        out.push({ type: h.type, level: h.level as HonourLevel, year: h.year })
      }
    }
    return out
  }
  const bestSkills = (ids: number[]): CandidateSkill[] => {
    const best = new Map<number, number>()
    for (const id of ids) {
      for (const s of skillsOf.get(id) ?? []) {
        best.set(s.skill_id, Math.max(best.get(s.skill_id) ?? 0, s.proficiency))
      }
    }
    return [...best].map(([skillId, proficiency]) => ({ skillId, proficiency }))
  }
  const rating = (ids: number[]) => {
    let total = 0
    let n = 0
    for (const id of ids) {
      const r = ratingOf.get(id)
      if (r) {
        total += r.total
        n += r.n
      }
    }
    return { ratingAverage: n > 0 ? Math.round((total / n) * 100) / 100 : null, ratingCount: n }
  }
  const union = <T>(lists: T[][]) => [...new Set(lists.flat())]

  const candidates: MatchCandidate[] = []
  const orgOfCandidate = new Map<CandidateKey, number>()
  for (const x of expertRows) {
    orgOfCandidate.set(candidateKey('expert', x.id), x.org_id)
    candidates.push({
      kind: 'expert',
      id: x.id,
      name: x.name,
      skills: bestSkills([x.id]),
      honours: honours([x.id]),
      districts: x.districts,
      parks: x.parks,
      weekdays: x.weekdays,
      blackouts: (blackoutsOf.get(x.id) ?? []).map((b) => ({ from: b.starts_on, to: b.ends_on })),
      capacity: x.capacity,
      load: expertLoads.get(x.id) ?? 0,
      ...rating([x.id]),
      pastEnterpriseIds: pastRows.experts.get(x.id) ?? [],
      volunteeredItemIds: volunteered.get(x.id) ?? [],
    })
  }
  for (const t of teamRows) {
    const crew = members.filter((m) => m.team_id === t.id)
    const ids = crew.map((m) => m.id)
    orgOfCandidate.set(candidateKey('team', t.id), t.org_id)
    candidates.push({
      kind: 'team',
      id: t.id,
      name: t.name,
      skills: bestSkills(ids),
      honours: honours(ids),
      districts: union(crew.map((m) => m.districts)),
      parks: union(crew.map((m) => m.parks)),
      weekdays: union(crew.map((m) => m.weekdays)).sort((a, b) => a - b),
      blackouts: (blackoutsOf.get(t.leader_expert_id) ?? []).map((b) => ({
        from: b.starts_on,
        to: b.ends_on,
      })),
      capacity: t.capacity,
      load: teamLoads.get(t.id) ?? 0,
      ...rating(ids),
      pastEnterpriseIds: union([
        ...ids.map((id) => pastRows.experts.get(id) ?? []),
        pastRows.teams.get(t.id) ?? [],
      ]),
      volunteeredItemIds: [],
    })
  }

  // --- Pairs outside a candidate's subtree: in a batch over lists of different
  // orgs, and for volunteers (who may come from anywhere) on the other items.
  let outOfScope = 0
  const servedBy = new Map(
    [...new Set(openItems.map((i) => i.orgPath))].map((p) => [p, new Set(orgIdsOfPath(p))]),
  )
  const everywhere = (org: number) => [...servedBy.values()].every((ids) => ids.has(org))
  const outside = candidates.filter(
    (c) => !everywhere(orgOfCandidate.get(candidateKey(c.kind, c.id)) ?? -1),
  )
  if (outside.length > 0) {
    const pinnedSet = new Set(pinned.map((p) => `${p.itemId}|${p.key}`))
    const domainsOf = new Map(
      outside.map((c) => [
        c,
        new Set(c.skills.filter((s) => parentOf.has(s.skillId)).map((s) => domainOf(s.skillId))),
      ]),
    )
    for (const i of openItems) {
      const served = servedBy.get(i.orgPath) ?? new Set<number>()
      const wanted = [...(itemDomains.get(i.id) ?? [])]
      if (wanted.length === 0) continue
      for (const c of outside) {
        const key = candidateKey(c.kind, c.id)
        if (served.has(orgOfCandidate.get(key) ?? -1)) continue
        if (c.volunteeredItemIds.includes(i.id) || pinnedSet.has(`${i.id}|${key}`)) continue
        const has = domainsOf.get(c)
        if (!wanted.some((d) => has?.has(d))) continue
        excluded.get(i.id)?.add(key)
        outOfScope++
      }
    }
  }

  const matchItems: MatchItem[] = openItems.map((i) => ({
    id: i.id,
    headcount: openOf.get(i.id) ?? 0,
    skillIds: i.skillIds,
    windowStart: i.windowStart,
    windowEnd: i.windowEnd,
    district: i.district,
    park: i.park,
    enterpriseId: i.enterpriseId,
  }))
  const taxonomy: TaxonomyIndex = { parentOf }
  return {
    input: {
      items: matchItems,
      candidates,
      taxonomy,
      weights: options.weights,
      constraints: {
        pinned,
        excluded: openItems.flatMap((i) =>
          [...(excluded.get(i.id) ?? [])].map((key) => ({ itemId: i.id, key })),
        ),
      },
    },
    items,
    listOf: new Map(items.map((i) => [i.id, i.listId])),
    outOfScope,
  }
}

/** Enterprises each expert (and team) served before: their pairings and the ratings they got. */
async function pastEnterprises(db: DbOrTrx, expertIds: number[], teamIds: number[]) {
  const experts = new Map<number, number[]>()
  const teams = new Map<number, number[]>()
  const add = (m: Map<number, number[]>, id: number, enterpriseId: number) => {
    const list = m.get(id) ?? []
    if (!list.includes(enterpriseId)) list.push(enterpriseId)
    m.set(id, list)
  }
  if (expertIds.length > 0) {
    const [paired, rated] = await Promise.all([
      db
        .selectFrom('pairing as p')
        .innerJoin('needs_list as l', 'l.id', 'p.needs_list_id')
        .select(['p.expert_id', 'l.enterprise_id'])
        .where('p.expert_id', 'in', expertIds)
        .where('p.team_id', 'is', null)
        .distinct()
        .execute(),
      db
        .selectFrom('expert_rating')
        .select(['expert_id', 'enterprise_id'])
        .where('expert_id', 'in', expertIds)
        .distinct()
        .execute(),
    ])
    for (const r of [...paired, ...rated]) add(experts, r.expert_id, r.enterprise_id)
  }
  if (teamIds.length > 0) {
    const paired = await db
      .selectFrom('pairing as p')
      .innerJoin('needs_list as l', 'l.id', 'p.needs_list_id')
      .select(['p.team_id', 'l.enterprise_id'])
      .where('p.team_id', 'in', teamIds)
      .distinct()
      .execute()
    for (const r of paired) if (r.team_id !== null) add(teams, r.team_id, r.enterprise_id)
  }
  return { experts, teams }
}
