import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

/** What `config.json` names: the only difference between the local issuer and a tenant's provider in AWS. */
export interface PortalConfig { authority: string; clientId: string; scope: string; apiUrl: string }

/**
 * Sign-in with authorization code + PKCE (oidc-client-ts), the same code locally and in AWS. The session
 * lives in sessionStorage (gone with the tab); no silent renew (it would need an iframe and a third-party
 * cookie): an expired token asks the guest to sign in again.
 */
export function createAuth(config: PortalConfig) {
  const redirectUri = `${location.origin}${location.pathname}`;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: redirectUri,
    post_logout_redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scope,
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
  return {
    /** The signed-in user after handling a redirect back from the provider, if any. */
    async current(): Promise<User | null> {
      const params = new URLSearchParams(location.search);
      if (params.has('code') && params.has('state')) {
        const user = await manager.signinRedirectCallback();
        history.replaceState(null, '', redirectUri);
        return user;
      }
      const user = await manager.getUser();
      return user && !user.expired ? user : null;
    },
    signIn: () => manager.signinRedirect(),
    /** Forgets the session here; the provider's own session is the provider's. */
    signOut: () => manager.removeUser(),
  };
}
