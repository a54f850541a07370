import { describe, expect, it } from 'vitest'
import {
  decodeMessage,
  encodeCellError,
  formatBlackouts,
  formatSkills,
  formatWeekdays,
  MAX_LIST_ENTRIES,
  parseBlackoutsCell,
  parseDate,
  parseHonoursCell,
  parseListCell,
  parseSkillsCell,
  parseWeekdaysCell,
  type SkillRef,
} from '#workflows/talent/cells.ts'
import { resolveHonourLevel, resolveHonourType } from '#workflows/talent/honours.ts'

const SKILLS: Record<string, SkillRef> = {
  power: { id: 1, level: 'domain' },
  'power.equipment': { id: 2, level: 'field' },
  'power.equipment.infrared-thermography': { id: 3, level: 'skill' },
  'machining.cnc.cnc-programming': { id: 4, level: 'skill' },
}
const lookup = (code: string) => SKILLS[code]

describe('list cells (districts, parks)', () => {
  it('splits on 、 ; ， , and line breaks, in either width, dropping blanks and repeats', () => {
    expect(parseListCell('海湾区、湖滨区')).toEqual({ ok: true, value: ['海湾区', '湖滨区'] })
    expect(parseListCell('海湾区;湖滨区；翔云区,鹭岛区，海湾区\n同安湾区 ')).toEqual({
      ok: true,
      value: ['海湾区', '湖滨区', '翔云区', '鹭岛区', '同安湾区'],
    })
    expect(parseListCell('  ')).toEqual({ ok: true, value: [] })
  })

  it('refuses too many entries and entries that are too long', () => {
    const many = Array.from({ length: MAX_LIST_ENTRIES + 1 }, (_, i) => `区${i}`).join('、')
    expect(parseListCell(many)).toMatchObject({
      ok: false,
      error: { key: 'talent.cell.tooManyEntries' },
    })
    expect(parseListCell('好'.repeat(61))).toMatchObject({
      ok: false,
      error: { key: 'talent.cell.entryTooLong' },
    })
  })
})

describe('weekday cells', () => {
  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['1,3,5', [1, 3, 5]],
    ['1-3,6', [1, 2, 3, 6]],
    ['１－３、７', [1, 2, 3, 7]],
    ['周一至周五', [1, 2, 3, 4, 5]],
    ['星期六、星期日', [6, 7]],
    ['5,1,1', [1, 5]],
  ])('%s → %j', (raw, days) => {
    expect(parseWeekdaysCell(raw)).toEqual({ ok: true, value: days })
  })

  it.each(['0', '8', '1-9', '5-1', 'Mon', '1-2-3'])('refuses %s', (raw) => {
    expect(parseWeekdaysCell(raw)).toMatchObject({
      ok: false,
      error: { key: 'talent.cell.weekday', params: { value: expect.any(String) } },
    })
  })

  it('refuses an empty pattern', () => {
    expect(parseWeekdaysCell('')).toMatchObject({
      ok: false,
      error: { key: 'talent.cell.weekdaysEmpty' },
    })
  })

  it('formats days the way it reads them', () => {
    for (const days of [[1, 2, 3, 4, 5], [1, 3, 5], [1, 2, 3, 6], [6, 7], [2]]) {
      const text = formatWeekdays(days)
      expect(parseWeekdaysCell(text)).toEqual({ ok: true, value: days })
    }
    expect(formatWeekdays([1, 2, 3, 4, 5])).toBe('1-5')
    expect(formatWeekdays([1, 3, 5])).toBe('1,3,5')
  })
})

describe('dates and blackout cells', () => {
  it('reads the usual ways of writing a date and refuses impossible ones', () => {
    expect(parseDate('2026-12-01')).toBe('2026-12-01')
    expect(parseDate('2026/12/1')).toBe('2026-12-01')
    expect(parseDate('2026.1.5')).toBe('2026-01-05')
    expect(parseDate('2026年12月1日')).toBe('2026-12-01')
    expect(parseDate('2026-02-30')).toBeNull()
    expect(parseDate('2026-13-01')).toBeNull()
    expect(parseDate('12/01/2026')).toBeNull()
    expect(parseDate('1899-01-01')).toBeNull()
  })

  it('reads ranges (~ ～ 至 到) and single days, sorted and without repeats', () => {
    expect(
      parseBlackoutsCell('2027-01-01; 2026-12-01~2026-12-05；2026-12-01 ～ 2026-12-05'),
    ).toEqual({
      ok: true,
      value: [
        { startsOn: '2026-12-01', endsOn: '2026-12-05' },
        { startsOn: '2027-01-01', endsOn: '2027-01-01' },
      ],
    })
    expect(parseBlackoutsCell('2026-12-01至2026-12-03\n2026-12-10到2026-12-11')).toMatchObject({
      ok: true,
      value: [
        { startsOn: '2026-12-01', endsOn: '2026-12-03' },
        { startsOn: '2026-12-10', endsOn: '2026-12-11' },
      ],
    })
    expect(parseBlackoutsCell('')).toEqual({ ok: true, value: [] })
  })

  it('says which part is wrong', () => {
    expect(parseBlackoutsCell('2026-12-01~2026-12-05; 2026-12-40')).toEqual({
      ok: false,
      error: { key: 'talent.cell.blackout', params: { value: '2026-12-40' } },
    })
    expect(parseBlackoutsCell('2026-12-05~2026-12-01')).toEqual({
      ok: false,
      error: { key: 'talent.cell.blackoutOrder', params: { value: '2026-12-05~2026-12-01' } },
    })
    expect(parseBlackoutsCell('2026-12-01~2026-12-02~2026-12-03')).toMatchObject({
      ok: false,
      error: { key: 'talent.cell.blackout' },
    })
  })

  it('formats ranges the way it reads them', () => {
    const list = [
      { startsOn: '2026-12-01', endsOn: '2026-12-05' },
      { startsOn: '2027-01-01', endsOn: '2027-01-01' },
    ]
    expect(formatBlackouts(list)).toBe('2026-12-01~2026-12-05; 2027-01-01')
    expect(parseBlackoutsCell(formatBlackouts(list))).toEqual({ ok: true, value: list })
  })
})

