import type { User } from 'oidc-client-ts';
import { type Api, ApiError, createApi } from './api.js';
import { createAuth, type PortalConfig } from './auth.js';
import { confirmDialog } from './dialogs.js';
import { byId, h, replace } from './dom.js';
import { preferredLanguage, wordsFor } from './i18n.js';
import { loadExport, loadSnapshot } from './model.js';
import { type Actions, renderPage, SECTIONS, type ViewContext } from './views.js';

const language = preferredLanguage(navigator.languages ?? [navigator.language]);
const words = wordsFor(language);
document.documentElement.lang = language;
document.title = words.title;
const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
const date = (iso: string | undefined) => (iso ? dateFormat.format(new Date(iso)) : '–');

const main = byId('main');
const status = byId('status');
const say = (text: string, error = false) => {
  status.textContent = text;
  status.className = error ? 'status error' : 'status';
};

/** The claims of the API token (read, not verified: the API verifies it); the tenant names consent's paths. */
function claimsOf(token: string): Record<string, string> {
  try {
    return JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {}; // not a JWT: the API refuses it (401), which leads back to the sign-in
  }
}

async function start(): Promise<void> {
  const config = (await (await fetch('config.json')).json()) as PortalConfig;
  const auth = createAuth(config);
  const user = await auth.current();
  if (!user) return showSignIn(() => void auth.signIn());
  showAccount(user, async () => {
    await auth.signOut();
    location.reload();
  });
  const api = createApi(config.apiUrl, () => user.access_token);
  const portal = new Portal(api, claimsOf(user.access_token).tenant ?? '', () => auth.signOut(), () => {
    replace(byId('account'));
    showSignIn(() => void auth.signIn());
  });
  await portal.open();
}

function showSignIn(signIn: () => void): void {
  replace(byId('nav'));
  replace(main, h('div', { className: 'signin' },
    h('h1', {}, words.title),
    h('p', {}, words.signInLead),
    h('button', { type: 'button', id: 'sign-in', on: { click: signIn } }, words.signIn),
  ));
}

function showAccount(user: User, signOut: () => void): void {
  const name = [user.profile.given_name, user.profile.family_name].filter(Boolean).join(' ');
  replace(byId('account'),
    h('span', {}, words.signedInAs(name ? `${name} (${user.profile.sub})` : user.profile.sub)),
    h('button', { type: 'button', className: 'secondary', on: { click: signOut } }, words.signOut));
}

class Portal {
  constructor(
    private readonly api: Api,
    private readonly tenant: string,
    private readonly forget: () => Promise<void>,
    /** The token expired or was refused: back to the sign-in button. */
    private readonly signInAgain: () => void,
  ) {}

  private readonly actions: Actions = {
    setConsent: (target, granted, label, destroys) => void this.setConsent(target, granted, label, destroys),
    endRelation: (partnerId) => void this.endRelation(partnerId),
    withdrawShare: (id, name, imported) => void this.withdrawShare(id, name, imported),
    deleteCopy: (id, copyName) => void this.deleteCopy(id, copyName),
    downloadExport: () => void this.downloadExport(),
    erase: () => void this.erase(),
  };

  private consentRef = '';

  async refresh(focusSection?: string): Promise<void> {
    const snapshot = await loadSnapshot(this.api);
    if (!snapshot) return this.showNoReference();
    this.consentRef = snapshot.me.consentReference;
    replace(byId('nav'), h('ul', {}, SECTIONS.map((id) => h('li', {}, h('a', { href: `#${id}` }, words.nav[id])))));
    const context: ViewContext = { words, date, actions: this.actions };
    replace(main, renderPage(snapshot, context));
    if (focusSection) document.getElementById(`${focusSection}-title`)?.focus();
  }

  private showNoReference(): void {
    replace(byId('nav'));
    replace(main, h('section', {}, h('h1', {}, words.title), h('p', {}, words.noReference),
      h('button', { type: 'button', id: 'create-reference', on: { click: () => void this.run('consents', () => this.createReference()) } }, words.createReference)));
  }

