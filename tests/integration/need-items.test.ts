import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalStorage } from '#app/storage/storage.server.ts'
import { needItemsOf } from '#db/queries/needs-lists.ts'
import { skillIdsByCodes } from '#db/queries/skills.ts'
import { REFERENCE_CATEGORIES } from '#db/reference/categories.ts'
import { referenceSkills } from '#db/reference/skills.ts'
import { syncReferenceData } from '#db/reference/sync.server.ts'
import { MAX_ATTACHMENTS_PER_LIST } from '#workflows/attachments.ts'
import { addAttachment, deleteAttachment } from '#workflows/commands/attachments.ts'
import {
  addCategory,
  moveCategory,
  renameCategory,
  setCategoryActive,
} from '#workflows/commands/categories.ts'
import {
  createNeedsList,
  editNeedsList,
  needsListView,
  submitNeedsList,
  triageNeedsList,
  withdrawNeedsList,
} from '#workflows/commands/needs-lists.ts'
import {
  ConflictError,
  ForbiddenError,
  SimilarItemsError,
  TransitionNotAllowedError,
  ValidationError,
} from '#workflows/errors.ts'
import type { NeedItemData } from '#workflows/needs-list.schema.ts'
import { samples } from '../helpers/attachment-files.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, eventsOf, footprint, listRow, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let skill: Map<string, number>

beforeAll(async () => {
  tdb = await createTestDatabase('need_items')
  world = await buildWorld(tdb.db, 'ni')
  skill = await skillIdsByCodes(
    tdb.db,
    referenceSkills().map((s) => s.code),
  )
})

afterAll(async () => {
  await tdb?.drop()
})

const id = (code: string) => {
  const value = skill.get(code)
  if (value === undefined) throw new Error(`no skill ${code}`)
  return value
}

function diagnosis(overrides: Partial<NeedItemData> = {}): NeedItemData {
  return {
    category: 'equipment_diagnosis',
    title: '配电设备健康诊断',
    description: '配电箱、漏电保护器及供电线路健康诊断',
    urgency: 'high',
    headcount: 2,
    skillIds: [
      id('power.equipment.leakage-protector-testing'),
      id('power.equipment.distribution-box-diagnosis'),
    ],
    windowStart: '2026-12-07',
    windowEnd: '2026-12-18',
    mode: 'onsite',
    place: '3 号厂房配电房',
    expectedOutcome: '出具诊断报告',
    ...overrides,
  }
}

const training: NeedItemData = {
  category: 'skills_training',
  description: '为20名焊工开展技能提升培训',
  urgency: 'normal',
  headcount: 1,
}

