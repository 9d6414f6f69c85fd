// The page behind the one-time setup link. A plain form (the web client of
// issue 6 replaces it); it posts to /api/v1/setup with the token from the URL
// fragment or query, then shows where to go next.
export function setupPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Set up Enclave</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font:inherit;cursor:pointer}.err{color:#b00020}.ok{color:#0a6b2d}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}input{background:#222;color:#eee;border:1px solid #555}}
</style></head><body>
<h1>Set up Enclave</h1>
<p>Create the first owner account and your workspace. This link works once.</p>
<form id="f">
<label for="workspaceName">Workspace name</label><input id="workspaceName" required maxlength="80">
<label for="displayName">Your name</label><input id="displayName" required maxlength="80" autocomplete="name">
<label for="email">Email</label><input id="email" type="email" required autocomplete="email">
<label for="password">Password (at least 10 characters)</label><input id="password" type="password" required minlength="10" autocomplete="new-password">
<button type="submit">Create workspace</button>
<p id="msg" role="status"></p>
</form>
<script>
const params = new URLSearchParams(location.search);
const token = params.get('token') || '';
history.replaceState(null, '', '/setup');
const msg = document.getElementById('msg');
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const v = (id) => document.getElementById(id).value;
  const res = await fetch('/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, workspaceName: v('workspaceName'), displayName: v('displayName'), email: v('email'), password: v('password') }) });
  const body = await res.json().catch(() => ({}));
  if (res.ok) { msg.className = 'ok'; msg.textContent = 'Done. You are signed in as the workspace owner.'; e.target.querySelector('button').disabled = true; }
  else { msg.className = 'err'; msg.textContent = (body.error && body.error.message) || 'Setup failed.'; }
});
</script></body></html>`;
}
