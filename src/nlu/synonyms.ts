// The bot's domain words in one table: what each word staff type means (figures, metrics, alarms, rankings, follow-ups…), to extend by adding a word to a group.
import type { Figure, Metric } from './types';

/** What a domain word means to the parser. */
export type Sense =
  | { kind: 'figure'; figure: Figure }
  | { kind: 'metric'; metric: Metric }
  | { kind: 'alarms' }
  /** 状态, 怎么样: how a site or a server is doing. */
  | { kind: 'status' }
  /** 对比, 比较, 多还是少: two things side by side. */
  | { kind: 'compare' }
  /** 和, 跟, 与: joins two sites (or two times) in a comparison. */
  | { kind: 'and' }
  /** 最多, 最低…: a ranking, and its order. */
  | { kind: 'rank'; order: 'desc' | 'asc' }
  /** 排名, 排行: a ranking in the usual order (largest first). */
  | { kind: 'ranking' }
  /** 哪个局点, 哪台: one answer wanted (a ranking limited to 1). */
  | { kind: 'which' }
  /** 有哪些, 哪些: a list. */
  | { kind: 'list' }
  | { kind: 'stale' }
  | { kind: 'history' }
  /** 趋势, 累计, 总共: over a range of days rather than one day. */
  | { kind: 'range' }
  /** 服务器, 详情, 信息: about a server. */
  | { kind: 'server' }
  /** 局点, 站点: the noun for a site. */
  | { kind: 'site' }
  | { kind: 'forecast' }
  | { kind: 'help' }
  /** 那, 呢, 再看: the question goes on from the previous one. */
  | { kind: 'followup' }
  /** 换成, 改成: replace a slot of the previous question. */
  | { kind: 'replace' }
  /** 看看图, 趋势图: the same question as a chart. */
  | { kind: 'chart' }
  /** 现在, 当前: now (status rather than a day's figures). */
  | { kind: 'now' }
  /** Words that carry no meaning here (particles, 查一下, 多少). */
  | { kind: 'filler' };

/** Words for each business figure (ASCII words are matched case-insensitively). */
export const FIGURE_WORDS: Record<Figure, readonly string[]> = {
  opens: [
    '开户',
    '开通',
    '新增用户',
    '订购',
    '新用户',
    '新增',
    '开户数',
    '新开',
    '开了多少户',
    '开了几户',
  ],
  closes: [
    '销户',
    '退订',
    '注销',
    '取消',
    '取消订购',
    '销户数',
    '退订数',
    '销了多少户',
    '销了几户',
  ],
  totalUsers: ['总用户', '用户数', '在网用户', '用户总数', '总用户数', '在网用户数', '用户规模'],
  calls: ['调用', '呼叫', '话务量', '话务', '调用量', '呼叫量', '通话'],
  pushes: ['推送', '彩印', '展示', '签名推送', '推送量', '展示量', '彩印推送'],
  mo: ['上行', 'mo', '上行量', '上行短信'],
  mt: ['下行', 'mt', '下行量', '下行短信'],
};

/**
 * Opens and closes words followed by 用户 / 用户数 mean the same figure ("注销用户数" is closes, not
 * closes and total users): these compounds are added for every such word.
 */
export const USER_SUFFIXES: readonly string[] = ['用户', '用户数', '人数', '量'];

/** Words for each server metric. */
export const METRIC_WORDS: Record<Metric, readonly string[]> = {
  cpu: ['cpu', '处理器', '负载', 'cpu使用率', 'cpu利用率', 'load'],
  mem: ['内存', 'mem', 'memory', '内存使用率', '内存占用'],
  disk: ['磁盘', '硬盘', '空间', '存储', 'disk', '磁盘空间', '磁盘使用率', '硬盘空间'],
};

