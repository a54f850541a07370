import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '#db/client.server.ts'
import { makeExpert, makeServiceTeam } from '#db/factories.ts'
import { engagementLoads } from '#db/queries/expert-load.ts'
import { listExperts, loadExpert } from '#workflows/commands/experts.ts'
import { listTeams } from '#workflows/commands/service-teams.ts'
import { type ExpertFilters, parseExpertFilters } from '#workflows/talent/filters.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
const skill = new Map<string, { id: number }>()
const ids: Record<string, number> = {}

const idOf = (name: string) => {
  const id = ids[name]
  if (id === undefined) throw new Error(`no expert ${name}`)
  return id
}

const node = (code: string) => {
  const s = skill.get(code)
  if (!s) throw new Error(`no skill ${code}`)
  return s.id
}

let mobile = 0
const nextMobile = () => `1380000${String(++mobile).padStart(4, '0')}`

/** An open case with an invitation of the given status for the expert (or the team's leader). */
async function invite(
  db: Db,
  expertId: number,
  options: { status?: string; listStatus?: string; teamId?: number } = {},
) {
  const list = await db
    .insertInto('needs_list')
    .values({
      enterprise_id: world.enterprise.id,
      org_id: world.orgs.district.id,
      title: 'load',
      status: options.listStatus ?? 'matching',
      created_by: world.users.contact.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const item = await db
    .insertInto('confirmed_item')
    .values({
      needs_list_id: list.id,
      revision: 1,
      position: 1,
      category: 'other',
      title: 'x',
      description: 'x',
      urgency: 'normal',
      headcount: 1,
      mode: 'onsite',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const proposal = await db
    .insertInto('resource_proposal')
    .values({
      needs_list_id: list.id,
      confirmed_item_id: item.id,
      expert_id: options.teamId ? null : expertId,
      team_id: options.teamId ?? null,
      score: 1,
      factors: '[]',
      source: 'manual',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('invitation')
    .values({
      proposal_id: proposal.id,
      needs_list_id: list.id,
      confirmed_item_id: item.id,
      expert_id: expertId,
      team_id: options.teamId ?? null,
      status: options.status ?? 'pending',
    })
    .execute()
}

function filters(params: Record<string, string>): ExpertFilters {
  const parsed = parseExpertFilters(new URLSearchParams(params))
  expect(parsed.invalid).toEqual([])
  return parsed.filters
}

async function names(params: Record<string, string>, principal = world.principals.coordinator) {
  const page = await listExperts(tdb.db, principal, filters(params), { pageSize: 100 })
  return page.rows.map((r) => r.name).sort()
}

beforeAll(async () => {
  tdb = await createTestDatabase('talent_search')
  world = await buildWorld(tdb.db, 'tse')
  for (const r of await tdb.db.selectFrom('skill').select(['id', 'code']).execute()) {
    skill.set(r.code, { id: r.id })
  }
  const district = world.orgs.district.id
  const make = async (
    name: string,
    input: Omit<Parameters<typeof makeExpert>[1], 'orgId' | 'name' | 'mobile'> & { orgId?: number },
  ) => {
    const e = await makeExpert(tdb.db, { orgId: district, name, mobile: nextMobile(), ...input })
    ids[name] = e.id
    return e
  }
  // Mondays only; power domain, infrared at 5.
  await make('电力甲', {
    weekdays: [1],
    districts: ['海湾区'],
    capacity: 1,
    skills: [{ skillId: node('power.equipment.infrared-thermography'), proficiency: 5 }],
    honours: [{ type: 'national_model_worker', level: 'national', year: 2015 }],
  })
  // Weekdays, but away the whole of 2026-12-07 … 2026-12-13; power quality at 2.
  await make('电力乙', {
    weekdays: [1, 2, 3, 4, 5],
    districts: ['湖滨区', '海湾区'],
    capacity: 2,
    skills: [{ skillId: node('power.power-quality.harmonic-analysis'), proficiency: 2 }],
    honours: [{ type: 'craftsman', level: 'city', year: 2021 }],
    blackouts: [{ startsOn: '2026-12-07', endsOn: '2026-12-13' }],
  })
  // Weekends only; machining.
  await make('数控丙', {
    weekdays: [6, 7],
    districts: ['翔云区'],
    capacity: 3,
    skills: [{ skillId: node('machining.cnc.cnc-programming'), proficiency: 4 }],
    honours: [{ type: 'craftsman', level: 'provincial', year: 2019 }],
    employer: '鹭江数控设备厂',
  })
  // Paused; power equipment.
  await make('暂停丁', {
    status: 'paused',
    skills: [{ skillId: node('power.equipment.cable-fault-location'), proficiency: 3 }],
  })
  // Outside the coordinator's city.
  await make('他市戊', {
    orgId: world.orgs.otherCity.id,
    skills: [{ skillId: node('power.equipment.infrared-thermography'), proficiency: 5 }],
  })
})

afterAll(async () => {
  await tdb?.drop()
})

describe('search by skill', () => {
  it('finds experts with a skill anywhere under a domain or field, or the skill itself', async () => {
    expect(await names({ skill: String(node('power')) })).toEqual(['暂停丁', '电力乙', '电力甲'])
    expect(await names({ skill: String(node('power.equipment')) })).toEqual(['暂停丁', '电力甲'])
    expect(await names({ skill: String(node('power.equipment.infrared-thermography')) })).toEqual([
      '电力甲',
    ])
    expect(await names({ skill: String(node('machining')) })).toEqual(['数控丙'])
    expect(await names({ skill: String(node('welding')) })).toEqual([])
  })

  it('filters by the lowest proficiency under the node', async () => {
    expect(await names({ skill: String(node('power')), minLevel: '3' })).toEqual([
      '暂停丁',
      '电力甲',
    ])
    expect(await names({ skill: String(node('power')), minLevel: '5' })).toEqual(['电力甲'])
  })

  it('finds nobody for an unknown node', async () => {
    expect(await names({ skill: '99999999' })).toEqual([])
  })
})

describe('search by honour, district, status and text', () => {
  it('matches honour type and level, separately or together', async () => {
    expect(await names({ honourType: 'craftsman' })).toEqual(['数控丙', '电力乙'])
    expect(await names({ honourType: 'craftsman', honourLevel: 'city' })).toEqual(['电力乙'])
    expect(await names({ honourLevel: 'national' })).toEqual(['电力甲'])
    expect(await names({ honourType: 'great_craftsman' })).toEqual([])
  })

  it('matches a district the expert serves', async () => {
    expect(await names({ district: '海湾区' })).toEqual(['电力乙', '电力甲'])
    expect(await names({ district: '翔云区' })).toEqual(['数控丙'])
  })

  it('matches status, and name, employer or mobile digits', async () => {
    expect(await names({ status: 'paused' })).toEqual(['暂停丁'])
    expect(await names({ q: '电力' })).toEqual(['电力乙', '电力甲'])
    expect(await names({ q: '数控设备' })).toEqual(['数控丙'])
    expect(await names({ q: '138-0000-0001' })).toEqual(['电力甲'])
    expect(await names({ q: '100%_' })).toEqual([])
  })

  it('never leaves the principal’s subtrees', async () => {
    expect(
      await names({ skill: String(node('power.equipment.infrared-thermography')) }),
    ).not.toContain('他市戊')
    expect(await names({}, world.principals.otherCoordinator)).toEqual(['他市戊'])
    expect(await names({}, world.principals.steward)).toEqual([
      '数控丙',
      '暂停丁',
      '电力乙',
      '电力甲',
    ])
    await expect(
      listExperts(tdb.db, world.principals.contact, filters({}), { pageSize: 10 }),
    ).rejects.toMatchObject({ code: 'forbidden' })
  })
})

describe('experts managed above the reader', () => {
  it('serve the subtree below: a district reader sees a city expert, read-only', async () => {
    const cityExpert = await makeExpert(tdb.db, {
      orgId: world.orgs.city.id,
      name: '市级己',
      mobile: nextMobile(),
      skills: [{ skillId: node('safety.hazards.hazard-identification'), proficiency: 4 }],
    })
    try {
      // The steward's scope is the district, below the city that manages the expert.
      expect(await names({ q: '市级己' }, world.principals.steward)).toEqual(['市级己'])
      const view = await loadExpert(tdb.db, world.principals.steward, cityExpert.id)
      expect(view.can).toMatchObject({ edit: false, pool: true })
      // A city in another branch still sees nothing of it.
      expect(await names({ q: '市级己' }, world.principals.otherCoordinator)).toEqual([])
      await expect(
        loadExpert(tdb.db, world.principals.otherCoordinator, cityExpert.id),
      ).rejects.toMatchObject({ code: 'forbidden' })
    } finally {
      await tdb.db.deleteFrom('expert').where('id', '=', cityExpert.id).execute()
    }
  })
})

describe('search by availability window', () => {
  // 2026-12-07 is a Monday.
  it.each([
    [{ from: '2026-12-07', to: '2026-12-07' }, ['暂停丁', '电力甲']],
    [{ from: '2026-12-08', to: '2026-12-11' }, ['暂停丁']],
    [{ from: '2026-12-08', to: '2026-12-12' }, ['数控丙', '暂停丁']],
    [{ from: '2026-12-14', to: '2026-12-14' }, ['暂停丁', '电力乙', '电力甲']],
    [{ from: '2026-12-12', to: '2026-12-14' }, ['数控丙', '暂停丁', '电力乙', '电力甲']],
    [{ from: '2026-12-13' }, ['数控丙']],
  ])('%j → %j', async (window, expected) => {
    expect(await names(window)).toEqual(expected)
  })

  it('drops a window that ends before it starts or is longer than a year', () => {
    const backwards = parseExpertFilters(
      new URLSearchParams({ from: '2026-12-10', to: '2026-12-01' }),
    )
    expect(backwards.invalid).toEqual(['to'])
    expect(backwards.filters).not.toHaveProperty('from')
    expect(backwards.filters).not.toHaveProperty('to')
    expect(
      parseExpertFilters(new URLSearchParams({ from: '2026-01-01', to: '2027-06-01' })).invalid,
    ).toEqual(['to'])
    expect(parseExpertFilters(new URLSearchParams({ from: '2026-02-30' })).invalid).toEqual([
      'from',
    ])
  })
})

describe('load', () => {
  it('shows engagementLoads and filters and sorts on spare capacity', async () => {
    await invite(tdb.db, idOf('电力甲'))
    await invite(tdb.db, idOf('电力乙'), { status: 'accepted' })
    // Neither of these counts: declined, and an invitation on a closed case.
    await invite(tdb.db, idOf('电力乙'), { status: 'declined' })
    await invite(tdb.db, idOf('电力乙'), { listStatus: 'withdrawn' })
    const loads = await engagementLoads(tdb.db, 'expert', Object.values(ids))

    const page = await listExperts(tdb.db, world.principals.coordinator, filters({}), {
      pageSize: 100,
    })
    for (const r of page.rows) expect(r.load).toBe(loads.get(r.id) ?? 0)
    expect(page.rows.find((r) => r.name === '电力甲')).toMatchObject({ load: 1, capacity: 1 })
    expect(page.rows.find((r) => r.name === '电力乙')).toMatchObject({ load: 1, capacity: 2 })

    // 电力甲 is full (1/1); the others have room.
    expect(await names({ free: '1' })).toEqual(['数控丙', '暂停丁', '电力乙'])
    const bySpare = await listExperts(
      tdb.db,
      world.principals.coordinator,
      filters({ sort: 'free' }),
      { pageSize: 100 },
    )
    expect(bySpare.rows.map((r) => r.name)).toEqual(['数控丙', '暂停丁', '电力乙', '电力甲'])
    expect((await loadExpert(tdb.db, world.principals.coordinator, idOf('电力甲'))).load).toBe(1)
  })

  it('counts a team’s invitation against the team, not its leader', async () => {
    const team = await makeServiceTeam(tdb.db, {
      orgId: world.orgs.district.id,
      name: '搜索测试队',
      leaderId: idOf('数控丙'),
      memberIds: [idOf('暂停丁')],
      capacity: 2,
    })
    await invite(tdb.db, idOf('数控丙'), { teamId: team.id })
    const teams = await listTeams(tdb.db, world.principals.coordinator, { page: 1, pageSize: 10 })
    expect(teams.rows).toMatchObject([{ name: '搜索测试队', load: 1, capacity: 2, memberCount: 2 }])
    const page = await listExperts(tdb.db, world.principals.coordinator, filters({ q: '数控丙' }), {
      pageSize: 10,
    })
    expect(page.rows[0]).toMatchObject({ name: '数控丙', load: 0 })
  })
})

describe('paging', () => {
  it('pages a sorted result and counts all of it', async () => {
    const first = await listExperts(tdb.db, world.principals.coordinator, filters({}), {
      pageSize: 3,
    })
    const second = await listExperts(tdb.db, world.principals.coordinator, filters({ page: '2' }), {
      pageSize: 3,
    })
    expect(first).toMatchObject({ total: 4, page: 1, pageCount: 2 })
    expect(first.rows).toHaveLength(3)
    expect(second.rows).toHaveLength(1)
    const all = [...first.rows, ...second.rows].map((r) => r.name)
    expect(new Set(all).size).toBe(4)
  })
})
