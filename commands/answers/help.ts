// Answer to a help question: example questions in plain words (帮助 shows them too), and the commands to ask exactly.
import { alarmsCommand } from '../alarms';
import { cpuCommand } from '../cpu';
import { reportCommand } from '../report';
import { text } from '../reply';
import { serverCommand } from '../server';
import { statusCommand } from '../status';
import { yesterdayCommand } from '../yesterday';
import type { IntentAnswer } from './types';

/** Questions the bot understands, one per kind of answer (帮助 lists them under "也可以这样问："). */
export const QUESTION_EXAMPLES: readonly string[] = [
  '北京昨天开户多少',
  '上周北京的业务',
  '北京和上海昨天对比',
  '北京状态怎么样',
  '最近一周的告警',
  'app01 的 CPU',
  'CPU最高的前5台',
  '停报的服务器有哪些',
  '那上海呢',
];

/** The exact commands the help answer points to (帮助 lists them all). */
const COMMANDS = [
  statusCommand,
  yesterdayCommand,
  reportCommand,
  alarmsCommand,
  serverCommand,
  cpuCommand,
];

export const helpAnswer: IntentAnswer<'help'> = {
  kind: 'help',
  charts: () => false,
  async answer() {
    return [
      text(
        [
          '可以直接用中文提问，例如：',
          ...QUESTION_EXAMPLES.map((q) => `“${q}”`),
          `也可以发送命令：${COMMANDS.map((c) => c.usage).join('、')}；发送“帮助”查看全部命令。`,
        ].join('\n'),
      ),
    ];
  },
};
