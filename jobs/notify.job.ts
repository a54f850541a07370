import type { DbOrTrx } from '#db/client.server.ts'
import { notificationsByDedupeKeys } from '#db/queries/deliveries.ts'
import {
  contactsOfEnterprise,
  federationAdminsFor,
  insertNotifications,
  intakeCoordinatorsFor,
} from '#db/queries/notifications.ts'
import type { NotifyJob } from '#workflows/effects.ts'
import { type DeliveryDeps, scheduleDeliveries } from './delivery/deliver.job.ts'

async function recipientsOf(db: DbOrTrx, job: NotifyJob): Promise<number[]> {
  switch (job.audience) {
    case 'enterprise':
      return job.enterpriseId === null ? [] : contactsOfEnterprise(db, job.enterpriseId)
    case 'coordinators':
      return intakeCoordinatorsFor(db, job.orgPath)
    case 'admins':
      return federationAdminsFor(db, job.orgPath)
    case 'users':
      return [...new Set(job.userIds ?? [])]
  }
}

/**
 * Writes one in-app notification per recipient. The dedupe key ties each row
 * to the job and the user, so a redelivered job adds nothing. With `delivery`,
 * each notification of this job (new or from an earlier run) then gets its
 * e-mail/SMS delivery rows and jobs, idempotently (see delivery/deliver.job.ts).
 */
export async function processNotifyJob(
  db: DbOrTrx,
  jobId: string,
  job: NotifyJob,
  delivery?: DeliveryDeps,
): Promise<number> {
  const recipients = await recipientsOf(db, job)
  const rows = recipients.map((userId) => ({
    userId,
    kind: job.kind,
    params: job.params,
    link: job.link,
    dedupeKey: `${jobId}:${userId}`,
  }))
  const inserted = await insertNotifications(db, rows)
  if (delivery) {
    const written = await notificationsByDedupeKeys(
      db,
      rows.map((r) => r.dedupeKey),
    )
    await scheduleDeliveries(delivery, written)
  }
  return inserted
}
