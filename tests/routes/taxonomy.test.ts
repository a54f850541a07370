import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as admin from '#app/routes/admin.categories.tsx'
import * as detail from '#app/routes/needs-lists.$id._index.tsx'
import * as edit from '#app/routes/needs-lists.$id.edit.tsx'
import * as withdraw from '#app/routes/needs-lists.$id.withdraw.tsx'
import * as newList from '#app/routes/needs-lists.new.tsx'
import * as taxonomy from '#app/routes/taxonomy.tsx'
import { makeUser } from '#db/factories.ts'
import { needItemsOf } from '#db/queries/needs-lists.ts'
import { skillIdsByCodes } from '#db/queries/skills.ts'
import { createNeedsList, submitNeedsList } from '#workflows/commands/needs-lists.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  intents,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import {
  buildWorld,
  eventsOf,
  footprint,
  listRow,
  TEST_PASSWORD,
  type World,
} from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<'contact' | 'otherContact' | 'coordinator' | 'admin' | 'steward' | 'expert', Browser>
let skill: Map<string, number>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_taxonomy')
  world = await buildWorld(tdb.db, 'rt')
  ctx = buildContext(tdb.db)
  const expert = await makeUser(tdb.db, {
    email: 'rt-expert@zhuqi.test',
    name: 'rt expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    otherContact: await signIn(ctx, u.otherContact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    admin: await signIn(ctx, u.admin.id),
    steward: await signIn(ctx, u.steward.id),
    expert: await signIn(ctx, expert.id),
  }
  skill = await skillIdsByCodes(tdb.db, [
    'welding.arc.gmaw',
    'welding.quality.defect-analysis',
    'power.equipment.distribution-box-diagnosis',
  ])
})

afterAll(async () => {
  await tdb?.drop()
})

const sid = (code: string) => String(skill.get(code))

function replyOf(data: unknown) {
  return (
    data as {
      result: {
        error?: Record<string, string[] | null>
        initialValue: Record<string, unknown>
      }
    }
  ).result
}

async function categories() {
  return tdb.db.selectFrom('need_category').selectAll().orderBy('position').execute()
}

