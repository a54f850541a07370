import { type ChartSvg, INK, renderChart } from './render.server.ts'

export interface FunnelStage {
  label: string
  value: number
}

/**
 * Open cases by stage in workflow order. Each band is as wide as the cases
 * that have got at least that far (that stage or a later one), so the shape
 * narrows like a funnel; its label gives the cases in the stage itself.
 * Null when no case is open.
 */
export function stageFunnelChart(stages: FunnelStage[], seriesName: string): ChartSvg | null {
  const shown = stages.filter((s) => s.value > 0)
  if (shown.length === 0) return null
  let reached = shown.reduce((n, s) => n + s.value, 0)
  const bands = shown.map((s) => {
    const band = { name: s.label, value: reached, cases: s.value }
    reached -= s.value
    return band
  })
  const cases = new Map(bands.map((b) => [b.name, b.cases]))
  const width = 640
  const height = Math.max(160, 40 + bands.length * 36)
  return renderChart(
    {
      series: [
        {
          type: 'funnel',
          name: seriesName,
          sort: 'none',
          left: 20,
          right: 240,
          top: 20,
          bottom: 20,
          minSize: '12%',
          gap: 2,
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          label: {
            show: true,
            position: 'right',
            color: INK,
            formatter: (p: { name: string }) => `${p.name}：${cases.get(p.name) ?? ''}`,
          },
          labelLine: { show: true, lineStyle: { color: '#666666' } },
          data: bands.map((b) => ({ name: b.name, value: b.value })),
        },
      ],
    },
    width,
    height,
  )
}
