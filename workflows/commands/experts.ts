import { PassThrough, type Readable } from 'node:stream'
import type { Db, DbOrTrx } from '#db/client.server.ts'
import { orgsInSubtrees } from '#db/queries/enterprises.ts'
import { engagementLoads } from '#db/queries/expert-load.ts'
import {
  blackoutsOfExperts,
  countExperts,
  type ExpertChildren,
  type ExpertSearch,
  type ExpertValues,
  expertsByMobiles,
  findExpert,
  findExpertIdByUserId,
  honoursOfExperts,
  insertExpert,
  insertExperts,
  linkableUser,
  replaceExpertChildren,
  searchExperts,
  searchExpertsInBatches,
  skillCatalogue,
  skillsOfExperts,
  teamsOfExpert,
  updateExpertRow,
} from '#db/queries/experts.ts'
import { getOrg } from '#db/queries/orgs.ts'
import { skillsByIds } from '#db/queries/skills.ts'
import type { Role } from '#db/schema.ts'
import {
  hasRole,
  membershipFor,
  type Principal,
  type PrincipalMembership,
  requireMembership,
  scopesFor,
} from '../access.ts'
import { CLOSED_CASE_STATES } from '../case-states.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import type { SkillRef } from '../talent/cells.ts'
import type { ExpertFilters } from '../talent/filters.ts'
import {
  type ExportableExpert,
  type ImportIssue,
  MAX_REPORTED_ISSUES,
  validateSheet,
} from '../talent/import.ts'
import type { ExpertProfileInput, ExpertRecord, OwnProfileInput } from '../talent/schema.ts'
import {
  ImportFileError,
  readSheet,
  type SheetKind,
  templateWorkbook,
  writeExpertsXlsx,
} from '../talent/spreadsheet.server.ts'

/**
 * The talent pool (人才库). Coordinators and federation admins manage the
 * experts whose managing org lies in their subtrees; stewards read the pool
 * of their subtrees; an expert (role expert, linked by expert.user_id) reads
 * and edits their own profile (see ownProfileSchema for what they may change).
 */

export const TALENT_MANAGER_ROLES: Role[] = ['coordinator', 'federation_admin']
export const TALENT_READER_ROLES: Role[] = ['coordinator', 'federation_admin', 'steward']

export function talentManagerScopes(p: Principal): PrincipalMembership[] {
  return scopesFor(p, TALENT_MANAGER_ROLES)
}

export function talentReaderScopes(p: Principal): PrincipalMembership[] {
  return scopesFor(p, TALENT_READER_ROLES)
}

const scoped = (orgPath: string) => ({ orgPath, enterpriseId: null })

function uniqueViolation(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null
  const e = err as { code?: unknown; constraint?: unknown }
  if (e.code !== '23505') return null
  return typeof e.constraint === 'string' ? e.constraint : ''
}

/** Orgs the principal may put experts (and teams) under: their manager subtrees. */
export function manageableOrgs(db: DbOrTrx, principal: Principal) {
  return orgsInSubtrees(
    db,
    talentManagerScopes(principal).map((s) => s.orgPath),
  )
}

async function requireManagedOrg(db: DbOrTrx, principal: Principal, orgId: number) {
  const org = await getOrg(db, orgId)
  if (!org) throw new ValidationError('orgId', 'talent.errors.org')
  requireMembership(principal, scoped(org.path), TALENT_MANAGER_ROLES)
  return org
}

/** Every skill must be a leaf of the taxonomy. */
async function requireLeafSkills(db: DbOrTrx, skills: { skillId: number }[]) {
  const ids = [...new Set(skills.map((s) => s.skillId))]
  const found = await skillsByIds(db, ids)
  if (found.length !== ids.length || found.some((s) => s.level !== 'skill')) {
    throw new ValidationError('skills', 'talent.errors.skills')
  }
}

async function refuseTakenMobile(db: DbOrTrx, mobile: string, exceptId?: number) {
  const [existing] = await expertsByMobiles(db, [mobile])
  if (existing && existing.id !== exceptId) {
    throw new ValidationError('mobile', 'talent.errors.mobileTaken')
  }
}

/**
 * The user to link by e-mail: an account holding the expert role in one of
 * the principal's subtrees, not linked to another profile.
 */
