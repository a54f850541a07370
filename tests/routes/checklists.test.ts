import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as listPage from '#app/routes/admin.checklists._index.tsx'
import * as editPage from '#app/routes/admin.checklists.$id.tsx'
import { findTemplateByCode, templateItemsOf } from '#db/queries/checklist-templates.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let as: Record<'admin' | 'coordinator' | 'steward' | 'contact', Browser>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_checklists')
  world = await buildWorld(tdb.db, 'rc')
  ctx = buildContext(tdb.db)
  as = {
    admin: await signIn(ctx, world.users.admin.id),
    coordinator: await signIn(ctx, world.users.coordinator.id),
    steward: await signIn(ctx, world.users.steward.id),
    contact: await signIn(ctx, world.users.contact.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

function formError(out: { data: unknown }) {
  const result = (out.data as { result?: { error?: Record<string, string[] | null> } }).result
  return result?.error?.['']?.[0] ?? Object.values(result?.error ?? {}).find((e) => e?.length)?.[0]
}

const loadList = (b: Browser) => call(listPage.loader, b.get('/admin/checklists'), ctx)
const postList = (b: Browser, fields: Record<string, string>) =>
  call(listPage.action, b.post('/admin/checklists', fields), ctx)
const loadEdit = (b: Browser, id: string | number) =>
  call(editPage.loader, b.get(`/admin/checklists/${id}`), ctx, { id: String(id) })
const postEdit = (b: Browser, id: number, fields: [string, string][]) =>
  call(editPage.action, b.post(`/admin/checklists/${id}`, fields), ctx, { id: String(id) })

async function templateCount() {
  const r = await tdb.db
    .selectFrom('checklist_template')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('the checklist template pages', () => {
  it('are for federation admins', async () => {
    const page = await loadList(as.admin)
    expect(page.status).toBe(200)
    expect((page.data as { templates: { code: string }[] }).templates.map((t) => t.code)).toContain(
      'electrical_health',
    )
    for (const b of [as.coordinator, as.steward, as.contact]) {
      expect((await loadList(b)).status).toBe(403)
      expect((await loadEdit(b, 1)).status).toBe(403)
      expect((await postList(b, { code: 'x_y', nameZh: '模板' })).status).toBe(403)
    }
    const anon = await loadList(await anonymous(ctx))
    expect(anon.status).toBe(302)
    expect(await loadEdit(as.admin, 'abc')).toMatchObject({ status: 404 })
    expect(await loadEdit(as.admin, 999_999)).toMatchObject({
      status: 404,
      body: 'errors.notFound',
    })
  })

  it('creates a template and edits its lines; bad input is a translated 400 that changes nothing', async () => {
    const before = await templateCount()
    for (const [fields, key] of [
      [{ code: 'Bad Code', nameZh: '模板' }, 'visits.checklists.errors.code'],
      [{ code: 'electrical_health', nameZh: '重复的' }, 'visits.checklists.errors.codeTaken'],
      [
        { code: 'dust_check', nameZh: '粉尘', category: '<script>' },
        'visits.checklists.errors.category',
      ],
    ] as const) {
      const out = await postList(as.admin, fields)
      expect(out.status).toBe(400)
      expect(formError(out)).toBe(key)
    }
    expect(await templateCount()).toBe(before)
    const created = await postList(as.admin, {
      code: 'dust_check',
      nameZh: '粉尘防爆检查',
      nameEn: 'Dust explosion check',
      category: 'safety',
      active: 'on',
    })
    expect(created.status).toBe(302)
    const match = /^\/admin\/checklists\/(\d+)\?done=templateCreated$/.exec(created.location ?? '')
    const id = Number(match?.[1])
    expect(id).toBeGreaterThan(0)

    const bad = await postEdit(as.admin, id, [
      ['nameZh', '粉尘防爆检查'],
      ['active', 'on'],
      ['lines[0].labelZh', '粉尘浓度'],
      ['lines[0].kind', 'measurement'],
      ['lines[0].unit', 'mg/m³'],
      ['lines[0].min', '10'],
      ['lines[0].max', '2'],
    ])
    expect(bad.status).toBe(400)
    expect(formError(bad)).toBe('visits.checklists.errors.range')
    const tpl = await findTemplateByCode(tdb.db, 'dust_check')
    expect(await templateItemsOf(tdb.db, [tpl?.id as number])).toEqual([])

    const saved = await postEdit(as.admin, id, [
      ['nameZh', '粉尘防爆检查'],
      ['active', 'on'],
      ['lines[0].id', ''],
      ['lines[0].position', '10'],
      ['lines[0].labelZh', '粉尘浓度'],
      ['lines[0].kind', 'measurement'],
      ['lines[0].unit', 'mg/m³'],
      ['lines[0].max', '8'],
      ['lines[1].id', ''],
      ['lines[1].labelZh', ''],
    ])
    expect(saved).toMatchObject({
      status: 302,
      location: `/admin/checklists/${id}?done=templateSaved`,
    })
    const view = await loadEdit(as.admin, id)
    expect(
      (view.data as { lines: { label_zh: string; max_value: number; unit: string }[] }).lines,
    ).toEqual([expect.objectContaining({ label_zh: '粉尘浓度', max_value: 8, unit: 'mg/m³' })])
    expect(view.data).toMatchObject({ notice: null })
  })
})
