import type { DbOrTrx } from '../client.server.ts'

export function createSession(db: DbOrTrx, input: { id: string; userId: number; expiresAt: Date }) {
  return db
    .insertInto('user_session')
    .values({ id: input.id, user_id: input.userId, expires_at: input.expiresAt })
    .execute()
}

export function findSessionUser(db: DbOrTrx, sessionId: string, now = new Date()) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale', 's.id as sessionId'])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .executeTakeFirst()
}

export function deleteSession(db: DbOrTrx, sessionId: string) {
  return db.deleteFrom('user_session').where('id', '=', sessionId).execute()
}
