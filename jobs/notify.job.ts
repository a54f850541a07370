import type { DbOrTrx } from '#db/client.server.ts'
import {
  contactsOfEnterprise,
  insertNotifications,
  intakeCoordinatorsFor,
} from '#db/queries/notifications.ts'
import type { NotifyJob } from '#workflows/effects.ts'

async function recipientsOf(db: DbOrTrx, job: NotifyJob): Promise<number[]> {
  switch (job.audience) {
    case 'enterprise':
      return job.enterpriseId === null ? [] : contactsOfEnterprise(db, job.enterpriseId)
    case 'coordinators':
      return intakeCoordinatorsFor(db, job.orgPath)
    case 'users':
      return [...new Set(job.userIds ?? [])]
  }
}

/**
 * Writes one in-app notification per recipient. The dedupe key ties each row
 * to the job and the user, so a redelivered job adds nothing.
 */
export async function processNotifyJob(
  db: DbOrTrx,
  jobId: string,
  job: NotifyJob,
): Promise<number> {
  const recipients = await recipientsOf(db, job)
  return insertNotifications(
    db,
    recipients.map((userId) => ({
      userId,
      kind: job.kind,
      params: job.params,
      link: job.link,
      dedupeKey: `${jobId}:${userId}`,
    })),
  )
}
