// A small chart option with Chinese text, shared by the render tests.
export const sampleOption = {
  title: { text: '局点告警趋势', subtext: '北京移动 BJ-CMCC' },
  legend: { data: ['告警', '恢复'], selector: true },
  xAxis: { type: 'category', name: '日期', data: ['11-20', '11-21', '11-22', '11-23', '11-24'] },
  yAxis: { type: 'value', name: '次数' },
  series: [
    { name: '告警', type: 'bar', data: [12, 30, 18, 25, 9], label: { show: true } },
    { name: '恢复', type: 'line', data: [10, 26, 20, 22, 11] },
  ],
};
