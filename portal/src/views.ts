import { h } from './dom.js';
import type { Words } from './i18n.js';
import { type Consent, type ExportItem, readableCount, type Snapshot } from './model.js';

/** What the buttons do; main.ts runs them and renders the page anew. */
export interface Actions {
  setConsent(target: { consentClass?: string; schema?: string }, granted: boolean, label: string, destroys: number): void;
  endRelation(partnerId: string): void;
  /** `DELETE /profile/v1/me/shares/{id}`: the guest's own withdrawal, whichever app made the share. */
  withdrawShare(sharingIdentifier: string, name: string, imported: number): void;
  /** `DELETE /profile/v1/me/imports/{id}`: the guest deletes the copy they imported of that share. */
  deleteCopy(sharingIdentifier: string, copyName: string): void;
  downloadExport(): void;
  erase(): void;
}

export interface ViewContext {
  readonly words: Words;
  readonly date: (iso: string | undefined) => string;
  readonly actions: Actions;
}

export const SECTIONS = ['profile', 'data', 'consents', 'access', 'shares', 'history', 'control'] as const;

const section = (id: (typeof SECTIONS)[number], title: string, ...content: Parameters<typeof h>[2][]) =>
  h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, tabIndex: -1 }, title), ...content);

const tag = (text: string, kind = '') => h('span', { className: `tag ${kind}` }, text);

export function renderPage(snapshot: Snapshot, ctx: ViewContext): HTMLElement[] {
  return [
    h('h1', {}, ctx.words.title),
    profileView(snapshot, ctx),
    dataView(snapshot, ctx),
    consentsView(snapshot, ctx),
    accessView(snapshot, ctx),
    sharesView(snapshot, ctx),
    historyView(snapshot, ctx),
    controlView(ctx),
  ];
}

function profileView({ me }: Snapshot, { words }: ViewContext): HTMLElement {
  const fields = Object.entries(me.profile);
  const text = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));
  return section('profile', words.profile,
    h('dl', {},
      h('dt', {}, words.guestId), h('dd', {}, me.id),
      h('dt', {}, words.tenant), h('dd', {}, me.tenant),
      h('dt', {}, words.consentReference), h('dd', {}, me.consentReference),
      fields.map(([key, value]) => [h('dt', {}, key), h('dd', {}, text(value))]),
    ),
    fields.length === 0 && h('p', { className: 'muted' }, words.profileEmpty),
  );
}

function governanceTags(item: ExportItem, shared: ReadonlySet<string>, words: Words): HTMLElement[] {
  const g = item.governance;
  return [
    tag(g.role === 'related-partner' ? words.sharedWithRelated : words.onlyCreatorApp),
    shared.has(`${g.partnerId}#${g.clientId}#${item.name}`) && item.entityType === 'PartnerData' ? tag(words.sharedByLink, 'on') : undefined,
    item.importedFrom ? tag(words.importedFrom(item.importedFrom.sharingIdentifier)) : undefined,
  ].filter((node): node is HTMLElement => node !== undefined);
}

