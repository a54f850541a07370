import type { DbOrTrx } from '#db/client.server.ts'
import { CREDIT_CODE_CHARSET, creditCodeCheckCharacter } from '#workflows/enterprise-validation.ts'

let serial = 0

/**
 * A fresh, valid credit code: "91" (enterprise, company), an invented
 * division code, a serial in the organisation-code part and its check character.
 */
export function newCreditCode(division = '350299'): string {
  serial++
  let n = serial + Math.floor(Math.random() * 1_000_000) * 1000
  let body = ''
  for (let i = 0; i < 9; i++) {
    body = (CREDIT_CODE_CHARSET[n % 31] ?? '0') + body
    n = Math.floor(n / 31)
  }
  const first17 = `91${division}${body}`
  return `${first17}${creditCodeCheckCharacter(first17)}`
}

/** Row counts of every table an enterprise command writes. */
export async function enterpriseFootprint(db: DbOrTrx) {
  const count = async (
    table: 'enterprise' | 'app_user' | 'membership' | 'enterprise_invitation' | 'user_session',
  ) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  const accepted = await db
    .selectFrom('enterprise_invitation')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('accepted_at', 'is not', null)
    .executeTakeFirstOrThrow()
  return {
    enterprises: await count('enterprise'),
    users: await count('app_user'),
    memberships: await count('membership'),
    invitations: await count('enterprise_invitation'),
    acceptedInvitations: Number(accepted.n),
    sessions: await count('user_session'),
  }
}

/** A registration form's fields, valid unless overridden. */
export function registrationFields(
  overrides: Record<string, string | number> = {},
): Record<string, string | number> {
  return {
    name: '测试注册精工有限公司',
    creditCode: newCreditCode(),
    industry: 'C',
    size: 'small',
    district: '海湾区',
    park: '',
    address: '鹭江市海湾区测试路 1 号',
    contactName: '测试联系人',
    email: `reg-${Math.random().toString(36).slice(2, 10)}@zhuqi.test`,
    mobile: '138 0000 1111',
    password: 'a-good-password',
    passwordConfirm: 'a-good-password',
    ...overrides,
  }
}
