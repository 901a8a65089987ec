/**
 * What people can offer each other, in one order everywhere, and how an invitee's answer lands on
 * the owner's pod map. The invitee's own words always win over what the owner had written: it is
 * their offer to make.
 */
import { OFFER_KINDS, type Ask, type CirclePerson, type Offer, type OfferKind } from './items.js';

/** Offer kinds in their fixed order, without repeats or unknown values. */
export function orderOffers(offers: Iterable<string>): OfferKind[] {
  const given = new Set(offers);
  return OFFER_KINDS.filter((kind) => given.has(kind));
}

/** What the person offered that was asked, and what they offered beyond it (nothing is "missing"). */
export function compareOffer(
  ask: Pick<Ask, 'asking'>,
  offer: Pick<Offer, 'offers'>,
): { readonly asked: OfferKind[]; readonly more: OfferKind[] } {
  const asking = new Set<string>(ask.asking);
  const offered = orderOffers(offer.offers);
  return {
    asked: offered.filter((o) => asking.has(o)),
    more: offered.filter((o) => !asking.has(o)),
  };
}

/**
 * The pod-map entry after an invitee accepted: their offers, availability and how to reach them
 * in their words (kept as the owner wrote them where the invitee left a field empty), their
 * account, and the invitation forgotten.
 */
export function applyOffer(
  person: CirclePerson,
  offer: Offer,
  account: { readonly accountId: string; readonly handle: string },
): CirclePerson {
  const keep = (theirs: string, mine: string) => (theirs.trim() === '' ? mine : theirs);
  const { invitationId: _invitationId, invitationKey: _invitationKey, ...rest } = person;
  return {
    ...rest,
    offers: orderOffers(offer.offers),
    offerNotes: keep(offer.offerNotes, person.offerNotes),
    availability: keep(offer.availability, person.availability),
    reach: keep(offer.reach, person.reach),
    accountId: account.accountId,
    handle: account.handle,
  };
}