describe('the category admin page', () => {
  const adminPost = (browser: Browser, fields: Record<string, string>, csrf?: string | null) =>
    call(admin.action, browser.post('/admin/categories', fields, { csrf }), ctx)

  it('is for federation admins only (403 for everyone else, nothing changed)', async () => {
    const before = await categories()
    for (const browser of [as.contact, as.coordinator, as.steward, as.expert]) {
      expect((await call(admin.loader, browser.get('/admin/categories'), ctx)).status).toBe(403)
      const out = await adminPost(browser, { intent: 'deactivate', code: 'other' })
      expect(out.status).toBe(403)
      const add = await adminPost(browser, {
        intent: 'add',
        code: 'sneaky',
        nameZh: 'x',
        nameEn: 'x',
      })
      expect(add.status).toBe(403)
    }
    expect(await categories()).toEqual(before)
    const anon = await anonymous(ctx)
    expect((await call(admin.loader, anon.get('/admin/categories'), ctx)).status).toBe(302)
  })

  it('lists every category, inactive ones too', async () => {
    const out = await call(admin.loader, as.admin.get('/admin/categories'), ctx)
    expect(out.status).toBe(200)
    const rows = (out.data as { categories: { code: string; nameZh: string }[] }).categories
    expect(rows.map((c) => c.code).slice(0, 2)).toEqual([
      'tech_breakthrough',
      'equipment_diagnosis',
    ])
    expect(rows[1]?.nameZh).toBe('设备诊断')
  })

  it('adds, renames, moves, deactivates and reactivates, through plain forms', async () => {
    const add = await adminPost(as.admin, {
      intent: 'add',
      code: 'quality_control',
      nameZh: '质量管控',
      nameEn: 'Quality control',
    })
    expect(add.status).toBe(302)
    expect(add.location).toBe('/admin/categories?done=added#category-quality_control')
    expect((await categories()).at(-1)).toMatchObject({ code: 'quality_control', active: true })

    expect(
      (
        await adminPost(as.admin, {
          intent: 'rename',
          code: 'quality_control',
          nameZh: '质量管理',
          nameEn: 'Quality',
        })
      ).status,
    ).toBe(302)
    expect((await adminPost(as.admin, { intent: 'up', code: 'quality_control' })).status).toBe(302)
    expect((await categories()).at(-2)?.code).toBe('quality_control')
    expect((await adminPost(as.admin, { intent: 'down', code: 'quality_control' })).status).toBe(
      302,
    )
    expect(
      (await adminPost(as.admin, { intent: 'deactivate', code: 'quality_control' })).location,
    ).toBe('/admin/categories?done=deactivated#category-quality_control')
    expect((await categories()).at(-1)).toMatchObject({
      code: 'quality_control',
      name_zh: '质量管理',
      name_en: 'Quality',
      active: false,
    })

    // The new-list form shows inactive categories as such; the command refuses them.
    const form = await call(newList.loader, as.contact.get('/needs-lists/new'), ctx)
    const offered = (form.data as { options: { categories: { code: string; active: boolean }[] } })
      .options.categories
    expect(offered.find((c) => c.code === 'quality_control')).toMatchObject({ active: false })
    const refused = await call(
      newList.action,
      as.contact.post('/needs-lists/new', [
        ['title', 'Uses an inactive category'],
        ['items[0].category', 'quality_control'],
        ['items[0].description', 'Quality system review'],
        ['items[0].urgency', 'normal'],
        ['items[0].headcount', '1'],
      ]),
      ctx,
    )
    expect(refused.status).toBe(400)
    expect(replyOf(refused.data).error?.['items[0].category']).toEqual(['errors.category'])

    expect(
      (await adminPost(as.admin, { intent: 'reactivate', code: 'quality_control' })).status,
    ).toBe(302)
    expect((await categories()).at(-1)?.active).toBe(true)
    const notice = await call(admin.loader, as.admin.get('/admin/categories?done=reactivated'), ctx)
    expect((notice.data as { notice: string }).notice).toBe('taxonomy.categories.reactivated')
  })

  it('validates codes and names (400, translated, nothing written)', async () => {
    const before = await categories()
    const cases: [Record<string, string>, string, string][] = [
      [
        { intent: 'add', code: 'Bad Code', nameZh: '名', nameEn: 'n' },
        'code',
        'taxonomy.errors.code',
      ],
      [{ intent: 'add', code: '1abc', nameZh: '名', nameEn: 'n' }, 'code', 'taxonomy.errors.code'],
      [
        { intent: 'add', code: 'fine_code', nameZh: ' ', nameEn: 'n' },
        'nameZh',
        'taxonomy.errors.name',
      ],
      [
        { intent: 'rename', code: 'other', nameZh: '其他', nameEn: 'x'.repeat(41) },
        'nameEn',
        'taxonomy.errors.name',
      ],
      [{ intent: 'explode', code: 'other' }, 'intent', 'errors.badRequest'],
    ]
    for (const [fields, field, key] of cases) {
      const out = await adminPost(as.admin, fields)
      expect(out.status, JSON.stringify(fields)).toBe(400)
      expect(replyOf(out.data).error?.[field], JSON.stringify(fields)).toEqual([key])
    }
    const taken = await adminPost(as.admin, {
      intent: 'add',
      code: 'safety',
      nameZh: '安全',
      nameEn: 'Safety',
    })
    expect(taken.status).toBe(400)
    expect(replyOf(taken.data).error?.['']).toEqual(['taxonomy.errors.codeTaken'])
    const missing = await adminPost(as.admin, { intent: 'deactivate', code: 'no_such_code' })
    expect(missing.status).toBe(404)
    expect(await categories()).toEqual(before)
  })

  it('needs a CSRF token', async () => {
    const before = await categories()
    const out = await adminPost(as.admin, { intent: 'deactivate', code: 'other' }, null)
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await categories()).toEqual(before)
  })
})

