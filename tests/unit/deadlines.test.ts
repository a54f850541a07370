import { describe, expect, it } from 'vitest'
import { WorkingDayCalendar } from '#jobs/calendar/working-days.ts'
import { normaliseTimes, resolveSlaRules, stageDeadline } from '#workflows/deadlines.ts'
import { calendarOverrideSchema, DEFAULT_SLA, SLA_STAGES, slaRuleSchema } from '#workflows/sla.ts'

/** An instant given in Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`)

const official = new WorkingDayCalendar()

describe('stage deadlines on the working-day calendar', () => {
  it('due at the end of the N-th working day after entry; reminded the same time one working day earlier', () => {
    // Monday 10:00 → triage 3 working days: Thursday 18:00, reminder Wednesday 18:00.
    expect(
      stageDeadline(official, bj('2026-11-30T10:00'), {
        workingDays: 3,
        remindBeforeWorkingDays: 1,
      }),
    ).toEqual({ dueAt: bj('2026-12-03T18:00'), remindAt: bj('2026-12-02T18:00') })
  })

  it('entering on a Friday evening skips the weekend', () => {
    expect(
      stageDeadline(official, bj('2026-11-27T21:30'), {
        workingDays: 2,
        remindBeforeWorkingDays: 1,
      }),
    ).toEqual({ dueAt: bj('2026-12-01T18:00'), remindAt: bj('2026-11-30T18:00') })
  })

  it('skips National Day and counts the adjusted working Saturday (调休)', () => {
    // 2026-10-01..07 off, 10-08 Thu and 10-09 Fri work, 10-10 Sat is an adjusted working day.
    expect(
      stageDeadline(official, bj('2026-09-30T15:00'), {
        workingDays: 3,
        remindBeforeWorkingDays: 1,
      }),
    ).toEqual({ dueAt: bj('2026-10-10T18:00'), remindAt: bj('2026-10-09T18:00') })
  })

  it('across the Spring Festival: the adjusted Saturday before it counts, the holiday does not', () => {
    // 2026-02-14 (Sat) works, 02-15..02-23 off, 02-24 Tue works.
    expect(
      stageDeadline(official, bj('2026-02-13T11:00'), {
        workingDays: 2,
        remindBeforeWorkingDays: 1,
      }),
    ).toEqual({ dueAt: bj('2026-02-24T18:00'), remindAt: bj('2026-02-14T18:00') })
  })

  it('local overrides move the deadline: a local holiday pushes it, an extra working day pulls it', () => {
    const rule = { workingDays: 3, remindBeforeWorkingDays: 1 }
    const localHoliday = new WorkingDayCalendar(new Map([['2026-12-02', 'holiday']]))
    expect(stageDeadline(localHoliday, bj('2026-11-30T10:00'), rule)).toEqual({
      dueAt: bj('2026-12-04T18:00'),
      remindAt: bj('2026-12-03T18:00'),
    })
    // Entered on Friday; Saturday 12-05 made a working day.
    const extraDay = new WorkingDayCalendar(new Map([['2026-12-05', 'workday']]))
    expect(stageDeadline(extraDay, bj('2026-12-04T09:00'), rule)).toEqual({
      dueAt: bj('2026-12-08T18:00'),
      remindAt: bj('2026-12-07T18:00'),
    })
    expect(stageDeadline(official, bj('2026-12-04T09:00'), rule).dueAt).toEqual(
      bj('2026-12-09T18:00'),
    )
  })

  it('no reminder when it is switched off or would not come before the deadline', () => {
    const from = bj('2026-11-30T10:00')
    expect(stageDeadline(official, from, { workingDays: 2, remindBeforeWorkingDays: 0 })).toEqual({
      dueAt: bj('2026-12-02T18:00'),
      remindAt: null,
    })
    expect(
      stageDeadline(official, from, { workingDays: 2, remindBeforeWorkingDays: 2 }).remindAt,
    ).toBeNull()
    expect(stageDeadline(official, from, { workingDays: 7, remindBeforeWorkingDays: 2 })).toEqual({
      dueAt: bj('2026-12-09T18:00'),
      remindAt: bj('2026-12-07T18:00'),
    })
  })

  it('normalises a policy answer: a plain Date has no reminder, a reminder outside (entry, due) is dropped', () => {
    const from = new Date('2026-11-30T02:00:00Z')
    const due = new Date('2026-11-30T03:00:00Z')
    expect(normaliseTimes(due, from)).toEqual({ dueAt: due, remindAt: null })
    expect(normaliseTimes({ dueAt: due, remindAt: from }, from).remindAt).toBeNull()
    expect(normaliseTimes({ dueAt: due, remindAt: due }, from).remindAt).toBeNull()
    const between = new Date('2026-11-30T02:30:00Z')
    expect(normaliseTimes({ dueAt: due, remindAt: between }, from).remindAt).toEqual(between)
  })
})

describe('SLA rules per org', () => {
  const row = (orgId: number, stage: string, workingDays: number, remind: number) => ({
    org_id: orgId,
    stage,
    working_days: workingDays,
    remind_before_working_days: remind,
    orgName: `org ${orgId}`,
    depth: orgId,
  })

  it('defaults cover all nine stages, as the issue gives them', () => {
    expect(SLA_STAGES).toHaveLength(9)
    expect(Object.fromEntries(SLA_STAGES.map((s) => [s, DEFAULT_SLA[s].workingDays]))).toEqual({
      triage: 3,
      steward_assignment: 2,
      needs_confirmation: 2,
      enterprise_approval: 5,
      invitation_answer: 3,
      visit_scheduling: 5,
      report: 3,
      report_confirmation: 5,
      feedback: 7,
    })
    for (const s of SLA_STAGES) {
      expect(DEFAULT_SLA[s].remindBeforeWorkingDays).toBeLessThan(DEFAULT_SLA[s].workingDays)
    }
  })

  it('without rules every stage takes the default', () => {
    const rules = resolveSlaRules([], 9)
    expect(rules.map((r) => r.stage)).toEqual([...SLA_STAGES])
    expect(rules.every((r) => r.source.kind === 'default')).toBe(true)
    expect(rules[0]?.rule).toEqual(DEFAULT_SLA.triage)
  })

  it('the nearest org that sets a stage wins; the org itself is "own", an ancestor "inherited"', () => {
    // Rows nearest first, as slaRulesAlongPath returns them: org 9 is the case's org, 4 its parent, 1 the root.
    const rules = resolveSlaRules(
      [
        row(9, 'needs_confirmation', 4, 2),
        row(4, 'triage', 5, 2),
        row(1, 'triage', 2, 1),
        row(1, 'feedback', 10, 3),
      ],
      9,
    )
    const byStage = Object.fromEntries(rules.map((r) => [r.stage, r]))
    expect(byStage.triage).toMatchObject({
      rule: { workingDays: 5, remindBeforeWorkingDays: 2 },
      source: { kind: 'inherited', orgId: 4, orgName: 'org 4' },
    })
    expect(byStage.needs_confirmation).toMatchObject({
      rule: { workingDays: 4, remindBeforeWorkingDays: 2 },
      source: { kind: 'own' },
    })
    expect(byStage.feedback?.source).toEqual({ kind: 'inherited', orgId: 1, orgName: 'org 1' })
    expect(byStage.steward_assignment).toMatchObject({
      rule: DEFAULT_SLA.steward_assignment,
      source: { kind: 'default' },
    })
  })
})

describe('admin form schemas', () => {
  const rule = (fields: Record<string, unknown>) =>
    slaRuleSchema.safeParse({
      orgId: '3',
      stage: 'triage',
      workingDays: '3',
      remindBefore: '1',
      ...fields,
    })

  it('accept whole numbers in range with the reminder before the deadline', () => {
    expect(rule({}).success).toBe(true)
    expect(rule({ remindBefore: '0', workingDays: '1' }).success).toBe(true)
  })

  it.each([
    [{ workingDays: '0' }, 'deadlines.errors.workingDays'],
    [{ workingDays: '61' }, 'deadlines.errors.workingDays'],
    [{ workingDays: '2.5' }, 'deadlines.errors.workingDays'],
    [{ workingDays: 'abc' }, 'deadlines.errors.workingDays'],
    [{ remindBefore: '-1' }, 'deadlines.errors.remindBefore'],
    [{ remindBefore: '3' }, 'deadlines.errors.remindNotBeforeDeadline'],
    [{ stage: 'lunch' }, 'deadlines.errors.stage'],
  ])('refuses %o with %s', (fields, key) => {
    const parsed = rule(fields)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map((i) => i.message)).toContain(key)
  })

  it('calendar dates must be real days', () => {
    const ok = calendarOverrideSchema.safeParse({
      date: '2026-10-09',
      kind: 'holiday',
      note: ' 地方假日 ',
    })
    expect(ok.data).toEqual({ date: '2026-10-09', kind: 'holiday', note: '地方假日' })
    for (const date of ['2026-02-30', '2026-13-01', '26-10-09', 'tomorrow', '1999-12-31']) {
      expect(calendarOverrideSchema.safeParse({ date, kind: 'holiday' }).success, date).toBe(false)
    }
    expect(calendarOverrideSchema.safeParse({ date: '2026-10-09', kind: 'half' }).success).toBe(
      false,
    )
  })
})
