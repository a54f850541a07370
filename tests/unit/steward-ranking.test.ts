import { describe, expect, it } from 'vitest'
import {
  type RankingEnterprise,
  rankStewards,
  type StewardCandidate,
  scoreSteward,
  WEIGHTS,
} from '#workflows/steward-ranking.ts'

const enterprise: RankingEnterprise = {
  orgPath: '/1/4/9/',
  district: '海湾区',
  park: '鹭江高新技术产业园',
  industry: 'C',
  currentStewardId: null,
}

let nextId = 100
function candidate(patch: Partial<StewardCandidate> = {}): StewardCandidate {
  const id = nextId++
  return {
    userId: id,
    name: `管家${id}`,
    orgId: 4,
    orgPath: '/1/4/',
    orgName: '产业工会',
    capacity: 10,
    districts: [],
    parks: [],
    industries: [],
    load: 0,
    servedBefore: null,
    ...patch,
  }
}

const keys = (r: { reasons: { key: string }[] }) => r.reasons.map((x) => x.key)
const reason = <R extends { key: string }>(r: { reasons: R[] }, key: string) =>
  r.reasons.find((x) => x.key === key)

describe('scoreSteward', () => {
  it('adds coverage points for park, district and industry matches, with the matched value', () => {
    const s = scoreSteward(
      enterprise,
      candidate({ parks: ['鹭江高新技术产业园'], districts: ['海湾区'], industries: ['C', 'D'] }),
    )
    expect(reason(s, 'parkMatch')).toEqual({
      key: 'parkMatch',
      params: { park: '鹭江高新技术产业园' },
      points: WEIGHTS.park,
    })
    expect(reason(s, 'districtMatch')).toMatchObject({
      params: { district: '海湾区' },
      points: WEIGHTS.district,
    })
    expect(reason(s, 'industryMatch')).toMatchObject({
      params: { industry: 'C' },
      points: WEIGHTS.industry,
    })
    // Ancestor org (+10) and a free steward (+20) on top of the coverage.
    expect(s.score).toBe(
      WEIGHTS.park + WEIGHTS.district + WEIGHTS.industry + WEIGHTS.ancestorOrg + WEIGHTS.load,
    )
  })

  it('explains a coverage list that misses the enterprise, and adds nothing for it', () => {
    const s = scoreSteward(
      enterprise,
      candidate({ parks: ['翔云软件园'], districts: ['翔云区'], industries: ['I'] }),
    )
    expect(keys(s)).toEqual(expect.arrayContaining(['parkOther', 'districtOther', 'industryOther']))
    expect(reason(s, 'parkOther')?.points).toBe(0)
    expect(reason(s, 'districtOther')?.params).toEqual({ district: '海湾区' })
    expect(s.score).toBe(WEIGHTS.ancestorOrg + WEIGHTS.load)
  })

  it('says so when a steward has no coverage at all, and gives no coverage reasons', () => {
    const s = scoreSteward(enterprise, candidate())
    expect(keys(s)).toContain('noCoverage')
    expect(keys(s).filter((k) => /Match|Other/.test(k))).toEqual([])
  })

  it('skips a dimension the enterprise has no value for', () => {
    const bare = { ...enterprise, park: null, district: null, industry: null }
    const s = scoreSteward(bare, candidate({ parks: ['X'], districts: ['Y'], industries: ['C'] }))
    expect(keys(s).filter((k) => /Match|Other/.test(k))).toEqual([])
    expect(keys(s)).not.toContain('noCoverage')
  })

  it('matches coverage ignoring case and surrounding spaces', () => {
    const s = scoreSteward(
      { ...enterprise, park: 'Egret Park ', industry: 'c' },
      candidate({ parks: [' egret park'], industries: ['C'] }),
    )
    expect(keys(s)).toEqual(expect.arrayContaining(['parkMatch', 'industryMatch']))
  })

  it('scores the union line: same org, ancestor, other branch', () => {
    const same = scoreSteward(enterprise, candidate({ orgPath: '/1/4/9/', orgName: '园区工会' }))
    const ancestor = scoreSteward(enterprise, candidate({ orgPath: '/1/', orgName: '市总工会' }))
    const other = scoreSteward(enterprise, candidate({ orgPath: '/1/5/', orgName: '区总工会' }))
    expect(reason(same, 'sameOrg')).toEqual({
      key: 'sameOrg',
      params: { org: '园区工会' },
      points: WEIGHTS.sameOrg,
    })
    expect(reason(ancestor, 'ancestorOrg')?.points).toBe(WEIGHTS.ancestorOrg)
    expect(reason(other, 'otherBranch')).toEqual({
      key: 'otherBranch',
      params: { org: '区总工会' },
      points: 0,
    })
  })

  it('does not take an org whose id only starts like an ancestor for one', () => {
    // '/1/4/' is an ancestor of '/1/4/9/'; '/1/49/' must not count as one of '/1/4/9/' or vice versa.
    const s = scoreSteward({ ...enterprise, orgPath: '/1/49/' }, candidate({ orgPath: '/1/4/' }))
    expect(keys(s)).toContain('otherBranch')
  })

  it('gives load points in proportion to free capacity', () => {
    const points = (load: number, capacity: number) =>
      reason(scoreSteward(enterprise, candidate({ load, capacity })), 'load')?.points
    expect(points(0, 10)).toBe(WEIGHTS.load)
    expect(points(5, 10)).toBe(WEIGHTS.load / 2)
    expect(points(9, 10)).toBe(2)
    expect(points(1, 3)).toBe(Math.round((WEIGHTS.load * 2) / 3))
    expect(reason(scoreSteward(enterprise, candidate({ load: 3, capacity: 8 })), 'load')).toEqual({
      key: 'load',
      params: { load: 3, capacity: 8 },
      points: Math.round((WEIGHTS.load * 5) / 8),
    })
  })

  it('marks a steward at or over capacity as full and not assignable', () => {
    const atCapacity = scoreSteward(enterprise, candidate({ load: 10, capacity: 10 }))
    expect(atCapacity).toMatchObject({ full: true, assignable: false })
    expect(reason(atCapacity, 'full')).toEqual({
      key: 'full',
      params: { load: 10, capacity: 10 },
      points: 0,
    })
    expect(keys(atCapacity)).not.toContain('load')
    const over = scoreSteward(enterprise, candidate({ load: 12, capacity: 10 }))
    expect(over.full).toBe(true)
    // One place left is still a place.
    expect(scoreSteward(enterprise, candidate({ load: 9, capacity: 10 }))).toMatchObject({
      full: false,
      assignable: true,
    })
  })

  it('rewards continuity with the enterprise and says until when', () => {
    const s = scoreSteward(
      enterprise,
      candidate({
        servedBefore: {
          from: new Date('2025-01-01T00:00:00Z'),
          until: new Date('2026-02-03T04:05:06Z'),
        },
      }),
    )
    expect(reason(s, 'servedBefore')).toEqual({
      key: 'servedBefore',
      params: { until: '2026-02-03T04:05:06.000Z' },
      points: WEIGHTS.continuity,
    })
  })

  it('scores exactly the sum of its reasons', () => {
    const s = scoreSteward(
      enterprise,
      candidate({
        parks: ['鹭江高新技术产业园'],
        industries: ['D'],
        load: 4,
        capacity: 10,
        orgPath: '/1/4/9/',
        servedBefore: { from: '2024-01-01', until: '2024-06-01' },
      }),
    )
    expect(s.score).toBe(s.reasons.reduce((n, r) => n + r.points, 0))
    expect(s.score).toBe(
      WEIGHTS.park + WEIGHTS.sameOrg + WEIGHTS.continuity + Math.round(WEIGHTS.load * 0.6),
    )
  })

  it('treats a nonsensical capacity as one place', () => {
    expect(scoreSteward(enterprise, candidate({ capacity: 0, load: 0 }))).toMatchObject({
      full: false,
    })
    expect(scoreSteward(enterprise, candidate({ capacity: 0, load: 1 })).full).toBe(true)
  })
})

