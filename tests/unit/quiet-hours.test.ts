import { describe, expect, it } from 'vitest'
import { DEFAULT_PREFERENCES } from '#db/queries/notification-preferences.ts'
import { WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import type { Channels, DeliveryChannel } from '#jobs/delivery/channels.ts'
import { planDeliveries } from '#jobs/delivery/plan.ts'
import { minutesOf, preferencesFormSchema, timeOf } from '#jobs/delivery/preferences.ts'
import { isUrgentKind, nextAllowedMoment, sendTimeFor } from '#jobs/delivery/quiet-hours.ts'
import { absoluteLink, renderDigest, renderNotification } from '#jobs/delivery/render.ts'

/** An instant given in Shanghai wall-clock time. */
const cst = (local: string) => new Date(`${local}+08:00`)

const policy = DEFAULT_PREFERENCES // 22:00–08:00, nothing on non-working days

describe('quiet hours', () => {
  it('moves 23:00 on a working day to 08:00 the next working day', () => {
    // 2026-03-05 is a Thursday.
    expect(nextAllowedMoment(policy, cst('2026-03-05T23:00:00'))).toEqual(
      cst('2026-03-06T08:00:00'),
    )
    expect(nextAllowedMoment(policy, cst('2026-03-06T07:30:00'))).toEqual(
      cst('2026-03-06T08:00:00'),
    )
    expect(nextAllowedMoment(policy, cst('2026-03-05T22:00:00'))).toEqual(
      cst('2026-03-06T08:00:00'),
    )
  })

  it('leaves allowed moments alone (the window is [start, end))', () => {
    for (const at of ['2026-03-06T08:00:00', '2026-03-06T12:00:00', '2026-03-06T21:59:00']) {
      expect(nextAllowedMoment(policy, cst(at))).toEqual(cst(at))
    }
  })

  it('skips weekends, public holidays, and counts adjusted working days (调休) as working', () => {
    // Friday night → Monday morning.
    expect(nextAllowedMoment(policy, cst('2026-03-06T23:00:00'))).toEqual(
      cst('2026-03-09T08:00:00'),
    )
    // Saturday daytime → Monday morning.
    expect(nextAllowedMoment(policy, cst('2026-03-07T10:00:00'))).toEqual(
      cst('2026-03-09T08:00:00'),
    )
    // The eve of National Day → the first working day after the holiday week.
    expect(nextAllowedMoment(policy, cst('2026-09-30T23:00:00'))).toEqual(
      cst('2026-10-08T08:00:00'),
    )
    // Saturday 2026-10-10 is an adjusted working day.
    expect(nextAllowedMoment(policy, cst('2026-10-09T23:00:00'))).toEqual(
      cst('2026-10-10T08:00:00'),
    )
  })

  it('allows non-working days when the user does, and honours local overrides', () => {
    const weekends = { ...policy, quietOnNonWorkingDays: false }
    expect(nextAllowedMoment(weekends, cst('2026-03-07T10:00:00'))).toEqual(
      cst('2026-03-07T10:00:00'),
    )
    expect(nextAllowedMoment(weekends, cst('2026-03-06T23:00:00'))).toEqual(
      cst('2026-03-07T08:00:00'),
    )
    const local = new WorkingDayCalendar(new Map([['2026-03-06', 'holiday']]))
    expect(nextAllowedMoment(policy, cst('2026-03-05T23:00:00'), local)).toEqual(
      cst('2026-03-09T08:00:00'),
    )
  })

  it('supports windows that do not wrap midnight, and no quiet hours at all', () => {
    const lunch = { ...policy, quietStart: 12 * 60, quietEnd: 14 * 60 }
    expect(nextAllowedMoment(lunch, cst('2026-03-05T13:00:00'))).toEqual(cst('2026-03-05T14:00:00'))
    expect(nextAllowedMoment(lunch, cst('2026-03-05T23:00:00'))).toEqual(cst('2026-03-05T23:00:00'))
    const never = { quietStart: 0, quietEnd: 0, quietOnNonWorkingDays: false }
    expect(nextAllowedMoment(never, cst('2026-03-07T03:00:00'))).toEqual(cst('2026-03-07T03:00:00'))
  })

  it('lets visit-day reminders through at any time', () => {
    expect(isUrgentKind('visit.dayBefore')).toBe(true)
    expect(isUrgentKind('needsList.submitted')).toBe(false)
    // Only the day-before reminder and a visit called off or moved are urgent.
    expect(isUrgentKind('visit.proposed')).toBe(false)
    expect(isUrgentKind('visit.cancelled')).toBe(true)
    const at = cst('2026-03-07T23:30:00')
    expect(sendTimeFor('visit.dayBefore', policy, at)).toEqual(at)
    expect(sendTimeFor('needsList.submitted', policy, at)).toEqual(cst('2026-03-09T08:00:00'))
  })
})

describe('planning the channels of one notification', () => {
  const stub = (name: 'email' | 'sms', field: 'email' | 'mobile') =>
    ({
      name,
      afterCrash: 'resend',
      reaches: (to) => Boolean(to[field]),
      send: async () => ({ messageId: null }),
      close: async () => {},
    }) satisfies DeliveryChannel
  const both: Channels = { email: stub('email', 'email'), sms: stub('sms', 'mobile') }
  const user = { name: 'Lin', email: 'lin@example.org', mobile: '13800000000', locale: 'zh-CN' }
  const night = cst('2026-03-05T23:00:00')
  const morning = cst('2026-03-06T08:00:00')
  const plan = (over: Partial<Parameters<typeof planDeliveries>[0]>) =>
    planDeliveries({
      kind: 'needsList.accepted',
      recipient: user,
      prefs: policy,
      channels: both,
      now: night,
      ...over,
    })

  it('e-mail and SMS, both after the quiet hours', () => {
    expect(plan({})).toEqual([
      { channel: 'email', status: 'pending', notBefore: morning },
      { channel: 'sms', status: 'pending', notBefore: morning },
    ])
  })

  it('only the channels the server has, the user can be reached on and wants', () => {
    expect(plan({ channels: { sms: both.sms } }).map((p) => p.channel)).toEqual(['sms'])
    expect(plan({ recipient: { ...user, mobile: null } }).map((p) => p.channel)).toEqual(['email'])
    expect(plan({ prefs: { ...policy, email: false, sms: false } })).toEqual([])
  })

  it('with the digest on: e-mail is held for it and no SMS goes out, except for urgent kinds', () => {
    const digest = { ...policy, digest: true }
    expect(plan({ prefs: digest })).toEqual([
      { channel: 'email', status: 'held', notBefore: night },
    ])
    expect(plan({ prefs: digest, kind: 'visit.dayBefore' })).toEqual([
      { channel: 'email', status: 'pending', notBefore: night },
      { channel: 'sms', status: 'pending', notBefore: night },
    ])
  })
})

describe('the settings form', () => {
  it('converts times both ways', () => {
    expect(minutesOf('22:00')).toBe(1320)
    expect(minutesOf('08:05:00')).toBe(485)
    expect(timeOf(485)).toBe('08:05')
    expect(timeOf(0)).toBe('00:00')
  })

  it('reads checkboxes as on/absent and refuses malformed times', () => {
    const ok = preferencesFormSchema.safeParse({
      email: true,
      quietStart: '22:00',
      quietEnd: '07:30',
    })
    expect(ok.success && ok.data).toEqual({
      email: true,
      sms: false,
      quietStart: '22:00',
      quietEnd: '07:30',
      quietOnNonWorkingDays: false,
      digest: false,
    })
    for (const bad of ['24:00', '7:30', '22:60', 'noon', '']) {
      const result = preferencesFormSchema.safeParse({ quietStart: bad, quietEnd: '08:00' })
      expect(result.success).toBe(false)
    }
  })
})

describe('rendering', () => {
  const n = {
    kind: 'needsList.returned',
    params: { title: '数控钣金', reason: '<b>请写明型号</b>' },
    link: '/needs-lists/7',
  }

  it('renders the inbox sentence in the recipient language, escaped in HTML, with the link', () => {
    const zh = renderNotification(n, { name: '林晓梅', locale: 'zh-CN' }, 'https://x.org/')
    expect(zh.subject).toBe('【助企】您的需求清单被退回修改：数控钣金（原因：<b>请写明型号</b>）')
    expect(zh.text).toContain('林晓梅，您好：')
    expect(zh.text).toContain('https://x.org/needs-lists/7')
    expect(zh.html).toContain('&lt;b&gt;请写明型号&lt;/b&gt;')
    expect(zh.html).not.toContain('<b>')
    expect(zh.html).toContain('href="https://x.org/needs-lists/7"')
    const en = renderNotification(n, { name: 'Lin', locale: 'en' }, 'https://x.org')
    expect(en.subject).toBe(
      '[Zhuqi] Your needs list was returned for revision: 数控钣金 (reason: <b>请写明型号</b>)',
    )
    expect(en.sms).toBe(
      '[Zhuqi] Your needs list was returned for revision: 数控钣金 (reason: <b>请写明型号</b>) https://x.org/needs-lists/7',
    )
  })

  it('falls back to a generic sentence for unknown kinds and to the inbox for foreign links', () => {
    const m = renderNotification(
      { kind: 'no.such.kind', params: null, link: '//evil.example/x' },
      { name: 'A', locale: 'fr' },
      'https://x.org',
    )
    expect(m.subject).toBe('【助企】您有一条新的通知')
    expect(absoluteLink('https://x.org/base/', '//evil.example')).toBe(
      'https://x.org/base/notifications',
    )
  })

  it('renders a digest with every item', () => {
    const d = renderDigest(
      [
        { ...n, createdAt: cst('2026-03-05T10:00:00') },
        {
          kind: 'needsList.accepted',
          params: { title: 'B' },
          link: '/needs-lists/8',
          createdAt: cst('2026-03-05T11:00:00'),
        },
      ],
      { name: 'Lin', locale: 'en' },
      'https://x.org',
    )
    expect(d.subject).toBe('[Zhuqi] Daily digest: 2 new notifications')
    expect(d.text).toContain('1. ')
    expect(d.text).toContain('2. ')
    expect(d.text).toContain('Your needs list was accepted: B')
    expect(d.html.match(/<li>/g)).toHaveLength(2)
  })
})
