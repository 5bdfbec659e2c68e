/**
 * /editer/invitation/#inv_…: greets the invited person, lets them choose a password, logs them in
 * and opens the editor. The link works once; the server says why when it does not.
 */
// A module, so that its names stay its own.
export {};

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const roleLabels: Record<string, string> = { contributeur: 'contributeur ou contributrice', relecteur: 'relecteur ou relectrice', administrateur: 'administrateur ou administratrice' };

async function start(): Promise<void> {
  const greeting = byId('invitation-accueil');
  const code = location.hash.slice(1);
  if (!code) {
    greeting.textContent = 'Ce lien d’invitation est incomplet : copiez-le en entier, avec ce qui suit le « # ».';
    return;
  }
  const response = await fetch(`/api/invitation?code=${encodeURIComponent(code)}`, { headers: { Accept: 'application/json' } }).catch(() => null);
  const body = (await response?.json().catch(() => ({}))) as { user?: { name: string; email: string; role: string }; error?: string };
  if (!response?.ok || !body.user) {
    greeting.textContent = `Invitation impossible : ${body.error ?? 'le serveur ne répond pas, réessayez dans un moment'}.`;
    return;
  }
  greeting.textContent = `Bienvenue, ${body.user.name} : vous êtes invité·e comme ${roleLabels[body.user.role] ?? body.user.role}, avec l’adresse ${body.user.email}.`;
  byId<HTMLInputElement>('invitation-identifiant').value = body.user.email;
  byId('invitation-choix').hidden = false;
  const form = byId<HTMLFormElement>('invitation-formulaire');
  const message = byId('invitation-message');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const password = byId<HTMLInputElement>('invitation-motdepasse').value;
    if (password !== byId<HTMLInputElement>('invitation-confirmation').value) {
      message.textContent = 'Les deux mots de passe diffèrent : tapez le même deux fois.';
      return;
    }
    message.textContent = 'Enregistrement…';
    const accepted = await fetch('/api/invitation', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code, password }),
    }).catch(() => null);
    const result = (await accepted?.json().catch(() => ({}))) as { error?: string };
    if (!accepted?.ok) {
      message.textContent = `Mot de passe non enregistré : ${result.error ?? 'le serveur ne répond pas'}.`;
      return;
    }
    // The secret is spent: keep it out of the history, then go to the editor, logged in.
    history.replaceState(null, '', '/editer/invitation/');
    location.assign('/editer/');
  });
}

void start();