/** Every other group of words, with what its words mean. */
export const WORD_GROUPS: readonly { sense: Sense; words: readonly string[] }[] = [
  {
    sense: { kind: 'alarms' },
    words: [
      '告警',
      '报警',
      '故障',
      '异常',
      '警告',
      '新告警',
      '新增告警',
      '告警信息',
      '活动告警',
      'alarm',
      'alarms',
    ],
  },
  {
    sense: { kind: 'status' },
    words: [
      '状态',
      '情况',
      '怎么样',
      '怎么样了',
      '正常吗',
      '正常么',
      '正常不',
      '正常',
      '咋样',
      '咋样了',
      '如何',
      '怎样',
      '还好吗',
      '好不好',
      '健康',
      '运行情况',
      'status',
      '情况如何',
    ],
  },
  {
    sense: { kind: 'compare' },
    words: ['对比', '比较', '相比', '比', '多还是少', '高还是低', '差多少', '环比', '同比', '区别'],
  },
  { sense: { kind: 'and' }, words: ['和', '跟', '与', '及', '以及', '还有'] },
  {
    sense: { kind: 'rank', order: 'desc' },
    words: ['最多', '最高', '最满', '最大', '最忙', '最严重', '最猛', '最重'],
  },
  {
    sense: { kind: 'rank', order: 'asc' },
    words: ['最少', '最低', '最小', '最空', '最闲'],
  },
  { sense: { kind: 'ranking' }, words: ['排名', '排行', '排序', '排行榜', 'top'] },
  {
    sense: { kind: 'which' },
    words: ['哪个局点', '哪个站点', '哪个', '哪台', '哪台服务器', '哪家', '哪一个', '哪一台'],
  },
  { sense: { kind: 'list' }, words: ['有哪些', '哪些', '列表', '清单', '列出', '都有哪些'] },
  {
    sense: { kind: 'stale' },
    words: ['停报', '不上报', '没上报', '没有上报', '不报了', '失联', '掉线', '离线', '未上报'],
  },
  { sense: { kind: 'history' }, words: ['历史', '记录'] },
  {
    sense: { kind: 'range' },
    words: ['趋势', '累计', '总共', '合计', '一共', '走势', '汇总', '总计', '每天'],
  },
  {
    sense: { kind: 'server' },
    words: ['服务器', '详情', '信息', '主机', '机器', '详细信息', '配置'],
  },
  {
    sense: { kind: 'site' },
    words: ['局点', '站点', '各局点', '各个局点', '所有局点', '每个局点'],
  },
  {
    sense: { kind: 'forecast' },
    words: [
      '还能撑几天',
      '能撑几天',
      '撑几天',
      '还能撑多久',
      '撑多久',
      '多久满',
      '多久会满',
      '什么时候满',
      '啥时候满',
      '几天满',
      '还能用多久',
      '能用多久',
      '还能用几天',
      '会不会满',
      '预测',
    ],
  },
  {
    sense: { kind: 'help' },
    words: [
      '帮助',
      '怎么用',
      '你能做什么',
      '能做什么',
      '你会什么',
      '能干什么',
      '使用说明',
      '功能',
      '菜单',
      'help',
    ],
  },
  { sense: { kind: 'followup' }, words: ['那', '呢', '再看', '再看看', '那么', '如果是'] },
  { sense: { kind: 'replace' }, words: ['换成', '改成', '换', '改为', '换为'] },
  {
    sense: { kind: 'chart' },
    words: ['看看图', '图', '画图', '图表', '出图', '曲线', '走势图', '趋势图', '画个图'],
  },
  { sense: { kind: 'now' }, words: ['现在', '当前', '目前', '此刻', '实时', '最新', '眼下'] },
  {
    sense: { kind: 'filler' },
    words: [
      // Single characters here only when they are particles: a place name never loses a character to them.
      '的',
      '了',
      '吗',
      '么',
      '啊',
      '呀',
      '吧',
      '嘛',
      '哦',
      '请',
      '查',
      '看',
      '几',
      '是',
      '我',
      '帮我',
      '帮忙',
      '查一下',
      '查下',
      '查询',
      '看下',
      '看一下',
      '看看',
      '给我',
      '一下',
      '多少',
      '是多少',
      '有多少',
      '有没有',
      '有没',
      '有无',
      '没有',
      '有',
      '量',
      '数',
      '数量',
      '次数',
      '用户',
      '使用率',
      '利用率',
      '占用',
      '用量',
      '用得',
      '用的',
      '用了',
      '数据',
      '统计',
      '什么',
      '多大',
      '多高',
      '还',
      '能',
      '一共多少',
      '怎么',
      '想知道',
      '告诉我',
      '报一下',
      '所有',
      '全部',
      '上的',
      '这台',
      '大概',
      '具体',
      '最近的',
      '发生',
      '出现',
      '产生',
      '各个',
      '谢谢',
      '多谢',
      '麻烦',
      '你好',
      '您好',
      '请问',
    ],
  },
];

/** Parts of site names that name no one site however unique they are (operators, products). */
export const GENERIC_NAME_PARTS: ReadonlySet<string> = new Set([
  '移动',
  '联通',
  '电信',
  '彩印',
  '平台',
  '局点',
  '中心',
  '分公司',
  '公司',
  '机房',
  '集群',
  '节点',
  '测试',
  '生产',
]);

/** Number words in "前三台". */
export const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** Every domain word with its meanings, lower-cased (a word in two groups means both). */
export function domainWords(): Map<string, Sense[]> {
  const out = new Map<string, Sense[]>();
  const add = (word: string, sense: Sense) => {
    const w = word.normalize('NFKC').toLowerCase();
    const list = out.get(w) ?? [];
    if (!list.some((s) => JSON.stringify(s) === JSON.stringify(sense))) list.push(sense);
    out.set(w, list);
  };
  for (const [figure, words] of Object.entries(FIGURE_WORDS) as [Figure, readonly string[]][]) {
    for (const w of words) add(w, { kind: 'figure', figure });
    if (figure === 'opens' || figure === 'closes') {
      for (const w of words)
        for (const suffix of USER_SUFFIXES) add(w + suffix, { kind: 'figure', figure });
    }
  }
  for (const [metric, words] of Object.entries(METRIC_WORDS) as [Metric, readonly string[]][]) {
    for (const w of words) add(w, { kind: 'metric', metric });
  }
  for (const g of WORD_GROUPS) for (const w of g.words) add(w, g.sense);
  return out;
}
