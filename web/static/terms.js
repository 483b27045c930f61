// 学期: the autumn term runs August to January, the spring term February to July.
export function termOf(isoDate) {
  const [y, m] = isoDate.split('-').map(Number);
  if (m >= 8) return { key: `${y}-1`, label: `${y}–${y + 1} 学年第一学期` };
  if (m === 1) return { key: `${y - 1}-1`, label: `${y - 1}–${y} 学年第一学期` };
  return { key: `${y - 1}-2`, label: `${y - 1}–${y} 学年第二学期` };
}

export function today() {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
