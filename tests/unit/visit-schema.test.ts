import { describe, expect, it } from 'vitest'
import { planSchema } from '#workflows/inspection/plan.schema.ts'
import { linesSchema, templateSchema } from '#workflows/inspection/templates.schema.ts'
import { rescheduleSchema, scheduleVisitSchema } from '#workflows/inspection/visit.schema.ts'

const firstMessage = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? null : r.error?.issues[0]?.message

describe('checklist lines', () => {
  it('drops blank and removed rows, sorts by position, fills English from Chinese', () => {
    const out = linesSchema.parse([
      {
        labelZh: '电压',
        kind: 'measurement',
        unit: 'V',
        min: '353.4',
        max: '406.6',
        position: '20',
      },
      { labelZh: '', labelEn: '' },
      { id: '5', labelZh: '标识', position: '10', remove: 'on' },
      { labelZh: '外观', labelEn: 'Enclosure', sectionZh: '配电箱', position: '10' },
    ])
    expect(out).toEqual([
      expect.objectContaining({
        labelZh: '外观',
        labelEn: 'Enclosure',
        sectionEn: '配电箱',
        kind: 'check',
      }),
      expect.objectContaining({
        labelZh: '电压',
        labelEn: '电压',
        unit: 'V',
        min: 353.4,
        max: 406.6,
      }),
    ])
  })

  it('keeps units and ranges for numbers only', () => {
    const [check, count, text] = linesSchema.parse([
      { labelZh: '检查', kind: 'check', unit: 'V', min: '1', max: '2' },
      { labelZh: '人数', kind: 'count', unit: '人', min: '0' },
      { labelZh: '备注', kind: 'text', max: '3' },
    ])
    expect(check).toMatchObject({ unit: null, min: null, max: null })
    expect(count).toMatchObject({ unit: null, min: 0, max: null })
    expect(text).toMatchObject({ min: null, max: null })
  })

  it('refuses a missing label, an inverted range, a non-number, an unknown kind', () => {
    expect(firstMessage(linesSchema.safeParse([{ labelEn: 'only' }]))).toBe(
      'visits.checklists.errors.label',
    )
    expect(
      firstMessage(
        linesSchema.safeParse([{ labelZh: 'x', kind: 'measurement', min: '2', max: '1' }]),
      ),
    ).toBe('visits.checklists.errors.range')
    expect(
      firstMessage(linesSchema.safeParse([{ labelZh: 'x', kind: 'measurement', min: '1e999' }])),
    ).toBe('visits.checklists.errors.number')
    expect(firstMessage(linesSchema.safeParse([{ labelZh: 'x', kind: 'gauge' }]))).toBe(
      'visits.checklists.errors.kind',
    )
    expect(
      firstMessage(linesSchema.safeParse(Array.from({ length: 101 }, () => ({ labelZh: 'x' })))),
    ).toBe('errors.tooManyItems')
  })

  it('template codes are lowercase slugs', () => {
    expect(templateSchema.safeParse({ code: 'boiler_check', nameZh: '锅炉' }).success).toBe(true)
    for (const code of ['Boiler', '1abc', 'a', 'a-b', 'a'.repeat(41)]) {
      expect(firstMessage(templateSchema.safeParse({ code, nameZh: '锅炉' }))).toBe(
        'visits.checklists.errors.code',
      )
    }
  })
})

describe('visit forms', () => {
  const base = {
    kind: 'inspection',
    startsAt: '2026-03-11T09:30',
    durationMinutes: '120',
    templateIds: '3',
    itemIds: ['4', '5'],
  }

  it('reads single and repeated ids, blank member rows and the acknowledgement', () => {
    const v = scheduleVisitSchema.parse({
      ...base,
      expertIds: '7',
      others: [{ name: '老周', userId: '' }, { name: '' }],
      acknowledgeConflicts: 'on',
    })
    expect(v).toMatchObject({
      durationMinutes: 120,
      expertIds: [7],
      templateIds: [3],
      itemIds: [4, 5],
      others: [{ name: '老周', userId: undefined }],
      acknowledgeConflicts: true,
    })
    expect(scheduleVisitSchema.parse(base).acknowledgeConflicts).toBe(false)
  })

  it('refuses impossible times, durations and empty choices with translated keys', () => {
    for (const [extra, key] of [
      [{ startsAt: '2026-02-30T09:00' }, 'visits.errors.startsAt'],
      [{ startsAt: '2026-03-11 09:30' }, 'visits.errors.startsAt'],
      [{ durationMinutes: '1441' }, 'visits.errors.duration'],
      [{ durationMinutes: '30.5' }, 'visits.errors.duration'],
      [{ templateIds: undefined }, 'visits.errors.templates'],
      [{ itemIds: [] }, 'visits.errors.items'],
      [{ kind: 'meeting' }, 'visits.errors.kind'],
    ] as const) {
      expect(
        firstMessage(scheduleVisitSchema.safeParse({ ...base, ...extra })),
        JSON.stringify(extra),
      ).toBe(key)
    }
    expect(
      firstMessage(rescheduleSchema.safeParse({ startsAt: '2026-03-11T09:30', reason: '' })),
    ).toBe('matching.errors.reasonRequired')
  })

  it('a plan needs the version it was based on and at least one item', () => {
    expect(firstMessage(planSchema.safeParse({ itemIds: ['1'] }))).toBe('errors.badRequest')
    expect(firstMessage(planSchema.safeParse({ basedOn: '1' }))).toBe('visits.errors.items')
    expect(
      planSchema.parse({ basedOn: '2', itemIds: '1', addTemplateIds: ['3', '3'] }),
    ).toMatchObject({
      basedOn: 2,
      itemIds: [1],
      addTemplateIds: [3],
      lines: [],
    })
  })
})

describe('commands re-parse what routes parsed', () => {
  it('every form schema accepts its own output unchanged', () => {
    const template = templateSchema.parse({
      code: 'boiler_check',
      nameZh: '锅炉',
      active: 'on',
      lines: [{ labelZh: '温度', kind: 'measurement', max: '90', unit: '°C' }, { labelZh: '外观' }],
    })
    expect(templateSchema.parse(template)).toEqual(template)
    const plan = planSchema.parse({
      basedOn: '1',
      itemIds: ['1'],
      lines: [{ id: '3', labelZh: 'x' }],
    })
    expect(planSchema.parse(plan)).toEqual(plan)
    const visit = scheduleVisitSchema.parse({
      kind: 'training',
      startsAt: '2026-03-11T09:30',
      durationMinutes: '60',
      templateIds: '3',
      itemIds: '4',
      cadre: { name: '林晓', userId: '9' },
    })
    expect(scheduleVisitSchema.parse(visit)).toEqual(visit)
  })
})