describe('rankStewards', () => {
  it('orders by score and numbers the ranks from 1', () => {
    const weak = candidate({ name: '弱' })
    const strong = candidate({ name: '强', parks: ['鹭江高新技术产业园'], districts: ['海湾区'] })
    const middle = candidate({ name: '中', industries: ['C'] })
    const ranked = rankStewards(enterprise, [weak, strong, middle])
    expect(ranked.map((r) => r.userId)).toEqual([strong.userId, middle.userId, weak.userId])
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3])
    expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score ?? 0)
  })

  it('puts full stewards after every available one, whatever their score', () => {
    const fullButPerfect = candidate({
      parks: ['鹭江高新技术产业园'],
      districts: ['海湾区'],
      industries: ['C'],
      load: 10,
      capacity: 10,
    })
    const available = candidate({ orgPath: '/1/5/' })
    const ranked = rankStewards(enterprise, [fullButPerfect, available])
    expect(ranked.map((r) => r.userId)).toEqual([available.userId, fullButPerfect.userId])
    expect(ranked[0]?.score).toBeLessThan(ranked[1]?.score ?? 0)
    expect(ranked[1]).toMatchObject({ full: true, assignable: false, rank: 2 })
  })

  it('breaks ties by load ratio, then name, then id', () => {
    const sameA = candidate({ name: 'Bai', load: 2, capacity: 20 })
    const sameB = candidate({ name: 'An', load: 1, capacity: 10 })
    // 18 load points and a 0.1 load ratio each: the name decides.
    const byName = rankStewards(enterprise, [sameA, sameB])
    expect(byName.map((r) => r.name)).toEqual(['An', 'Bai'])
    const ratioA = candidate({ name: 'Z', load: 1, capacity: 20 })
    const ratioB = candidate({ name: 'A', load: 2, capacity: 30 })
    // 19 points each; Z's ratio 0.05 beats A's 0.067 despite the name.
    expect(rankStewards(enterprise, [ratioB, ratioA]).map((r) => r.name)).toEqual(['Z', 'A'])
    const twinA = candidate({ name: '同名' })
    const twinB = candidate({ name: '同名' })
    expect(rankStewards(enterprise, [twinB, twinA]).map((r) => r.userId)).toEqual([
      twinA.userId,
      twinB.userId,
    ])
  })

  it('leaves out the current steward and duplicate entries', () => {
    const current = candidate()
    const other = candidate()
    const ranked = rankStewards({ ...enterprise, currentStewardId: current.userId }, [
      current,
      other,
      { ...other },
    ])
    expect(ranked.map((r) => r.userId)).toEqual([other.userId])
  })

  it('returns nothing for no candidates', () => {
    expect(rankStewards(enterprise, [])).toEqual([])
  })

  it('lets continuity outweigh a small coverage edge', () => {
    const before = candidate({
      name: '老管家',
      servedBefore: { from: '2025-01-01', until: '2025-12-01' },
    })
    const newcomer = candidate({ name: '新管家', industries: ['C'] })
    const ranked = rankStewards(enterprise, [newcomer, before])
    expect(ranked[0]?.userId).toBe(before.userId)
    expect(keys(ranked[0] as { reasons: { key: string }[] })).toContain('servedBefore')
  })
})
