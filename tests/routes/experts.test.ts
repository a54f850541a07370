import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resources } from '#app/i18n/config.ts'
import * as list from '#app/routes/experts._index.tsx'
import * as profile from '#app/routes/experts.$id._index.tsx'
import * as edit from '#app/routes/experts.$id.edit.tsx'
import * as exportRoute from '#app/routes/experts.export[.]xlsx.ts'
import * as importRoute from '#app/routes/experts.import.tsx'
import * as template from '#app/routes/experts.import_.template[.]xlsx.ts'
import * as me from '#app/routes/experts.me.tsx'
import * as create from '#app/routes/experts.new.tsx'
import { makeExpert, makeUser } from '#db/factories.ts'
import { IMPORT_COLUMNS } from '#workflows/talent/import.ts'
import {
  BASE_URL,
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
let as: Record<
  | 'coordinator'
  | 'otherCoordinator'
  | 'admin'
  | 'steward'
  | 'contact'
  | 'expert'
  | 'otherExpert'
  | 'unlinkedExpert',
  Browser
>
let skillA: number
let skillB: number
let fieldId: number
/** In the district (coordinator's subtree), linked to the expert user. */
let mine: number
/** In the district, linked to nobody. */
let colleague: number
/** In the other city. */
let foreign: number
let expertUserId: number

type Reply = { result: { status?: string; error?: Record<string, string[] | null> } }
const errorsOf = (data: unknown) => (data as Reply).result.error ?? {}

function message(key: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string | undefined {
  let node: unknown = resources[lang].translation
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** Every error key (before the '|' of parameters) has a message in both languages. */
function expectTranslated(errors: Record<string, string[] | null>) {
  for (const list of Object.values(errors)) {
    for (const raw of list ?? []) {
      const key = raw.split('|')[0] ?? raw
      expect(message(key), key).toBeTypeOf('string')
      expect(message(key, 'en'), key).toBeTypeOf('string')
    }
  }
}

async function expertRow(id: number) {
  return tdb.db.selectFrom('expert').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function childrenOf(id: number) {
  const [skills, honours, blackouts] = await Promise.all([
    tdb.db
      .selectFrom('expert_skill')
      .select(['skill_id', 'proficiency'])
      .where('expert_id', '=', id)
      .orderBy('skill_id')
      .execute(),
    tdb.db
      .selectFrom('expert_honour')
      .select(['type', 'level', 'year'])
      .where('expert_id', '=', id)
      .orderBy('type')
      .execute(),
    tdb.db
      .selectFrom('expert_blackout')
      .select(['starts_on', 'ends_on'])
      .where('expert_id', '=', id)
      .orderBy('starts_on')
      .execute(),
  ])
  return { skills, honours, blackouts }
}

/** A complete, valid manager form for the profile. */
function profileFields(over: Record<string, string> = {}, extra: [string, string][] = []) {
  const base: Record<string, string> = {
    name: '路由专家',
    mobile: '13911110000',
    gender: 'male',
    email: 'luyou@example.com',
    employer: '鹭江路由厂',
    jobTitle: '主任',
    grade: 'senior_technician',
    orgId: String(world.orgs.district.id),
    accountEmail: '',
    districts: '海湾区、湖滨区',
    parks: '',
    blackouts: '2026-12-01~2026-12-05',
    capacity: '3',
    status: 'active',
    bio: '',
    [`skills.s${skillA}`]: '4',
    'honours[0].type': 'national_model_worker',
    'honours[0].level': 'national',
    'honours[0].year': '2015',
    'honours[1].type': '',
    'honours[1].level': '',
    'honours[1].year': '',
    ...over,
  }
  const pairs: [string, string][] = Object.entries(base)
  for (const d of ['1', '2', '3', '4', '5']) pairs.push(['weekdays', d])
  return [...pairs, ...extra]
}

beforeAll(async () => {
  tdb = await createTestDatabase('routes_experts')
  world = await buildWorld(tdb.db, 'rex')
  ctx = buildContext(tdb.db)
  const skills = await tdb.db.selectFrom('skill').select(['id', 'code']).execute()
  const id = (code: string) => skills.find((s) => s.code === code)?.id ?? 0
  skillA = id('power.equipment.infrared-thermography')
  skillB = id('welding.arc.gmaw')
  fieldId = id('power.equipment')
  const expertUser = await makeUser(tdb.db, {
    email: 'rex-expert@zhuqi.test',
    name: 'rex expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  expertUserId = expertUser.id
  const otherExpertUser = await makeUser(tdb.db, {
    email: 'rex-expert2@zhuqi.test',
    name: 'rex expert 2',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  const unlinked = await makeUser(tdb.db, {
    email: 'rex-expert3@zhuqi.test',
    name: 'rex expert 3',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  mine = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.district.id,
      userId: expertUser.id,
      name: '本人专家',
      mobile: '13922220001',
      grade: 'technician',
      skills: [{ skillId: skillA, proficiency: 3 }],
      honours: [{ type: 'craftsman', level: 'city', year: 2020 }],
    })
  ).id
  colleague = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.district.id,
      userId: otherExpertUser.id,
      name: '同事专家',
      mobile: '13922220002',
    })
  ).id
  foreign = (
    await makeExpert(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: '他市专家',
      mobile: '13922220003',
    })
  ).id
  const u = world.users
  as = {
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    admin: await signIn(ctx, u.admin.id),
    steward: await signIn(ctx, u.steward.id),
    contact: await signIn(ctx, u.contact.id),
    expert: await signIn(ctx, expertUser.id),
    otherExpert: await signIn(ctx, otherExpertUser.id),
    unlinkedExpert: await signIn(ctx, unlinked.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

describe('the pool list', () => {
  it('shows managers and stewards the experts of their subtrees only', async () => {
    const out = await call(list.loader, as.coordinator.get('/experts'), ctx)
    expect(out.status).toBe(200)
    const rows = (out.data as { experts: { name: string; load: number; capacity: number }[] })
      .experts
    expect(rows.map((r) => r.name).sort()).toEqual(['同事专家', '本人专家'])
    expect(out.data).toMatchObject({ canManage: true, total: 2 })

    const steward = await call(list.loader, as.steward.get('/experts'), ctx)
    expect(steward.data).toMatchObject({ canManage: false, total: 2 })
    const other = await call(list.loader, as.otherCoordinator.get('/experts'), ctx)
    expect((other.data as { experts: { name: string }[] }).experts.map((r) => r.name)).toEqual([
      '他市专家',
    ])
  })

  it('names malformed filters and ignores them instead of failing', async () => {
    const out = await call(
      list.loader,
      as.coordinator.get('/experts?skill=abc&honourType=x&from=2026-02-30&sort=%27&page=-1'),
      ctx,
    )
    expect(out.status).toBe(200)
    expect(out.data).toMatchObject({
      invalid: ['skill', 'honourType', 'from', 'sort'],
      page: 1,
      total: 2,
    })
  })

  it('filters by a field of the taxonomy and links the export with the same filters', async () => {
    const out = await call(list.loader, as.coordinator.get(`/experts?skill=${fieldId}`), ctx)
    expect(out.data).toMatchObject({
      total: 1,
      experts: [{ name: '本人专家' }],
      search: `?skill=${fieldId}`,
    })
  })

  it('sends an expert without a union role to their own profile; refuses contacts', async () => {
    expect(await call(list.loader, as.expert.get('/experts'), ctx)).toMatchObject({
      status: 302,
      location: '/experts/me',
    })
    expect(await call(list.loader, as.contact.get('/experts'), ctx)).toMatchObject({
      status: 403,
      thrown: true,
    })
  })
})

describe('the profile page', () => {
  it('is open to the managers and stewards of its subtree and to the expert themself', async () => {
    const get = (b: Browser, id: number) =>
      call(profile.loader, b.get(`/experts/${id}`), ctx, { id: String(id) })
    expect((await get(as.coordinator, mine)).data).toMatchObject({
      expert: { id: mine, can: { edit: true, editOwn: false, pool: true } },
    })
    expect((await get(as.admin, mine)).data).toMatchObject({ expert: { can: { edit: true } } })
    expect((await get(as.steward, mine)).data).toMatchObject({
      expert: { can: { edit: false, pool: true } },
    })
    expect((await get(as.expert, mine)).data).toMatchObject({
      expert: { id: mine, can: { edit: false, editOwn: true, pool: false } },
    })
    for (const [who, id] of [
      [as.otherCoordinator, mine],
      [as.coordinator, foreign],
      [as.expert, colleague],
      [as.contact, mine],
    ] as const) {
      expect(await get(who, id)).toMatchObject({ status: 403, thrown: true })
    }
  })

  it('answers 404 for unknown or malformed ids', async () => {
    for (const id of ['999999', 'abc', '0', '1.5']) {
      const out = await call(profile.loader, as.coordinator.get(`/experts/${id}`), ctx, { id })
      expect(out).toMatchObject({ status: 404, thrown: true })
    }
  })
})

describe('editing a profile', () => {
  const post = (b: Browser, id: number, fields: [string, string][]) =>
    call(edit.action, b.post(`/experts/${id}/edit`, fields), ctx, { id: String(id) })

  it('is refused (403, nothing changed) to stewards, other subtrees and experts', async () => {
    const before = await expertRow(colleague)
    for (const who of [as.steward, as.otherCoordinator, as.expert, as.otherExpert, as.contact]) {
      const page = await call(edit.loader, who.get(`/experts/${colleague}/edit`), ctx, {
        id: String(colleague),
      })
      expect(page).toMatchObject({ status: 403, thrown: true })
      const out = await post(who, colleague, profileFields({ mobile: '13922220002', name: '改名' }))
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
    expect(await expertRow(colleague)).toEqual(before)
  })

  it('refuses a post without a valid CSRF token', async () => {
    const out = await call(
      edit.action,
      as.coordinator.post(`/experts/${colleague}/edit`, profileFields(), { csrf: null }),
      ctx,
      { id: String(colleague) },
    )
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
  })

  it('answers bad input with translated field errors (400) and changes nothing', async () => {
    const before = { row: await expertRow(colleague), children: await childrenOf(colleague) }
    const out = await post(
      as.coordinator,
      colleague,
      profileFields(
        {
          name: '',
          mobile: '1234',
          email: 'nope',
          capacity: '50',
          grade: 'wizard',
          blackouts: '2026-12-05~2026-12-01',
          'honours[0].year': '15',
          'honours[1].type': 'chief_technician',
          'honours[1].level': '',
          [`skills.s${skillB}`]: '9',
          orgId: 'x',
        },
        [['weekdays', '8']],
      ),
    )
    expect(out.status).toBe(400)
    const errors = errorsOf(out.data)
    expect(errors).toMatchObject({
      name: ['talent.errors.name'],
      mobile: ['enterprise.errors.mobile.length'],
      email: ['errors.email'],
      capacity: ['talent.errors.capacity'],
      grade: ['talent.errors.grade'],
      blackouts: [
        `talent.cell.blackoutOrder|${JSON.stringify({ value: '2026-12-05~2026-12-01' })}`,
      ],
      'honours[0].year': ['talent.errors.honourYear'],
      'honours[1].level': ['talent.errors.honourLevel'],
      skills: ['talent.errors.skills'],
      orgId: ['talent.errors.org'],
    })
    expect(Object.keys(errors).some((k) => k.startsWith('weekdays'))).toBe(true)
    expectTranslated(errors)
    expect({ row: await expertRow(colleague), children: await childrenOf(colleague) }).toEqual(
      before,
    )
  })

  it('shows domain errors at their field: a mobile in use, an unknown or foreign skill, a bad account', async () => {
    const taken = await post(as.coordinator, colleague, profileFields({ mobile: '13922220003' }))
    expect(taken.status).toBe(400)
    expect(errorsOf(taken.data)).toMatchObject({ mobile: ['talent.errors.mobileTaken'] })

    const field = await post(
      as.coordinator,
      colleague,
      profileFields({ mobile: '13922220002', [`skills.s${fieldId}`]: '3' }),
    )
    expect(errorsOf(field.data)).toMatchObject({ skills: ['talent.errors.skills'] })

    for (const [email, key] of [
      ['nobody@zhuqi.test', 'talent.errors.accountUnknown'],
      [world.users.contact.email, 'talent.errors.accountNotExpert'],
      ['rex-expert@zhuqi.test', 'talent.errors.accountLinked'],
    ] as const) {
      const out = await post(
        as.coordinator,
        colleague,
        profileFields({ mobile: '13922220002', accountEmail: email }),
      )
      expect(out.status, email).toBe(400)
      expect(errorsOf(out.data)).toMatchObject({ accountEmail: [key] })
      expectTranslated(errorsOf(out.data))
    }
  })

  it('refuses moving the expert to an org outside the subtree', async () => {
    const before = await expertRow(colleague)
    const out = await post(
      as.coordinator,
      colleague,
      profileFields({ mobile: '13922220002', orgId: String(world.orgs.otherCity.id) }),
    )
    expect(out).toMatchObject({ status: 403, thrown: true })
    expect(await expertRow(colleague)).toEqual(before)
  })

  it('saves a valid form: fields, skills, honours and blackouts replaced', async () => {
    const out = await post(
      as.coordinator,
      colleague,
      profileFields(
        {
          mobile: '139-2222-0002',
          name: '同事专家',
          accountEmail: 'rex-expert2@zhuqi.test',
          [`skills.s${skillB}`]: '2',
        },
        [],
      ),
    )
    expect(out).toMatchObject({ status: 302, location: `/experts/${colleague}?done=saved` })
    expect(await expertRow(colleague)).toMatchObject({
      name: '同事专家',
      mobile: '13922220002',
      grade: 'senior_technician',
      districts: ['海湾区', '湖滨区'],
      weekdays: [1, 2, 3, 4, 5],
      capacity: 3,
    })
    expect(await childrenOf(colleague)).toEqual({
      skills: [
        { skill_id: Math.min(skillA, skillB), proficiency: skillA < skillB ? 4 : 2 },
        { skill_id: Math.max(skillA, skillB), proficiency: skillA < skillB ? 2 : 4 },
      ],
      honours: [{ type: 'national_model_worker', level: 'national', year: 2015 }],
      blackouts: [{ starts_on: '2026-12-01', ends_on: '2026-12-05' }],
    })
  })
})

describe('creating an expert', () => {
  it('adds a profile in the subtree and redirects to it', async () => {
    const out = await call(
      create.action,
      as.coordinator.post('/experts/new', profileFields({ mobile: '13933330001', name: '新专家' })),
      ctx,
    )
    expect(out.status).toBe(302)
    const id = Number(out.location?.match(/^\/experts\/(\d+)\?done=created$/)?.[1])
    expect(await expertRow(id)).toMatchObject({ name: '新专家', org_id: world.orgs.district.id })
    const page = await call(profile.loader, as.coordinator.get(out.location ?? ''), ctx, {
      id: String(id),
    })
    expect(page.data).toMatchObject({ notice: 'talent.notices.created' })
  })

  it('is refused to stewards and experts, and into an org outside the subtree', async () => {
    const count = async () => (await tdb.db.selectFrom('expert').select('id').execute()).length
    const before = await count()
    for (const who of [as.steward, as.expert]) {
      expect(await call(create.loader, who.get('/experts/new'), ctx)).toMatchObject({ status: 403 })
      const out = await call(
        create.action,
        who.post('/experts/new', profileFields({ mobile: '13933330002' })),
        ctx,
      )
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
    const outside = await call(
      create.action,
      as.coordinator.post(
        '/experts/new',
        profileFields({ mobile: '13933330003', orgId: String(world.orgs.otherCity.id) }),
      ),
      ctx,
    )
    expect(outside).toMatchObject({ status: 403, thrown: true })
    expect(await count()).toBe(before)
  })
})

describe('the expert’s own profile', () => {
  const ownFields = (over: Record<string, string> = {}) => {
    const pairs: [string, string][] = Object.entries({
      email: 'me@example.com',
      employer: '我的单位',
      jobTitle: '技师长',
      gender: 'female',
      districts: '翔云区',
      parks: '',
      blackouts: '2027-01-01',
      capacity: '1',
      status: 'paused',
      bio: '我的简介',
      [`skills.s${skillB}`]: '5',
      // Fields that are not the expert's: ignored.
      name: '篡改姓名',
      mobile: '13999999999',
      grade: 'special_technician',
      orgId: String(world.orgs.otherCity.id),
      accountEmail: '',
      'honours[0].type': 'great_craftsman',
      'honours[0].level': 'national',
      ...over,
    })
    pairs.push(['weekdays', '6'], ['weekdays', '7'])
    return pairs
  }

  it('shows the linked profile; anyone else learns that none is linked', async () => {
    const out = await call(me.loader, as.expert.get('/experts/me'), ctx)
    expect(out.data).toMatchObject({ expert: { id: mine, name: '本人专家' } })
    for (const who of [as.unlinkedExpert, as.coordinator]) {
      expect((await call(me.loader, who.get('/experts/me'), ctx)).data).toMatchObject({
        expert: null,
      })
    }
  })

  it('lets the expert change their own fields (and pause), never the union’s', async () => {
    const out = await call(me.action, as.expert.post('/experts/me', ownFields()), ctx)
    expect(out).toMatchObject({ status: 302, location: '/experts/me?done=saved' })
    expect(await expertRow(mine)).toMatchObject({
      name: '本人专家',
      mobile: '13922220001',
      grade: 'technician',
      org_id: world.orgs.district.id,
      user_id: expertUserId,
      email: 'me@example.com',
      employer: '我的单位',
      gender: 'female',
      districts: ['翔云区'],
      weekdays: [6, 7],
      capacity: 1,
      status: 'paused',
    })
    expect(await childrenOf(mine)).toEqual({
      skills: [{ skill_id: skillB, proficiency: 5 }],
      honours: [{ type: 'craftsman', level: 'city', year: 2020 }],
      blackouts: [{ starts_on: '2027-01-01', ends_on: '2027-01-01' }],
    })
  })

  it('answers bad input with translated errors and no change', async () => {
    const before = await expertRow(mine)
    const out = await call(
      me.action,
      as.expert.post(
        '/experts/me',
        ownFields({ capacity: '0', blackouts: '明天', status: 'gone' }),
      ),
      ctx,
    )
    expect(out.status).toBe(400)
    const errors = errorsOf(out.data)
    expect(errors).toMatchObject({
      capacity: ['talent.errors.capacity'],
      blackouts: [`talent.cell.blackout|${JSON.stringify({ value: '明天' })}`],
      status: ['talent.errors.status'],
    })
    expectTranslated(errors)
    expect(await expertRow(mine)).toEqual(before)
  })

  it('refuses users without a linked profile (403)', async () => {
    for (const who of [as.unlinkedExpert, as.coordinator]) {
      const out = await call(me.action, who.post('/experts/me', ownFields()), ctx)
      expect(out).toMatchObject({ status: 403, thrown: true })
    }
  })
})

async function xlsxOf(rows: (string | number)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('专家信息')
  sheet.addRow(IMPORT_COLUMNS.map((c) => c.header))
  for (const r of rows) sheet.addRow(r)
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

function upload(browser: Browser, parts: [string, string | { name: string; bytes: Uint8Array }][]) {
  const form = new FormData()
  for (const [name, part] of parts) {
    if (typeof part === 'string') form.append(name, part)
    else form.append(name, new Blob([new Uint8Array(part.bytes)]), part.name)
  }
  const headers = new Headers()
  if (browser.cookieHeader) headers.set('Cookie', browser.cookieHeader)
  return new Request(`${BASE_URL}/experts/import`, { method: 'POST', headers, body: form })
}

type ImportReply = {
  outcome: {
    status: string
    issues?: { row: number | null; column: string | null; key: string }[]
    created?: number
  } | null
  formError: string | null
}

describe('the import page', () => {
  const row = (name: string, mobile: string, extra: Partial<Record<number, string>> = {}) =>
    IMPORT_COLUMNS.map((_, i) => (i === 0 ? name : i === 1 ? mobile : (extra[i] ?? '')))

  it('reports row and column errors with translated messages and imports nothing', async () => {
    const bytes = await xlsxOf([row('甲', '13944440001'), row('乙', '139444', { 6: '宗师' })])
    const out = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['orgId', String(world.orgs.district.id)],
        ['file', { name: 'experts.xlsx', bytes }],
      ]),
      ctx,
    )
    expect(out.status).toBe(400)
    const reply = out.data as ImportReply
    expect(reply.outcome?.issues).toEqual([
      expect.objectContaining({
        row: 3,
        column: '手机号码',
        key: 'enterprise.errors.mobile.length',
      }),
      expect.objectContaining({ row: 3, column: '技术等级', key: 'talent.cell.grade' }),
    ])
    for (const issue of reply.outcome?.issues ?? []) expect(message(issue.key)).toBeTypeOf('string')
    const written = await tdb.db
      .selectFrom('expert')
      .select('id')
      .where('mobile', '=', '13944440001')
      .execute()
    expect(written).toEqual([])
  })

  it('imports a valid file and reports the counts', async () => {
    const bytes = await xlsxOf([row('甲', '13944440001'), row('乙', '13944440002')])
    const out = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['orgId', String(world.orgs.district.id)],
        ['file', { name: 'experts.xlsx', bytes }],
      ]),
      ctx,
    )
    expect(out.status).toBe(200)
    expect((out.data as ImportReply).outcome).toMatchObject({
      status: 'imported',
      created: 2,
      updated: 0,
    })
  })

  it('answers a missing file, a missing org, a non-multipart post and a too-large file without 500', async () => {
    const bytes = await xlsxOf([row('丙', '13944440003')])
    const noFile = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['orgId', String(world.orgs.district.id)],
      ]),
      ctx,
    )
    expect(noFile.status).toBe(400)
    expect((noFile.data as ImportReply).outcome?.issues?.[0]?.key).toBe(
      'talent.import.errors.noFile',
    )
    const noOrg = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['file', { name: 'x.xlsx', bytes }],
      ]),
      ctx,
    )
    expect(noOrg).toMatchObject({ status: 400, data: { formError: 'talent.errors.org' } })
    const plain = await call(
      importRoute.action,
      as.coordinator.post('/experts/import', { orgId: world.orgs.district.id }),
      ctx,
    )
    expect(plain.status).toBe(400)
    const big = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['orgId', String(world.orgs.district.id)],
        ['file', { name: 'big.csv', bytes: new Uint8Array(6 * 1024 * 1024).fill(0x41) }],
      ]),
      ctx,
    )
    expect(big.status).toBe(413)
    expect((big.data as ImportReply).outcome?.issues?.[0]?.key).toBe(
      'talent.import.errors.tooLarge',
    )
    const forged = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', 'forged'],
        ['orgId', String(world.orgs.district.id)],
        ['file', { name: 'x.xlsx', bytes }],
      ]),
      ctx,
    )
    expect(forged).toMatchObject({ status: 403 })
  })

  it('is refused to stewards and experts, and into an org outside the subtree', async () => {
    const bytes = await xlsxOf([row('丁', '13944440004')])
    for (const who of [as.steward, as.expert]) {
      expect(await call(importRoute.loader, who.get('/experts/import'), ctx)).toMatchObject({
        status: 403,
      })
      const out = await call(
        importRoute.action,
        upload(who, [
          ['csrf', who.csrf ?? ''],
          ['orgId', String(world.orgs.district.id)],
          ['file', { name: 'x.xlsx', bytes }],
        ]),
        ctx,
      )
      expect(out.status).toBe(403)
    }
    const outside = await call(
      importRoute.action,
      upload(as.coordinator, [
        ['csrf', as.coordinator.csrf ?? ''],
        ['orgId', String(world.orgs.otherCity.id)],
        ['file', { name: 'x.xlsx', bytes }],
      ]),
      ctx,
    )
    expect(outside).toMatchObject({ status: 403, thrown: true })
    expect(
      await tdb.db.selectFrom('expert').select('id').where('mobile', '=', '13944440004').execute(),
    ).toEqual([])
  })
})

