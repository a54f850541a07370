import { defineMessages } from '../define.ts'

// Keys are used as t('matchingWeights.<key>').
export const matchingWeightsMessages = defineMessages(
  {
    nav: {
      weights: '匹配权重',
    },
    title: '专家匹配权重',
    intro:
      '系统为每项需求推荐专家时，按下列因素给每位候选人打分，再在不超出专家可承担数量的前提下，求出总分最高的整体配对方案。权重是相对值：只看各项之间的比例，某项设为 0 即不考虑该因素。',
    appliesFromNow: '修改只影响此后的匹配（包括重新匹配），已生成的资源清单不会自动改变。',
    inheritance: '下级组织没有自己的设置时，沿用最近一级上级组织的设置；都没有时使用系统默认值。',
    chooseOrg: '查看或设置的组织',
    show: '查看',
    factor: '因素',
    weight: '权重',
    source: '来源',
    ifReset: '恢复继承后',
    sourceDefault: '系统默认',
    sourceOwn: '本组织设置',
    sourceInherited: '继承自 {{org}}',
    lastChanged: '{{org}} 的设置，最后由 {{name}} 于 {{at}} 修改',
    lastChangedUnknown: '{{org}} 的设置，最后修改于 {{at}}',
    save: '保存本组织的权重',
    reset: '恢复继承',
    resetHelp: '删除本组织自己的权重，改用上级组织的设置（或系统默认值）。',
    saved: '匹配权重已保存',
    wasReset: '已恢复为继承的权重',
    range: '0 到 100 之间的数，最多两位小数；专长匹配须大于 0。',
    factors: {
      skill: {
        label: '专长匹配',
        help: '专家的专长与需求所需技能在技能目录中的吻合程度：同一技能最高，同一领域下的相近技能次之，同一大类再次之。',
      },
      proficiency: {
        label: '熟练程度',
        help: '专家在所匹配技能上的熟练等级（1 基础 到 5 大师）。',
      },
      honour: {
        label: '荣誉等级',
        help: '专家所获最高荣誉的级别：全国、省、市、区县、企业级依次递减。',
      },
      proximity: {
        label: '就近服务',
        help: '专家的服务区域与企业所在园区或区县是否一致，同园区最高，同区县次之。',
      },
      availability: {
        label: '时间可用',
        help: '在需求的时间范围内，专家通常可服务的工作日中，扣除已登记的不可用时段后还有多少天可用。',
      },
      load: {
        label: '当前负荷',
        help: '专家手头正在进行的服务越少（相对其可同时承担的数量），得分越高。',
      },
      rating: {
        label: '历史评价',
        help: '以往服务过的企业对专家的平均评分，评价次数越多越可信。',
      },
      continuity: {
        label: '服务延续',
        help: '专家曾为同一家企业服务过，延续原有的了解和信任。',
      },
      volunteer: {
        label: '主动揭榜',
        help: '专家通过“揭榜挂帅”主动报名承接这项需求。',
      },
    },
    errors: {
      weight: '权重须为 0 到 100 之间的数，最多两位小数',
      skillPositive: '专长匹配的权重须大于 0，否则推荐将与需求无关',
      unknownOrg: '所选组织不存在',
      noOwnWeights: '该组织没有自己的权重设置，无需恢复',
    },
  },
  {
    nav: {
      weights: 'Matching weights',
    },
    title: 'Expert matching weights',
    intro:
      "To propose experts for each need item, the system scores every candidate on the factors below, then picks the pairing with the highest total score that stays within each expert's capacity. Weights are relative: only their ratios matter, and 0 leaves a factor out.",
    appliesFromNow:
      'Changes apply to matching runs from now on (including re-runs); resource lists already drafted do not change by themselves.',
    inheritance:
      "An organisation without weights of its own uses its nearest parent's; without any, the defaults apply.",
    chooseOrg: 'Organisation to view or set',
    show: 'Show',
    factor: 'Factor',
    weight: 'Weight',
    source: 'Source',
    ifReset: 'After inheriting again',
    sourceDefault: 'Default',
    sourceOwn: 'Set here',
    sourceInherited: 'Inherited from {{org}}',
    lastChanged: 'Set by {{org}}; last changed by {{name}} on {{at}}',
    lastChangedUnknown: 'Set by {{org}}; last changed on {{at}}',
    save: "Save this organisation's weights",
    reset: 'Inherit again',
    resetHelp:
      "Deletes this organisation's own weights, so its parent's (or the defaults) apply again.",
    saved: 'Matching weights saved',
    wasReset: 'The inherited weights apply again',
    range: 'A number from 0 to 100 with at most two decimals; skill fit must be above 0.',
    factors: {
      skill: {
        label: 'Skill fit',
        help: "How closely the expert's specialties fit the skills the item asks for on the taxonomy: the same skill scores highest, a sibling skill in the same field less, the same domain less again.",
      },
      proficiency: {
        label: 'Proficiency',
        help: "The expert's proficiency in the matched skill, from 1 (basic) to 5 (master).",
      },
      honour: {
        label: 'Honours',
        help: "The level of the expert's highest honour: national, provincial, city, district, enterprise, in that order.",
      },
      proximity: {
        label: 'Proximity',
        help: "Whether the expert serves the enterprise's park (highest) or district.",
      },
      availability: {
        label: 'Availability',
        help: "How many of the expert's usual working days in the item's time window are free of recorded unavailability.",
      },
      load: {
        label: 'Current load',
        help: 'The fewer engagements the expert holds now, relative to how many they can take at once, the higher the score.',
      },
      rating: {
        label: 'Past ratings',
        help: 'The average rating enterprises gave the expert before; more ratings make it count more surely.',
      },
      continuity: {
        label: 'Continuity',
        help: 'The expert has served the same enterprise before and knows it.',
      },
      volunteer: {
        label: 'Volunteered',
        help: 'The expert volunteered for this item through an open challenge (揭榜挂帅).',
      },
    },
    errors: {
      weight: 'A weight must be a number from 0 to 100 with at most two decimals',
      skillPositive:
        'The skill fit weight must be above 0, or proposals would ignore what the need is about',
      unknownOrg: 'There is no such organisation',
      noOwnWeights: 'This organisation has no weights of its own to reset',
    },
  },
)
