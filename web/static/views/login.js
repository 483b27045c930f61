import { api, setSession } from '../api.js';
import { clear, h, notice } from '../dom.js';
import { navigate } from '../app.js';

export function render(main) {
  setSession(null);
  document.getElementById('topbar').hidden = true;
  const message = h('div', { 'aria-live': 'polite' });
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h('form', { class: 'login card' },
    h('h1', {}, '考点 · 1+X 证书考试'),
    h('p', { class: 'muted' }, '继续教育学院与二级学院用户登录'),
    h('label', { for: 'username' }, '用户名'), username,
    h('label', { for: 'password' }, '密码'), password,
    message, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    clear(message);
    try {
      const info = await api('/login', { method: 'POST', json: { username: username.value.trim(), password: password.value } });
      setSession(info);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      clear(message, notice('error', e.message));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  clear(main, form);
}
