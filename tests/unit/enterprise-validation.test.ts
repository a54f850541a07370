import { describe, expect, it } from 'vitest'
import {
  areNamesSimilar,
  CREDIT_CODE_CHARSET,
  coordinatorEnterpriseSchema,
  creditCodeCheckCharacter,
  editDistance,
  maskMobile,
  normalizeEnterpriseName,
  normalizeMobile,
  registrationSchema,
  validateCreditCode,
  validateMobile,
} from '#workflows/enterprise-validation.ts'

const SEEDED = ['91350200MA2Y4Q8K3A', '91350211MA8T5LXW2B', '91350205MA33R7NE6E']

/** Full-width form of an ASCII string (what a Chinese IME in full-width mode types). */
const fullWidth = (s: string) =>
  [...s].map((c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01)).join('')

/** The same 17 characters with every other check character. */
function wrongCheckCharacters(code: string): string[] {
  return [...CREDIT_CODE_CHARSET].filter((c) => c !== code[17]).map((c) => code.slice(0, 17) + c)
}

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(SEEDED)('accepts the seeded code %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true, value: code })
  })

  it('accepts a well-known published code and computes check characters that map 31 to 0', () => {
    // The check is 31 - (sum mod 31); a remainder of 0 gives 31, which is written as "0".
    expect(validateCreditCode('91110000802100433B').ok).toBe(true)
    const base = '91350200MA2Y4Q8K3'
    expect(creditCodeCheckCharacter(base)).toBe('A')
    // Find a prefix whose weighted sum is a multiple of 31 and check it maps to '0'.
    let found = false
    for (const c of CREDIT_CODE_CHARSET) {
      const prefix = `9135020000000000${c}`
      const check = creditCodeCheckCharacter(prefix)
      if (check === '0') {
        expect(validateCreditCode(`${prefix}0`).ok).toBe(true)
        found = true
      }
    }
    expect(found).toBe(true)
  })

  it('refuses every wrong check character', () => {
    for (const code of SEEDED) {
      for (const wrong of wrongCheckCharacters(code)) {
        expect(validateCreditCode(wrong)).toMatchObject({ ok: false, reason: 'checkCharacter' })
      }
    }
  })

  it('refuses a changed body character (the check character no longer matches)', () => {
    expect(validateCreditCode('91350200MA2Y4Q8K4A')).toMatchObject({
      ok: false,
      reason: 'checkCharacter',
    })
  })

  it('reports the wrong length', () => {
    expect(validateCreditCode('91350200MA2Y4Q8K3')).toMatchObject({ ok: false, reason: 'length' })
    expect(validateCreditCode('91350200MA2Y4Q8K3AA')).toMatchObject({
      ok: false,
      reason: 'length',
    })
    expect(validateCreditCode('123')).toMatchObject({ ok: false, reason: 'length' })
  })

  it('reports an empty value as required', () => {
    expect(validateCreditCode('')).toMatchObject({ ok: false, reason: 'required' })
    expect(validateCreditCode('   ')).toMatchObject({ ok: false, reason: 'required' })
  })

  it('accepts lowercase by folding it to uppercase', () => {
    expect(validateCreditCode('91350200ma2y4q8k3a')).toEqual({ ok: true, value: SEEDED[0] })
  })

  it('accepts full-width characters by folding them to ASCII', () => {
    const code = SEEDED[1] as string
    expect(validateCreditCode(fullWidth(code))).toEqual({ ok: true, value: code })
    expect(validateCreditCode(fullWidth(code.toLowerCase()))).toEqual({ ok: true, value: code })
  })

  it('ignores surrounding and grouping spaces (including the ideographic space)', () => {
    expect(validateCreditCode('  9135 0200 MA2Y 4Q8K 3A\t')).toEqual({
      ok: true,
      value: SEEDED[0],
    })
    expect(validateCreditCode('\u30009135020 0MA2Y4Q8K3A\u3000')).toEqual({
      ok: true,
      value: SEEDED[0],
    })
  })

  it.each(['I', 'O', 'Z', 'S', 'V'])('refuses the letter %s, which GB 32100 excludes', (letter) => {
    const code = `91350200M${letter}2Y4Q8K3A`
    expect(validateCreditCode(code)).toMatchObject({ ok: false, reason: 'charset' })
  })

  it('refuses punctuation and non-Latin characters', () => {
    expect(validateCreditCode('91350200-A2Y4Q8K3A')).toMatchObject({
      ok: false,
      reason: 'charset',
    })
    expect(validateCreditCode('91350200中A2Y4Q8K3A')).toMatchObject({
      ok: false,
      reason: 'charset',
    })
  })

  it('does not read O as zero: a code with O is refused, not corrected', () => {
    expect(validateCreditCode('9135O200MA2Y4Q8K3A')).toMatchObject({
      ok: false,
      reason: 'charset',
      value: '9135O200MA2Y4Q8K3A',
    })
  })
})

