import { DEFAULT_WEIGHTS } from '#workflows/matching/index.ts'
import type { FactorName, MatchWeights } from '#workflows/matching/types.ts'
import { WEIGHT_FACTORS } from '#workflows/matching-weights.schema.ts'
import type { DbOrTrx } from '../client.server.ts'
import { orgIdsOfPath } from './sla.ts'

/** Where a weight comes from: the org's own row, an ancestor's row, or the programme default. */
export type WeightSource =
  | { kind: 'default' }
  | { kind: 'own' }
  | { kind: 'inherited'; orgId: number; orgName: string }

export interface WeightsRow {
  orgId: number
  orgName: string
  weights: Partial<MatchWeights>
  updatedAt: Date
  updatedByName: string | null
}

/** A stored weight is used only when it is a finite non-negative number. */
function storedWeights(raw: unknown): Partial<MatchWeights> {
  const out: Partial<MatchWeights> = {}
  if (typeof raw !== 'object' || raw === null) return out
  const record = raw as Record<string, unknown>
  for (const factor of WEIGHT_FACTORS) {
    const v = record[factor]
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[factor] = v
  }
  return out
}

/**
 * The nearest weights row on an org path: the org's own, else its nearest
 * ancestor's, else undefined. Paths are '/1/4/9/' (union_org.path).
 */
export async function nearestWeightsRow(
  db: DbOrTrx,
  orgPath: string,
): Promise<WeightsRow | undefined> {
  const ids = orgIdsOfPath(orgPath)
  if (ids.length === 0) return undefined
  const row = await db
    .selectFrom('matching_weights as w')
    .innerJoin('union_org as o', 'o.id', 'w.org_id')
    .leftJoin('app_user as u', 'u.id', 'w.updated_by')
    .select([
      'w.org_id',
      'w.weights',
      'w.updated_at',
      'o.name as orgName',
      'u.name as updatedByName',
    ])
    .where('w.org_id', 'in', ids)
    .orderBy('o.depth', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    orgId: row.org_id,
    orgName: row.orgName,
    weights: storedWeights(row.weights),
    updatedAt: row.updated_at,
    updatedByName: row.updatedByName,
  }
}

export interface EffectiveWeight {
  factor: FactorName
  value: number
  source: WeightSource
}

/**
 * Each weight for the org at the end of the row's path, with its source: the
 * nearest row decides (a factor it lacks, e.g. one added to the engine after
 * the row was saved, falls back to the default).
 */
export function resolveWeights(row: WeightsRow | undefined, ownOrgId: number): EffectiveWeight[] {
  return WEIGHT_FACTORS.map((factor) => {
    const value = row?.weights[factor]
    if (row === undefined || value === undefined) {
      return { factor, value: DEFAULT_WEIGHTS[factor], source: { kind: 'default' } }
    }
    const source: WeightSource =
      row.orgId === ownOrgId
        ? { kind: 'own' }
        : { kind: 'inherited', orgId: row.orgId, orgName: row.orgName }
    return { factor, value, source }
  })
}

/**
 * The weights the engine uses for a case of the org at `orgPath`: the weights
 * row of the org itself or of its nearest ancestor with one, merged over
 * DEFAULT_WEIGHTS.
 */
export async function effectiveWeights(db: DbOrTrx, orgPath: string): Promise<MatchWeights> {
  const row = await nearestWeightsRow(db, orgPath)
  return { ...DEFAULT_WEIGHTS, ...(row?.weights ?? {}) }
}

export function upsertWeights(
  db: DbOrTrx,
  input: { orgId: number; weights: MatchWeights; updatedBy: number; now: Date },
) {
  const weights = JSON.stringify(input.weights)
  return db
    .insertInto('matching_weights')
    .values({
      org_id: input.orgId,
      weights,
      updated_by: input.updatedBy,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({
        weights,
        updated_by: input.updatedBy,
        updated_at: input.now,
      }),
    )
    .execute()
}

/** Drops an org's own weights; true when there were some. */
export async function deleteWeights(db: DbOrTrx, orgId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('matching_weights')
    .where('org_id', '=', orgId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
