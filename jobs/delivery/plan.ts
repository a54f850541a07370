import type { NotificationPreferences } from '#db/queries/notification-preferences.ts'
import type { DeliveryChannelName } from '#db/schema.ts'
import type { WorkingDayCalendar } from '../calendar/working-days.ts'
import type { Channels, Recipient } from './channels.ts'
import { isUrgentKind, sendTimeFor } from './quiet-hours.ts'

export interface PlannedDelivery {
  channel: DeliveryChannelName
  /** held: waits for the daily digest; pending: goes out at `notBefore`. */
  status: 'held' | 'pending'
  notBefore: Date
}

/**
 * Which channels beyond the inbox a notification takes for one user, and when:
 * - e-mail when the server has SMTP, the user has an address and wants e-mail;
 * - SMS when an SMS transport is on, the user has a mobile and wants SMS;
 * - quiet hours and non-working days push the time to the next allowed moment;
 * - with the daily digest on, e-mail waits for the digest and no SMS is sent.
 * Urgent kinds (visit-day reminders) ignore quiet hours and the digest.
 */
export function planDeliveries(input: {
  kind: string
  recipient: Recipient
  prefs: NotificationPreferences
  channels: Channels
  now: Date
  calendar?: WorkingDayCalendar
}): PlannedDelivery[] {
  const { kind, recipient, prefs, channels, now } = input
  const digest = prefs.digest && !isUrgentKind(kind)
  const sendAt = sendTimeFor(kind, prefs, now, input.calendar)
  const planned: PlannedDelivery[] = []
  if (prefs.email && channels.email?.reaches(recipient)) {
    planned.push(
      digest
        ? { channel: 'email', status: 'held', notBefore: now }
        : { channel: 'email', status: 'pending', notBefore: sendAt },
    )
  }
  if (prefs.sms && !digest && channels.sms?.reaches(recipient)) {
    planned.push({ channel: 'sms', status: 'pending', notBefore: sendAt })
  }
  return planned
}