describe('mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+86-13812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['＋８６ １３８－１２３４－５６７８', '13812345678'],
  ])('accepts %s as %s', (raw, value) => {
    expect(validateMobile(raw)).toEqual({ ok: true, value })
  })

  it('refuses numbers that do not start 13–19', () => {
    expect(validateMobile('12812345678')).toMatchObject({ ok: false, reason: 'prefix' })
    expect(validateMobile('10012345678')).toMatchObject({ ok: false, reason: 'prefix' })
    expect(validateMobile('23812345678')).toMatchObject({ ok: false, reason: 'prefix' })
  })

  it('refuses the wrong number of digits', () => {
    expect(validateMobile('1381234567')).toMatchObject({ ok: false, reason: 'length' })
    expect(validateMobile('138123456789')).toMatchObject({ ok: false, reason: 'length' })
    // 86 is only a country prefix when 11 digits follow; otherwise the number stays as typed.
    expect(validateMobile('86138123456')).toMatchObject({
      ok: false,
      reason: 'prefix',
      value: '86138123456',
    })
    expect(validateMobile('861381234567')).toMatchObject({ ok: false, reason: 'length' })
  })

  it('refuses letters and landlines written with letters', () => {
    expect(validateMobile('1381234567a')).toMatchObject({ ok: false, reason: 'format' })
    expect(validateMobile('0592-12345678')).toMatchObject({ ok: false, reason: 'length' })
  })

  it('reports an empty value as required', () => {
    expect(validateMobile('')).toMatchObject({ ok: false, reason: 'required' })
    expect(validateMobile(' - ')).toMatchObject({ ok: false, reason: 'required' })
  })

  it('normalises and masks', () => {
    expect(normalizeMobile(' +86 (138) 1234-5678 ')).toBe('13812345678')
    expect(maskMobile('13812345678')).toBe('138****5678')
  })
})