async function resolveAccount(
  db: DbOrTrx,
  principal: Principal,
  email: string | null,
  expertId?: number,
): Promise<number | null> {
  if (!email) return null
  const user = await linkableUser(db, email)
  if (!user) throw new ValidationError('accountEmail', 'talent.errors.accountUnknown')
  const scopes = talentManagerScopes(principal)
  if (!user.expertOrgPaths.some((p) => scopes.some((s) => p.startsWith(s.orgPath)))) {
    throw new ValidationError('accountEmail', 'talent.errors.accountNotExpert')
  }
  if (user.linkedExpertId !== null && user.linkedExpertId !== expertId) {
    throw new ValidationError('accountEmail', 'talent.errors.accountLinked')
  }
  return user.id
}

function mapUniqueViolation(err: unknown): never {
  const constraint = uniqueViolation(err)
  if (constraint?.includes('mobile'))
    throw new ValidationError('mobile', 'talent.errors.mobileTaken')
  if (constraint?.includes('user_id')) {
    throw new ValidationError('accountEmail', 'talent.errors.accountLinked')
  }
  throw err
}

const recordValues = (r: ExpertRecord) => ({
  name: r.name,
  gender: r.gender,
  mobile: r.mobile,
  email: r.email,
  employer: r.employer,
  jobTitle: r.jobTitle,
  grade: r.grade,
  districts: r.districts,
  parks: r.parks,
  weekdays: r.weekdays,
  capacity: r.capacity,
  status: r.status,
  bio: r.bio,
})

const recordChildren = (r: ExpertRecord): ExpertChildren => ({
  skills: r.skills,
  honours: r.honours,
  blackouts: r.blackouts,
})

// ─── Reading ──────────────────────────────────────────────────────────────

export interface ExpertListRow {
  id: number
  name: string
  gender: 'male' | 'female' | null
  mobile: string
  employer: string | null
  jobTitle: string | null
  grade: string | null
  districts: string[]
  orgName: string
  status: 'active' | 'paused'
  capacity: number
  /** engagementLoads: the definition of the current load. */
  load: number
  linked: boolean
  honours: { type: string; level: string; year: number | null }[]
  skills: { skillId: number; code: string; nameZh: string; nameEn: string; proficiency: number }[]
}

async function searchOf(db: DbOrTrx, scopes: string[], f: ExpertFilters): Promise<ExpertSearch> {
  let skillPath: string | undefined
  if (f.skill !== undefined) {
    const [node] = await skillsByIds(db, [f.skill])
    // An unknown node finds nobody rather than everybody.
    skillPath = node?.path ?? '/unknown/'
  }
  return {
    orgPaths: scopes,
    text: f.q,
    skillPath,
    minProficiency: f.skill !== undefined ? f.minLevel : undefined,
    honourType: f.honourType,
    honourLevel: f.honourLevel,
    district: f.district,
    availableFrom: f.from,
    availableTo: f.to,
    hasCapacity: f.free,
    status: f.status,
    closedCaseStates: CLOSED_CASE_STATES,
  }
}

/**
 * One page of the pool in the principal's subtrees (managers and stewards),
 * filtered and sorted on the server, with each expert's load.
 */
export async function listExperts(
  db: Db,
  principal: Principal,
  filters: ExpertFilters,
  options: { pageSize: number },
): Promise<{ rows: ExpertListRow[]; total: number; page: number; pageCount: number }> {
  const scopes = talentReaderScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('the talent pool is for union roles')
  const search = await searchOf(
    db,
    scopes.map((s) => s.orgPath),
    filters,
  )
  const [rows, total] = await Promise.all([
    searchExperts(db, search, {
      sort: filters.sort,
      limit: options.pageSize,
      offset: (filters.page - 1) * options.pageSize,
    }),
    countExperts(db, search),
  ])
  const ids = rows.map((r) => r.id)
  const [loads, honours, skills] = await Promise.all([
    engagementLoads(db, 'expert', ids),
    honoursOfExperts(db, ids),
    skillsOfExperts(db, ids),
  ])
  return {
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / options.pageSize)),
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      gender: r.gender,
      mobile: r.mobile,
      employer: r.employer,
      jobTitle: r.job_title,
      grade: r.grade,
      districts: r.districts,
      orgName: r.orgName,
      status: r.status,
      capacity: r.capacity,
      load: loads.get(r.id) ?? 0,
      linked: r.user_id !== null,
      honours: honours.get(r.id) ?? [],
      skills: (skills.get(r.id) ?? []).map(({ path: _p, ...s }) => s),
    })),
  }
}

export type ExpertView = Awaited<ReturnType<typeof expertView>>

