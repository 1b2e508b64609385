/**
 * Every OAuth scope of the platform, spelled once. The route catalog (infra/catalog), the handlers, the
 * domain's own checks, the local tools, the tests and the bench import them from here (decision 0070).
 */

/** Consent API (`/profile-consent/v1`) and the tenant's profile settings: read, and change or act for a user. */
export const CONSENT_VIEW = 'profile_consent_view';
export const CONSENT_MANAGE = 'profile_consent_manage';

/** Profile data (`/profile/v1`): a guest's own data, through the platform's pages or a partner's app. */
export const DATA_READ = 'profile_data_read';
export const DATA_WRITE = 'profile_data_write';
export const DATA_SHARE = 'profile_data_share';

/**
 * The Profile Data Notification Service (principal `partner`): manage the partner's own subscriptions
 * (register, change, pause, rotate the secret, see and redrive dead letters), and pull the data a
 * partner may see without a guest token, and acknowledge purges (the seed's one exception).
 */
export const NOTIFICATIONS_MANAGE = 'profile_notifications_manage';
export const CRM_READ = 'profile_crm_read';

/** The partner API's scopes exactly as the Europace spec names them; both spellings of the relation-writing one. */
export const PARTNER_SCOPES = {
  anlegen: 'partner:plakette:anlegen',
  lesen: 'partner:plakette:lesen',
  schreiben: 'partner:plakette:schreiben',
  beziehungenLesen: 'partner:beziehungen:lesen',
  beziehungenSchreiben: ['partner:beziehungen:schreiben', 'partner:beziehung:schreiben'],
  rechteLesen: 'partner:rechte:lesen',
  rechteSchreiben: 'partner:rechte:schreiben',
} as const;

/** Every partner scope (both spellings of the relation-writing one). */
export const ALL_PARTNER_SCOPES: readonly string[] = Object.values(PARTNER_SCOPES).flat();

/** Every scope a route may require: the consent and profile scopes and the partner API's. */
export const ALL_SCOPES: readonly string[] = [
  CONSENT_VIEW,
  CONSENT_MANAGE,
  DATA_READ,
  DATA_WRITE,
  DATA_SHARE,
  NOTIFICATIONS_MANAGE,
  CRM_READ,
  ...ALL_PARTNER_SCOPES,
];

/** A token's `scope` claim: the scopes space separated, as an issuer writes them. */
export const scopeClaim = (...scopes: readonly (string | readonly string[])[]): string => scopes.flat().join(' ');
