import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resources } from '#app/i18n/config.ts'
import * as list from '#app/routes/teams._index.tsx'
import * as team from '#app/routes/teams.$id.tsx'
import * as create from '#app/routes/teams.new.tsx'
import { makeExpert, makeServiceTeam, makeUser } from '#db/factories.ts'
import {
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<'coordinator' | 'otherCoordinator' | 'steward' | 'expert' | 'contact', Browser>
const e: Record<'lead' | 'a' | 'b' | 'foreign', number> = { lead: 0, a: 0, b: 0, foreign: 0 }

type Reply = { result: { error?: Record<string, string[] | null> } }
const errorsOf = (data: unknown) => (data as Reply).result.error ?? {}

function message(key: string): string | undefined {
  let node: unknown = resources['zh-CN'].translation
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

const teamFields = (over: Record<string, string | number> = {}) => ({
  intent: 'save',
  name: '路由服务队',
  orgId: world.orgs.district.id,
  leaderId: e.lead,
  capacity: 2,
  status: 'active',
  bio: '简介',
  ...over,
})

async function members(teamId: number) {
  const rows = await tdb.db
    .selectFrom('service_team_member')
    .select('expert_id')
    .where('team_id', '=', teamId)
    .orderBy('expert_id')
    .execute()
  return rows.map((r) => r.expert_id)
}

async function teamRow(id: number) {
  return tdb.db.selectFrom('service_team').selectAll().where('id', '=', id).executeTakeFirst()
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_teams')
  world = await buildWorld(tdb.db, 'rtm')
  ctx = buildContext(tdb.db)
  const district = world.orgs.district.id
  e.lead = (await makeExpert(tdb.db, { orgId: district, name: '队长', mobile: '13955550001' })).id
  e.a = (await makeExpert(tdb.db, { orgId: district, name: '队员甲', mobile: '13955550002' })).id
  e.b = (await makeExpert(tdb.db, { orgId: district, name: '队员乙', mobile: '13955550003' })).id
  e.foreign = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: '他市队员',
      mobile: '13955550004',
    })
  ).id
  const expertUser = await makeUser(tdb.db, {
    email: 'rtm-expert@zhuqi.test',
    name: 'rtm expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: district,
  })
  const u = world.users
  as = {
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    steward: await signIn(ctx, u.steward.id),
    expert: await signIn(ctx, expertUser.id),
    contact: await signIn(ctx, u.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

describe('creating a team', () => {
  it('creates it with its leader as first member', async () => {
    const page = await call(create.loader, as.coordinator.get(`/teams/new?leader=${e.lead}`), ctx)
    expect(page.data).toMatchObject({ leaderId: e.lead })
    const out = await call(create.action, as.coordinator.post('/teams/new', teamFields()), ctx)
    expect(out.status).toBe(302)
    const id = Number(out.location?.match(/^\/teams\/(\d+)\?done=teamCreated$/)?.[1])
    expect(await teamRow(id)).toMatchObject({
      name: '路由服务队',
      leader_expert_id: e.lead,
      capacity: 2,
    })
    expect(await members(id)).toEqual([e.lead])
  })

  it('answers bad input and refused leaders with translated errors, writing nothing', async () => {
    const count = async () =>
      (await tdb.db.selectFrom('service_team').select('id').execute()).length
    const before = await count()
    const bad = await call(
      create.action,
      as.coordinator.post(
        '/teams/new',
        teamFields({ name: 'x', capacity: 0, leaderId: 'abc', status: '?' }),
      ),
      ctx,
    )
    expect(bad.status).toBe(400)
    expect(errorsOf(bad.data)).toMatchObject({
      name: ['talent.errors.teamName'],
      capacity: ['talent.errors.capacity'],
      leaderId: ['talent.errors.leader'],
      status: ['talent.errors.status'],
    })
    const foreignLeader = await call(
      create.action,
      as.coordinator.post('/teams/new', teamFields({ name: '他市队长队', leaderId: e.foreign })),
      ctx,
    )
    expect(foreignLeader.status).toBe(400)
    expect(errorsOf(foreignLeader.data)).toMatchObject({ leaderId: ['talent.errors.expert'] })
    const taken = await call(create.action, as.coordinator.post('/teams/new', teamFields()), ctx)
    expect(errorsOf(taken.data)).toMatchObject({ name: ['talent.errors.teamNameTaken'] })
    for (const errors of [bad, foreignLeader, taken].map((o) => errorsOf(o.data))) {
      for (const list of Object.values(errors)) {
        for (const k of list ?? []) expect(message(k), k).toBeTypeOf('string')
      }
    }
    expect(await count()).toBe(before)
  })

  it('is refused to stewards, experts and other subtrees', async () => {
    for (const who of [as.steward, as.expert]) {
      expect(await call(create.loader, who.get('/teams/new'), ctx)).toMatchObject({ status: 403 })
      const out = await call(
        create.action,
        who.post('/teams/new', teamFields({ name: '越权队' })),
        ctx,
      )
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
    const outside = await call(
      create.action,
      as.otherCoordinator.post('/teams/new', teamFields({ name: '越界队' })),
      ctx,
    )
    expect(outside).toMatchObject({ status: 403, thrown: true })
  })
})

describe('a team’s page', () => {
  let id: number
  beforeAll(async () => {
    id = (
      await makeServiceTeam(tdb.db, {
        orgId: world.orgs.district.id,
        name: '成员测试队',
        leaderId: e.lead,
        memberIds: [e.a],
      })
    ).id
  })
  const post = (who: Browser, fields: Record<string, string | number>) =>
    call(team.action, who.post(`/teams/${id}`, fields), ctx, { id: String(id) })

  it('is readable by stewards of the subtree (not editable), not by other subtrees', async () => {
    const out = await call(team.loader, as.steward.get(`/teams/${id}`), ctx, { id: String(id) })
    expect(out.data).toMatchObject({ team: { name: '成员测试队', load: 0, can: { edit: false } } })
    for (const who of [as.otherCoordinator, as.expert, as.contact]) {
      const refused = await call(team.loader, who.get(`/teams/${id}`), ctx, { id: String(id) })
      expect(refused).toMatchObject({ status: 403, thrown: true })
    }
    const lists = await call(list.loader, as.steward.get('/teams'), ctx)
    expect(lists.data).toMatchObject({ canCreate: false })
  })

  it('finds candidates, adds and removes members; the leader cannot be removed', async () => {
    const found = await call(team.loader, as.coordinator.get(`/teams/${id}?q=队员`), ctx, {
      id: String(id),
    })
    expect((found.data as { candidates: { id: number }[] }).candidates.map((c) => c.id)).toEqual([
      e.b,
    ])
    expect(await post(as.coordinator, { intent: 'add', expertId: e.b })).toMatchObject({
      status: 302,
      location: `/teams/${id}?done=memberAdded`,
    })
    expect(await members(id)).toEqual([e.lead, e.a, e.b].sort((x, y) => x - y))
    expect(await post(as.coordinator, { intent: 'remove', expertId: e.a })).toMatchObject({
      status: 302,
    })
    const leader = await post(as.coordinator, { intent: 'remove', expertId: e.lead })
    expect(leader).toMatchObject({ status: 400, data: { error: 'talent.errors.removeLeader' } })
    const foreign = await post(as.coordinator, { intent: 'add', expertId: e.foreign })
    expect(foreign).toMatchObject({ status: 400, data: { error: 'talent.errors.expert' } })
    expect(await members(id)).toEqual([e.lead, e.b].sort((x, y) => x - y))
  })

  it('refuses member changes by stewards and other subtrees, and nonsense intents', async () => {
    const before = await members(id)
    for (const who of [as.steward, as.otherCoordinator, as.expert]) {
      const out = await post(who, { intent: 'add', expertId: e.a })
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
    expect(await post(as.coordinator, { intent: 'explode' })).toMatchObject({
      status: 400,
      data: { error: 'errors.badRequest' },
    })
    expect(await post(as.coordinator, { intent: 'add', expertId: 'x' })).toMatchObject({
      status: 400,
    })
    expect(await members(id)).toEqual(before)
  })

  it('saves the team’s fields; a new leader becomes a member', async () => {
    const out = await post(
      as.coordinator,
      teamFields({ name: '成员测试队（改）', leaderId: e.a, capacity: 4, status: 'paused' }),
    )
    expect(out).toMatchObject({ status: 302, location: `/teams/${id}?done=teamSaved` })
    expect(await teamRow(id)).toMatchObject({
      name: '成员测试队（改）',
      leader_expert_id: e.a,
      capacity: 4,
      status: 'paused',
    })
    expect(await members(id)).toContain(e.a)
    const bad = await post(as.coordinator, teamFields({ capacity: 99 }))
    expect(bad.status).toBe(400)
    expect(errorsOf(bad.data)).toMatchObject({ capacity: ['talent.errors.capacity'] })
  })

  it('deletes a team never proposed, and refuses one that was', async () => {
    const used = await makeServiceTeam(tdb.db, {
      orgId: world.orgs.district.id,
      name: '已匹配队',
      leaderId: e.b,
      memberIds: [],
    })
    const listRow = await tdb.db
      .insertInto('needs_list')
      .values({
        enterprise_id: world.enterprise.id,
        org_id: world.orgs.district.id,
        title: 't',
        status: 'matching',
        created_by: world.users.contact.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const item = await tdb.db
      .insertInto('confirmed_item')
      .values({
        needs_list_id: listRow.id,
        revision: 1,
        position: 1,
        category: 'other',
        title: 't',
        description: 't',
        urgency: 'normal',
        headcount: 1,
        mode: 'onsite',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tdb.db
      .insertInto('resource_proposal')
      .values({
        needs_list_id: listRow.id,
        confirmed_item_id: item.id,
        team_id: used.id,
        score: 1,
        factors: '[]',
        source: 'manual',
      })
      .execute()
    const refused = await call(
      team.action,
      as.coordinator.post(`/teams/${used.id}`, { intent: 'delete' }),
      ctx,
      { id: String(used.id) },
    )
    expect(refused).toMatchObject({ status: 400, data: { error: 'talent.errors.teamInUse' } })
    expect(await teamRow(used.id)).toBeDefined()

    const steward = await post(as.steward, { intent: 'delete' })
    expect(steward).toMatchObject({ status: 403, thrown: true })
    expect(await post(as.coordinator, { intent: 'delete' })).toMatchObject({
      status: 302,
      location: '/teams?done=teamDeleted',
    })
    expect(await teamRow(id)).toBeUndefined()
  })
})