async function counts() {
  const n = async (table: 'needs_list' | 'need_item' | 'need_item_skill' | 'workflow_event') =>
    Number(
      (
        await tdb.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    lists: await n('needs_list'),
    items: await n('need_item'),
    skills: await n('need_item_skill'),
    events: await n('workflow_event'),
  }
}

describe('syncReferenceData', () => {
  it('has loaded every category and skill, with paths of ancestor ids', async () => {
    const categories = await tdb.db.selectFrom('need_category').selectAll().execute()
    expect(categories.map((c) => c.code).sort()).toEqual(
      REFERENCE_CATEGORIES.map((c) => c.code).sort(),
    )
    const rows = await tdb.db.selectFrom('skill').selectAll().execute()
    expect(rows).toHaveLength(referenceSkills().length)
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const row of rows) {
      const parent = row.parent_id === null ? undefined : byId.get(row.parent_id)
      expect(row.path, row.code).toBe(`${parent?.path ?? '/'}${row.id}/`)
      if (row.level === 'skill') expect(parent?.level, row.code).toBe('field')
      if (row.level === 'field') expect(parent?.level, row.code).toBe('domain')
      if (row.level === 'domain') expect(parent, row.code).toBeUndefined()
    }
  })

  it('is idempotent', async () => {
    const before = await tdb.db.selectFrom('skill').selectAll().orderBy('id').execute()
    expect(await syncReferenceData(tdb.db)).toEqual({ categories: 0, skills: 0 })
    expect(await tdb.db.selectFrom('skill').selectAll().orderBy('id').execute()).toEqual(before)
  })

  it("never overwrites an admin's edits and only restores what is missing", async () => {
    await tdb.db
      .updateTable('need_category')
      .set({ name_zh: '设备健康诊断', position: 999, active: false })
      .where('code', '=', 'equipment_diagnosis')
      .execute()
    await tdb.db
      .updateTable('skill')
      .set({ name_en: 'Welding robots' })
      .where('code', '=', 'welding.advanced.robot-welding')
      .execute()
    const removed = await tdb.db
      .deleteFrom('skill')
      .where('code', '=', 'health.surveillance.ppe')
      .returningAll()
      .executeTakeFirstOrThrow()
    await tdb.db.deleteFrom('need_category').where('code', '=', 'other').execute()

    expect(await syncReferenceData(tdb.db)).toEqual({ categories: 1, skills: 1 })

    expect(
      await tdb.db
        .selectFrom('need_category')
        .selectAll()
        .where('code', '=', 'equipment_diagnosis')
        .executeTakeFirstOrThrow(),
    ).toMatchObject({ name_zh: '设备健康诊断', position: 999, active: false })
    expect(
      await tdb.db
        .selectFrom('skill')
        .select('name_en')
        .where('code', '=', 'welding.advanced.robot-welding')
        .executeTakeFirstOrThrow(),
    ).toEqual({ name_en: 'Welding robots' })
    const restored = await tdb.db
      .selectFrom('skill')
      .selectAll()
      .where('code', '=', 'health.surveillance.ppe')
      .executeTakeFirstOrThrow()
    expect(restored.id).not.toBe(removed.id)
    expect(restored.parent_id).toBe(removed.parent_id)
    expect(restored.path).toBe(removed.path.replace(`/${removed.id}/`, `/${restored.id}/`))
    expect(
      await tdb.db
        .selectFrom('need_category')
        .select(['name_zh', 'active'])
        .where('code', '=', 'other')
        .executeTakeFirstOrThrow(),
    ).toEqual({ name_zh: '其他', active: true })

    // Put the admin's edit back for the tests below.
    await tdb.db
      .updateTable('need_category')
      .set({ name_zh: '设备诊断', position: 20, active: true })
      .where('code', '=', 'equipment_diagnosis')
      .execute()
    skill = await skillIdsByCodes(
      tdb.db,
      referenceSkills().map((s) => s.code),
    )
  })

  it('copes with two processes syncing at once', async () => {
    const other = await createTestDatabase('need_items_sync')
    try {
      await other.db.deleteFrom('skill').where('level', '=', 'skill').execute()
      await other.db.deleteFrom('skill').where('level', '=', 'field').execute()
      await other.db.deleteFrom('skill').execute()
      await other.db.deleteFrom('need_category').execute()
      const [a, b] = await Promise.all([syncReferenceData(other.db), syncReferenceData(other.db)])
      expect(a.skills + b.skills).toBe(referenceSkills().length)
      expect(a.categories + b.categories).toBe(REFERENCE_CATEGORIES.length)
      const rows = await other.db.selectFrom('skill').select(['code', 'path']).execute()
      expect(rows).toHaveLength(referenceSkills().length)
      expect(rows.some((r) => r.path.startsWith('~'))).toBe(false)
    } finally {
      await other.drop()
    }
  })
})