describe('the skills taxonomy page', () => {
  it('shows the tree to anyone signed in', async () => {
    const out = await call(taxonomy.loader, as.expert.get('/taxonomy'), ctx)
    expect(out.status).toBe(200)
    const data = out.data as {
      domains: { code: string; fields: { code: string; skills: { code: string }[] }[] }[]
      counts: { domains: number; skills: number }
    }
    expect(data.domains[0]?.code).toBe('power')
    expect(data.domains[0]?.fields[0]?.skills[0]?.code).toBe(
      'power.equipment.distribution-box-diagnosis',
    )
    expect(data.counts.domains).toBeGreaterThanOrEqual(10)
    const anon = await anonymous(ctx)
    expect((await call(taxonomy.loader, anon.get('/taxonomy'), ctx)).status).toBe(302)
  })

  it('narrows to matches in either language, or by code', async () => {
    for (const q of ['焊接', 'welding', 'welding.arc']) {
      const out = await call(
        taxonomy.loader,
        as.contact.get(`/taxonomy?q=${encodeURIComponent(q)}`),
        ctx,
      )
      const domains = (out.data as { domains: { code: string }[] }).domains
      expect(
        domains.map((d) => d.code),
        q,
      ).toContain('welding')
      expect(
        domains.map((d) => d.code),
        q,
      ).not.toContain('power')
    }
    const none = await call(taxonomy.loader, as.contact.get('/taxonomy?q=zzzz'), ctx)
    expect((none.data as { domains: unknown[] }).domains).toEqual([])
  })
})

