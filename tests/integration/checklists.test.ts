import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTemplateByCode, templateItemsOf } from '#db/queries/checklist-templates.ts'
import { REFERENCE_TEMPLATES } from '#db/reference/checklist-templates.ts'
import { syncReferenceData } from '#db/reference/sync.server.ts'
import {
  checklistTemplatesPage,
  checklistTemplateView,
  createChecklistTemplate,
  templatesForPlanning,
  updateChecklistTemplate,
} from '#workflows/commands/checklist-templates.ts'
import { DomainError, ForbiddenError } from '#workflows/errors.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildPairedCase, type PairedCase, scheduleTestVisit } from '../helpers/visit-world.ts'

let tdb: TestDatabase
let world: PairedCase

beforeAll(async () => {
  tdb = await createTestDatabase('checklists')
  world = await buildPairedCase(tdb.db)
})

afterAll(async () => {
  await tdb?.drop()
})

async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

async function counts() {
  const [t, i] = await Promise.all([
    tdb.db
      .selectFrom('checklist_template')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    tdb.db
      .selectFrom('checklist_template_item')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { templates: Number(t.n), items: Number(i.n) }
}

/** A template's lines as the edit form would post them back. */
async function formLines(templateId: number) {
  return (await templateItemsOf(tdb.db, [templateId])).map((l) => ({
    id: String(l.id),
    sectionZh: l.section_zh ?? '',
    sectionEn: l.section_en ?? '',
    labelZh: l.label_zh,
    labelEn: l.label_en,
    kind: l.kind,
    unit: l.unit ?? '',
    min: l.min_value === null ? '' : String(l.min_value),
    max: l.max_value === null ? '' : String(l.max_value),
    guidanceZh: l.guidance_zh ?? '',
    guidanceEn: l.guidance_en ?? '',
  }))
}

describe('reference checklist templates', () => {
  it('are seeded by code with their lines and the electrical ranges', async () => {
    const rows = await tdb.db
      .selectFrom('checklist_template')
      .select(['code', 'name_zh', 'active'])
      .orderBy('id')
      .execute()
    expect(rows.map((r) => r.code)).toEqual([
      'electrical_health',
      'new_energy_consulting',
      'cnc_sheet_metal_review',
      'safety_walkthrough',
      'skills_training',
    ])
    expect(rows.map((r) => r.name_zh)).toEqual([
      '配电设备健康诊断',
      '新能源建设咨询',
      '数控钣金工艺评审',
      '安全生产巡查',
      '技能培训',
    ])
    const electrical = await findTemplateByCode(tdb.db, 'electrical_health')
    const lines = await templateItemsOf(tdb.db, [electrical?.id as number])
    const by = (en: string) => lines.find((l) => l.label_en === en)
    expect(by('Line voltage')).toMatchObject({
      kind: 'measurement',
      unit: 'V',
      min_value: 353.4,
      max_value: 406.6,
    })
    expect(by('Frequency')).toMatchObject({ unit: 'Hz', min_value: 49.5, max_value: 50.5 })
    expect(by('Terminal temperature')).toMatchObject({ unit: '°C', min_value: null, max_value: 70 })
    expect(by('Voltage total harmonic distortion')).toMatchObject({ unit: '%', max_value: 5 })
    expect(by('Insulation resistance')).toMatchObject({
      unit: 'MΩ',
      min_value: 0.5,
      max_value: null,
    })
    expect(by('Leakage current')).toMatchObject({ unit: 'mA', max_value: 30 })
    expect(lines.filter((l) => l.kind === 'check').length).toBeGreaterThanOrEqual(3)
    expect(lines.map((l) => l.position)).toEqual(lines.map((_, i) => i + 1))
    const training = await findTemplateByCode(tdb.db, 'skills_training')
    const tl = await templateItemsOf(tdb.db, [training?.id as number])
    expect(tl.filter((l) => l.kind === 'count').map((l) => l.label_en)).toEqual(
      expect.arrayContaining(['Attendees', 'Sessions']),
    )
    // Every reference line has both languages.
    for (const t of REFERENCE_TEMPLATES) {
      for (const i of t.items) expect(i.labelZh && i.labelEn).toBeTruthy()
    }
  })

  it('syncing again inserts nothing, keeps an admin’s edits, and restores a missing code', async () => {
    const before = await counts()
    await syncReferenceData(tdb.db)
    expect(await counts()).toEqual(before)

    const electrical = (await findTemplateByCode(tdb.db, 'electrical_health'))?.id as number
    const lines = await formLines(electrical)
    lines[3] = { ...lines[3], min: '360', max: '400' } as (typeof lines)[number]
    await updateChecklistTemplate(tdb.db, world.principals.admin, electrical, {
      nameZh: '配电设备健康诊断（本市版）',
      nameEn: 'Electrical health (city edition)',
      active: 'on',
      lines: lines.slice(0, -1),
    })
    await syncReferenceData(tdb.db)
    const after = await findTemplateByCode(tdb.db, 'electrical_health')
    expect(after).toMatchObject({
      name_zh: '配电设备健康诊断（本市版）',
      updated_by: world.users.admin.id,
    })
    const saved = await templateItemsOf(tdb.db, [electrical])
    expect(saved).toHaveLength(lines.length - 1)
    expect(saved[3]).toMatchObject({ min_value: 360, max_value: 400 })

    // A template whose code disappeared comes back as reference data.
    await tdb.db
      .deleteFrom('checklist_template')
      .where('code', '=', 'new_energy_consulting')
      .execute()
    await syncReferenceData(tdb.db)
    const back = await findTemplateByCode(tdb.db, 'new_energy_consulting')
    expect(back?.name_zh).toBe('新能源建设咨询')
    expect(await templateItemsOf(tdb.db, [back?.id as number])).toHaveLength(
      REFERENCE_TEMPLATES.find((t) => t.code === 'new_energy_consulting')?.items.length as number,
    )
  })
})

describe('maintaining templates', () => {
  it('is for federation admins only', async () => {
    for (const p of [
      world.principals.coordinator,
      world.principals.steward,
      world.principals.contact,
      world.principals.expert,
    ]) {
      await expect(checklistTemplatesPage(tdb.db, p)).rejects.toBeInstanceOf(ForbiddenError)
      await expect(checklistTemplateView(tdb.db, p, 1)).rejects.toBeInstanceOf(ForbiddenError)
      await expect(
        createChecklistTemplate(tdb.db, p, { code: 'x_test', nameZh: '测试模板' }),
      ).rejects.toBeInstanceOf(ForbiddenError)
      await expect(
        updateChecklistTemplate(tdb.db, p, 1, { nameZh: '测试模板' }),
      ).rejects.toBeInstanceOf(ForbiddenError)
    }
    const page = await checklistTemplatesPage(tdb.db, world.principals.admin)
    expect(page.templates.length).toBeGreaterThanOrEqual(5)
  })

  it('creates and edits templates with ordered lines; bad input changes nothing', async () => {
    const admin = world.principals.admin
    const before = await counts()
    for (const [input, key] of [
      [{ code: 'Bad Code', nameZh: '模板' }, 'visits.checklists.errors.code'],
      [{ code: 'ok_code', nameZh: '' }, 'visits.checklists.errors.name'],
      [{ code: 'electrical_health', nameZh: '重复' }, 'visits.checklists.errors.codeTaken'],
      [
        { code: 'ok_code', nameZh: '模板', category: 'nonsense' },
        'visits.checklists.errors.category',
      ],
      [
        { code: 'ok_code', nameZh: '模板', lines: [{ labelZh: '', labelEn: 'only english' }] },
        'visits.checklists.errors.label',
      ],
      [
        {
          code: 'ok_code',
          nameZh: '模板',
          lines: [{ labelZh: '电压', kind: 'measurement', min: '5', max: '1' }],
        },
        'visits.checklists.errors.range',
      ],
      [
        {
          code: 'ok_code',
          nameZh: '模板',
          lines: [{ labelZh: '电压', kind: 'measurement', min: 'abc' }],
        },
        'visits.checklists.errors.number',
      ],
      [
        { code: 'ok_code', nameZh: '模板', lines: [{ labelZh: '电压', kind: 'gauge' }] },
        'visits.checklists.errors.kind',
      ],
      [
        { code: 'ok_code', nameZh: '模板', lines: [{ id: '1', labelZh: '偷来的行' }] },
        'errors.badRequest',
      ],
    ] as const) {
      const err = await refused(createChecklistTemplate(tdb.db, admin, input))
      expect(err.details, JSON.stringify(input)).toMatchObject({ messageKey: key })
    }
    expect(await counts()).toEqual(before)

    const id = await createChecklistTemplate(tdb.db, admin, {
      code: 'boiler_check',
      nameZh: '锅炉安全检查',
      category: 'safety',
      active: 'on',
      lines: [
        { labelZh: '压力表在检定有效期内', kind: 'check', sectionZh: '仪表' },
        {
          labelZh: '炉膛温度',
          labelEn: 'Furnace temperature',
          kind: 'measurement',
          unit: '°C',
          max: '950',
        },
        // Units and ranges belong to numbers only; blank rows are ignored.
        { labelZh: '司炉工持证人数', kind: 'count', unit: '人', min: '1' },
        { labelZh: '', labelEn: '' },
      ],
    })
    const view = await checklistTemplateView(tdb.db, admin, id)
    expect(view.template).toMatchObject({
      code: 'boiler_check',
      name_en: '锅炉安全检查',
      category: 'safety',
    })
    expect(
      view.lines.map((l) => [
        l.position,
        l.label_zh,
        l.label_en,
        l.kind,
        l.unit,
        l.min_value,
        l.max_value,
        l.section_en,
      ]),
    ).toEqual([
      [1, '压力表在检定有效期内', '压力表在检定有效期内', 'check', null, null, null, '仪表'],
      [2, '炉膛温度', 'Furnace temperature', 'measurement', '°C', null, 950, null],
      [3, '司炉工持证人数', '司炉工持证人数', 'count', null, 1, null, null],
    ])

    // Edit: reorder by position, change one line in place, remove one, add one.
    const [l1, l2, l3] = view.lines as [
      (typeof view.lines)[0],
      (typeof view.lines)[0],
      (typeof view.lines)[0],
    ]
    await updateChecklistTemplate(tdb.db, admin, id, {
      nameZh: '锅炉安全检查',
      nameEn: 'Boiler safety check',
      active: 'on',
      lines: [
        { id: String(l1.id), position: '30', labelZh: '压力表在检定有效期内', kind: 'check' },
        {
          id: String(l2.id),
          position: '10',
          labelZh: '炉膛温度',
          labelEn: 'Furnace temperature',
          kind: 'measurement',
          unit: '°C',
          max: '900',
        },
        {
          id: String(l3.id),
          position: '20',
          labelZh: '司炉工持证人数',
          kind: 'count',
          remove: 'on',
        },
        { position: '20', labelZh: '安全阀校验记录', kind: 'check' },
      ],
    })
    const edited = await checklistTemplateView(tdb.db, admin, id)
    expect(edited.template.name_en).toBe('Boiler safety check')
    expect(edited.lines.map((l) => [l.position, l.label_zh, l.max_value])).toEqual([
      [1, '炉膛温度', 900],
      [2, '安全阀校验记录', null],
      [3, '压力表在检定有效期内', null],
    ])
    expect(edited.lines[0]?.id).toBe(l2.id)
    expect(edited.lines[2]?.id).toBe(l1.id)
    // A line id of another template is refused.
    const electrical = (await findTemplateByCode(tdb.db, 'electrical_health'))?.id as number
    const [foreign] = await templateItemsOf(tdb.db, [electrical])
    const err = await refused(
      updateChecklistTemplate(tdb.db, admin, id, {
        nameZh: '锅炉安全检查',
        lines: [{ id: String(foreign?.id), labelZh: '偷来的行' }],
      }),
    )
    expect(err.details).toMatchObject({ messageKey: 'errors.badRequest' })
    expect((await checklistTemplateView(tdb.db, admin, id)).lines).toEqual(edited.lines)
    const missing = await refused(
      updateChecklistTemplate(tdb.db, admin, 999_999, { nameZh: '不存在' }),
    )
    expect(missing.code).toBe('notFound')
  })

  it('plans keep their copied lines when the template changes; inactive templates are not offered', async () => {
    const admin = world.principals.admin
    const visit = await scheduleTestVisit(tdb.db, world, {
      templateCodes: ['cnc_sheet_metal_review'],
    })
    const planLines = async () =>
      tdb.db
        .selectFrom('plan_item')
        .select(['label_zh', 'min_value', 'max_value'])
        .where('plan_id', '=', visit.planId)
        .orderBy('position')
        .execute()
    const copied = await planLines()
    const cnc = (await findTemplateByCode(tdb.db, 'cnc_sheet_metal_review'))?.id as number
    const lines = await formLines(cnc)
    await updateChecklistTemplate(tdb.db, admin, cnc, {
      nameZh: '数控钣金工艺评审',
      lines: lines.map((l) => ({ ...l, labelZh: `${l.labelZh}（新）` })),
    })
    expect(await planLines()).toEqual(copied)
    // Unticking "active" deactivates: no longer offered, and refused when scheduling.
    expect((await templatesForPlanning(tdb.db)).map((t) => t.id)).not.toContain(cnc)
    const err = await refused(
      scheduleTestVisit(tdb.db, world, { templateCodes: ['cnc_sheet_metal_review'] }),
    )
    expect(err.details).toMatchObject({ messageKey: 'visits.errors.unknownTemplate' })
  })
})
