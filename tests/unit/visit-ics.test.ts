import { describe, expect, it } from 'vitest'
import { visitIcs } from '#app/routes/visits.$id[.]ics.tsx'

const calendar = {
  id: 42,
  sequence: 2,
  kind: 'inspection' as const,
  status: 'proposed',
  // 07:30 in Beijing is still the previous day in UTC.
  startsAt: new Date('2026-03-10T23:30:00Z'),
  durationMinutes: 90,
  place: '厦门市湖里区鹭江智造 配电房',
  listId: 7,
  listTitle: '配电设备诊断',
  enterpriseName: '鹭江智造',
  objectives: '排查配电隐患',
  organizer: { name: '陈志远', email: 'guanjia@demo.zhuqi.test' },
  team: [
    { role: 'steward' as const, name: '陈志远', email: 'guanjia@demo.zhuqi.test' },
    { role: 'expert' as const, name: '王建国', email: 'zhuanjia@demo.zhuqi.test' },
    { role: 'other' as const, name: '企业电工', email: null },
  ],
  revision: 3,
}

/** Unfolded lines of an iCalendar text. */
const lines = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split(/\r\n/)

describe('the visit calendar file', () => {
  it('has Beijing start and end with the zone defined, the place, the case and the organiser', () => {
    const ics = lines(visitIcs(calendar, 'zh-CN', 'https://zhuqi.example'))
    expect(ics).toContain('DTSTART;TZID=Asia/Shanghai:20260311T073000')
    expect(ics).toContain('DTEND;TZID=Asia/Shanghai:20260311T090000')
    expect(ics).toContain('TZID:Asia/Shanghai')
    expect(ics).toContain('TZOFFSETTO:+0800')
    expect(ics.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(ics.indexOf('BEGIN:VEVENT'))
    expect(ics).toContain('SUMMARY:现场勘查 · 配电设备诊断（#2）')
    expect(ics).toContain('LOCATION:厦门市湖里区鹭江智造 配电房')
    expect(ics).toContain('UID:visit-42@zhuqi')
    expect(ics).toContain('SEQUENCE:3')
    expect(ics).toContain('STATUS:TENTATIVE')
    expect(ics.find((l) => l.startsWith('ORGANIZER'))).toBe(
      'ORGANIZER;CN="陈志远":MAILTO:guanjia@demo.zhuqi.test',
    )
    const description = ics.find((l) => l.startsWith('DESCRIPTION:')) ?? ''
    expect(description).toContain('所属案例: 配电设备诊断')
    expect(description).toContain('王建国（劳模工匠）')
    expect(description).toContain('企业电工（其他人员）')
    expect(description).toContain('https://zhuqi.example/visits/42')
    // Only people with an address are attendees.
    expect(ics.filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(2)
    expect(ics.some((l) => /^DT(START|END):\d{8}T\d{6}Z$/.test(l))).toBe(false)
  })

  it('speaks the user’s language and marks confirmed and cancelled visits', () => {
    const en = lines(visitIcs({ ...calendar, status: 'scheduled' }, 'en', 'http://x'))
    expect(en).toContain('SUMMARY:On-site inspection · 配电设备诊断（#2）')
    expect(en).toContain('STATUS:CONFIRMED')
    const cancelled = lines(visitIcs({ ...calendar, status: 'cancelled' }, 'zh-CN', 'http://x'))
    expect(cancelled).toContain('STATUS:CANCELLED')
  })
})