describe('skill cells', () => {
  it('reads code:level pairs, a missing level being 3, codes in any case', () => {
    expect(
      parseSkillsCell(
        'power.equipment.infrared-thermography:4; Machining.CNC.cnc-programming',
        lookup,
      ),
    ).toEqual({
      ok: true,
      value: [
        { code: 'power.equipment.infrared-thermography', skillId: 3, proficiency: 4 },
        { code: 'machining.cnc.cnc-programming', skillId: 4, proficiency: 3 },
      ],
    })
    expect(parseSkillsCell('power.equipment.infrared-thermography：5', lookup)).toMatchObject({
      ok: true,
      value: [{ proficiency: 5 }],
    })
  })

  it.each([
    ['nope.nope.nope:3', 'talent.cell.unknownSkill', { code: 'nope.nope.nope' }],
    ['power.equipment:3', 'talent.cell.notLeafSkill', { code: 'power.equipment' }],
    ['power:3', 'talent.cell.notLeafSkill', { code: 'power' }],
    [
      'power.equipment.infrared-thermography:6',
      'talent.cell.proficiency',
      { code: 'power.equipment.infrared-thermography', value: '6' },
    ],
    [
      'power.equipment.infrared-thermography:高',
      'talent.cell.proficiency',
      { code: 'power.equipment.infrared-thermography', value: '高' },
    ],
    [
      'power.equipment.infrared-thermography:4; power.equipment.infrared-thermography:3',
      'talent.cell.duplicateSkill',
      { code: 'power.equipment.infrared-thermography' },
    ],
    ['a:1:2', 'talent.cell.skillFormat', { value: 'a:1:2' }],
  ])('%s → %s', (raw, key, params) => {
    expect(parseSkillsCell(raw, lookup)).toEqual({ ok: false, error: { key, params } })
  })

  it('formats skills the way it reads them', () => {
    expect(
      formatSkills([
        { code: 'power.equipment.infrared-thermography', proficiency: 4 },
        { code: 'machining.cnc.cnc-programming', proficiency: 2 },
      ]),
    ).toBe('power.equipment.infrared-thermography:4; machining.cnc.cnc-programming:2')
  })
})

describe('honour cells', () => {
  it('reads type:level:year with names, codes and aliases', () => {
    expect(
      parseHonoursCell(
        '全国劳动模范:国家级:2015; craftsman:city:2021；五一创新能手:省级; 首席技师:企业级:2019',
      ),
    ).toEqual({
      ok: true,
      value: [
        { type: 'national_model_worker', level: 'national', year: 2015 },
        { type: 'craftsman', level: 'city', year: 2021 },
        { type: 'innovation_talent', level: 'provincial', year: null },
        { type: 'chief_technician', level: 'enterprise', year: 2019 },
      ],
    })
  })

  it('takes the level a name implies when none is given, and a lone number as the year', () => {
    expect(parseHonoursCell('大国工匠:2019; 市级工匠::2023; 省级劳模; 全国劳动模范::')).toEqual({
      ok: true,
      value: [
        { type: 'great_craftsman', level: 'national', year: 2019 },
        { type: 'craftsman', level: 'city', year: 2023 },
        { type: 'provincial_model_worker', level: 'provincial', year: null },
        { type: 'national_model_worker', level: 'national', year: null },
      ],
    })
  })

  it('drops repeats of the same honour', () => {
    expect(parseHonoursCell('大国工匠:2019; 大国工匠:国家级:2019')).toEqual({
      ok: true,
      value: [{ type: 'great_craftsman', level: 'national', year: 2019 }],
    })
  })

  it.each([
    ['优秀员工:市级', 'talent.cell.honourType', { value: '优秀员工' }],
    ['首席技师:宇宙级', 'talent.cell.honourLevel', { value: '宇宙级' }],
    ['首席技师', 'talent.cell.honourLevelMissing', { value: '首席技师' }],
    ['全国劳动模范:国家级:15', 'talent.cell.honourYear', { value: '15' }],
    ['全国劳动模范:国家级:1900', 'talent.cell.honourYear', { value: '1900' }],
    ['a:b:c:d', 'talent.cell.honourFormat', { value: 'a:b:c:d' }],
  ])('%s → %s', (raw, key, params) => {
    expect(parseHonoursCell(raw)).toEqual({ ok: false, error: { key, params } })
  })

  it('resolves names in both languages', () => {
    expect(resolveHonourType('National model worker')).toEqual({ type: 'national_model_worker' })
    expect(resolveHonourType('劳模（工匠）创新工作室领衔人')).toEqual({
      type: 'innovation_studio_lead',
    })
    expect(resolveHonourLevel('区县级')).toBe('district')
    expect(resolveHonourLevel('Enterprise')).toBe('enterprise')
    expect(resolveHonourLevel('?')).toBeNull()
  })
})

describe('form messages with parameters', () => {
  it('travel as one string and come back as key and parameters', () => {
    const error = { key: 'talent.cell.blackout', params: { value: '2026-99-99' } }
    expect(decodeMessage(encodeCellError(error))).toEqual(error)
    expect(decodeMessage('errors.tooLong')).toEqual({ key: 'errors.tooLong' })
  })
})