  /** Consent creates a reference asynchronously (`pending`, then `active`): the page waits for it, as an app would. */
  private async createReference(): Promise<void> {
    const base = `/profile-consent/v1/${encodeURIComponent(this.tenant)}/consentReferences`;
    const created = await this.api.send<{ id: string }>('POST', base, {});
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const state = await this.api.get<{ status: string }>(`${base}/${encodeURIComponent(created!.id)}`);
      if (state.status === 'active') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Runs one change, says how it went, and shows the page as the API now answers it. */
  private async run(section: string, change: () => Promise<unknown>, after?: string): Promise<void> {
    say(words.loading);
    try {
      await change();
      await this.refresh(section);
      say(after ?? words.done);
    } catch (error) {
      await this.failed(error);
    }
  }

  /** The first render after sign-in. */
  async open(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      await this.failed(error);
    }
  }

  /** A refused token (expired, revoked at the provider) leads back to the sign-in; anything else is said as the API said it. */
  private async failed(error: unknown): Promise<void> {
    if (error instanceof ApiError && error.status === 401) {
      await this.forget();
      this.signInAgain();
      return say(words.signInAgain, true);
    }
    say(words.failed((error as Error).message), true);
  }

  private async setConsent(target: { consentClass?: string; schema?: string }, granted: boolean, label: string, destroys: number): Promise<void> {
    if (!granted) {
      const ok = await confirmDialog(words, { title: words.revokeTitle, text: words.revokeWarning(label, destroys), confirmLabel: words.revokeConfirm });
      if (!ok) return;
    }
    const base = `/profile-consent/v1/${encodeURIComponent(this.tenant)}/consents/${encodeURIComponent(this.consentRef)}`;
    const path = target.consentClass ? `${base}/classes/${encodeURIComponent(target.consentClass)}` : `${base}/schemas/${encodeURIComponent(target.schema!)}`;
    await this.run('consents', () => this.api.send('PUT', path, { granted }));
  }

  private async endRelation(partnerId: string): Promise<void> {
    const ok = await confirmDialog(words, { title: words.endRelationTitle, text: words.endRelationText(partnerId), confirmLabel: words.endRelation });
    if (ok) await this.run('access', () => this.api.send('DELETE', `/profile/v1/me/relations/${encodeURIComponent(partnerId)}`));
  }

  /** Friends' copies stay (the API keeps them) but can no longer be refreshed: the dialog says so before anything happens. */
  private async withdrawShare(sharingIdentifier: string, name: string, imported: number): Promise<void> {
    const ok = await confirmDialog(words, { title: words.withdrawShareTitle, text: words.withdrawShareText(name, imported), confirmLabel: words.withdrawShare });
    if (ok) await this.run('shares', () => this.api.send('DELETE', `/profile/v1/me/shares/${encodeURIComponent(sharingIdentifier)}`), words.shareWithdrawn(name));
  }

  private async deleteCopy(sharingIdentifier: string, copyName: string): Promise<void> {
    const ok = await confirmDialog(words, { title: words.deleteCopyTitle, text: words.deleteCopyText(copyName), confirmLabel: words.deleteCopy });
    if (ok) await this.run('shares', () => this.api.send('DELETE', `/profile/v1/me/imports/${encodeURIComponent(sharingIdentifier)}`), words.copyDeleted(copyName));
  }

  /** The paged export assembled into one JSON file (the same document an integrator gets page by page). */
  private async downloadExport(): Promise<void> {
    say(words.loading);
    try {
      const assembled = await loadExport(this.api);
      const blob = new Blob([JSON.stringify(assembled, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: `mydata-export-${assembled.tenant}-${assembled.exportedAt.slice(0, 10)}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      say(words.exported(assembled.items.length));
    } catch (error) {
      say(words.failed((error as Error).message), true);
    }
  }

  private async erase(): Promise<void> {
    const ok = await confirmDialog(words, { title: words.eraseTitle, text: words.eraseText(words.eraseWord), confirmLabel: words.eraseConfirm, requireWord: words.eraseWord });
    if (!ok) return;
    say(words.loading);
    try {
      await this.api.send('DELETE', '/profile/v1/me');
      await this.forget();
      replace(byId('nav'));
      replace(byId('account'));
      replace(main, h('section', {}, h('h1', { id: 'erased', tabIndex: -1 }, words.erased)));
      byId('erased').focus();
      say(words.erased);
    } catch (error) {
      say(words.failed((error as Error).message), true);
    }
  }
}

start().catch((error: unknown) => say(words.failed((error as Error).message), true));
