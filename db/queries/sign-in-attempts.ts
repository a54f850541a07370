import type { DbOrTrx } from '../client.server.ts'

export function recordSignInAttempt(
  db: DbOrTrx,
  input: { email: string; ip: string; succeeded: boolean },
) {
  return db.insertInto('sign_in_attempt').values(input).execute()
}

/** Failed attempts since `since` for this e-mail or from this address. */
export async function recentFailures(
  db: DbOrTrx,
  input: { email: string; ip: string; since: Date },
): Promise<{ byEmail: number; byIp: number }> {
  const row = await db
    .selectFrom('sign_in_attempt')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('email', '=', input.email).as('byEmail'),
      eb.fn.countAll<number>().filterWhere('ip', '=', input.ip).as('byIp'),
    ])
    .where('succeeded', '=', false)
    .where('at', '>', input.since)
    .where((eb) => eb.or([eb('email', '=', input.email), eb('ip', '=', input.ip)]))
    .executeTakeFirstOrThrow()
  return { byEmail: Number(row.byEmail), byIp: Number(row.byIp) }
}
