import type { TFunction } from 'i18next'
import type { TargetMetric } from '#workflows/dashboard/metrics.ts'
import { MONEY_METRICS } from '#workflows/dashboard/targets.schema.ts'
import { formatCount, formatYuan } from './format.ts'
import type { Column } from './ui.tsx'

// Yearly targets as the overview and the targets page show them.

/** A target value as shown: money with two decimals, counts grouped (null stays null). */
export function formatTarget(metric: TargetMetric, value: string): string
export function formatTarget(metric: TargetMetric, value: string | null): string | null
export function formatTarget(metric: TargetMetric, value: string | null): string | null {
  if (value === null) return null
  return MONEY_METRICS.includes(metric) ? formatYuan(value) : formatCount(Number(value))
}

/** The metric's name as the row header. */
export function metricColumn<R extends { metric: TargetMetric }>(t: TFunction): Column<R> {
  return {
    label: t('dashboard.targets.metric'),
    rowHead: true,
    cell: (r) => t(`dashboard.metric.${r.metric}`),
  }
}

/** The org's own target, or "no target". */
export function targetColumn<R extends { metric: TargetMetric; target: string | null }>(
  t: TFunction,
): Column<R> {
  return {
    label: t('dashboard.targets.target'),
    num: true,
    cell: (r) => formatTarget(r.metric, r.target) ?? t('dashboard.targets.noTarget'),
  }
}

/** The sum of the child orgs' targets, or "no child set one". */
export function childrenTargetColumn<
  R extends { metric: TargetMetric; childrenTarget: string | null },
>(t: TFunction): Column<R> {
  return {
    label: t('dashboard.targets.childrenTarget'),
    num: true,
    cell: (r) => formatTarget(r.metric, r.childrenTarget) ?? t('dashboard.targets.noChildren'),
  }
}
