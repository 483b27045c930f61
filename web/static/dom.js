// Small DOM helpers. Every text from the server goes in as a text node, never
// as HTML, so a name like <script> or ' OR 1=1 -- shows as what it is.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A table from column definitions {title, value(row) -> text|Node, class}.
export function table(columns, rows, { empty = '没有记录', rowClass } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.title))));
  const body = h('tbody');
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty)));
  }
  for (const row of rows) {
    body.append(h('tr', { class: rowClass ? rowClass(row) : undefined },
      columns.map((c) => h('td', { class: c.class }, c.value(row)))));
  }
  return h('table', { class: 'grid' }, head, body);
}

export function link(href, text) {
  return h('a', { href, 'data-nav': '' }, text);
}

const cst = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

// An ISO time stamp (UTC) shown in China Standard Time.
export function beijing(iso, { seconds = false } = {}) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(cst.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

export function notice(kind, ...text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

export function stat(label, value, { warn = false, note } = {}) {
  return h('div', { class: `stat${warn ? ' warn' : ''}` },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value),
    note ? h('div', { class: 'note' }, note) : null);
}

// The participation bar: attended / published with the 30% line drawn on it.
// The server decides: perMille is its rate in tenths of a percent (null when
// there is no published count), low its 第七条(五) verdict, rate its text.
export function rateBar(perMille, low, label, rate) {
  const share = perMille == null ? 0 : Math.min(1000, perMille) / 1000;
  const bar = h('div', { class: `ratebar${low ? ' low' : ''}`, role: 'img',
    'aria-label': `${label} ${rate}，30% 警戒线` });
  const fill = h('div', { class: 'fill' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  bar.append(fill, h('div', { class: 'line30' }, h('span', {}, '30%')));
  return bar;
}