function dataView({ export: doc, shares }: Snapshot, { words, date }: ViewContext): HTMLElement {
  const shared = new Set(shares.map((s) => `${s.partnerId}#${s.clientId}#${s.name}`));
  if (doc.items.length === 0) return section('data', words.data, h('p', { className: 'muted' }, words.noData));
  const c = words.col;
  return section('data', words.data,
    h('p', {}, words.dataLead(doc.items.length)),
    h('table', {},
      h('thead', {}, h('tr', {}, [c.entityType, c.name, c.createdBy, c.governance, c.content, c.updated].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, doc.items.map((item) =>
        h('tr', { 'data-item': `${item.entityType}/${item.name}` },
          h('td', {}, item.entityType),
          h('td', {}, item.name),
          h('td', {}, item.governance.partnerId ? words.partnerApp(item.governance.partnerId, item.governance.clientId ?? '–') : words.you),
          h('td', {}, governanceTags(item, shared, words)),
          h('td', {}, item.unreadable ? tag(words.unreadable(item.unreadable), 'off') : h('pre', {}, JSON.stringify(item.data, null, 2))),
          h('td', {}, date(item.updatedAt)),
        ))),
    ),
  );
}

function consentsView({ consents, classes, export: doc }: Snapshot, { words, actions }: ViewContext): HTMLElement {
  const byClass = new Map<string, Consent[]>();
  for (const consent of consents) byClass.set(consent.consentClass, [...(byClass.get(consent.consentClass) ?? []), consent]);
  const stateTag = (on: number, all: number) =>
    on === all ? tag(words.granted, 'on') : on === 0 ? tag(words.notGranted, 'off') : tag(words.partly(on, all));
  return section('consents', words.consents,
    h('p', {}, words.consentsLead),
    [...byClass].map(([name, schemas]) => {
      const info = classes.get(name);
      const title = info?.title ?? name;
      const on = schemas.filter((s) => s.granted).length;
      const stored = readableCount(doc.items, new Set(schemas.map((s) => s.schema)));
      return h('article', { className: 'class', 'data-class': name, 'aria-labelledby': `class-${name}` },
        h('header', {},
          h('h3', { id: `class-${name}` }, title),
          stateTag(on, schemas.length),
          tag(words.storedItems(stored)),
          on > 0 && h('button', { type: 'button', className: 'danger', 'aria-describedby': `class-${name}`, on: { click: () => actions.setConsent({ consentClass: name }, false, title, stored) } }, words.revokeClass),
          on < schemas.length && h('button', { type: 'button', 'aria-describedby': `class-${name}`, on: { click: () => actions.setConsent({ consentClass: name }, true, title, 0) } }, words.grantClass),
        ),
        info?.description && h('p', { className: 'muted' }, info.description),
        h('ul', { className: 'schemas' }, schemas.map((s) => {
          const count = readableCount(doc.items, new Set([s.schema]));
          const label = `${s.schemaTitle || s.schema}`;
          return h('li', { 'data-schema': s.schema },
            h('span', { className: 'name' }, label, s.schemaDescription && h('span', { className: 'muted' }, ` — ${s.schemaDescription}`)),
            stateTag(s.granted ? 1 : 0, 1),
            tag(words.storedItems(count)),
            h('button', {
              type: 'button', className: s.granted ? 'danger secondary' : 'secondary', 'aria-label': `${s.granted ? words.revoke : words.grant}: ${label}`,
              on: { click: () => actions.setConsent({ schema: s.schema }, !s.granted, label, count) },
            }, s.granted ? words.revoke : words.grant),
          );
        })),
      );
    }),
  );
}

function accessView({ access }: Snapshot, { words, date, actions }: ViewContext): HTMLElement {
  if (access.length === 0) return section('access', words.access, h('p', { className: 'muted' }, words.noAccess));
  return section('access', words.access, access.map((partner) =>
    h('article', { className: 'class', 'data-partner': partner.partnerId, 'aria-labelledby': `partner-${partner.partnerId}` },
      h('header', {},
        h('h3', { id: `partner-${partner.partnerId}` }, `Partner ${partner.partnerId}`),
        partner.relation === null ? tag(words.noRelation) : partner.relation.active ? tag(words.relationSince(date(partner.relation.since)), 'on') : tag(words.relationEnded(date(partner.relation.endedAt)), 'off'),
        partner.relation?.active && h('button', { type: 'button', className: 'danger', 'aria-label': `${words.endRelation}: Partner ${partner.partnerId}`, on: { click: () => actions.endRelation(partner.partnerId) } }, words.endRelation),
      ),
      h('p', {}, `${words.apps}: `, partner.apps.map((app) => tag(app))),
      h('ul', {}, partner.entityTypes.map((type) => h('li', {}, h('strong', {}, type.entityType), ': ', type.reasons.map((r) => words.reasons[r]).join('; ')))),
    )));
}

function sharesView({ shares, export: doc, purges }: Snapshot, { words, date, actions }: ViewContext): HTMLElement {
  const imports = doc.sharesImported ?? [];
  const imported = (s: Snapshot['shares'][number]) => s.importCount ?? s.importedBy.length;
  return section('shares', words.nav.shares,
    h('h3', {}, words.shares),
    h('p', { className: 'muted' }, words.sharesLead),
    shares.length === 0 ? h('p', {}, words.noShares) : h('ul', {}, shares.map((s) =>
      h('li', { 'data-share': s.sharingIdentifier },
        h('strong', {}, s.name), ` — ${words.partnerApp(s.partnerId, s.clientId)} `,
        tag(words.importCount(imported(s)), 'on'),
        s.expired ? tag(words.expired, 'off') : s.expiresAt ? tag(words.expires(date(s.expiresAt))) : undefined,
        s.maxImports ? tag(words.maxImports(s.maxImports)) : undefined,
        h('button', {
          type: 'button', className: 'danger secondary', 'aria-label': `${words.withdrawShare}: ${s.name}`,
          on: { click: () => actions.withdrawShare(s.sharingIdentifier, s.name, imported(s)) },
        }, words.withdrawShare),
      ))),
    h('h3', {}, words.imports),
    imports.length === 0 ? h('p', {}, words.noImports) : h('ul', {}, imports.map((i) =>
      h('li', { 'data-import': i.sharingIdentifier },
        h('strong', {}, i.copyName), ` — ${words.importedFrom(i.sharingIdentifier)}, ${i.clientId ?? ''} `, tag(words.importedAt(date(i.importedAt))),
        h('button', {
          type: 'button', className: 'danger secondary', 'aria-label': `${words.deleteCopy}: ${i.copyName}`,
          on: { click: () => actions.deleteCopy(i.sharingIdentifier, i.copyName) },
        }, words.deleteCopy),
      ))),
    purges && [
      h('h3', {}, words.purges),
      h('p', { className: 'muted' }, words.purgesLead),
      purges.length === 0 ? h('p', {}, words.noPurges) : h('ul', {}, purges.map((p) =>
        h('li', { 'data-purge': p.purgeId },
          h('strong', {}, `Partner ${p.partnerId}`), ` — ${words.purgeAsked(date(p.createdAt), words.purgeReasons[p.reason] ?? p.reason, (p.entityTypes ?? []).join(', '))} `,
          p.acknowledged ? tag(words.purgeConfirmed(date(p.acknowledgedAt)), 'on') : tag(words.purgeOpen, 'off'),
        ))),
    ],
  );
}

function historyView({ export: doc }: Snapshot, { words, date }: ViewContext): HTMLElement {
  const v = doc.historyVerification;
  const c = words.col2;
  return section('history', words.history,
    v && (v.valid ? h('p', { className: 'verified' }, tag('✓', 'on'), ' ', words.historyValid(v.entries)) : h('p', { className: 'error' }, words.historyBroken(v.brokenAt ?? 0, v.reason ?? ''))),
    doc.history.length === 0 ? h('p', {}, words.noHistory) : h('table', {},
      h('thead', {}, h('tr', {}, [c.when, c.action, c.by, c.changes].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, doc.history.map((entry) => h('tr', {},
        h('td', {}, date(entry.at)), h('td', {}, entry.action), h('td', {}, `${entry.actor.kind} ${entry.actor.sub}`),
        h('td', {}, entry.changes.map((change) => h('div', {}, `${change.schema}: ${change.from ? '✓' : '✗'} → ${change.to ? '✓' : '✗'}`))),
      ))),
    ),
  );
}

function controlView({ words, actions }: ViewContext): HTMLElement {
  return section('control', words.control,
    h('p', {}, words.exportLead),
    h('p', {}, h('button', { type: 'button', id: 'download-export', on: { click: () => actions.downloadExport() } }, words.exportButton)),
    h('p', {}, words.eraseLead),
    h('p', {}, h('button', { type: 'button', id: 'erase', className: 'danger', on: { click: () => actions.erase() } }, words.eraseButton)),
  );
}
