import type { DbOrTrx } from '../client.server.ts'

export interface NotificationPreferences {
  email: boolean
  sms: boolean
  /** Minutes after midnight, Asia/Shanghai; start = end means no quiet hours. */
  quietStart: number
  quietEnd: number
  quietOnNonWorkingDays: boolean
  digest: boolean
}

/** What a user without a saved row gets (the same as the column defaults). */
export const DEFAULT_PREFERENCES: NotificationPreferences = {
  email: true,
  sms: true,
  quietStart: 22 * 60,
  quietEnd: 8 * 60,
  quietOnNonWorkingDays: true,
  digest: false,
}

type Row = {
  user_id: number
  email: boolean
  sms: boolean
  quiet_start: number
  quiet_end: number
  quiet_on_non_working_days: boolean
  digest: boolean
}

function fromRow(row: Row): NotificationPreferences {
  return {
    email: row.email,
    sms: row.sms,
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    quietOnNonWorkingDays: row.quiet_on_non_working_days,
    digest: row.digest,
  }
}

export async function preferencesOf(db: DbOrTrx, userId: number): Promise<NotificationPreferences> {
  return (await preferencesFor(db, [userId])).get(userId) ?? DEFAULT_PREFERENCES
}

/** Saved preferences per user; users without a row are absent (use the defaults). */
export async function preferencesFor(
  db: DbOrTrx,
  userIds: number[],
): Promise<Map<number, NotificationPreferences>> {
  if (userIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('notification_preference')
    .select([
      'user_id',
      'email',
      'sms',
      'quiet_start',
      'quiet_end',
      'quiet_on_non_working_days',
      'digest',
    ])
    .where('user_id', 'in', userIds)
    .execute()
  return new Map(rows.map((r) => [r.user_id, fromRow(r)]))
}

export async function savePreferences(
  db: DbOrTrx,
  userId: number,
  prefs: NotificationPreferences,
  now: Date,
): Promise<void> {
  const values = {
    email: prefs.email,
    sms: prefs.sms,
    quiet_start: prefs.quietStart,
    quiet_end: prefs.quietEnd,
    quiet_on_non_working_days: prefs.quietOnNonWorkingDays,
    digest: prefs.digest,
    updated_at: now,
  }
  await db
    .insertInto('notification_preference')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute()
}
