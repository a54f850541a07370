import { describe, expect, it } from 'vitest'
import { REFERENCE_CATEGORIES } from '#db/reference/categories.ts'
import { referenceSkills, SKILL_TAXONOMY } from '#db/reference/skills.ts'
import { CATEGORY_CODE, NEED_CATEGORIES } from '#workflows/needs-list.schema.ts'

const skills = referenceSkills()

describe('reference need categories', () => {
  it('are exactly the programme codes, in order, with both names', () => {
    expect(REFERENCE_CATEGORIES.map((c) => c.code)).toEqual([...NEED_CATEGORIES])
    for (const c of REFERENCE_CATEGORIES) {
      expect(c.code).toMatch(CATEGORY_CODE)
      expect(c.nameZh.trim()).not.toBe('')
      expect(c.nameEn.trim()).not.toBe('')
    }
    const positions = REFERENCE_CATEGORIES.map((c) => c.position)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(new Set(positions).size).toBe(positions.length)
  })
})

describe('reference skills taxonomy', () => {
  it('has unique, well-formed codes', () => {
    const codes = skills.map((s) => s.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes)
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*){0,2}$/)
  })

  it('hangs every skill under a field and every field under a domain, parents first', () => {
    const seen = new Map<string, string>()
    for (const s of skills) {
      if (s.level === 'domain') {
        expect(s.parentCode, s.code).toBeNull()
      } else {
        const parentLevel = s.parentCode === null ? undefined : seen.get(s.parentCode)
        expect(parentLevel, s.code).toBe(s.level === 'field' ? 'domain' : 'field')
        expect(s.code.startsWith(`${s.parentCode}.`), s.code).toBe(true)
      }
      seen.set(s.code, s.level)
    }
  })

  it('names every node in Chinese and English', () => {
    for (const s of skills) {
      expect(s.nameZh.trim(), s.code).not.toBe('')
      expect(s.nameEn.trim(), s.code).not.toBe('')
      expect(s.nameZh, s.code).toMatch(/\p{Script=Han}/u)
    }
  })

  it('is a realistic size: about ten domains of three to five fields of a few skills', () => {
    expect(SKILL_TAXONOMY.length).toBeGreaterThanOrEqual(10)
    for (const d of SKILL_TAXONOMY) {
      expect(d.fields.length, d.key).toBeGreaterThanOrEqual(2)
      expect(d.fields.length, d.key).toBeLessThanOrEqual(5)
      for (const f of d.fields) {
        expect(f.skills.length, `${d.key}.${f.key}`).toBeGreaterThanOrEqual(2)
        expect(f.skills.length, `${d.key}.${f.key}`).toBeLessThanOrEqual(6)
      }
    }
  })

  it('covers the domains the programme asks for', () => {
    const domains = new Set(SKILL_TAXONOMY.map((d) => d.key))
    for (const key of [
      'power',
      'energy',
      'machining',
      'welding',
      'automation',
      'quality',
      'safety',
      'management',
      'training',
      'chemical',
      'digital',
    ]) {
      expect(domains.has(key), key).toBe(true)
    }
    const codes = new Set(skills.map((s) => s.code))
    for (const code of [
      'power.equipment.distribution-box-diagnosis',
      'power.equipment.leakage-protector-testing',
      'machining.cnc.cnc-programming',
      'machining.sheet-metal.press-brake',
      'energy.pv.rooftop-pv-design',
    ]) {
      expect(codes.has(code), code).toBe(true)
    }
  })

  it('orders siblings by position', () => {
    const byParent = new Map<string | null, number[]>()
    for (const s of skills)
      byParent.set(s.parentCode, [...(byParent.get(s.parentCode) ?? []), s.position])
    for (const positions of byParent.values()) {
      expect(new Set(positions).size).toBe(positions.length)
    }
  })
})