describe('downloads', () => {
  it('serves the template to managers as an .xlsx', async () => {
    const res = await template.loader({
      request: as.coordinator.get('/experts/import/template.xlsx'),
      context: ctx,
      params: {},
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(res.headers.get('Content-Disposition')).toContain('attachment')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04])
    expect(
      await call(template.loader, as.steward.get('/experts/import/template.xlsx'), ctx),
    ).toMatchObject({ status: 403 })
  })

  it('streams the filtered export to readers of the pool, and refuses others', async () => {
    const res = (await exportRoute.loader({
      request: as.steward.get(`/experts/export.xlsx?skill=${fieldId}`),
      context: ctx,
      params: {},
    })) as Response
    expect(res.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
    const sheet = workbook.getWorksheet('专家信息')
    // The same experts as the list with that filter (all of them, in the steward's subtree).
    const listed = await call(list.loader, as.steward.get(`/experts?skill=${fieldId}`), ctx)
    const names = (listed.data as { experts: { name: string }[] }).experts.map((e) => e.name)
    expect(names.length).toBeGreaterThan(0)
    expect(sheet?.actualRowCount).toBe(1 + names.length)
    const exported = (sheet?.getColumn(1).values ?? []).slice(2).map(String)
    expect(exported.sort()).toEqual(names.sort())
    expect(
      await call(exportRoute.loader, as.contact.get('/experts/export.xlsx'), ctx),
    ).toMatchObject({ status: 403 })
    expect(
      await call(exportRoute.loader, as.expert.get('/experts/export.xlsx'), ctx),
    ).toMatchObject({ status: 403 })
  })
})
