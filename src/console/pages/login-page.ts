import { escape, page, type PageContext } from '../layout';

export function renderLoginPage(ctx: PageContext, options: { failed?: boolean; next?: string }): string {
  return page(
    ctx,
    'Log in',
    `<h1>Log in</h1>${options.failed ? '<p class="error" id="login-failed">Unknown user or wrong password.</p>' : ''}
<form method="post" action="/login" class="filters" id="login">
<input type="hidden" name="_csrf" value="${escape(ctx.csrf)}">
<input type="hidden" name="next" value="${escape(options.next ?? '/waves')}">
<label>user<input name="user" autocomplete="username" required></label>
<label>password<input name="password" type="password" autocomplete="current-password" required></label>
<button>log in</button></form>`,
  );
}