async function expertView(
  db: DbOrTrx,
  expert: NonNullable<Awaited<ReturnType<typeof findExpert>>>,
  /** edit: manage the profile; editOwn: it is the principal's own; pool: reads the pool. */
  can: { edit: boolean; editOwn: boolean; pool: boolean },
) {
  const ids = [expert.id]
  const [skills, honours, blackouts, teams, loads] = await Promise.all([
    skillsOfExperts(db, ids),
    honoursOfExperts(db, ids),
    blackoutsOfExperts(db, ids),
    teamsOfExpert(db, expert.id),
    engagementLoads(db, 'expert', ids),
  ])
  return {
    id: expert.id,
    name: expert.name,
    gender: expert.gender,
    mobile: expert.mobile,
    email: expert.email,
    employer: expert.employer,
    jobTitle: expert.job_title,
    grade: expert.grade,
    districts: expert.districts,
    parks: expert.parks,
    weekdays: expert.weekdays,
    capacity: expert.capacity,
    status: expert.status,
    bio: expert.bio,
    orgId: expert.org_id,
    orgName: expert.orgName,
    orgPath: expert.orgPath,
    updatedAt: expert.updated_at,
    account:
      expert.user_id !== null
        ? { id: expert.user_id, name: expert.userName ?? '', email: expert.userEmail ?? '' }
        : null,
    skills: (skills.get(expert.id) ?? []).map(({ path: _p, ...s }) => s),
    honours: honours.get(expert.id) ?? [],
    blackouts: blackouts.get(expert.id) ?? [],
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      status: t.status,
      leads: t.leader_expert_id === expert.id,
    })),
    load: loads.get(expert.id) ?? 0,
    can,
  }
}

/** Whether the principal is this expert (role expert and the profile's linked account). */
function isOwnProfile(principal: Principal, expert: { user_id: number | null }) {
  return (
    expert.user_id !== null && expert.user_id === principal.userId && hasRole(principal, 'expert')
  )
}

/**
 * An expert's profile: for managers and stewards whose subtree holds its
 * managing org, and for the expert themself.
 */
export async function loadExpert(db: Db, principal: Principal, id: number): Promise<ExpertView> {
  const expert = await findExpert(db, id)
  if (!expert) throw new NotFoundError('expert', id)
  const own = isOwnProfile(principal, expert)
  // Readers see the experts who serve their subtree: managed in it or above it.
  const reader =
    membershipFor(principal, scoped(expert.orgPath), TALENT_READER_ROLES) ??
    talentReaderScopes(principal).find((s) => s.orgPath.startsWith(expert.orgPath))
  if (!reader && !own) throw new ForbiddenError('this expert is outside your subtrees')
  const edit = membershipFor(principal, scoped(expert.orgPath), TALENT_MANAGER_ROLES) !== undefined
  return expertView(db, expert, { edit, editOwn: own, pool: reader !== undefined })
}

/** For the edit form: the profile, refused unless the principal manages it. */
export async function loadExpertForEdit(db: Db, principal: Principal, id: number) {
  const expert = await findExpert(db, id)
  if (!expert) throw new NotFoundError('expert', id)
  requireMembership(principal, scoped(expert.orgPath), TALENT_MANAGER_ROLES)
  return expertView(db, expert, {
    edit: true,
    editOwn: isOwnProfile(principal, expert),
    pool: true,
  })
}

/** The signed-in expert's own profile id, or null when no profile is linked to them. */
export async function ownExpertId(db: DbOrTrx, principal: Principal): Promise<number | null> {
  if (!hasRole(principal, 'expert')) return null
  return (await findExpertIdByUserId(db, principal.userId)) ?? null
}

/** The signed-in expert's own profile, or null when none is linked to them. */
export async function ownExpertProfile(db: Db, principal: Principal): Promise<ExpertView | null> {
  const id = await ownExpertId(db, principal)
  if (id === null) return null
  const expert = await findExpert(db, id)
  if (!expert) return null
  const scope = scoped(expert.orgPath)
  const edit = membershipFor(principal, scope, TALENT_MANAGER_ROLES) !== undefined
  const pool = membershipFor(principal, scope, TALENT_READER_ROLES) !== undefined
  return expertView(db, expert, { edit, editOwn: true, pool })
}

// ─── Writing ──────────────────────────────────────────────────────────────