describe('need item details through the commands', () => {
  it('persists title, skills, window, mode, place and outcome, and reads them back', async () => {
    const listId = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Detailed list',
      items: [diagnosis(), training],
    })
    const view = await needsListView(tdb.db, world.principals.coordinator, listId)
    expect(
      view.items.map((i) => ({
        category: i.category,
        title: i.title,
        skillIds: i.skillIds,
        windowStart: i.windowStart,
        windowEnd: i.windowEnd,
        mode: i.mode,
        place: i.place,
        expectedOutcome: i.expected_outcome,
      })),
    ).toEqual([
      {
        category: 'equipment_diagnosis',
        title: '配电设备健康诊断',
        skillIds: [
          id('power.equipment.distribution-box-diagnosis'),
          id('power.equipment.leakage-protector-testing'),
        ].sort((a, b) => a - b),
        windowStart: '2026-12-07',
        windowEnd: '2026-12-18',
        mode: 'onsite',
        place: '3 号厂房配电房',
        expectedOutcome: '出具诊断报告',
      },
      {
        category: 'skills_training',
        title: '',
        skillIds: [],
        windowStart: null,
        windowEnd: null,
        mode: 'onsite',
        place: null,
        expectedOutcome: null,
      },
    ])

    await editNeedsList(
      tdb.db,
      world.principals.contact,
      listId,
      {
        title: 'Detailed list',
        items: [
          diagnosis({
            skillIds: [id('power.power-quality.harmonic-analysis')],
            windowStart: '2027-01-04',
            windowEnd: undefined,
            mode: 'either',
            place: undefined,
          }),
        ],
      },
      1,
    )
    const items = await needItemsOf(tdb.db, listId)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      skillIds: [id('power.power-quality.harmonic-analysis')],
      windowStart: '2027-01-04',
      windowEnd: null,
      mode: 'either',
      place: null,
    })
    // The old items' skill links went with them.
    const links = await tdb.db
      .selectFrom('need_item_skill as s')
      .innerJoin('need_item as i', 'i.id', 's.need_item_id')
      .select('s.skill_id')
      .where('i.needs_list_id', '=', listId)
      .execute()
    expect(links.map((l) => l.skill_id)).toEqual([id('power.power-quality.harmonic-analysis')])
  })

  it('refuses an unknown or inactive category, an unknown skill or a window out of order, writing nothing', async () => {
    const before = await counts()
    const cases: [string, NeedItemData[], string, string][] = [
      [
        'unknown category',
        [training, diagnosis({ category: 'magic' })],
        'items[1].category',
        'errors.category',
      ],
      [
        'unknown skill',
        [diagnosis({ skillIds: [id('welding.arc.gmaw'), 987654] })],
        'items[0].skillIds',
        'taxonomy.errors.unknownSkill',
      ],
      [
        'window end before start',
        [diagnosis({ windowStart: '2026-12-18', windowEnd: '2026-12-07' })],
        'items[0].windowEnd',
        'errors.windowOrder',
      ],
    ]
    for (const [what, items, field, key] of cases) {
      const err = await createNeedsList(tdb.db, world.principals.contact, {
        title: what,
        items,
      }).catch((e: unknown) => e)
      expect(err, what).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).details, what).toEqual({ field, messageKey: key })
    }

    await tdb.db
      .updateTable('need_category')
      .set({ active: false })
      .where('code', '=', 'occupational_health')
      .execute()
    try {
      await expect(
        createNeedsList(tdb.db, world.principals.contact, {
          title: 'Inactive category',
          items: [{ ...training, category: 'occupational_health' }],
        }),
      ).rejects.toThrow(ValidationError)
      expect(await counts()).toEqual(before)
    } finally {
      await tdb.db
        .updateTable('need_category')
        .set({ active: true })
        .where('code', '=', 'occupational_health')
        .execute()
    }
  })

  it('lets an edit keep a category deactivated since, but not switch to one', async () => {
    const listId = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Old category',
      items: [{ ...training, category: 'management' }],
    })
    await tdb.db
      .updateTable('need_category')
      .set({ active: false })
      .where('code', '=', 'management')
      .execute()
    try {
      await editNeedsList(
        tdb.db,
        world.principals.contact,
        listId,
        { title: 'Old category, edited', items: [{ ...training, category: 'management' }] },
        1,
      )
      const before = await footprint(tdb.db, listId)
      await tdb.db
        .updateTable('need_category')
        .set({ active: false })
        .where('code', '=', 'safety')
        .execute()
      await expect(
        editNeedsList(
          tdb.db,
          world.principals.contact,
          listId,
          { title: 'Switch', items: [{ ...training, category: 'safety' }] },
          2,
        ),
      ).rejects.toThrow(ValidationError)
      expect(await footprint(tdb.db, listId)).toEqual(before)
      expect((await listRow(tdb.db, listId)).title).toBe('Old category, edited')
    } finally {
      await tdb.db
        .updateTable('need_category')
        .set({ active: true })
        .where('code', 'in', ['management', 'safety'])
        .execute()
    }
  })

  it('refuses an invalid edit without touching the list', async () => {
    const listId = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Valid first',
      items: [diagnosis()],
    })
    const before = await footprint(tdb.db, listId)
    const itemsBefore = await needItemsOf(tdb.db, listId)
    await expect(
      editNeedsList(
        tdb.db,
        world.principals.contact,
        listId,
        { title: 'Broken', items: [diagnosis({ skillIds: [0x7fffffff] })] },
        1,
      ),
    ).rejects.toThrow(ValidationError)
    expect(await footprint(tdb.db, listId)).toEqual(before)
    expect(await needItemsOf(tdb.db, listId)).toEqual(itemsBefore)
  })
})

