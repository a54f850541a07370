import type { DbOrTrx } from '../client.server.ts'

/** The enterprise's rating of a case's service, with the rater's name. */
export function findServiceRating(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('service_rating as r')
    .leftJoin('app_user as u', 'u.id', 'r.rated_by')
    .selectAll('r')
    .select('u.name as ratedByName')
    .where('r.needs_list_id', '=', listId)
    .executeTakeFirst()
}

export function insertServiceRating(
  db: DbOrTrx,
  input: {
    listId: number
    enterpriseId: number
    scores: Record<string, number>
    average: number
    comment: string | null
    ratedBy: number
    now: Date
  },
) {
  return db
    .insertInto('service_rating')
    .values({
      needs_list_id: input.listId,
      enterprise_id: input.enterpriseId,
      scores: JSON.stringify(input.scores),
      average: input.average.toFixed(2),
      comment: input.comment,
      rated_by: input.ratedBy,
      rated_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * One expert_rating row per expert, the score being the service rating's
 * average: what matching reads as the expert's past ratings.
 */
export async function insertExpertRatings(
  db: DbOrTrx,
  input: {
    listId: number
    enterpriseId: number
    expertIds: readonly number[]
    score: number
    now: Date
  },
) {
  if (input.expertIds.length === 0) return []
  return db
    .insertInto('expert_rating')
    .values(
      input.expertIds.map((expertId) => ({
        expert_id: expertId,
        enterprise_id: input.enterpriseId,
        needs_list_id: input.listId,
        score: input.score.toFixed(2),
        rated_at: input.now,
      })),
    )
    .returningAll()
    .execute()
}

/** The expert ratings a case gave, with the experts' names. */
export function expertRatingsOf(db: DbOrTrx, listId: number) {
  return db
    .selectFrom('expert_rating as r')
    .innerJoin('expert as x', 'x.id', 'r.expert_id')
    .select(['r.id', 'r.expert_id', 'r.score', 'r.rated_at', 'x.name as expertName'])
    .where('r.needs_list_id', '=', listId)
    .orderBy('r.expert_id')
    .execute()
}

/**
 * Whom the case's rating reaches: every paired expert (pairing.expert_id) and
 * the members of every paired service team, distinct.
 */
export async function ratedExpertIdsOf(db: DbOrTrx, listId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('pairing as p')
    .select('p.expert_id as id')
    .where('p.needs_list_id', '=', listId)
    .union(
      db
        .selectFrom('pairing as p')
        .innerJoin('service_team_member as m', 'm.team_id', 'p.team_id')
        .select('m.expert_id as id')
        .where('p.needs_list_id', '=', listId),
    )
    .execute()
  return rows.map((r) => r.id).sort((a, b) => a - b)
}