describe('enterprise name normalisation', () => {
  it('strips company-form suffixes', () => {
    expect(normalizeEnterpriseName('鹭江智造精密机械有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造精密机械股份有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造精密机械有限责任公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造精密机械公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造精密机械厂')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造集团有限公司')).toBe('鹭江智造')
    expect(normalizeEnterpriseName('鹭江智造集团')).toBe('鹭江智造')
  })

  it('folds full-width letters, digits and spaces, and case', () => {
    expect(normalizeEnterpriseName('ＡＢＣ　精密 有限公司')).toBe('abc精密')
    expect(normalizeEnterpriseName('abc精密有限公司')).toBe('abc精密')
    expect(normalizeEnterpriseName('Ａｂｃ１２３科技')).toBe('abc123科技')
  })

  it('drops punctuation and parenthesised parts (full- or half-width)', () => {
    expect(normalizeEnterpriseName('鹭江智造（厦门）精密机械有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江智造(厦门)精密机械有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江·智造，精密机械有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('Acme Co., Ltd.')).toBe('acme')
  })

  it('strips leading region prefixes', () => {
    expect(normalizeEnterpriseName('福建省鹭江智造精密机械有限公司')).toBe('鹭江智造精密机械')
    expect(normalizeEnterpriseName('鹭江市海湾新能源科技有限公司')).toBe('海湾新能源科技')
    expect(normalizeEnterpriseName('福建省鹭江市海湾新能源科技有限公司')).toBe('海湾新能源科技')
    expect(normalizeEnterpriseName('中国鹭岛电气设备有限公司')).toBe('鹭岛电气设备')
  })

  it('always keeps a core of at least two characters', () => {
    expect(normalizeEnterpriseName('有限公司')).toBe('有限')
    expect(normalizeEnterpriseName('鹭江厂')).toBe('鹭江')
    expect(normalizeEnterpriseName('大厂')).toBe('大厂')
    expect(normalizeEnterpriseName('鹭江市厂')).toBe('鹭江市')
  })
})

describe('name similarity', () => {
  const n = normalizeEnterpriseName
  it('treats the same core name as similar whatever the form, width or region', () => {
    expect(areNamesSimilar(n('鹭江智造精密机械有限公司'), n('鹭江智造精密机械股份有限公司'))).toBe(
      true,
    )
    expect(areNamesSimilar(n('鹭江智造精密机械有限公司'), n('福建省鹭江智造精密机械厂'))).toBe(true)
    expect(areNamesSimilar(n('ＡＢＣ精密有限公司'), n('abc精密有限公司'))).toBe(true)
  })

  it('flags one name containing the other (from four characters on)', () => {
    expect(areNamesSimilar(n('鹭江智造有限公司'), n('鹭江智造精密机械有限公司'))).toBe(true)
    expect(areNamesSimilar(n('鹭江有限公司'), n('鹭江智造精密机械有限公司'))).toBe(false)
  })

  it('flags a one-character typo, and two for long names', () => {
    expect(areNamesSimilar(n('海湾新能源科技有限公司'), n('海弯新能源科技有限公司'))).toBe(true)
    expect(areNamesSimilar(n('鹭江智造精密机械有限公司'), n('鹭江智选精密机器有限公司'))).toBe(true)
    expect(areNamesSimilar(n('海湾新能源科技'), n('海峡光伏电力科技'))).toBe(false)
  })

  it('does not flag different enterprises', () => {
    expect(areNamesSimilar(n('鹭江智造精密机械有限公司'), n('海湾新能源科技有限公司'))).toBe(false)
    expect(areNamesSimilar(n('鹭岛电气设备有限公司'), n('鹭江电子设备有限公司'))).toBe(false)
    expect(areNamesSimilar('', '')).toBe(false)
  })

  it('computes edit distances with an early exit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('鹭江智造', '鹭江制造')).toBe(1)
    expect(editDistance('abc', 'abcdef', 1)).toBe(2)
  })
})

describe('form schemas', () => {
  const valid = {
    name: ' 鹭江智造精密机械有限公司 ',
    creditCode: '91350200ma2y4q8k3a',
    industry: 'C',
    size: 'small',
    tags: ['innovative_sme', 'innovative_sme'],
    orgId: 3,
    contactName: '林晓梅',
    email: ' Lin@Example.COM ',
    mobile: '+86 138 1234 5678',
    password: 'long-enough',
    passwordConfirm: 'long-enough',
  }

  it('normalises a valid registration', () => {
    const out = registrationSchema.parse(valid)
    expect(out).toMatchObject({
      name: '鹭江智造精密机械有限公司',
      creditCode: '91350200MA2Y4Q8K3A',
      tags: ['innovative_sme'],
      email: 'lin@example.com',
      mobile: '13812345678',
      confirmSimilar: false,
      address: '',
    })
  })

  it('reports each field with a translation key', () => {
    const result = registrationSchema.safeParse({
      ...valid,
      creditCode: '91350200MA2Y4Q8K3B',
      mobile: '12345',
      industry: 'Z',
      size: 'huge',
      tags: ['nobel_prize'],
      email: 'not-an-email',
    })
    expect(result.success).toBe(false)
    const messages = Object.fromEntries(
      (result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]),
    )
    expect(messages).toMatchObject({
      creditCode: 'enterprise.errors.creditCode.checkCharacter',
      mobile: 'enterprise.errors.mobile.length',
      industry: 'enterprise.errors.industry',
      size: 'enterprise.errors.size',
      tags: 'enterprise.errors.tag',
      email: 'errors.email',
    })
  })

  it('refuses mismatched passwords', () => {
    const result = registrationSchema.safeParse({ ...valid, passwordConfirm: 'different-one' })
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['passwordConfirm', 'enterprise.errors.passwordMismatch'],
    ])
  })

  it('makes the coordinator invitation all or nothing', () => {
    const base = { ...valid, inviteName: '', inviteEmail: '', inviteMobile: '' }
    expect(coordinatorEnterpriseSchema.parse(base).invite).toBeNull()
    const partial = coordinatorEnterpriseSchema.safeParse({ ...base, inviteName: '吴振华' })
    expect(partial.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'inviteEmail',
      'inviteMobile',
    ])
    const full = coordinatorEnterpriseSchema.parse({
      ...base,
      inviteName: '吴振华',
      inviteEmail: 'WU@example.com',
      inviteMobile: '139 5920 2002',
    })
    expect(full.invite).toEqual({ name: '吴振华', email: 'wu@example.com', mobile: '13959202002' })
  })
})