/** A manager adds an expert to the pool under an org of their subtree. */
export async function createExpert(
  db: Db,
  principal: Principal,
  input: ExpertProfileInput,
): Promise<number> {
  await requireManagedOrg(db, principal, input.orgId)
  await requireLeafSkills(db, input.skills)
  await refuseTakenMobile(db, input.mobile)
  const userId = await resolveAccount(db, principal, input.accountEmail)
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await insertExpert(trx, { ...recordValues(input), orgId: input.orgId, userId })
      await replaceExpertChildren(trx, new Map([[id, recordChildren(input)]]))
      return id
    })
  } catch (err) {
    return mapUniqueViolation(err)
  }
}

/** A manager of the expert's current org changes the profile (and may move it within their subtrees). */
export async function updateExpert(
  db: Db,
  principal: Principal,
  id: number,
  input: ExpertProfileInput,
): Promise<void> {
  const expert = await findExpert(db, id)
  if (!expert) throw new NotFoundError('expert', id)
  requireMembership(principal, scoped(expert.orgPath), TALENT_MANAGER_ROLES)
  if (input.orgId !== expert.org_id) await requireManagedOrg(db, principal, input.orgId)
  await requireLeafSkills(db, input.skills)
  await refuseTakenMobile(db, input.mobile, id)
  const userId = await resolveAccount(db, principal, input.accountEmail, id)
  try {
    await db.transaction().execute(async (trx) => {
      await updateExpertRow(trx, id, { ...recordValues(input), orgId: input.orgId, userId })
      await replaceExpertChildren(trx, new Map([[id, recordChildren(input)]]))
    })
  } catch (err) {
    mapUniqueViolation(err)
  }
}

/**
 * The expert edits their own profile (the fields of ownProfileSchema; they
 * may pause and resume themselves). Honours, grade, name, mobile, managing
 * org and the linked account stay as the union set them.
 */
export async function updateOwnProfile(
  db: Db,
  principal: Principal,
  input: OwnProfileInput,
): Promise<number> {
  const id = await ownExpertId(db, principal)
  if (id === null) throw new ForbiddenError('no expert profile is linked to this account')
  await requireLeafSkills(db, input.skills)
  await db.transaction().execute(async (trx) => {
    await updateExpertRow(trx, id, {
      email: input.email,
      employer: input.employer,
      jobTitle: input.jobTitle,
      gender: input.gender,
      districts: input.districts,
      parks: input.parks,
      weekdays: input.weekdays,
      capacity: input.capacity,
      status: input.status,
      bio: input.bio,
    })
    await replaceExpertChildren(
      trx,
      new Map([[id, { skills: input.skills, blackouts: input.blackouts }]]),
    )
  })
  return id
}

// ─── Import ───────────────────────────────────────────────────────────────

export type ImportOutcome =
  | {
      status: 'invalid'
      /** At most MAX_REPORTED_ISSUES, in sheet order. */
      issues: ImportIssue[]
      issueCount: number
    }
  | { status: 'imported'; kind: SheetKind; rows: number; created: number; updated: number }

const invalid = (issues: ImportIssue[]): ImportOutcome => ({
  status: 'invalid',
  issues: issues.slice(0, MAX_REPORTED_ISSUES),
  issueCount: issues.length,
})

/** Raised inside the import transaction when the pool changed under it. */
class ImportRaceError extends Error {}

/**
 * Imports a sheet (.xlsx or .csv) of experts. Every row is validated first;
 * if anything is wrong nothing is written and the problems come back by row
 * and column. Otherwise all rows are written in one transaction: a mobile
 * already in the pool updates that expert (skills, honours and blackouts are
 * replaced by the file's; the managing org and linked account stay), other
 * rows become new experts under `orgId`. Experts managed outside the
 * importer's subtrees cannot be updated this way (their rows are errors).
 */
