import { describe, expect, it } from 'vitest'
import {
  findSimilar,
  isSimilar,
  OPEN_LIST_STATUSES,
  overlap,
  SIMILARITY_THRESHOLD,
  similarity,
  tokens,
} from '#workflows/similar-items.ts'

const item = (category: string, description: string, title = '') => ({
  category,
  title,
  description,
})

describe('tokens', () => {
  it('cuts Chinese into character pairs and Latin text into words, folded', () => {
    expect([...tokens('配电箱诊断')]).toEqual(['配电', '电箱', '箱诊', '诊断'])
    expect([...tokens('Welders, WELDING  welders!')]).toEqual(['welder', 'welding'])
    // Full-width letters and digits fold to ASCII (NFKC).
    expect([...tokens('ＣＮＣ　２０台')]).toEqual(['cnc', '20', '台'])
  })

  it('ignores punctuation and English filler words', () => {
    expect([...tokens('Training for the welders of our plant.')]).toEqual([
      'training',
      'welder',
      'plant',
    ])
    expect(tokens('，。！、…—')).toEqual(new Set())
  })

  it('keeps a single Chinese character between other runs', () => {
    expect(tokens('20名焊工')).toEqual(new Set(['20', '名焊', '焊工']))
  })
})

describe('overlap (Dice coefficient)', () => {
  it('is 1 for equal sets, 0 for disjoint or empty ones', () => {
    expect(overlap(new Set(['a', 'b']), new Set(['a', 'b']))).toBe(1)
    expect(overlap(new Set(['a']), new Set(['b']))).toBe(0)
    expect(overlap(new Set(), new Set(['a']))).toBe(0)
  })

  it('is 2·shared / (|A| + |B|)', () => {
    expect(overlap(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBeCloseTo(2 / 3)
  })
})

describe('the similarity rule', () => {
  it('flags the same need written slightly differently, in Chinese', () => {
    const a = item('equipment_diagnosis', '配电箱、漏电保护器及供电线路健康诊断')
    const b = item('equipment_diagnosis', '配电箱和漏电保护器健康诊断')
    expect(similarity(a, b)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD)
    expect(isSimilar(a, b)).toBe(true)
  })

  it('flags the same need in English, plural or not', () => {
    const a = item('skills_training', 'Skills training for 20 welders')
    const b = item('skills_training', 'Skill training for the 20 welders')
    expect(isSimilar(a, b)).toBe(true)
  })

  it('never flags across categories, however alike the text', () => {
    const a = item('equipment_diagnosis', '配电箱健康诊断')
    const b = item('safety', '配电箱健康诊断')
    expect(similarity(a, b)).toBe(0)
  })

  it('does not flag different needs of the same category', () => {
    const a = item('process_improvement', '数控钣金折弯工艺改进，降低返工率')
    const b = item('process_improvement', '焊接变形控制与焊缝质量提升')
    expect(isSimilar(a, b)).toBe(false)
  })

  it('counts matching titles even when the descriptions differ', () => {
    const a = item('new_energy', '厂房屋顶情况：钢结构，面积约 8000 平方米', '屋顶分布式光伏咨询')
    const b = item('new_energy', '希望评估并网容量和投资回报', '屋顶分布式光伏咨询')
    expect(isSimilar(a, b)).toBe(true)
    // Without titles the same descriptions are not alike.
    expect(isSimilar({ ...a, title: '' }, { ...b, title: '' })).toBe(false)
  })

  it('is symmetric', () => {
    const a = item('safety', '有限空间作业安全培训与应急演练')
    const b = item('safety', '有限空间作业应急演练')
    expect(similarity(a, b)).toBe(similarity(b, a))
  })
})

describe('findSimilar', () => {
  it('pairs each submitted item with its similar candidates, best first', () => {
    const submitted = [
      item('equipment_diagnosis', '配电箱健康诊断'),
      item('skills_training', '焊工技能培训'),
    ]
    const candidates = [
      { id: 1, ...item('equipment_diagnosis', '配电箱健康诊断及整改') },
      { id: 2, ...item('equipment_diagnosis', '配电箱健康诊断') },
      { id: 3, ...item('skills_training', '叉车司机安全培训') },
      { id: 4, ...item('safety', '焊工技能培训') },
    ]
    const pairs = findSimilar(submitted, candidates)
    expect(pairs.map((p) => [p.itemIndex, p.candidate.id])).toEqual([
      [0, 2],
      [0, 1],
    ])
    expect(pairs[0]?.score).toBe(1)
  })

  it('treats only lists the union may still be working on as open', () => {
    expect(OPEN_LIST_STATUSES).toEqual([
      'submitted',
      'returned',
      'awaiting_steward',
      'confirming',
      'awaiting_approval',
      'ready_for_matching',
    ])
  })
})
