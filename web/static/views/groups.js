// 试点 / 二级学院 / 证书: totals, the sessions, and for a pilot the pass-rate
// history as a chart with the 30% line and the 第七条(六) streaks marked.

import { api } from '../api.js';
import { clear, h, link, notice, stat, table } from '../dom.js';
import { flagList, sessionColumns, warnRow } from './overview.js';

const kinds = {
  pilot: { list: 'pilots', title: '试点', match: (s, id) => s.pilot_id === id },
  college: { list: 'colleges', title: '二级学院', match: (s, id) => s.college.id === id },
  certificate: { list: 'certificates', title: '证书', match: (s, id) => s.certificate.id === id },
};

function totals(g) {
  return h('section', { class: 'stats' },
    stat('场次', g.sessions),
    stat('公布考试人数', g.published, { note: g.sessions_without_published ? `${g.sessions_without_published} 场未公布` : null, warn: g.sessions_without_published > 0 }),
    stat('报名', g.registered),
    stat('参加考试', g.sat),
    stat('缺考 / 免考', `${g.absent} / ${g.excused}`),
    stat('参考率', g.participation_rate, { warn: g.participation === 'low' }),
    stat('通过 / 未通过 / 待定', `${g.passed} / ${g.failed} / ${g.pending}`),
    stat('通过率', g.pass_rate));
}

function passRateChart(sessions, flags) {
  const box = h('div', { class: 'chart', id: 'pass-rate-chart', role: 'img' });
  const flagged = new Set(flags.filter((f) => f.kind === 'consecutive_low_pass_rate').flatMap((f) => f.sessions.map((s) => s.session_id)));
  box.setAttribute('aria-label', `通过率历次变化，30% 警戒线${flagged.size ? `，连续两次低于 30% 的场次：${[...flagged].map((i) => `#${i}`).join('、')}` : ''}`);
  const labels = sessions.map((s) => `${s.exam_date}\n#${s.id}`);
  const pass = sessions.map((s) => {
    if (s.pass_rate_per_mille == null) return { value: null };
    const low = s.pass_rate_low;
    return {
      value: s.pass_rate_per_mille / 10,
      itemStyle: { color: flagged.has(s.id) ? '#b22222' : low ? '#e08a00' : '#0b6e4f' },
      symbol: flagged.has(s.id) ? 'diamond' : 'circle',
      symbolSize: flagged.has(s.id) ? 16 : 9,
    };
  });
  const participation = sessions.map((s) => (s.participation_per_mille == null ? null : s.participation_per_mille / 10));
  const areas = [];
  for (const f of flags.filter((x) => x.kind === 'consecutive_low_pass_rate')) {
    const idx = f.sessions.map((x) => sessions.findIndex((s) => s.id === x.session_id)).filter((i) => i >= 0);
    if (idx.length === 2) areas.push([{ xAxis: Math.min(...idx), name: '连续两次低于 30%' }, { xAxis: Math.max(...idx) }]);
  }
  const draw = () => {
    if (!window.echarts) {
      clear(box, notice('error', '图表组件未加载'));
      return null;
    }
    const chart = window.echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'sans-serif' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : `${v}%`) },
      legend: { data: ['通过率', '参考率'], top: 0 },
      grid: { left: 50, right: 30, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: '通过率', type: 'line', data: pass, connectNulls: false, lineStyle: { width: 3, color: '#0b4f8a' },
          label: { show: true, formatter: (p) => (p.value == null ? '' : `${p.value}%`), position: 'top' },
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#b22222', type: 'dashed', width: 2 },
            label: { formatter: '30% 警戒线', position: 'insideEndTop', color: '#b22222' }, data: [{ yAxis: 30 }] },
          markArea: { silent: true, itemStyle: { color: 'rgba(178,34,34,0.10)' }, label: { color: '#b22222', position: 'insideTop' }, data: areas },
        },
        { name: '参考率', type: 'line', data: participation, lineStyle: { type: 'dotted', color: '#7a7a7a' }, itemStyle: { color: '#7a7a7a' } },
      ],
    });
    return chart;
  };
  return { box, draw };
}

export async function render(main, kind, idText) {
  const spec = kinds[kind];
  const id = Number(idText);
  const stats = await api('/statistics');
  const group = stats[spec.list].find((g) => g.id === id);
  if (!group) {
    clear(main, h('h1', {}, `${spec.title} #${id}`), notice('error', `没有找到这个${spec.title}，或您无权查看。`), h('p', {}, link('/', '返回概览')));
    return undefined;
  }
  const sessions = stats.sessions.filter((s) => spec.match(s, id));
  const ids = new Set(sessions.map((s) => s.id));
  const flags = stats.flags.filter((f) => f.sessions.some((s) => ids.has(s.session_id)));
  let chart = null;
  const parts = [
    h('div', { class: 'page-head' }, h('h1', {}, `${spec.title}：${group.name}`),
      h('div', { class: 'tools noprint' }, h('button', { type: 'button', onclick: () => window.print() }, '打印'))),
    flagList(flags),
    totals(group),
  ];
  let pending = null;
  if (kind === 'pilot') {
    const final = sessions.filter((s) => s.results_final);
    pending = passRateChart(sessions, flags);
    parts.push(h('section', {}, h('h2', {}, '历次通过率'),
      h('p', { class: 'muted' }, `第七条(六)：同一试点连续两次考试通过率低于 30% 即预警。只有成绩已确认且有人参考的场次参与判断（${final.length} / ${sessions.length} 场已确认）。菱形红点为预警场次。`),
      pending.box));
  }
  if (kind === 'college') {
    const pilots = stats.pilots.filter((p) => p.college_id === id);
    parts.push(h('section', {}, h('h2', {}, '本学院试点'), table([
      { title: '试点', value: (p) => link(`/pilots/${p.id}`, p.name) },
      { title: '场次', class: 'num', value: (p) => p.sessions },
      { title: '参考率', class: 'num', value: (p) => p.participation_rate },
      { title: '通过率', class: 'num', value: (p) => p.pass_rate },
    ], pilots)));
  }
  parts.push(h('section', {}, h('h2', {}, `场次（${sessions.length}）`),
    table(sessionColumns(), sessions, { rowClass: warnRow })));
  clear(main, parts);
  if (pending) chart = pending.draw();
  const resize = () => chart?.resize();
  window.addEventListener('resize', resize);
  const beforePrint = () => chart?.resize({ width: 900 });
  window.addEventListener('beforeprint', beforePrint);
  return () => {
    window.removeEventListener('resize', resize);
    window.removeEventListener('beforeprint', beforePrint);
    chart?.dispose();
  };
}