export async function importExperts(
  db: Db,
  principal: Principal,
  input: { orgId: number; bytes: Uint8Array },
): Promise<ImportOutcome> {
  await requireManagedOrg(db, principal, input.orgId)
  let sheet: Awaited<ReturnType<typeof readSheet>>
  try {
    sheet = await readSheet(input.bytes)
  } catch (err) {
    if (err instanceof ImportFileError) {
      return invalid([{ row: null, column: null, key: err.key, params: err.params }])
    }
    throw err
  }
  const catalogue = await skillCatalogue(db)
  const byCode = new Map<string, SkillRef>(
    catalogue.map((s) => [s.code.toLowerCase(), { id: s.id, level: s.level }]),
  )
  const { records, issues, headers } = validateSheet(sheet.table, (code) => byCode.get(code))
  const scopes = talentManagerScopes(principal)
  const inScope = (path: string) => scopes.some((s) => path.startsWith(s.orgPath))
  const existing = await expertsByMobiles(
    db,
    records.map((r) => r.record.mobile),
  )
  const outside = new Set(existing.filter((e) => !inScope(e.orgPath)).map((e) => e.mobile))
  for (const { row, record } of records) {
    if (outside.has(record.mobile)) {
      issues.push({
        row,
        column: headers.mobile ?? '手机号码',
        key: 'talent.import.errors.mobileOutOfScope',
        params: { value: record.mobile },
      })
    }
  }
  if (issues.length > 0) {
    issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
    return invalid(issues)
  }
  try {
    const counts = await db.transaction().execute(async (trx) => {
      const mobiles = records.map((r) => r.record.mobile)
      const locked = await expertsByMobiles(trx, mobiles, true)
      if (locked.some((e) => !inScope(e.orgPath))) throw new ImportRaceError()
      const existingIds = new Map(locked.map((e) => [e.mobile, e.id]))
      const idOf = new Map(existingIds)
      const fresh = records.filter((r) => !idOf.has(r.record.mobile))
      const inserted = await insertExperts(
        trx,
        fresh.map(
          (r): ExpertValues => ({ ...recordValues(r.record), orgId: input.orgId, userId: null }),
        ),
      )
      for (const row of inserted) idOf.set(row.mobile, row.id)
      let updated = 0
      for (const { record } of records) {
        const id = existingIds.get(record.mobile)
        if (id === undefined) continue
        await updateExpertRow(trx, id, recordValues(record))
        updated++
      }
      await replaceExpertChildren(
        trx,
        new Map(
          records.map((r) => [idOf.get(r.record.mobile) ?? 0, recordChildren(r.record)] as const),
        ),
      )
      return { created: inserted.length, updated }
    })
    return { status: 'imported', kind: sheet.kind, rows: records.length, ...counts }
  } catch (err) {
    if (err instanceof ImportRaceError || uniqueViolation(err) !== null) {
      return invalid([{ row: null, column: null, key: 'talent.import.errors.concurrent' }])
    }
    throw err
  }
}

/** The import template (.xlsx): headers, an example row, and the guide with every code. */
export async function importTemplate(db: DbOrTrx): Promise<Buffer> {
  const catalogue = await skillCatalogue(db)
  return templateWorkbook(
    catalogue
      .filter((s) => s.level === 'skill')
      .map((s) => ({
        code: s.code,
        nameZh: s.name_zh,
        fieldZh: s.fieldZh ?? '',
        domainZh: s.domainZh ?? '',
      })),
  )
}

// ─── Export ───────────────────────────────────────────────────────────────

/**
 * The whole filtered pool (not one page) as an .xlsx stream with the
 * template's columns. Authorisation happens before the stream starts; a
 * failure while streaming ends the stream with that error.
 */
export async function exportExperts(
  db: Db,
  principal: Principal,
  filters: ExpertFilters,
): Promise<Readable> {
  const scopes = talentReaderScopes(principal)
  if (scopes.length === 0) throw new ForbiddenError('the talent pool is for union roles')
  const search = await searchOf(
    db,
    scopes.map((s) => s.orgPath),
    filters,
  )
  async function* batches(): AsyncGenerator<ExportableExpert[]> {
    for await (const rows of searchExpertsInBatches(db, search)) {
      const ids = rows.map((r) => r.id)
      const [skills, honours, blackouts] = await Promise.all([
        skillsOfExperts(db, ids),
        honoursOfExperts(db, ids),
        blackoutsOfExperts(db, ids),
      ])
      yield rows.map((r) => ({
        name: r.name,
        mobile: r.mobile,
        gender: r.gender,
        email: r.email,
        employer: r.employer,
        jobTitle: r.job_title,
        grade: r.grade,
        skills: (skills.get(r.id) ?? []).map((s) => ({ code: s.code, proficiency: s.proficiency })),
        honours: honours.get(r.id) ?? [],
        districts: r.districts,
        parks: r.parks,
        weekdays: r.weekdays,
        blackouts: blackouts.get(r.id) ?? [],
        capacity: r.capacity,
        status: r.status,
        bio: r.bio,
      }))
    }
  }
  const out = new PassThrough()
  writeExpertsXlsx(out, batches()).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)))
  })
  return out
}