describe('need item details in the forms', () => {
  const itemFields = (i: number, extra: [string, string][] = []): [string, string][] => [
    [`items[${i}].category`, 'skills_training'],
    [`items[${i}].title`, '焊工技能提升培训'],
    [`items[${i}].description`, '为20名焊工开展技能提升培训'],
    [`items[${i}].urgency`, 'normal'],
    [`items[${i}].headcount`, '1'],
    ...extra,
  ]

  it('creates items with skills, window, mode, place and outcome, and the edit form reads them back', async () => {
    const out = await call(
      newList.action,
      as.contact.post('/needs-lists/new', [
        ['title', 'Welding training'],
        ...itemFields(0, [
          ['items[0].skillIds', sid('welding.arc.gmaw')],
          ['items[0].skillIds', sid('welding.quality.defect-analysis')],
          ['items[0].windowStart', '2027-01-04'],
          ['items[0].windowEnd', '2027-01-29'],
          ['items[0].mode', 'either'],
          ['items[0].place', '公司培训中心'],
          ['items[0].expectedOutcome', '合格率不低于 90%'],
        ]),
        // One skill only: a single value, not a list.
        ...itemFields(1, [['items[1].skillIds', sid('welding.arc.gmaw')]]),
      ]),
      ctx,
    )
    expect(out.status).toBe(302)
    const id = Number(out.location?.match(/\/needs-lists\/(\d+)/)?.[1])
    const items = await needItemsOf(tdb.db, id)
    expect(
      items.map((i) => [i.title, i.skillIds.length, i.windowStart, i.windowEnd, i.mode]),
    ).toEqual([
      ['焊工技能提升培训', 2, '2027-01-04', '2027-01-29', 'either'],
      ['焊工技能提升培训', 1, null, null, 'onsite'],
    ])
    expect(items[0]).toMatchObject({ place: '公司培训中心', expected_outcome: '合格率不低于 90%' })

    const form = await call(edit.loader, as.contact.get(`/needs-lists/${id}/edit`), ctx, {
      id: String(id),
    })
    const first = (form.data as { items: Record<string, unknown>[] }).items[0]
    expect(first).toMatchObject({
      title: '焊工技能提升培训',
      windowStart: '2027-01-04',
      windowEnd: '2027-01-29',
      mode: 'either',
      place: '公司培训中心',
    })
    expect([...((first?.skillIds as string[] | undefined) ?? [])].sort()).toEqual(
      [sid('welding.arc.gmaw'), sid('welding.quality.defect-analysis')].sort(),
    )

    // The detail page names the skills in both languages and the category from the table.
    const view = await call(detail.loader, as.coordinator.get(`/needs-lists/${id}`), ctx, {
      id: String(id),
    })
    const extras = (
      view.data as {
        extras: {
          items: { skills: { nameZh: string; nameEn: string; pathZh: string }[] }[]
          categories: { code: string; nameZh: string }[]
        }
      }
    ).extras
    expect(extras.items[0]?.skills.map((s) => s.nameZh).sort()).toEqual(
      ['焊接缺陷分析', '熔化极气体保护焊'].sort(),
    )
    expect(extras.items[0]?.skills.find((s) => s.nameZh === '熔化极气体保护焊')).toMatchObject({
      nameEn: 'Gas metal arc welding (MIG/MAG)',
      pathZh: '焊接 / 电弧焊',
    })
    expect(extras.categories.find((c) => c.code === 'skills_training')?.nameZh).toBe('技能培训')
  })

  it('keeps ticked skills and dates across an add-item round trip without JavaScript', async () => {
    const out = await call(
      newList.action,
      as.contact.post('/needs-lists/new', [
        ['title', 'Round trip'],
        ...itemFields(0, [
          ['items[0].skillIds', sid('welding.arc.gmaw')],
          ['items[0].skillIds', sid('welding.quality.defect-analysis')],
          ['items[0].windowStart', '2027-03-01'],
        ]),
        ['__intent__', intents.insert('items')],
      ]),
      ctx,
    )
    expect(out.status).toBe(200)
    const items = replyOf(out.data).initialValue.items as Record<string, unknown>[]
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({
      skillIds: [sid('welding.arc.gmaw'), sid('welding.quality.defect-analysis')],
      windowStart: '2027-03-01',
    })
  })

  it('refuses unknown skills, bad dates and windows out of order (400, on the field, nothing written)', async () => {
    const before = await tdb.db
      .selectFrom('needs_list')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const cases: [string, [string, string][], string, string][] = [
      [
        'unknown skill',
        [['items[0].skillIds', '99999999']],
        'items[0].skillIds',
        'taxonomy.errors.unknownSkill',
      ],
      [
        'window order',
        [
          ['items[0].windowStart', '2027-02-01'],
          ['items[0].windowEnd', '2027-01-01'],
        ],
        'items[0].windowEnd',
        'errors.windowOrder',
      ],
      ['bad date', [['items[0].windowStart', '2027-13-45']], 'items[0].windowStart', 'errors.date'],
      ['bad mode', [['items[0].mode', 'teleport']], 'items[0].mode', 'errors.mode'],
    ]
    for (const [what, extra, field, key] of cases) {
      const out = await call(
        newList.action,
        as.contact.post('/needs-lists/new', [['title', what], ...itemFields(0, extra)]),
        ctx,
      )
      expect(out.status, what).toBe(400)
      expect(replyOf(out.data).error?.[field], what).toEqual([key])
    }
    const after = await tdb.db
      .selectFrom('needs_list')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })
})

