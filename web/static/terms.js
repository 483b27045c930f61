// 学期: the autumn term runs August to January, the spring term February to
// July. A term's key is the year its school year starts and 1 or 2.
export function termLabel(key) {
  const y = Number(key.slice(0, 4));
  return `${y}–${y + 1} 学年第${key.endsWith('-1') ? '一' : '二'}学期`;
}

export function termOf(isoDate) {
  const [y, m] = isoDate.split('-').map(Number);
  const key = m >= 8 ? `${y}-1` : m === 1 ? `${y - 1}-1` : `${y - 1}-2`;
  return { key, label: termLabel(key) };
}

export function today() {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
