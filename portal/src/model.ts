import { type Api, ApiError } from './api.js';

/** The answers of the public API the page shows (docs/api/mydata-openapi.json), as far as the page reads them. */
export interface Governance { entityType: string; profile: string; partnerId?: string; clientId?: string; role: 'related-partner' | 'creator-app' }
export interface ExportItem { entityType: string; name: string; id: string; governance: Governance; createdAt: string; updatedAt: string; size: number; importedFrom?: { sharingIdentifier: string; importedAt: string }; data?: unknown; unreadable?: string }
export interface HistoryEntry { seq: number; at: string; actor: { kind: string; sub: string }; action: string; changes: { schema: string; from: boolean; to: boolean }[] }
export interface Verification { valid: boolean; entries: number; brokenAt?: number; reason?: string }
export interface ShareGiven { sharingIdentifier: string; name: string; partnerId: string; clientId: string; createdAt: string; expiresAt?: string; maxImports?: number; expired?: boolean; importCount?: number; importedBy: unknown[] }
export interface ShareImported { sharingIdentifier: string; copyName: string; clientId?: string; importedAt: string }
export interface ExportPage {
  guest: string; tenant: string; exportedAt: string; page: number;
  consent?: { consentReference: string; status: string; blocked: boolean; consents: { schema: string; consentClass: string; granted: boolean }[] } | null;
  relations?: unknown[]; sharesGiven?: ShareGiven[]; sharesImported?: ShareImported[];
  items: ExportItem[]; history: HistoryEntry[]; historyVerification?: Verification; next?: string;
}
export interface Consent { consentClass: string; schema: string; granted: boolean; schemaTitle: string; schemaDescription: string }
export interface ConsentClass { class: string; title: string; description: string; editable: boolean; enabled: boolean }
export interface PartnerAccess { partnerId: string; relation: { since: string; endedAt?: string; active: boolean } | null; apps: string[]; entityTypes: { entityType: string; reasons: ('relation' | 'creator' | 'share')[] }[] }
export interface Purge { purgeId: string; partnerId: string; reason: string; entityTypes?: string[]; createdAt: string; acknowledgedAt?: string; acknowledged: boolean }
export interface Me { id: string; tenant: string; consentReference: string; profile: Record<string, unknown>; updatedAt?: string }

/** Everything the page shows, read in one go after every change (a few calls; the export carries the bulk). */
export interface Snapshot {
  me: Me;
  export: ExportDocument;
  consents: Consent[];
  classes: Map<string, ConsentClass>;
  access: PartnerAccess[];
  shares: ShareGiven[];
  purges?: Purge[];
}

/** The paged export assembled into one document: the first page's sections, every page's items and history. */
export interface ExportDocument extends Omit<ExportPage, 'page' | 'next'> { pages: number }

export async function loadExport(api: Api): Promise<ExportDocument> {
  const first = await api.get<ExportPage>('/profile/v1/me/export');
  const items = [...first.items];
  const history = [...first.history];
  let verification: Verification | undefined = first.historyVerification;
  let next = first.next;
  let pages = 1;
  while (next) {
    const page = await api.get<ExportPage>(`/profile/v1/me/export?next=${encodeURIComponent(next)}`);
    items.push(...page.items);
    history.push(...page.history);
    // Every page verifies its own entries and their link to the one before: all valid = the whole chain.
    if (page.historyVerification) {
      verification = verification && !verification.valid ? verification
        : { ...page.historyVerification, entries: (verification?.entries ?? 0) + page.historyVerification.entries };
    }
    next = page.next;
    pages += 1;
  }
  const { page: _page, next: _next, ...sections } = first;
  return { ...sections, items, history, historyVerification: verification, pages };
}

/** `null` when the guest has no consent reference yet (nothing can be stored before one exists). */
export async function loadSnapshot(api: Api): Promise<Snapshot | null> {
  let me: Me;
  try {
    me = await api.get<Me>('/profile/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'ConsentReferenceNotFound') return null;
    throw error;
  }
  const ref = encodeURIComponent(me.consentReference);
  const [exported, consents, classes, access, shares, purges] = await Promise.all([
    loadExport(api),
    api.get<Consent[]>(`/profile-consent/v1/${encodeURIComponent(me.tenant)}/consents/${ref}`),
    api.get<ConsentClass[]>('/profile-consent/v1/consentClasses?pageSize=100'),
    api.get<{ partners: PartnerAccess[] }>('/profile/v1/me/access'),
    api.get<{ shares: ShareGiven[] }>('/profile/v1/shares'),
    optionalPurges(api),
  ]);
  return { me, export: exported, consents, classes: new Map(classes.map((c) => [c.class, c])), access: access.partners, shares: shares.shares, purges };
}

/** `GET /profile/v1/me/purges`, every page: partners told to delete the guest's data, and whether they confirmed. Older platforms answer 404. */
async function optionalPurges(api: Api): Promise<Purge[] | undefined> {
  const purges: Purge[] = [];
  let next: string | undefined;
  try {
    do {
      const page = await api.get<{ purges: Purge[]; next?: string }>(`/profile/v1/me/purges${next ? `?next=${encodeURIComponent(next)}` : ''}`);
      purges.push(...page.purges);
      next = page.next;
    } while (next);
    return purges;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === undefined) return undefined;
    throw error;
  }
}

/** How many readable items a revoke of these schemas destroys. */
export const readableCount = (items: readonly ExportItem[], schemas: ReadonlySet<string>): number =>
  items.filter((item) => schemas.has(item.entityType) && item.unreadable === undefined).length;