describe('withdrawing', () => {
  it('closes a draft or a submitted list with the reason, for its own enterprise only', async () => {
    const draft = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Withdraw the draft',
      items: [training],
    })
    expect((await needsListView(tdb.db, world.principals.contact, draft)).can.withdraw).toBe(true)
    expect((await needsListView(tdb.db, world.principals.coordinator, draft)).can.withdraw).toBe(
      false,
    )
    const before = await footprint(tdb.db, draft)
    await expect(
      withdrawNeedsList(tdb.db, world.principals.otherContact, draft, undefined, 1),
    ).rejects.toThrow(ForbiddenError)
    await expect(
      withdrawNeedsList(tdb.db, world.principals.coordinator, draft, 'no', 1),
    ).rejects.toThrow(ForbiddenError)
    expect(await footprint(tdb.db, draft)).toEqual(before)

    await withdrawNeedsList(tdb.db, world.principals.contact2, draft, '  已自行解决  ', 1)
    expect((await listRow(tdb.db, draft)).status).toBe('withdrawn')
    const view = await needsListView(tdb.db, world.principals.contact, draft)
    expect(view.context.closeReason).toBe('已自行解决')
    expect(view.can).toMatchObject({ withdraw: false, edit: false, submit: false })

    const submitted = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Withdraw after submitting',
      items: [{ ...training, description: '叉车司机安全操作培训' }],
    })
    await submitNeedsList(tdb.db, world.principals.contact, submitted, 1)
    await withdrawNeedsList(tdb.db, world.principals.contact, submitted, undefined, 2)
    expect((await listRow(tdb.db, submitted)).status).toBe('withdrawn')
    expect((await eventsOf(tdb.db, submitted)).map((e) => e.event_type)).toEqual([
      'CREATE',
      'SUBMIT',
      'WITHDRAW',
    ])
    await expect(
      withdrawNeedsList(tdb.db, world.principals.contact, submitted, undefined, 3),
    ).rejects.toThrow(TransitionNotAllowedError)
  })
})

