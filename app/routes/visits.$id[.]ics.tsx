import type { LoaderFunctionArgs } from '@remix-run/node'
import { createEvent, type EventAttributes } from 'ics'
import { principalOf, requireUser } from '#app/auth/session.server.ts'
import { isLocale, type Locale, resources } from '#app/i18n/config.ts'
import { idParam, throwDomainError } from '#app/utils/http.server.ts'
import { visitCalendar } from '#workflows/commands/visits.ts'

type Calendar = Awaited<ReturnType<typeof visitCalendar>>

export const ICS_TIME_ZONE = 'Asia/Shanghai'

/** China has had no daylight saving since 1991: one fixed offset. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${ICS_TIME_ZONE}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** 'YYYYMMDDTHHMMSS' in Beijing time. */
function beijingStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:]/g, '').slice(0, 15)
}

function message(locale: Locale, key: string): string {
  let node: unknown = resources[locale].translation
  for (const part of key.split('.')) {
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[part]
        : undefined
  }
  return typeof node === 'string' ? node : key
}

const STATUS: Record<string, EventAttributes['status']> = {
  proposed: 'TENTATIVE',
  cancelled: 'CANCELLED',
}

/**
 * The visit as an iCalendar event: its kind and case as the title, the place,
 * start and end in Asia/Shanghai (with the zone's definition), the case,
 * enterprise, team and objectives as the description, the steward as organiser.
 */
export function visitIcs(cal: Calendar, locale: Locale, origin: string): string {
  const m = (key: string) => message(locale, key)
  const startsAt = new Date(cal.startsAt)
  const endsAt = new Date(startsAt.getTime() + cal.durationMinutes * 60_000)
  const url = `${origin}/visits/${cal.id}`
  const description = [
    `${m('visits.visit.case')}: ${cal.listTitle}`,
    `${m('visits.visit.enterprise')}: ${cal.enterpriseName}`,
    `${m('visits.visit.team')}: ${cal.team
      .map((t) => `${t.name}（${m(`visits.role.${t.role}`)}）`)
      .join('、')}`,
    ...(cal.objectives ? [`${m('visits.field.objectives')}: ${cal.objectives}`] : []),
    url,
  ].join('\n')
  const { error, value } = createEvent({
    productId: 'zhuqi/visits',
    method: 'PUBLISH',
    uid: `visit-${cal.id}@zhuqi`,
    sequence: cal.revision,
    title: `${m(`visits.kind.${cal.kind}`)} · ${cal.listTitle}（#${cal.sequence}）`,
    start: startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    location: cal.place,
    description,
    url,
    status: STATUS[cal.status] ?? 'CONFIRMED',
    ...(cal.organizer
      ? { organizer: { name: cal.organizer.name, email: cal.organizer.email } }
      : {}),
    attendees: cal.team
      .filter((t) => t.email)
      .map((t) => ({
        name: t.name,
        email: t.email as string,
        rsvp: false,
        role: 'REQ-PARTICIPANT' as const,
      })),
  })
  if (error || !value) throw error ?? new Error('ics: no calendar produced')
  // Times in the programme's zone rather than UTC, as calendars show them.
  return value
    .replace(
      /^DTSTART:\d{8}T\d{6}Z(?=\r?\n)/m,
      `DTSTART;TZID=${ICS_TIME_ZONE}:${beijingStamp(startsAt)}`,
    )
    .replace(/^DTEND:\d{8}T\d{6}Z(?=\r?\n)/m, `DTEND;TZID=${ICS_TIME_ZONE}:${beijingStamp(endsAt)}`)
    .replace(
      /^BEGIN:VEVENT(?=\r?\n)/m,
      [`X-WR-TIMEZONE:${ICS_TIME_ZONE}`, ...VTIMEZONE, 'BEGIN:VEVENT'].join('\r\n'),
    )
}

/** /visits/:id.ics — for the visit's readers only (team, steward, enterprise, union subtree). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context)
  const id = idParam(params.id)
  const cal = await visitCalendar(context.db, principalOf(user), id).catch(throwDomainError)
  const locale = isLocale(user.locale) ? user.locale : 'zh-CN'
  const body = visitIcs(cal, locale, new URL(request.url).origin)
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="visit-${cal.id}.ics"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
