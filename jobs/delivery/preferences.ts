import { z } from 'zod'
import type { NotificationPreferences } from '#db/queries/notification-preferences.ts'

/** 'HH:MM' (a browser's time input may add ':SS') → minutes after midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':')
  return Number(h) * 60 + Number(m)
}

export function timeOf(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

const time = z
  .string({ error: 'errors.required' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'delivery.errors.time')

// An unchecked box is absent from the form: false. Anything but 'on' is a bad request.
const flag = z.boolean({ error: 'errors.badRequest' }).default(false)

/** The notification settings form; errors are translation keys. */
export const preferencesFormSchema = z.object({
  email: flag,
  sms: flag,
  quietStart: time,
  quietEnd: time,
  quietOnNonWorkingDays: flag,
  digest: flag,
})

export type PreferencesForm = z.output<typeof preferencesFormSchema>

export function preferencesFromForm(form: PreferencesForm): NotificationPreferences {
  return {
    email: form.email,
    sms: form.sms,
    quietStart: minutesOf(form.quietStart),
    quietEnd: minutesOf(form.quietEnd),
    quietOnNonWorkingDays: form.quietOnNonWorkingDays,
    digest: form.digest,
  }
}

export function formFromPreferences(prefs: NotificationPreferences): PreferencesForm {
  return {
    email: prefs.email,
    sms: prefs.sms,
    quietStart: timeOf(prefs.quietStart),
    quietEnd: timeOf(prefs.quietEnd),
    quietOnNonWorkingDays: prefs.quietOnNonWorkingDays,
    digest: prefs.digest,
  }
}