describe('similar open items at submission', () => {
  let w: World
  beforeAll(async () => {
    w = await buildWorld(tdb.db, 'sim')
  })

  const draft = (title: string, items: NeedItemData[], who = w.principals.contact) =>
    createNeedsList(tdb.db, who, { title, items })

  it('refuses, listing them, until the enterprise confirms; then records them on the event', async () => {
    const open = await draft('Open list', [diagnosis(), training])
    await submitNeedsList(tdb.db, w.principals.contact, open, 1)
    const openItems = await needItemsOf(tdb.db, open)

    const again = await draft('Again', [
      { ...training, description: '焊接机器人编程培训' },
      diagnosis({ title: '', description: '配电箱及漏电保护器健康诊断' }),
    ])
    const before = await footprint(tdb.db, again)
    const err = await submitNeedsList(tdb.db, w.principals.contact, again, 1, {
      similarItems: 'refuse',
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SimilarItemsError)
    expect((err as SimilarItemsError).items).toEqual([
      expect.objectContaining({
        itemIndex: 1,
        itemId: openItems[0]?.id,
        listId: open,
        listTitle: 'Open list',
        listStatus: 'submitted',
        category: 'equipment_diagnosis',
      }),
    ])
    expect(await footprint(tdb.db, again)).toEqual(before)

    // Confirmed: submitted, and the audit names what was flagged.
    const result = await submitNeedsList(tdb.db, w.principals.contact, again, 1, {
      similarItems: 'allow',
    })
    expect(result.state).toBe('submitted')
    const submit = (await eventsOf(tdb.db, again)).find((e) => e.event_type === 'SUBMIT')
    expect(submit?.payload).toEqual({ similarItemIds: [openItems[0]?.id] })
  })

  it('answers a stale version with a conflict before any warning', async () => {
    const first = await draft('Stale first', [diagnosis({ description: '电机故障诊断与维修' })])
    await submitNeedsList(tdb.db, w.principals.contact, first, 1)
    const second = await draft('Stale second', [diagnosis({ description: '电机故障诊断与维修' })])
    await expect(
      submitNeedsList(tdb.db, w.principals.contact, second, 7, { similarItems: 'refuse' }),
    ).rejects.toThrow(ConflictError)
  })

  it('ignores drafts, closed lists, other categories and other enterprises', async () => {
    const item = diagnosis({ title: '', description: '空压机系统节能诊断与改造方案' })
    await draft('A draft', [item])
    const withdrawn = await draft('Withdrawn', [item])
    await withdrawNeedsList(tdb.db, w.principals.contact, withdrawn, undefined, 1)
    const rejected = await draft('Rejected', [item])
    await submitNeedsList(tdb.db, w.principals.contact, rejected, 1, { similarItems: 'refuse' })
    await triageNeedsList(
      tdb.db,
      w.principals.coordinator,
      rejected,
      { type: 'REJECT', reason: 'Out of scope' },
      2,
    )
    const otherCategory = await draft('Other category', [{ ...item, category: 'new_energy' }])
    await submitNeedsList(tdb.db, w.principals.contact, otherCategory, 1, {
      similarItems: 'refuse',
    })
    const otherEnterprise = await draft('Other enterprise', [item], w.principals.otherContact)
    await submitNeedsList(tdb.db, w.principals.otherContact, otherEnterprise, 1, {
      similarItems: 'refuse',
    })

    const mine = await draft('Mine', [item])
    const result = await submitNeedsList(tdb.db, w.principals.contact, mine, 1, {
      similarItems: 'refuse',
    })
    expect(result.state).toBe('submitted')
  })

  it('counts lists the union is working on, and a returned list resubmitted is not its own match', async () => {
    const item = diagnosis({ title: '', description: '数控机床主轴振动故障诊断' })
    const accepted = await draft('Accepted', [item])
    await submitNeedsList(tdb.db, w.principals.contact, accepted, 1, { similarItems: 'refuse' })
    await triageNeedsList(tdb.db, w.principals.coordinator, accepted, { type: 'ACCEPT' }, 2)
    expect((await listRow(tdb.db, accepted)).status).toBe('awaiting_steward')

    const later = await draft('Later', [item])
    await expect(
      submitNeedsList(tdb.db, w.principals.contact, later, 1, { similarItems: 'refuse' }),
    ).rejects.toThrow(SimilarItemsError)

    // Returned and resubmitted: only other lists count.
    const solo = await draft('Solo', [diagnosis({ title: '', description: '冷却塔水处理方案' })])
    await submitNeedsList(tdb.db, w.principals.contact, solo, 1, { similarItems: 'refuse' })
    await triageNeedsList(
      tdb.db,
      w.principals.coordinator,
      solo,
      { type: 'RETURN', reason: 'More detail' },
      2,
    )
    const again = await submitNeedsList(tdb.db, w.principals.contact, solo, 3, {
      similarItems: 'refuse',
    })
    expect(again.state).toBe('submitted')
  })
})

describe('need categories (federation admins)', () => {
  const order = async () =>
    (
      await tdb.db
        .selectFrom('need_category')
        .select('code')
        .orderBy('position')
        .orderBy('code')
        .execute()
    ).map((r) => r.code)

  it('adds, renames, reorders, deactivates and reactivates', async () => {
    const admin = world.principals.admin
    await addCategory(tdb.db, admin, {
      code: 'quality_control',
      nameZh: '质量管控',
      nameEn: 'Quality control',
    })
    expect((await order()).at(-1)).toBe('quality_control')
    await expect(
      addCategory(tdb.db, admin, { code: 'quality_control', nameZh: 'x', nameEn: 'x' }),
    ).rejects.toThrow(ValidationError)

    await renameCategory(tdb.db, admin, 'quality_control', {
      nameZh: '质量管理',
      nameEn: 'Quality management',
    })
    await moveCategory(tdb.db, admin, 'quality_control', 'up')
    const afterUp = await order()
    expect(afterUp.at(-2)).toBe('quality_control')
    await moveCategory(tdb.db, admin, afterUp[0] as string, 'up') // already first: no change
    expect(await order()).toEqual(afterUp)

    await setCategoryActive(tdb.db, admin, 'quality_control', false)
    const row = await tdb.db
      .selectFrom('need_category')
      .selectAll()
      .where('code', '=', 'quality_control')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name_zh: '质量管理', name_en: 'Quality management', active: false })
    await expect(
      createNeedsList(tdb.db, world.principals.contact, {
        title: 'Uses a deactivated category',
        items: [{ ...training, category: 'quality_control' }],
      }),
    ).rejects.toThrow(ValidationError)
    await setCategoryActive(tdb.db, admin, 'quality_control', true)
    await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Uses the new category',
      items: [{ ...training, category: 'quality_control' }],
    })
  })

  it('is refused to everyone else', async () => {
    for (const who of [world.principals.coordinator, world.principals.contact]) {
      await expect(
        addCategory(tdb.db, who, { code: 'not_mine', nameZh: 'x', nameEn: 'x' }),
      ).rejects.toThrow(ForbiddenError)
      await expect(setCategoryActive(tdb.db, who, 'other', false)).rejects.toThrow(ForbiddenError)
    }
    expect(await order()).not.toContain('not_mine')
  })
})