describe('submitting with similar open items', () => {
  const item = {
    category: 'equipment_diagnosis',
    title: '配电设备健康诊断',
    description: '配电箱、漏电保护器及供电线路健康诊断',
    urgency: 'high' as const,
    headcount: 2,
  }

  it('warns with links and submits only when re-posted with the confirmation', async () => {
    const open = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Already filed',
      items: [item],
    })
    await submitNeedsList(tdb.db, world.principals.contact, open, 1)
    const dup = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Filed again',
      items: [{ ...item, description: '配电箱和漏电保护器健康诊断' }],
    })
    const before = await footprint(tdb.db, dup)
    const post = (fields: Record<string, string | number>) =>
      call(detail.action, as.contact.post(`/needs-lists/${dup}`, fields), ctx, { id: String(dup) })

    const warned = await post({ intent: 'submit', version: 1 })
    expect(warned.status).toBe(409)
    const similar = (
      warned.data as { similar: { listId: number; listTitle: string; itemIndex: number }[] }
    ).similar
    expect(similar).toEqual([
      expect.objectContaining({ listId: open, listTitle: 'Already filed', itemIndex: 0 }),
    ])
    expect(await footprint(tdb.db, dup)).toEqual(before)
    expect((await listRow(tdb.db, dup)).status).toBe('draft')

    const confirmed = await post({ intent: 'submit', version: 1, confirmSimilar: 'on' })
    expect(confirmed.status).toBe(302)
    expect(confirmed.location).toBe(`/needs-lists/${dup}?done=submitted`)
    expect((await listRow(tdb.db, dup)).status).toBe('submitted')
    const events = await eventsOf(tdb.db, dup)
    expect(events.at(-1)).toMatchObject({ event_type: 'SUBMIT' })
  })

  it('submits straight away when nothing resembles the list', async () => {
    const solo = await createNeedsList(tdb.db, world.principals.otherContact, {
      title: 'Nothing like it',
      items: [item],
    })
    const out = await call(
      detail.action,
      as.otherContact.post(`/needs-lists/${solo}`, { intent: 'submit', version: 1 }),
      ctx,
      { id: String(solo) },
    )
    expect(out.status).toBe(302)
  })
})

describe('withdrawing from the page', () => {
  it('needs the confirmation, then closes the list with a notice', async () => {
    const id = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'To withdraw',
      items: [{ category: 'other', description: '其他需求说明', urgency: 'low', headcount: 1 }],
    })
    const page = await call(withdraw.loader, as.contact.get(`/needs-lists/${id}/withdraw`), ctx, {
      id: String(id),
    })
    expect(page.data).toMatchObject({ id, title: 'To withdraw', version: 1 })
    const view = await call(detail.loader, as.contact.get(`/needs-lists/${id}`), ctx, {
      id: String(id),
    })
    expect((view.data as { can: { withdraw: boolean } }).can.withdraw).toBe(true)

    const before = await footprint(tdb.db, id)
    const post = (browser: Browser, fields: Record<string, string | number>) =>
      call(withdraw.action, browser.post(`/needs-lists/${id}/withdraw`, fields), ctx, {
        id: String(id),
      })
    const unconfirmed = await post(as.contact, { version: 1, reason: 'Solved' })
    expect(unconfirmed.status).toBe(400)
    expect(replyOf(unconfirmed.data).error?.confirm).toEqual(['taxonomy.errors.confirmWithdraw'])
    const tooLong = await post(as.contact, { version: 1, reason: 'x'.repeat(1001), confirm: 'on' })
    expect(replyOf(tooLong.data).error?.reason).toEqual(['taxonomy.errors.reasonTooLong'])
    expect(await post(as.otherContact, { version: 1, confirm: 'on' })).toMatchObject({
      status: 403,
    })
    expect(await post(as.coordinator, { version: 1, confirm: 'on' })).toMatchObject({ status: 403 })
    const stale = await post(as.contact, { version: 9, confirm: 'on' })
    expect(stale.status).toBe(409)
    expect(await footprint(tdb.db, id)).toEqual(before)

    const done = await post(as.contact, { version: 1, reason: '  已自行解决 ', confirm: 'on' })
    expect(done.status).toBe(302)
    expect(done.location).toBe(`/needs-lists/${id}?done=withdrawn`)
    expect((await listRow(tdb.db, id)).status).toBe('withdrawn')
    const withdrawn = (await eventsOf(tdb.db, id)).at(-1)
    expect(withdrawn).toMatchObject({ event_type: 'WITHDRAW', payload: { reason: '已自行解决' } })

    const after = await call(
      detail.loader,
      as.contact.get(`/needs-lists/${id}?done=withdrawn`),
      ctx,
      {
        id: String(id),
      },
    )
    expect(after.data).toMatchObject({
      can: { withdraw: false },
      extras: { notice: 'taxonomy.withdraw.done' },
    })
    const closed = await call(withdraw.loader, as.contact.get(`/needs-lists/${id}/withdraw`), ctx, {
      id: String(id),
    })
    expect(closed).toMatchObject({ status: 409, body: 'errors.transitionNotAllowed' })
  })
})
