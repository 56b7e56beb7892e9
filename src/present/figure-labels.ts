// The names of the daily business figures, as the chat replies, notices and reports show them.
import type { BusinessFigures } from '../types/business-figures';

export const FIGURE_LABELS: Record<keyof BusinessFigures, string> = {
  sub: '开通',
  unsub: '退订',
  total: '总用户',
  calls: '调用',
  shows: '推送',
  mo: '上行',
  mt: '下行',
};