describe('attachment commands', () => {
  const uploads = mkdtempSync(path.join(tmpdir(), 'zhuqi-att-'))
  afterAll(() => rmSync(uploads, { recursive: true, force: true }))
  const storage = createLocalStorage(uploads)
  const files = () =>
    readdirSync(uploads, { recursive: true }).filter((f) => String(f).includes('-'))
  const rows = (listId: number) =>
    tdb.db.selectFrom('attachment').selectAll().where('needs_list_id', '=', listId).execute()

  it('stores accepted files up to the limit, refuses the rest, and deletes', async () => {
    const listId = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'With attachments',
      items: [training],
    })
    const first = await addAttachment(tdb.db, storage, world.principals.contact, listId, {
      name: '设备清单.xlsx',
      bytes: samples.xlsx(),
    })
    expect(first).toMatchObject({
      filename: '设备清单.xlsx',
      content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      uploaded_by: world.users.contact.id,
    })
    expect(await storage.get(first.storage_key)).toEqual(samples.xlsx())

    // A renamed executable is refused; nothing stored.
    const stored = files().length
    await expect(
      addAttachment(tdb.db, storage, world.principals.contact, listId, {
        name: 'photo.png',
        bytes: samples.exe(),
      }),
    ).rejects.toThrow(ValidationError)
    expect(files().length).toBe(stored)
    expect(await rows(listId)).toHaveLength(1)

    for (let i = 1; i < MAX_ATTACHMENTS_PER_LIST; i++) {
      await addAttachment(tdb.db, storage, world.principals.contact2, listId, {
        name: `scan-${i}.pdf`,
        bytes: samples.pdf(),
      })
    }
    const err = await addAttachment(tdb.db, storage, world.principals.contact, listId, {
      name: 'one-too-many.pdf',
      bytes: samples.pdf(),
    }).catch((e: unknown) => e)
    expect((err as ValidationError).details).toEqual({
      field: 'file',
      messageKey: 'taxonomy.errors.tooManyFiles',
    })
    expect(await rows(listId)).toHaveLength(MAX_ATTACHMENTS_PER_LIST)

    await deleteAttachment(tdb.db, storage, world.principals.contact, listId, first.id)
    expect(await rows(listId)).toHaveLength(MAX_ATTACHMENTS_PER_LIST - 1)
    expect(await storage.get(first.storage_key)).toBeNull()
  })

  it('is for the enterprise while the list is editable', async () => {
    const listId = await createNeedsList(tdb.db, world.principals.contact, {
      title: 'Attach then submit',
      items: [{ ...training, description: '班组长管理能力提升培训' }],
    })
    const file = { name: 'a.pdf', bytes: samples.pdf() }
    for (const who of [world.principals.otherContact, world.principals.coordinator]) {
      await expect(addAttachment(tdb.db, storage, who, listId, file)).rejects.toThrow(
        ForbiddenError,
      )
    }
    const row = await addAttachment(tdb.db, storage, world.principals.contact, listId, file)
    await submitNeedsList(tdb.db, world.principals.contact, listId, 1)
    await expect(
      addAttachment(tdb.db, storage, world.principals.contact, listId, file),
    ).rejects.toThrow(TransitionNotAllowedError)
    await expect(
      deleteAttachment(tdb.db, storage, world.principals.contact, listId, row.id),
    ).rejects.toThrow(TransitionNotAllowedError)
    expect(await rows(listId)).toHaveLength(1)
    expect(await storage.get(row.storage_key)).not.toBeNull()
  })
})
