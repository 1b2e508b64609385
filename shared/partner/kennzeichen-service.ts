import { forbidden } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { type Access, loadAccess, type PartnerView } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent } from './events.js';
import type { Lizenz, PartnerRecord } from './model.js';
import { type TransactItem, transact, untilWon } from '../platform/table/index.js';
import { PARTNER_RACE } from './store.js';
import { updatePartnerMap } from './write-items.js';

/**
 * The write side of a partner's codes (`partnerkennzeichen`) and licences (`lizenzen`), both stored on
 * the partner item (one conditional write on its version, like PATCH; the ETag changes with it).
 *
 * - Partnerkennzeichen are master data: whoever holds the Einstellungsrecht on the partner sets them
 *   ("partner data or authorizations can be adjusted", the spec), the partner itself included.
 * - A licence is a premium feature and behaves like a right: switching it on needs the Einstellungsrecht
 *   on the partner and either the same licence active on the caller ("authorizations can only be
 *   assigned if the executing partner has them himself") or the Einstellungsrecht on the tenant's root
 *   (the administrator books the tenant's licences). Switching one off needs the Einstellungsrecht only.
 */
const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function changeMap(
  caller: CallerRef,
  partnerId: string,
  field: 'kennzeichen' | 'lizenzen',
  change: (access: Access, record: PartnerRecord) => { next: PartnerRecord[typeof field]; events: TransactItem[] } | undefined,
): Promise<PartnerView> {
  return untilWon<PartnerView>(async () => {
    const access = await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId] });
    const target = access.visible(partnerId);
    const result = change(access, target.record);
    if (!result || equal(result.next, target.record[field])) return target;
    const written: PartnerRecord = { ...target.record, [field]: result.next, version: target.record.version + 1, updatedAt: new Date().toISOString() };
    await transact([updatePartnerMap(written, field, target.record.version), ...result.events]);
    return { ...target, record: written };
  }, partnerErrors.partnerBusy, PARTNER_RACE);
}

/** Replaces the partner's codes with `kennzeichen` (validated against the spec's schema by the handler). */
export async function setPartnerkennzeichen(caller: CallerRef, partnerId: string, kennzeichen: Record<string, unknown>): Promise<Record<string, unknown>> {
  const view = await changeMap(caller, partnerId, 'kennzeichen', (_access, record) => {
    const names = [...new Set([...Object.keys(record.kennzeichen), ...Object.keys(kennzeichen)])]
      .filter((name) => !equal(record.kennzeichen[name], kennzeichen[name]))
      .sort();
    // The same codes in another key order change nothing: no write, no event.
    if (names.length === 0) return undefined;
    return {
      next: kennzeichen,
      events: [partnerEvent('PartnerkennzeichenChanged', { tenant: caller.tenant, partnerId, changedBy: caller.partnerId, changedKennzeichen: names })],
    };
  });
  return view.record.kennzeichen;
}

/** The day a licence became active, as the spec's example shows it (YYYY-MM-DD, UTC). */
const today = () => new Date().toISOString().slice(0, 10);

/** Licences a partner may carry at most (names of known licences are kept when switched off). */
export const MAX_LIZENZEN = 50;

/**
 * Switches one licence on or off. On: `aktiviertSeit` becomes today unless it already was active;
 * off: the licence stays known with its date, as the spec's example shows `aktiv: false`.
 */
export async function setLizenz(caller: CallerRef, partnerId: string, name: string, aktiv: boolean): Promise<Record<string, Lizenz>> {
  const view = await changeMap(caller, partnerId, 'lizenzen', (access, record) => {
    const current = record.lizenzen[name];
    if (current?.aktiv === aktiv) return undefined;
    if (aktiv && access.caller.record.lizenzen[name]?.aktiv !== true && !access.managesRootOf(partnerId)) {
      throw forbidden(`A licence can only be switched on by a partner who holds it or administers the tenant: ${name}`, 'LizenzNotHeld');
    }
    if (!current && Object.keys(record.lizenzen).length >= MAX_LIZENZEN) {
      throw partnerErrors.tooManyLizenzen(MAX_LIZENZEN);
    }
    const next: Lizenz = aktiv ? { aktiv, aktiviertSeit: today() } : { ...current, aktiv };
    return {
      next: { ...record.lizenzen, [name]: next },
      events: [partnerEvent('LizenzChanged', { tenant: caller.tenant, partnerId, lizenz: name, aktiv, changedBy: caller.partnerId })],
    };
  });
  return view.record.lizenzen;
}
