import { useTranslation } from 'react-i18next'
import { localName, type Named } from '#app/utils/taxonomy.ts'
import type { ScoreFactor } from '#workflows/matching/types.ts'
import { explainFactors } from '#workflows/resource-list/explain.ts'
import '#app/styles/matching.css'

/**
 * Why a candidate was proposed, in the UI language, from the factors the
 * engine stored (e.g. "配电箱健康诊断 完全匹配，熟练度 5 级；全国劳动模范；同区").
 */
export function MatchExplanation({
  factors,
  skills,
}: {
  factors: ScoreFactor[]
  skills: Record<string, Named>
}) {
  const { t, i18n } = useTranslation()
  const phrases = explainFactors(factors, {
    language: i18n.language,
    skill: (id) => {
      const s = skills[String(id)]
      return s ? localName(s, i18n.language) : `#${id}`
    },
  })
  if (phrases.length === 0) return null
  return (
    <p className="explanation">
      {phrases.map((p) => t(p.key, p.params)).join(t('matching.explain.separator'))}
    </p>
  )
}
