import { useTranslation } from 'react-i18next'
import type { CaseAggregate } from '#workflows/outcomes/aggregate.ts'

/** What an item's outcome says, for the outcomes page, the archive and its export. */
export interface OutcomeShown {
  result: string
  description: string
  benefitYuan: string | null
  benefitStatus: string | null
  benefitBasis: string | null
  workersTrained: number
  personTimes: number
  patents: number
  innovations: number
  followUpNeeded: boolean
  followUpNote: string | null
  recordedByName?: string | null
}

/** '1234567.50' as '1,234,567.50' (grouping only: the digits stay exact). */
export function groupYuan(amount: string): string {
  const [whole = '0', fraction = '00'] = amount.split('.')
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`
}

export function OutcomeDetails({ outcome }: { outcome: OutcomeShown }) {
  const { t } = useTranslation()
  const counted =
    outcome.workersTrained + outcome.personTimes + outcome.patents + outcome.innovations > 0
  return (
    <div className="outcome" data-testid="outcome">
      <p>
        <span className={`status outcome-${outcome.result}`}>
          {t(`outcomes.result.${outcome.result}`)}
        </span>
      </p>
      <p className="pre-wrap">{outcome.description}</p>
      {outcome.benefitYuan !== null ? (
        <p>
          {t('outcomes.benefitLine', {
            amount: groupYuan(outcome.benefitYuan),
            status: t(`outcomes.benefitStatus.${outcome.benefitStatus ?? 'estimated'}`),
          })}
          {outcome.benefitBasis ? (
            <>
              <br />
              <span className="muted">
                {t('outcomes.basisLine', { basis: outcome.benefitBasis })}
              </span>
            </>
          ) : null}
        </p>
      ) : null}
      {counted ? (
        <p>
          {t('outcomes.countsLine', {
            workers: outcome.workersTrained,
            times: outcome.personTimes,
            patents: outcome.patents,
            innovations: outcome.innovations,
          })}
        </p>
      ) : null}
      {outcome.followUpNeeded ? (
        <p>{t('outcomes.followUpLine', { note: outcome.followUpNote ?? '' })}</p>
      ) : null}
    </div>
  )
}

/** The case totals as a table (one figure a row). */
export function OutcomeTotals({ aggregate }: { aggregate: CaseAggregate }) {
  const { t } = useTranslation()
  const yuan = (amount: string) => t('outcomes.yuan', { amount: groupYuan(amount) })
  const rows: [string, string | number, string][] = [
    ['items', aggregate.items, 'items'],
    ['recorded', aggregate.recorded, 'recorded'],
    ['problemsSolved', aggregate.problemsSolved, 'problems-solved'],
    ['partlySolved', aggregate.partlySolved, 'partly-solved'],
    ['notFeasible', aggregate.byResult.not_feasible, 'not-feasible'],
    ['transferred', aggregate.byResult.transferred, 'transferred'],
    ['benefitEstimated', yuan(aggregate.benefit.estimated), 'benefit-estimated'],
    ['benefitConfirmed', yuan(aggregate.benefit.confirmed), 'benefit-confirmed'],
    ['benefitTotal', yuan(aggregate.benefit.total), 'benefit-total'],
    ['workersTrained', aggregate.workersTrained, 'workers-trained'],
    ['personTimes', aggregate.personTimes, 'person-times'],
    ['patents', aggregate.patents, 'patents'],
    ['innovations', aggregate.innovations, 'innovations'],
    ['followUps', aggregate.followUps, 'follow-ups'],
    ['visitsHeld', aggregate.visitsHeld, 'visits-held'],
    ['expertParticipations', aggregate.expertParticipations, 'expert-participations'],
  ]
  return (
    <div className="outcome-totals">
      <h3>{t('outcomes.aggregate.heading')}</h3>
      <table data-testid="outcome-totals">
        <tbody>
          {rows.map(([key, value, id]) => (
            <tr key={key} data-figure={id}>
              <th scope="row">{t(`outcomes.aggregate.${key}`)}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('outcomes.aggregate.note')}</p>
    </div>
  )
}
