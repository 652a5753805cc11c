// Sign in: POST /v1/auth/login gives a session token, kept in sessionStorage.
import { api, session } from '../api.js';
import { field, h } from '../dom.js';

export async function render(main, { navigate }) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'panel login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to Hush'),
    field('E-mail address', email), field('Password', password), error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const { token } = await api.post('/v1/auth/login', { email: email.value, password: password.value }, { auth: false });
      session.token = token;
      navigate('/', { replace: true });
    } catch (e) {
      error.textContent = e.message;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  email.focus();
}
